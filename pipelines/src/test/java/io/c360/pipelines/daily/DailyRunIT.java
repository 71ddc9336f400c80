package io.c360.pipelines.daily;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import io.c360.transforms.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two days through the whole run on the Direct runner against a real PostgreSQL. The landing zone
 * in test resources is hand-built so that the fate of every row follows from SPEC §2: the expected
 * counts below are derived row by row in the comments, not copied from output.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DailyRunIT {
  @RegisterExtension static final TestDatabase DB = new TestDatabase();

  static final Path LANDING = Path.of("src/test/resources/landing").toAbsolutePath();

  @TempDir static Path tmp;

  private RunSummary run(String date, String... extra) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--runDate=" + date,
                "--input=" + LANDING,
                "--jdbcUrl=" + DB.jdbcUrl(),
                "--dbUser=postgres"));
    args.addAll(List.of(extra));
    return DailyRun.execute(DailyRun.options(args.toArray(new String[0])), System.out);
  }

  @Test
  @Order(1)
  void dayOneLoadsQuarantinesDeduplicatesAndParksEveryRow() throws Exception {
    RunSummary s = run("2025-03-30");
    assertThat(s.message(), s.status(), is("succeeded"));

    // customers: C1, C2 load; C3 type:email, C4 not_null:name, C5 accepted_values:segment; C1
    // twice.
    assertCounts(s, "customers", 6, 2, 3, 1, 0);
    // products: P1, P2 load; P3 accepted_values:category.
    assertCounts(s, "products", 3, 2, 1, 0, 0);
    assertCounts(s, "channels", 2, 2, 0, 0, 0);
    // sales: T1, T2, T3 load; T4 negative_amount, T6 future_date, T7 not_null, T8 amount_mismatch;
    // T1 repeated and T3 superseded by part-2.csv; T5 waits for customer C9.
    assertCounts(s, "sales", 10, 3, 4, 2, 1);
    // traffic: C1/CH1 and C2/CH2 load; C9 and CH9 wait; a repeated row; month 13 is a type error.
    assertCounts(s, "traffic", 6, 2, 1, 1, 2);

    assertThat(
        DB.column("SELECT entity || ' ' || rule FROM dq.rejected_rows"),
        containsInAnyOrder(
            "customers type:email",
            "customers not_null:name",
            "customers accepted_values:segment",
            "products accepted_values:category",
            "sales business:negative_amount",
            "sales business:future_date",
            "sales not_null:customer_id",
            "sales business:amount_mismatch",
            "traffic type:send_date"));
    // Lineage: the header is line 1, so T4 is line 5 of part-1.csv.
    assertThat(
        DB.column(
                "SELECT source_file || ':' || line_no FROM dq.rejected_rows WHERE rule = 'business:negative_amount'")
            .get(0),
        endsWith("sales/dt=2025-03-30/part-1.csv:5"));
    assertThat(
        DB.column(
            "SELECT record->>'transaction_id' FROM dq.rejected_rows WHERE rule = 'business:amount_mismatch'"),
        containsInAnyOrder("T8"));

    // Cleaning: collapsed whitespace, lower-case email, upper-case country, canonical segment.
    assertThat(
        DB.column(
            "SELECT name || '|' || email || '|' || country || '|' || segment FROM dw.dim_customer WHERE customer_id = 'C1'"),
        containsInAnyOrder("Alice Smith|alice@example.com|FR|SMB"));
    assertThat(
        DB.column(
            "SELECT transaction_id || ' ' || amount || ' ' || amount_imputed FROM dw.fact_sales ORDER BY 1"),
        containsInAnyOrder("T1 20.0000 false", "T2 25.5000 true", "T3 -12.0000 false"));
    assertThat(
        DB.column("SELECT entity || ' ' || rule FROM dq.pending_rows"),
        containsInAnyOrder(
            "sales relationships:customer_id",
            "traffic relationships:customer_id",
            "traffic relationships:channel_id"));
    assertThat(DB.column("SELECT status FROM ops.pipeline_runs"), containsInAnyOrder("succeeded"));
    assertThat(
        DB.column(
            "SELECT (entity_counts->'sales'->>'read') || '=' || (entity_counts->'sales'->>'loaded') FROM ops.pipeline_runs"),
        containsInAnyOrder("10=3"));
  }

  @Test
  @Order(2)
  void dayTwoResolvesPendingRowsAndVersionsTheChangedCustomer() throws Exception {
    RunSummary s = run("2025-03-31");
    assertThat(s.message(), s.status(), is("succeeded"));
    assertCounts(s, "customers", 2, 2, 0, 0, 0);
    assertCounts(s, "sales", 1, 1, 0, 0, 0);
    assertThat(s.entities().get("sales").resolved(), is(1L));
    assertThat(s.entities().get("traffic").resolved(), is(1L));
    assertThat(s.entities().get("products").status(), is(EntityCounts.SKIPPED));

    // T5 (before C9's first version) takes that first version; T9 takes C2's new version.
    assertThat(
        DB.column(
            "SELECT f.transaction_id || ' ' || d.customer_id || ' ' || d.segment FROM dw.fact_sales f"
                + " JOIN dw.dim_customer d USING (customer_sk) WHERE f.transaction_id IN ('T3', 'T5', 'T9')"),
        containsInAnyOrder("T3 C2 Enterprise", "T5 C9 SMB", "T9 C2 Mid-Market"));
    assertThat(
        DB.column(
            "SELECT segment || ' ' || valid_from || ' ' || valid_to || ' ' || is_current FROM dw.dim_customer WHERE customer_id = 'C2'"),
        containsInAnyOrder(
            "Enterprise 2025-03-01 11:00:00+00 2025-03-31 06:00:00+00 false",
            "Mid-Market 2025-03-31 06:00:00+00 9999-12-31 00:00:00+00 true"));
    assertThat(
        DB.column("SELECT natural_key || ' ' || attempts FROM dq.pending_rows"),
        containsInAnyOrder("2025-03-30|A1|C1|CH9 2"));

    // Revenue in [1 Jan, D], completed and returned: C1 = 20 + 25.50; C2 = -12 + 25.50; C9 = 10.
    assertThat(
        DB.column(
            "SELECT customer_id || ' ' || ytd_spending FROM mart.customer_ytd_spending WHERE as_of = '2025-03-31'"),
        containsInAnyOrder("C1 45.5000", "C2 13.5000", "C9 10.0000"));
  }

  @Test
  @Order(3)
  void reRunningADateChangesNothingInTheWarehouseOrTheMarts() throws Exception {
    String before = dumpWarehouse();
    RunSummary s = run("2025-03-31");
    assertThat(s.message(), s.status(), is("succeeded"));
    assertThat(dumpWarehouse(), equalTo(before));
  }

  @Test
  @Order(4)
  void aSecondRunWhileOneHoldsTheLockFailsAtOnceNamingIt() throws Exception {
    try (Connection holder = DB.open();
        Statement st = holder.createStatement()) {
      st.execute("SELECT pg_advisory_lock(" + RunRecorder.LOCK_KEY + ")");
      Exception e =
          org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> run("2025-03-31"));
      assertThat(e.getMessage(), containsString("locked"));
    }
  }

  @Test
  @Order(5)
  void theDatabasePasswordNeverReachesTheRunRecordOrTheOutput() throws Exception {
    String secret = "pw-" + System.nanoTime();
    Path file = tmp.resolve("pg-password");
    Files.writeString(file, secret + "\n");
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8);
    RunSummary s =
        DailyRun.execute(
            DailyRun.options(
                "--runDate=2025-03-31",
                "--input=" + LANDING,
                "--jdbcUrl=" + DB.jdbcUrl(),
                "--dbUser=postgres",
                "--passwordFile=" + file),
            out);
    assertThat(s.message(), s.status(), is("succeeded"));
    assertThat(captured.toString(StandardCharsets.UTF_8), not(containsString(secret)));
    assertThat(
        String.join(
            "\n",
            DB.column("SELECT options::text || coalesce(message, '') FROM ops.pipeline_runs")),
        not(containsString(secret)));
  }

  @Test
  @Order(6)
  void aFileMissingARequiredColumnFailsTheRunNamingFileAndColumns() throws Exception {
    Path landing = tmp.resolve("bad");
    Path dir = Files.createDirectories(landing.resolve("sales/dt=2025-04-01"));
    Files.writeString(dir.resolve("broken.csv"), "transaction_id,customer_id,quantity\nX1,C1,1\n");
    RunSummary s =
        DailyRun.execute(
            DailyRun.options(
                "--runDate=2025-04-01", "--input=" + landing, "--jdbcUrl=" + DB.jdbcUrl()),
            System.out);
    assertThat(s.status(), is("failed"));
    assertThat(s.message(), containsString("broken.csv"));
    assertThat(s.message(), containsString("transaction_ts"));
    assertThat(
        DB.column(
            "SELECT status || ' ' || (message LIKE '%broken.csv%') FROM ops.pipeline_runs WHERE run_date = '2025-04-01'"),
        containsInAnyOrder("failed true"));
  }

  @Test
  @Order(7)
  void aDayWithValuesTheWarehouseCannotHoldSucceedsAndQuarantinesThem() throws Exception {
    // SPEC §2: amount and unit_price both missing is not_null:amount; a value outside what its
    // column holds is type:<column>; extra decimal places round half-up. Before, B1 failed the
    // fact load (amount NOT NULL) and B2 the staging COPY (numeric field overflow).
    Path landing = tmp.resolve("bounds");
    Path sales = Files.createDirectories(landing.resolve("sales/dt=2025-04-02"));
    Files.writeString(
        sales.resolve("part-1.csv"),
        String.join(
            "\n",
            "transaction_id,customer_id,product_id,quantity,unit_price,amount,status,transaction_ts",
            "B1,C1,P1,1,,,completed,2025-04-02 10:00", // not_null:amount
            "B2,C1,P1,1,1e20,10,completed,2025-04-02 10:00", // type:unit_price
            "B3,C1,P1,1,,100000000000000,completed,2025-04-02 10:00", // type:amount (15 digits)
            "B4,C1,P1,99999999999999999999,2,,completed,2025-04-02 10:00", // type:quantity
            "B5,C1,P1,1,2,2,completed,1899-12-31 10:00", // type:transaction_ts
            "B6,C1,P1,1,NaN,,completed,2025-04-02 10:00", // type:unit_price
            "B7,C1,P1,3,2.00005,,completed,2025-04-02 10:00", // loads: 2.0001 × 3 = 6.0003
            "B8,C1,P1,1000000,9999999999.5,,completed,2025-04-02 10:00", // type:amount, imputed
            "B9,C1,P1,1,123456.12345,123456.12345,completed,2025-04-02 11:00", // loads, rounded
            // plain rows, so the day stays under the 50% quarantine-rate check
            "B10,C1,P1,1,1,1,completed,2025-04-02 12:00",
            "B11,C1,P1,1,1,1,completed,2025-04-02 12:00",
            "B12,C1,P1,1,1,1,completed,2025-04-02 12:00",
            "B13,C1,P1,1,1,1,completed,2025-04-02 12:00",
            "B14,C1,P1,1,1,1,completed,2025-04-02 12:00",
            ""));
    Path traffic = Files.createDirectories(landing.resolve("traffic/dt=2025-04-02"));
    Files.writeString(
        traffic.resolve("part-1.csv"),
        String.join(
            "\n",
            "send_date,account_id,customer_id,channel_id,interactions_count,revenue_eur",
            "2025-04-02,A1,C1,CH1,1,Infinity", // type:revenue_eur
            "3000-01-01,A1,C1,CH1,1,1", // type:send_date
            "2025-04-02,A2,C1,CH1,99999999999999999999,1", // type:interactions_count
            "2025-04-02,A3,C1,CH1,2,1.55555", // loads, 1.5556
            "2025-04-02,A4,C1,CH1,1,1",
            "2025-04-02,A5,C1,CH1,1,1",
            ""));
    RunSummary s =
        DailyRun.execute(
            DailyRun.options(
                "--runDate=2025-04-02",
                "--input=" + landing,
                "--jdbcUrl=" + DB.jdbcUrl(),
                "--dbUser=postgres"),
            System.out);
    assertThat(s.message(), s.status(), is("succeeded"));
    assertCounts(s, "sales", 14, 7, 7, 0, 0);
    assertCounts(s, "traffic", 6, 3, 3, 0, 0);
    assertThat(
        DB.column(
            "SELECT coalesce(record->>'transaction_id', (record->>'account_id') || ' ' ||"
                + " (record->>'send_date')) || ' ' || rule FROM dq.rejected_rows WHERE run_id = "
                + s.runId()),
        containsInAnyOrder(
            "B1 not_null:amount",
            "B2 type:unit_price",
            "B3 type:amount",
            "B4 type:quantity",
            "B5 type:transaction_ts",
            "B6 type:unit_price",
            "B8 type:amount",
            "A1 2025-04-02 type:revenue_eur",
            "A1 3000-01-01 type:send_date",
            "A2 2025-04-02 type:interactions_count"));
    assertThat(
        DB.column(
            "SELECT transaction_id || ' ' || unit_price || ' ' || amount || ' ' || amount_imputed"
                + " FROM dw.fact_sales WHERE transaction_id IN ('B7', 'B9')"),
        containsInAnyOrder("B7 2.0001 6.0003 true", "B9 123456.1235 123456.1235 false"));
    assertThat(
        DB.column("SELECT revenue_eur::text FROM dw.fact_traffic WHERE account_id = 'A3'"),
        containsInAnyOrder("1.5556"));
    assertThat(
        DB.column(
            "SELECT status || ' ' || (entity_counts->'sales'->>'quarantined') FROM"
                + " ops.pipeline_runs WHERE run_id = "
                + s.runId()),
        containsInAnyOrder("succeeded 7"));
  }

  @Test
  @Order(8)
  void aMissingInputRootFailsTheRunNamingThePathsLookedAt() throws Exception {
    Path root = tmp.resolve("no-such-landing");
    RunSummary s =
        DailyRun.execute(
            DailyRun.options(
                "--runDate=2025-04-03", "--input=" + root, "--jdbcUrl=" + DB.jdbcUrl()),
            System.out);
    assertThat(s.status(), is("failed"));
    assertThat(s.exitCode(), is(1));
    assertThat(s.message(), containsString("input root " + root + " does not exist"));
    assertThat(s.message(), containsString(root + "/customers/dt=2025-04-03/"));
    assertThat(s.message(), containsString(root + "/traffic/dt=2025-04-03/"));
    assertThat(
        DB.column(
            "SELECT status || ' ' || (message LIKE '%no-such-landing%') FROM ops.pipeline_runs"
                + " WHERE run_date = '2025-04-03'"),
        containsInAnyOrder("failed true"));
  }

  @Test
  @Order(9)
  void aDateWithNoFolderForAnyEntityFailsTheRunNamingThePathsLookedAt() throws Exception {
    RunSummary s = run("2025-05-01");
    assertThat(s.status(), is("failed"));
    assertThat(s.exitCode(), is(1));
    assertThat(s.message(), containsString("no entity has a folder for dt=2025-05-01"));
    for (String entity : List.of("customers", "products", "channels", "sales", "traffic")) {
      assertThat(s.message(), containsString(LANDING + "/" + entity + "/dt=2025-05-01/"));
    }
  }

  @Test
  @Order(10)
  void theRunRecordHoldsBeamOptionsWithSecretsMasked() throws Exception {
    String secret = "sk-" + Long.toHexString(System.nanoTime());
    RunSummary s =
        run(
            "2025-03-31",
            "--targetParallelism=3",
            "--flinkMaster=flink.example:8081",
            "--parallelism=4",
            "--awsRegion=eu-west-3",
            "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\","
                + "\"accessKeyId\":\"AKIDC360TEST\",\"secretAccessKey\":\""
                + secret
                + "\"}");
    assertThat(s.message(), s.status(), is("succeeded"));
    assertThat(
        DB.column(
            "SELECT concat_ws(' ', options->>'runner', options->>'targetParallelism',"
                + " options->>'flinkMaster', options->>'parallelism', options->>'awsRegion',"
                + " options->>'awsCredentialsProvider', options->>'runDate') FROM"
                + " ops.pipeline_runs WHERE run_id = "
                + s.runId()),
        containsInAnyOrder(
            "org.apache.beam.runners.direct.DirectRunner 3 flink.example:8081 4 eu-west-3 ***"
                + " 2025-03-31"));
    assertThat(
        String.join("\n", DB.column("SELECT options::text FROM ops.pipeline_runs")),
        not(containsString(secret)));
  }

  @Test
  @Order(11)
  void aSnapshotKeepsACustomerWhoseRowWasQuarantinedAndDeletesTheAbsentOnes() throws Exception {
    // SPEC §3: C2's row is in the file but quarantined (type:email): present, not deleted. C1 is in
    // the file, unchanged. C9 is not in the file: its open version is closed by an is_deleted
    // version. Before, C2 was deleted too.
    Path landing = tmp.resolve("snapshot");
    Path customers = Files.createDirectories(landing.resolve("customers/dt=2025-04-04"));
    Files.writeString(
        customers.resolve("customers.csv"),
        String.join(
            "\n",
            "customer_id,account_id,name,email,city,country,segment,industry,created_date,updated_at",
            "C1,A1,Alice Smith,alice@example.com,Paris,FR,SMB,Retail,2024-01-01,2025-03-01T10:00:00",
            "C2,A2,Bob,not-an-email,Berlin,DE,Mid-Market,Finance,2024-02-01,2025-04-04T06:00:00Z",
            ""));
    List<String> before =
        DB.column("SELECT customer_id FROM dw.dim_customer WHERE is_current AND NOT is_deleted");
    assertThat(before, hasItems("C1", "C2", "C9"));
    RunSummary s =
        DailyRun.execute(
            DailyRun.options(
                "--runDate=2025-04-04",
                "--input=" + landing,
                "--jdbcUrl=" + DB.jdbcUrl(),
                "--customersMode=snapshot"),
            System.out);
    assertThat(s.message(), s.status(), is("succeeded"));
    assertCounts(s, "customers", 2, 1, 1, 0, 0);
    assertThat(
        DB.column(
            "SELECT (record->>'customer_id') || ' ' || rule FROM dq.rejected_rows WHERE run_id = "
                + s.runId()),
        containsInAnyOrder("C2 type:email"));
    assertThat(
        DB.column(
            "SELECT customer_id FROM dw.dim_customer WHERE is_deleted AND run_id = " + s.runId()),
        containsInAnyOrder(
            before.stream().filter(k -> !k.equals("C1") && !k.equals("C2")).toArray()));
    assertThat(
        DB.column(
            "SELECT customer_id || ' ' || segment FROM dw.dim_customer WHERE customer_id = 'C2'"
                + " AND is_current AND NOT is_deleted"),
        containsInAnyOrder("C2 Mid-Market"));
  }

  private static void assertCounts(
      RunSummary s,
      String entity,
      long read,
      long loaded,
      long quarantined,
      long dedup,
      long pending) {
    EntityCounts c = s.entities().get(entity);
    assertThat(
        entity + " " + c,
        List.of(c.read(), c.loaded(), c.quarantined(), c.deduplicated(), c.pending()),
        equalTo(List.of(read, loaded, quarantined, dedup, pending)));
  }

  private static String dumpWarehouse() throws Exception {
    List<String> all = new ArrayList<>();
    List<String> tables =
        new ArrayList<>(
            List.of(
                "dw.dim_customer",
                "dw.dim_product",
                "dw.dim_channel",
                "dw.fact_sales",
                "dw.fact_traffic",
                "dw.dim_date"));
    tables.addAll(
        DB.column(
            "SELECT 'mart.' || table_name FROM information_schema.tables WHERE table_schema ="
                + " 'mart' AND table_type = 'BASE TABLE' ORDER BY 1"));
    assertThat("every mart is compared", tables.size(), greaterThan(20));
    for (String t : tables) {
      all.add(t);
      all.addAll(DB.column("SELECT x::text FROM " + t + " x WHERE true ORDER BY 1"));
    }
    return String.join("\n", all);
  }
}
