package io.c360.pipelines.db;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.c360.pipelines.cli.C360;
import io.c360.pipelines.daily.DailyRun;
import io.c360.pipelines.testing.RunnerComparison;
import io.c360.pipelines.testing.WarehouseSnapshot;
import io.c360.transforms.jdbc.PgConnection;
import io.c360.transforms.testing.TestDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * SPEC §6 with real login users: migrations run as the owner of the schemas, daily runs, a backfill
 * and the demo's queries as a login user that holds only c360_writer, and each role can do what it
 * is for and nothing else.
 *
 * <p>A PostgreSQL server of its own (the same embedded binaries as {@link TestDatabase}): roles
 * belong to the whole cluster, and the first test needs a cluster where the c360 roles do not exist
 * yet.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RolesIT {
  static final Path LANDING = Path.of("src/test/resources/landing").toAbsolutePath();
  static final Path ROLES_SCRIPT = Path.of("../deploy/postgres/roles.sql").toAbsolutePath();

  /** The warehouse the owner migrates and the writer runs; the superuser's, for comparison. */
  static final String WAREHOUSE = "c360";

  static final String REFERENCE = "c360_reference";

  static EmbeddedPostgres server;

  @BeforeAll
  static void start() throws Exception {
    server = EmbeddedPostgres.builder().start();
    // The owner as an administrator would create it: may log in and owns the database, nothing
    // more (no CREATEROLE, no superuser).
    try (Connection c = as("postgres", "postgres");
        Statement st = c.createStatement()) {
      st.execute("CREATE ROLE c360_owner LOGIN");
      st.execute("CREATE DATABASE " + WAREHOUSE + " OWNER c360_owner");
      st.execute("CREATE DATABASE " + REFERENCE);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  @Order(1)
  void aMigrationThatCannotCreateTheRolesFailsAndIsNotRecorded() throws Exception {
    String failure = messages(assertThrows(Exception.class, () -> Migrations.migrate(owner())));
    assertThat(failure, containsString("role c360_writer does not exist"));
    assertThat(failure, containsString("deploy/postgres/roles.sql"));
    try (Connection c = as("c360_owner", WAREHOUSE)) {
      assertThat(
          TestDatabase.column(
              c, "SELECT version FROM ops.flyway_schema_history WHERE version = '60'"),
          empty());
      assertThat(
          TestDatabase.column(c, "SELECT version FROM ops.flyway_schema_history WHERE NOT success"),
          empty());
      assertThat(
          TestDatabase.column(c, "SELECT rolname FROM pg_roles WHERE rolname LIKE 'c360\\_%'"),
          equalTo(List.of("c360_owner")));
    }
  }

  @Test
  @Order(2)
  void afterTheDocumentedSetupScriptTheOwnerMigrates() throws Exception {
    String script = Files.readString(ROLES_SCRIPT, StandardCharsets.UTF_8);
    for (int i = 0; i < 2; i++) { // re-running the script changes nothing
      try (Connection c = as("postgres", "postgres");
          Statement st = c.createStatement()) {
        st.execute(script);
      }
    }
    Migrations.migrate(owner());
    try (Connection c = as("c360_owner", WAREHOUSE)) {
      assertThat(
          TestDatabase.column(
              c, "SELECT version FROM ops.flyway_schema_history WHERE version = '60' AND success"),
          equalTo(List.of("60")));
      assertThat(
          "the owner is an ordinary user",
          TestDatabase.column(
              c, "SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user"),
          equalTo(List.of("f")));
      // The run user holds c360_writer and nothing else.
      assertThat(
          TestDatabase.column(
              c,
              "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid"
                  + " WHERE m.member = 'c360_run'::regrole"),
          equalTo(List.of("c360_writer")));
      assertThat(
          TestDatabase.column(
              c,
              "SELECT rolsuper OR pg_has_role('c360_run', 'c360_owner', 'MEMBER')"
                  + " FROM pg_roles WHERE rolname = 'c360_run'"),
          equalTo(List.of("f")));
    }
  }

  @Test
  @Order(3)
  void aRunABackfillAndTheDemoQueriesWorkAsTheWriterLoginAndChangeNothing() throws Exception {
    // The writer login: day one with `run`, day two with `backfill`.
    assertThat(
        cli(
            "run",
            "--runDate=2025-03-30",
            "--input=" + LANDING,
            "--jdbcUrl=" + url(WAREHOUSE),
            "--dbUser=c360_run"),
        is(0));
    assertThat(
        cli(
            "backfill",
            "--from=2025-03-31",
            "--to=2025-03-31",
            "--input=" + LANDING,
            "--jdbcUrl=" + url(WAREHOUSE),
            "--dbUser=c360_run"),
        is(0));
    // The same two days as the superuser, as every other test runs them.
    assertThat(
        cli(
            "backfill",
            "--from=2025-03-30",
            "--to=2025-03-31",
            "--input=" + LANDING,
            "--jdbcUrl=" + url(REFERENCE),
            "--dbUser=postgres"),
        is(0));

    try (Connection w = as("c360_owner", WAREHOUSE);
        Connection r = as("postgres", REFERENCE)) {
      assertThat(
          TestDatabase.column(w, "SELECT status FROM ops.pipeline_runs ORDER BY run_id"),
          equalTo(List.of("succeeded", "succeeded")));
      assertThat(
          "partitions come from the owner's function",
          TestDatabase.column(
              w,
              "SELECT DISTINCT pg_get_userbyid(c.relowner) FROM pg_inherits i"
                  + " JOIN pg_class c ON c.oid = i.inhrelid"
                  + " WHERE i.inhparent = 'dw.fact_sales'::regclass"),
          equalTo(List.of("c360_owner")));
      Set<String> surrogates = Set.of("customer_sk", "product_sk");
      var asWriter = WarehouseSnapshot.of(w, surrogates, RunnerComparison.COMPARED_SCHEMAS);
      var asSuperuser = WarehouseSnapshot.of(r, surrogates, RunnerComparison.COMPARED_SCHEMAS);
      assertThat(asWriter.keySet(), equalTo(asSuperuser.keySet()));
      for (String table : asSuperuser.keySet()) {
        assertThat(table, asWriter.get(table), equalTo(asSuperuser.get(table)));
      }
      assertThat(asWriter.get("mart.customer_360"), not(empty()));
    }

    // README: the demo's two queries.
    String out =
        captured(
            () ->
                cli(
                    "query",
                    "--jdbcUrl=" + url(WAREHOUSE),
                    "--dbUser=c360_run",
                    "select count(*) from dw.fact_sales"));
    assertThat(out, containsString("(1 row)"));
    out =
        captured(
            () ->
                cli(
                    "query",
                    "--jdbcUrl=" + url(WAREHOUSE),
                    "--dbUser=c360_run",
                    "select run_id, run_date, status, entity_counts from ops.pipeline_runs"
                        + " order by run_id"));
    assertThat(out, containsString("succeeded"));
    assertThat(out, containsString("(2 rows)"));
  }

  @Test
  @Order(4)
  void everyMartHasAShareViewWithoutDirectPii() throws Exception {
    try (Connection c = as("c360_owner", WAREHOUSE)) {
      List<String> marts =
          TestDatabase.column(
              c,
              "SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'mart'::regnamespace"
                  + " AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1");
      List<String> shared =
          TestDatabase.column(
              c,
              "SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'share'::regnamespace"
                  + " AND c.relkind = 'v' ORDER BY 1");
      // SPEC §8's warehouse tables are shared too (sql/V65, V66), under their own names
      List<String> sharedTables = List.of("dim_campaign", "fact_inventory", "fact_web_events");
      assertThat(
          TestDatabase.column(
              c,
              "SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'dw'::regnamespace AND"
                  + " c.relname IN ('dim_campaign', 'fact_inventory', 'fact_web_events') ORDER"
                  + " BY 1"),
          equalTo(sharedTables));
      List<String> expected = new java.util.ArrayList<>(marts);
      expected.addAll(sharedTables);
      java.util.Collections.sort(expected);
      assertThat(marts, hasItem("customer_360"));
      assertThat(
          "one share view per mart and shared dw table, same name", shared, equalTo(expected));
      assertThat(
          TestDatabase.column(
              c,
              "SELECT table_name || '.' || column_name FROM information_schema.columns"
                  + " WHERE table_schema = 'share' AND column_name IN"
                  + " ('customer_id', 'name', 'email', 'account_id', 'transaction_id',"
                  + " 'session_id', 'event_id', 'customer_sk', 'product_sk')"),
          empty());
    }
  }

  @Test
  @Order(5)
  void thePartnerReadsShareOnlyAndCannotHashAValueOfItsChoosing() throws Exception {
    String c1;
    try (Connection owner = as("c360_owner", WAREHOUSE)) {
      c1 = TestDatabase.column(owner, "SELECT share.keyed_hash('C1')").get(0);
    }
    try (Connection c = as("c360_partner_acme", WAREHOUSE)) {
      for (String view :
          TestDatabase.column(
              c,
              "SELECT quote_ident(table_name) FROM information_schema.views"
                  + " WHERE table_schema = 'share'")) {
        TestDatabase.column(c, "SELECT count(*) FROM share." + view);
      }
      List<String> keys =
          TestDatabase.column(c, "SELECT customer_key FROM share.customer_360 ORDER BY 1");
      assertThat(keys, not(empty()));
      assertThat(keys, everyItem(matchesPattern("[0-9a-f]{64}")));
      assertThat("the views hash with the owner's key", keys, hasItem(c1));
      assertThat(
          TestDatabase.column(c, "SELECT email_masked FROM share.customer_360"),
          hasItem("a***@example.com"));

      denied(c, "SELECT share.keyed_hash('C1')");
      denied(c, "SELECT key FROM ops.share_key");
      denied(c, "SELECT ops.set_share_key('a key the partner knows', true)");
      denied(c, "SELECT * FROM mart.customer_360");
      denied(c, "SELECT * FROM dw.dim_customer");
      denied(c, "SELECT * FROM dq.rejected_rows");
      denied(c, "SELECT * FROM ops.pipeline_runs");
      // A plain SELECT * view is updatable: only the missing privilege stops a write-through.
      denied(c, "DELETE FROM share.industry_exposure");
      denied(c, "CREATE VIEW share.mine AS SELECT 1");
    }
  }

  @Test
  @Order(6)
  void theReaderReadsButCannotWrite() throws Exception {
    try (Connection c = as("c360_bi", WAREHOUSE)) {
      assertThat(
          TestDatabase.column(c, "SELECT count(*) > 0 FROM mart.customer_360"),
          equalTo(List.of("t")));
      TestDatabase.column(c, "SELECT count(*) FROM dw.fact_sales");
      TestDatabase.column(c, "SELECT count(*) FROM dq.check_results");
      TestDatabase.column(c, "SELECT count(*) FROM share.customer_360");

      denied(c, "INSERT INTO mart.top_customers VALUES ('2025-01-01', 1, 'X', 1)");
      denied(c, "UPDATE mart.top_customers SET revenue = 0");
      denied(c, "DELETE FROM dw.fact_sales");
      denied(c, "TRUNCATE mart.daily_sales");
      denied(c, "SELECT dw.ensure_sales_partition('2031-01-15')");
      denied(c, "SELECT share.keyed_hash('C1')");
      denied(c, "SELECT key FROM ops.share_key");
      denied(c, "SELECT * FROM raw.sales");
      denied(c, "CREATE TABLE mart.mine (x int)");
    }
  }

  @Test
  @Order(7)
  void theWriterKeepsTheKeyWithoutReadingItAndOwnsNothing() throws Exception {
    try (Connection c = as("c360_run", WAREHOUSE)) {
      denied(c, "SELECT key FROM ops.share_key");
      denied(c, "SELECT share.keyed_hash('C1')");
      denied(c, "SELECT * FROM share.customer_360");
      denied(c, "CREATE TABLE dw.mine (x int)");
      denied(c, "ALTER TABLE dw.fact_sales ADD COLUMN mine int");
      denied(c, "DELETE FROM ops.flyway_schema_history");
      // What a run needs, through the owner's functions.
      TestDatabase.column(c, "SELECT dw.ensure_sales_partition('2031-01-15')");
      TestDatabase.column(c, "SELECT staging.analyze_table('sales')");
      TestDatabase.column(c, "SELECT ops.set_share_key('ignored: a key is stored', false)");
    }
    try (Connection c = as("c360_owner", WAREHOUSE)) {
      assertThat(
          TestDatabase.column(
              c,
              "SELECT pg_get_userbyid(relowner) FROM pg_class"
                  + " WHERE oid = 'dw.fact_sales_203101'::regclass"),
          equalTo(List.of("c360_owner")));
      assertThat(
          TestDatabase.column(c, "SELECT count(*) FROM ops.share_key WHERE key LIKE 'ignored%'"),
          equalTo(List.of("0")));
    }
  }

  @Test
  @Order(8)
  void aWarehouseBehindTheCodeStopsTheWritersRunAndMigratesForwardAsTheOwner() throws Exception {
    // A warehouse migrated up to V50 by its owner (with the groups in place, as V5 then granted).
    try (Connection c = as("postgres", "postgres");
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE c360_behind OWNER c360_owner");
    }
    PgConnection behind = PgConnection.of(url("c360_behind"), "c360_owner", null);
    Migrations.migrate(behind, MigrationVersion.fromVersion("50"));

    Exception e =
        assertThrows(
            Exception.class,
            () ->
                DailyRun.execute(
                    DailyRun.options(
                        "--runDate=2025-03-30",
                        "--input=" + LANDING,
                        "--jdbcUrl=" + url("c360_behind"),
                        "--dbUser=c360_run"),
                    System.out));
    assertThat(e.getMessage(), containsString("V60"));
    assertThat(e.getMessage(), containsString("] as user c360_run failed"));
    assertThat(e.getMessage(), containsString("c360 migrate --dbUser=<owner>"));

    Migrations.migrate(behind);
    try (Connection c = behind.open()) {
      assertThat(
          TestDatabase.column(
              c, "SELECT version FROM ops.flyway_schema_history WHERE version = '60' AND success"),
          equalTo(List.of("60")));
      assertThat(
          "no run was recorded",
          TestDatabase.column(c, "SELECT 1 FROM ops.pipeline_runs"),
          empty());
    }
  }

  /** Every message of an exception chain (the CLI prints them the same way). */
  private static String messages(Throwable t) {
    StringBuilder out = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      out.append(c.getMessage()).append('\n');
    }
    return out.toString();
  }

  private static void denied(Connection c, String sql) {
    SQLException e = assertThrows(SQLException.class, () -> TestDatabase.column(c, sql), sql);
    assertThat(
        sql,
        e.getMessage(),
        anyOf(containsString("permission denied"), containsString("must be owner")));
  }

  private static PgConnection owner() {
    return PgConnection.of(url(WAREHOUSE), "c360_owner", null);
  }

  private static Connection as(String user, String database) throws SQLException {
    return PgConnection.of(url(database), user, null).open();
  }

  private static String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + server.getPort() + "/" + database;
  }

  private static int cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    return C360.commandLine().execute(all.toArray(new String[0]));
  }

  private interface Command {
    int run() throws Exception;
  }

  /** What a command prints on standard output (the query command prints there). */
  private static String captured(Command command) throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream old = System.out;
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      assertThat(command.run(), is(0));
    } finally {
      System.setOut(old);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }
}
