package io.c360.pipelines.checks;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.c360.pipelines.daily.DailyRun;
import io.c360.pipelines.daily.InvalidOptionsException;
import io.c360.pipelines.daily.RunSummary;
import io.c360.transforms.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks declared in a file, on real runs against PostgreSQL (issue 15). Each kind is declared
 * twice in one file, with a threshold the day's landing stays just under (the check passes) and one
 * it is just over (the check fails): the failing rows are counted by hand from the files below.
 * Then an {@code error} check stops a run before the marts, and a day runs with a shop's own
 * category list.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChecksIT {
  @RegisterExtension static final TestDatabase DB = new TestDatabase();

  @TempDir static Path tmp;

  static final String SALES_HEADER =
      "transaction_id,order_id,customer_id,product_id,shop_id,quantity,unit_price,amount,status,"
          + "transaction_ts";

  /** The run id of day 1, whose results the boundary tests read. */
  static long dayOne;

  static Path landing() {
    return tmp.resolve("landing");
  }

  static void write(String entity, String day, String... lines) throws Exception {
    Path dir = landing().resolve(entity).resolve("dt=" + day);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("part-1.csv"), String.join("\n", lines) + "\n");
  }

  static Path checksFile(String name, String text) throws Exception {
    Path p = tmp.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  static String sale(String id, String customer, String product, String amount, String ts) {
    return String.join(
        ",", id, "O" + id, customer, product, "SH1", "1", amount, amount, "completed", ts);
  }

  private RunSummary run(ByteArrayOutputStream out, String date, String... extra) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--runDate=" + date,
                "--input=" + landing(),
                "--jdbcUrl=" + DB.jdbcUrl(),
                "--dbUser=postgres"));
    args.addAll(List.of(extra));
    PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
    return DailyRun.execute(DailyRun.options(args.toArray(new String[0])), ps);
  }

  /** status, failing rows and sample keys of one result of run {@code runId}. */
  static String result(long runId, String kind, String entity, String column, String threshold)
      throws Exception {
    List<String> r =
        DB.column(
            "SELECT status || ' ' || failing_rows || ' [' || array_to_string(sample_keys, ',')"
                + " || ']' FROM dq.check_results WHERE run_id = "
                + runId
                + " AND check_name = '"
                + kind
                + "' AND entity = '"
                + entity
                + "' AND column_name IS NOT DISTINCT FROM "
                + (column == null ? "NULL" : "'" + column + "'")
                + " AND threshold = '"
                + threshold
                + "'");
    assertThat(kind + " " + entity + "." + column + " " + threshold, r.size(), is(1));
    return r.get(0);
  }

  /** Every kind twice: a threshold the landing stays under, and one just below it. */
  static final String BOUNDARIES =
      """
      checks:
        # sales read 19: S01 three times (2 duplicates), S15 not_null, S16 accepted_values
        - {entity: sales, kind: reconciliation, severity: error}
        - {entity: sales, kind: quarantine_rate, severity: warn, threshold: 10.6%}
        - {entity: sales, kind: quarantine_rate, severity: warn, threshold: 10.5%}
        - {entity: sales, column: transaction_id, kind: unique, severity: warn, threshold: 10.6%}
        - {entity: sales, column: transaction_id, kind: unique, severity: warn, threshold: 10.5%}
        - {entity: sales, column: product_id, kind: not_null, severity: warn, threshold: 2}
        - {entity: sales, column: product_id, kind: not_null, severity: warn, threshold: 1}
        - {entity: sales, column: customer_id, kind: not_null, severity: warn, threshold: 1}
        - {entity: sales, column: customer_id, kind: not_null, severity: warn}
        - {entity: sales, column: status, kind: accepted_values, severity: warn, threshold: 1}
        - {entity: sales, column: status, kind: accepted_values, severity: warn}
        - {entity: sales, column: customer_id, kind: relationships, severity: warn, threshold: 1}
        - {entity: sales, column: customer_id, kind: relationships, severity: warn}
        # newest sale 2025-04-30 12:00Z, 36 hours before the end of 2025-05-01
        - {entity: sales, column: transaction_ts, kind: freshness, severity: warn, window: 36h}
        - {entity: sales, column: transaction_ts, kind: freshness, severity: warn, window: 35h}
        # newest customer change 2025-04-29 00:00Z, 72 hours before the end of the day
        - {entity: customers, column: updated_at, kind: freshness, severity: warn, window: 72h}
        - {entity: customers, column: updated_at, kind: freshness, severity: warn, window: 71h}
        # 15 amounts loaded or pending: 14 of 10, one of 1000 (S12)
        - {entity: sales, column: amount, kind: outliers_iqr, severity: warn, threshold: 1}
        - {entity: sales, column: amount, kind: outliers_iqr, severity: warn}
        - {entity: sales, column: amount, kind: outliers_zscore, severity: warn, threshold: 6.7%}
        - {entity: sales, column: amount, kind: outliers_zscore, severity: warn, threshold: 6.6%}
        - {entity: customers, kind: scd2_intervals, severity: error}
        - {entity: sales, kind: row_count_change, severity: warn, threshold: 50%}
      """;

  @Test
  @Order(1)
  void eachKindPassesJustUnderAndFailsJustOverItsThreshold() throws Exception {
    String day = "2025-05-01";
    write(
        "customers",
        day,
        "customer_id,account_id,name,email,city,country,segment,industry,created_date,updated_at",
        "C1,A1,Ann,ann@example.com,Paris,FR,SMB,Retail,2024-01-01,2025-04-28T00:00:00Z",
        "C2,A2,Bo,bo@example.com,Berlin,DE,Enterprise,Finance,2024-01-01,2025-04-29T00:00:00Z");
    write(
        "products",
        day,
        "product_id,product_name,category,brand,list_price,updated_at",
        "P1,Soap,Beauty,Acme,10.00,2025-04-28T00:00:00Z",
        "P2,Pan,Kitchen,Chef,10.00,2025-04-28T00:00:00Z");
    List<String> sales = new ArrayList<>(List.of(SALES_HEADER));
    for (int i = 1; i <= 11; i++) {
      String ts = i == 11 ? "2025-04-30T12:00:00Z" : "2025-04-30T10:00:00Z";
      sales.add(
          sale(String.format("S%02d", i), i % 2 == 0 ? "C2" : "C1", "P" + (1 + i % 2), "10", ts));
    }
    sales.add(sale("S12", "C2", "P2", "1000", "2025-04-30T09:00:00Z"));
    sales.add(sale("S13", "C1", "", "10", "2025-04-30T09:00:00Z"));
    sales.add(sale("S14", "C2", "", "10", "2025-04-30T09:00:00Z"));
    sales.add(sales.get(1)); // S01 landed three times
    sales.add(sales.get(1));
    sales.add(sale("S15", "", "P1", "10", "2025-04-30T09:00:00Z"));
    sales.add(
        sale("S16", "C1", "P1", "10", "2025-04-30T09:00:00Z").replace("completed", "shipped"));
    sales.add(sale("S17", "C9", "P1", "10", "2025-04-30T09:00:00Z"));
    write("sales", day, sales.toArray(new String[0]));

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RunSummary s = run(out, day, "--checks=" + checksFile("boundaries.yaml", BOUNDARIES));
    assertThat(s.message(), s.status(), is("succeeded"));
    long r = s.runId();
    dayOne = r;
    assertThat(s.entities().get("sales").read(), is(19L));
    assertThat(s.entities().get("sales").loaded(), is(14L));

    assertThat(result(r, "reconciliation", "sales", null, "0 rows"), is("pass 0 []"));
    assertThat(result(r, "quarantine_rate", "sales", null, "<= 10.6%"), is("pass 2 []"));
    assertThat(result(r, "quarantine_rate", "sales", null, "<= 10.5%"), is("warn 2 []"));
    assertThat(result(r, "unique", "sales", "transaction_id", "<= 10.6%"), is("pass 2 [S01]"));
    assertThat(result(r, "unique", "sales", "transaction_id", "<= 10.5%"), is("warn 2 [S01]"));
    assertThat(result(r, "not_null", "sales", "product_id", "<= 2 rows"), is("pass 2 [S13,S14]"));
    assertThat(result(r, "not_null", "sales", "product_id", "<= 1 rows"), is("warn 2 [S13,S14]"));
    assertThat(result(r, "not_null", "sales", "customer_id", "<= 1 rows"), is("pass 1 [S15]"));
    assertThat(result(r, "not_null", "sales", "customer_id", "0 rows"), is("warn 1 [S15]"));
    assertThat(result(r, "accepted_values", "sales", "status", "<= 1 rows"), is("pass 1 [S16]"));
    assertThat(result(r, "accepted_values", "sales", "status", "0 rows"), is("warn 1 [S16]"));
    assertThat(result(r, "relationships", "sales", "customer_id", "<= 1 rows"), is("pass 1 [S17]"));
    assertThat(result(r, "relationships", "sales", "customer_id", "0 rows"), is("warn 1 [S17]"));
    assertThat(
        result(r, "freshness", "sales", "transaction_ts", "newest within 36h"),
        is("pass 0 [2025-04-30 12:00:00+00]"));
    assertThat(
        result(r, "freshness", "sales", "transaction_ts", "newest within 35h"),
        is("warn 1 [2025-04-30 12:00:00+00]"));
    assertThat(
        result(r, "freshness", "customers", "updated_at", "newest within 72h"),
        is("pass 0 [2025-04-29 00:00:00+00]"));
    assertThat(
        result(r, "freshness", "customers", "updated_at", "newest within 71h"),
        is("warn 1 [2025-04-29 00:00:00+00]"));
    assertThat(result(r, "outliers_iqr", "sales", "amount", "<= 1 rows"), is("pass 1 [S12]"));
    assertThat(result(r, "outliers_iqr", "sales", "amount", "0 rows"), is("warn 1 [S12]"));
    assertThat(result(r, "outliers_zscore", "sales", "amount", "<= 6.7%"), is("pass 1 [S12]"));
    assertThat(result(r, "outliers_zscore", "sales", "amount", "<= 6.6%"), is("warn 1 [S12]"));
    assertThat(result(r, "scd2_intervals", "customers", null, "0 rows"), is("pass 0 []"));
    // the first run has nothing to compare with
    assertThat(result(r, "row_count_change", "sales", null, "<= 50%"), is("pass 0 []"));
    assertThat(
        DB.column(
            "SELECT checked_rows FROM dq.check_results WHERE run_id = "
                + r
                + " AND check_name = 'unique'"),
        equalTo(List.of("19", "19")));

    // warnings are in the run summary, with count and sample keys
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(printed, containsString("checks: 13 passed, 10 warned, 0 failed"));
    assertThat(
        printed,
        containsString(
            "warn unique sales.transaction_id: 2 failing of 19 (threshold <= 10.5%), e.g. S01"));
  }

  @Test
  @Order(2)
  void reconciliationAndScd2IntervalsFailOnBrokenCounts() throws Exception {
    CheckFile f =
        CheckFile.parse(
            "checks:\n"
                + "  - {entity: sales, kind: reconciliation, severity: error}\n"
                + "  - {entity: customers, kind: scd2_intervals, severity: error}\n",
            "broken.yaml");
    Instant dayEnd = Instant.parse("2025-05-02T00:00:00Z");
    try (Connection c = DB.open()) {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        // a version of C1 that ends two years before the next begins: a gap
        st.executeUpdate(
            "INSERT INTO dw.dim_customer (customer_id, name, row_hash, valid_from, valid_to,"
                + " is_current, run_id) VALUES ('C1', 'Ann', 'x', '2020-01-01', '2023-01-01',"
                + " false, 0)");
      }
      // read 19 = 14 + 2 + 2 + 1 reconciles; one row fewer loaded does not
      Outcome ok =
          CheckRunner.run(
              c,
              f,
              900_001,
              dayEnd,
              Map.of("sales", new EntityLoad("sales", true, 19, 14, 2, 2, 1)));
      Outcome broken =
          CheckRunner.run(
              c,
              f,
              900_002,
              dayEnd,
              Map.of("sales", new EntityLoad("sales", true, 19, 13, 2, 2, 1)));
      assertThat(ok.failed(), is(1)); // the intervals, whatever the counts
      assertThat(broken.failed(), is(2));
      assertThat(
          TestDatabase.column(
              c,
              "SELECT run_id || ' ' || check_name || ' ' || status || ' ' || failing_rows || ' '"
                  + " || array_to_string(sample_keys, ',') FROM dq.check_results WHERE run_id >"
                  + " 900000 ORDER BY 1"),
          equalTo(
              List.of(
                  "900001 reconciliation pass 0 ",
                  "900001 scd2_intervals fail 1 C1",
                  "900002 reconciliation fail 1 ",
                  "900002 scd2_intervals fail 1 C1")));
      assertThat(
          broken.firstErrorMessage(),
          containsString(
              "reconciliation sales: 1 failing of 19 (threshold 0 rows), read 19 = loaded 13"));
      c.rollback();
    }
    // without the gap the history passes
    try (Connection c = DB.open()) {
      Outcome o = CheckRunner.run(c, f, 900_003, dayEnd, Map.of());
      assertThat(o.failed(), is(0));
      assertThat(o.passed(), is(1));
    }
  }

  @Test
  @Order(3)
  void anErrorCheckStopsTheRunBeforeTheMartsAndKeepsThePreviousOnes() throws Exception {
    String day = "2025-05-02";
    List<String> sales = new ArrayList<>(List.of(SALES_HEADER));
    for (int i = 20; i <= 26; i++) {
      sales.add(sale("S" + i, "C1", "P1", "10", "2025-05-01T10:00:00Z"));
    }
    sales.add(sales.get(1)); // S20 twice
    write("sales", day, sales.toArray(new String[0]));
    String ytd =
        "SELECT ytd_spending FROM mart.customer_ytd_spending WHERE as_of = '2025-05-01' AND"
            + " customer_id = 'C1'";
    List<String> before = DB.column(ytd);
    assertThat(before, equalTo(List.of("70.0000"))); // S01, S03 … S11 (P2) and S13

    Path stop =
        checksFile(
            "stop.yaml",
            """
            checks:
              # 7 loaded against day 1's 14
              - {entity: sales, kind: row_count_change, severity: warn, threshold: 50%}
              - {entity: sales, kind: row_count_change, severity: warn, threshold: 49%}
              - {entity: sales, column: transaction_id, kind: unique, severity: error}
            """);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RunSummary s = run(out, day, "--asOf=2025-05-01", "--checks=" + stop);
    assertThat(s.status(), is("failed"));
    assertThat(s.exitCode(), not(is(0)));
    assertThat(
        s.message(),
        containsString(
            "data-quality check failed, marts not replaced: unique sales.transaction_id: 1 failing"
                + " of 8 (threshold 0 rows), e.g. S20"));
    long r = s.runId();
    assertThat(result(r, "unique", "sales", "transaction_id", "0 rows"), is("fail 1 [S20]"));
    assertThat(
        result(r, "row_count_change", "sales", null, "<= 50%"),
        is("pass 7 [loaded 7,previous 14]"));
    assertThat(
        result(r, "row_count_change", "sales", null, "<= 49%"),
        is("warn 7 [loaded 7,previous 14]"));
    // the sales loaded, but the marts of asOf are those of day 1
    assertThat(
        DB.column("SELECT count(*) FROM dw.fact_sales WHERE transaction_id = 'S20'"),
        equalTo(List.of("1")));
    assertThat(DB.column(ytd), equalTo(before));
    assertThat(
        DB.column("SELECT status FROM ops.pipeline_runs WHERE run_id = " + r),
        equalTo(List.of("failed")));

    // with the defaults the duplicate only warns: the run replaces the marts
    ByteArrayOutputStream again = new ByteArrayOutputStream();
    RunSummary ok = run(again, day, "--asOf=2025-05-01");
    assertThat(ok.message(), ok.status(), is("succeeded"));
    assertThat(DB.column(ytd), equalTo(List.of("140.0000")));
    assertThat(
        again.toString(StandardCharsets.UTF_8),
        containsString("warn unique sales.transaction_id: 1 failing of 8 (threshold <= 2%)"));
  }

  @Test
  @Order(4)
  void aShopWithItsOwnCategoriesRunsAndCustomer360FollowsThem() throws Exception {
    String day = "2025-05-03";
    write(
        "products",
        day,
        "product_id,product_name,category,brand,list_price,updated_at",
        "P10,Robot,Toys,Acme,10.00,2025-05-02T00:00:00Z",
        "P11,Rake, garden ,Acme,20.00,2025-05-02T00:00:00Z",
        "P12,Lipstick,Beauty,Acme,5.00,2025-05-02T00:00:00Z");
    write(
        "sales",
        day,
        SALES_HEADER,
        sale("S30", "C1", "P10", "10", "2025-05-03T08:00:00Z"),
        sale("S31", "C1", "P11", "20", "2025-05-03T08:00:00Z"));
    Path shop =
        checksFile(
            "shop.yaml",
            """
            accepted_values:
              category: [Toys, Garden]
            checks:
              - {entity: products, column: category, kind: accepted_values, severity: warn}
            """);
    RunSummary s = run(new ByteArrayOutputStream(), day, "--checks=" + shop);
    assertThat(s.message(), s.status(), is("succeeded"));
    long r = s.runId();

    assertThat(
        DB.column(
            "SELECT record->>'product_id' || ' ' || rule FROM dq.rejected_rows WHERE run_id = "
                + r),
        equalTo(List.of("P12 accepted_values:category")));
    assertThat(
        DB.column(
            "SELECT product_id || ' ' || category FROM dw.dim_product WHERE run_id = "
                + r
                + " ORDER BY 1"),
        equalTo(List.of("P10 Toys", "P11 Garden")));
    assertThat(result(r, "accepted_values", "products", "category", "0 rows"), is("warn 1 [P12]"));
    // C1 bought Beauty (P1) on day 2, but this shop's list has no Beauty: its amounts are Toys,
    // Garden
    assertThat(
        DB.column(
            "SELECT (SELECT string_agg(k || '=' || (category_amounts->>k), ',' ORDER BY k) FROM"
                + " jsonb_object_keys(category_amounts) k) || ' ' || beauty_amount FROM"
                + " mart.customer_360 WHERE as_of = '2025-05-03' AND customer_id = 'C1'"),
        equalTo(List.of("Garden=20.0000,Toys=10.0000 0.0000")));
    // the day-1 marts had the SPEC's list
    assertThat(
        DB.column(
            "SELECT beauty_amount || ' ' || (category_amounts->>'Beauty') FROM mart.customer_360"
                + " WHERE as_of = '2025-05-01' AND customer_id = 'C1'"),
        equalTo(List.of("70.0000 70.0000")));
  }

  @Test
  @Order(5)
  void aBadChecksFileStopsTheRunBeforeAnythingStarts() throws Exception {
    Path bad =
        checksFile(
            "bad.yaml",
            "checks:\n  - entity: sales\n    column: amount\n    kind: outliers\n"
                + "    severity: warn\n");
    long runs = Long.parseLong(DB.column("SELECT count(*) FROM ops.pipeline_runs").get(0));
    InvalidOptionsException e =
        assertThrows(
            InvalidOptionsException.class,
            () -> run(new ByteArrayOutputStream(), "2025-05-03", "--checks=" + bad));
    assertThat(e.getMessage(), containsString("--checks: " + bad + ":4: kind: 'outliers'"));
    assertThat(
        DB.column("SELECT count(*) FROM ops.pipeline_runs"),
        equalTo(List.of(String.valueOf(runs))));
  }
}
