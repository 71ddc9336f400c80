package io.c360.pipelines.daily;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.c360.pipelines.db.LocalPostgres;
import io.c360.pipelines.generate.Generator;
import io.c360.pipelines.generate.GeneratorConfig;
import io.c360.pipelines.testing.MartReader;
import io.c360.pipelines.testing.StatementStall;
import io.c360.pipelines.testing.WarehouseChecksum;
import io.c360.transforms.testing.TestDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Faults during a run, against the real PostgreSQL (issue 14, point 3): a backend terminated in
 * each write stage, the c360 JVM killed with SIGKILL, PostgreSQL restarted, two runs at once, and a
 * BI reader during a run. After every fault the run fails with a clear message and a re-run of the
 * same date converges to exactly the warehouse of a run that was never disturbed ({@link
 * WarehouseChecksum}: every dw, mart and kpi table, pending rows, the last run's rejects and check
 * results); a reader never sees a mart mixed from two runs.
 *
 * <p>Day 1 of a small generated landing zone is loaded once; each fault runs day 2 in its own copy
 * of that database ({@code CREATE DATABASE ... TEMPLATE}), and the reference is day 2 (and day 3)
 * run undisturbed in another copy. A fault lands inside its stage by {@link StatementStall}: the
 * stage's statement is held on a table lock until the fault has struck.
 */
class FaultsIT {
  @RegisterExtension static final TestDatabase DB = new TestDatabase();

  static final LocalDate DAY1 = LocalDate.of(2026, 2, 26);
  static final LocalDate DAY2 = DAY1.plusDays(1);
  static final LocalDate DAY3 = DAY1.plusDays(2);
  static final Duration FAULT_WITHIN = Duration.ofMinutes(3);

  /** How long a fault that has struck may take to report it (the watcher thread's last steps). */
  static final Duration SETTLE = Duration.ofSeconds(30);

  private static final AtomicInteger COPIES = new AtomicInteger();
  private static final List<String> copies = new ArrayList<>();

  @TempDir static Path landing;
  @TempDir static Path tmp;

  static Map<String, List<List<String>>> afterDay2;
  static Map<String, List<List<String>>> afterDay3;

  /** A write stage of a run and the statement of it that a fault catches. */
  enum WriteStage {
    /** The COPY of sales into staging: its INSERT from the copied buffer, same transaction. */
    STAGING("staging.sales", "INSERT INTO staging.sales"),
    /** The SCD2 merge commit, after its dimension rows are rewritten: re-pointing the facts. */
    SCD2_COMMIT("dw.fact_sales", "UPDATE dw.fact_sales"),
    /**
     * The fact load's transaction, at its first write to dw.fact_sales (partitions, moves, upsert).
     */
    FACT_LOAD("dw.fact_sales", "c360_sales_keyed"),
    /** kpi.fold(), consuming the change log into the KPI state. */
    KPI_FOLD("kpi.customer_total", "kpi.fold()"),
    /** The mart replace transaction, after the marts before top_customers were replaced. */
    MART_REPLACE("mart.top_customers", "DELETE FROM mart.top_customers");

    final String table;
    final String statement;

    WriteStage(String table, String statement) {
      this.table = table;
      this.statement = statement;
    }
  }

  @BeforeAll
  static void loadDayOneAndTheUndisturbedReference() throws Exception {
    Generator.generate(
        GeneratorConfig.builder(landing)
            .scale(0.0005)
            .days(3)
            .historyDays(10)
            .start(DAY1)
            .seed(14)
            .build());
    succeeded(run(DB.jdbcUrl(), DAY1));
    String reference = copyOfDayOne();
    succeeded(run(reference, DAY2));
    afterDay2 = checksum(reference);
    succeeded(run(reference, DAY3));
    afterDay3 = checksum(reference);
    assertThat("day 3 changes the warehouse", afterDay3, not(equalTo(afterDay2)));
  }

  @AfterAll
  static void dropCopies() throws Exception {
    try (Connection c = admin();
        Statement st = c.createStatement()) {
      for (String db : copies) {
        st.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(WriteStage.class)
  void aBackendTerminatedInEachWriteStageFailsTheRunAndARerunConverges(WriteStage stage)
      throws Exception {
    String url = copyOfDayOne();
    RunSummary failed;
    List<Map<String, List<String>>> seen;
    try (StatementStall stall =
            StatementStall.on(url, stage.table, stage.statement, StatementStall.terminate(url));
        MartReader reader = MartReader.start(url, DAY2)) {
      failed = run(url, DAY2);
      stall.awaitFault(SETTLE);
      seen = reader.stop();
    }
    assertThat(failed.status(), is("failed"));
    assertThat(
        failed.message(), containsString("terminating connection due to administrator command"));
    assertThat(
        column(
            url,
            "SELECT status || ': ' || message FROM ops.pipeline_runs WHERE run_date = '"
                + DAY2
                + "'"),
        contains(startsWith("failed: ")));
    // the killed run replaced no mart: a reader saw none for day 2 all along
    assertThat(seen, hasSize(1));
    assertThat(seen.get(0).values(), everyItem(equalTo(List.<String>of())));

    succeeded(run(url, DAY2));
    assertThat(checksum(url), equalTo(afterDay2));
  }

  @Test
  void aReaderSeesEveryMartWhollyOldOrWhollyNew() throws Exception {
    String url = copyOfDayOne();
    Map<String, List<String>> before;
    try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
      before = MartReader.marts(c, DAY1);
    }
    List<Map<String, List<String>>> seen;
    // day 2 brings sales older than day 1 (history slices): the marts as of day 1 change. The
    // replace is held with some marts already rewritten while the reader reads.
    try (MartReader reader = MartReader.start(url, DAY1);
        StatementStall stall =
            StatementStall.on(
                url,
                WriteStage.MART_REPLACE.table,
                WriteStage.MART_REPLACE.statement,
                (pid, query) -> {
                  long reads = reader.reads();
                  while (reader.reads() < reads + 5) {
                    Thread.sleep(10);
                  }
                })) {
      succeeded(run(url, DAY2, "--asOf=" + DAY1));
      stall.awaitFault(SETTLE);
      seen = reader.stop();
    }
    Map<String, List<String>> after;
    try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
      after = MartReader.marts(c, DAY1);
    }
    assertThat("the run changes the marts as of day 1", after, not(equalTo(before)));
    assertThat(before.get("customer_360").size(), greaterThan(0));
    // read while the replace was under way, and the new version once it committed: nothing else
    assertThat(seen, contains(before, after));
  }

  @Test
  void twoRunsOfTheSameDateAtOnceQueueAndEqualTheSequentialRuns() throws Exception {
    String url = copyOfDayOne();
    assertThat(runWhileAnotherWaits(url, DAY2, DAY2), contains("succeeded", "succeeded"));
    assertThat(checksum(url), equalTo(afterDay2));
  }

  @Test
  void twoRunsOfDifferentDatesAtOnceQueueAndEqualTheSequentialRuns() throws Exception {
    String url = copyOfDayOne();
    assertThat(runWhileAnotherWaits(url, DAY2, DAY3), contains("succeeded", "succeeded"));
    assertThat(checksum(url), equalTo(afterDay3));
  }

  @Test
  void aSecondRunWithoutWaitingFailsAtOnceNamingTheHolderAndChangesNothing() throws Exception {
    String url = copyOfDayOne();
    AtomicReference<Exception> refused = new AtomicReference<>();
    try (StatementStall stall =
        StatementStall.on(
            url,
            WriteStage.FACT_LOAD.table,
            WriteStage.FACT_LOAD.statement,
            (pid, query) -> refused.set(assertThrows(Exception.class, () -> run(url, DAY2))))) {
      succeeded(run(url, DAY2));
      stall.awaitFault(SETTLE);
    }
    long holder = Long.parseLong(lastRunId(url));
    assertThat(
        refused.get().getMessage(),
        containsString("the warehouse is locked by run " + holder + " (runDate " + DAY2));
    assertThat(refused.get().getMessage(), containsString("--waitForLock=true"));
    assertThat(checksum(url), equalTo(afterDay2));
  }

  @ParameterizedTest
  @EnumSource(
      value = WriteStage.class,
      names = {"SCD2_COMMIT", "MART_REPLACE"})
  void theJvmKilledInAWriteStageLeavesARunTheNextRunClosesAndARerunConverges(WriteStage stage)
      throws Exception {
    String url = copyOfDayOne();
    Path log = tmp.resolve("killed-" + stage + ".log");
    Process jvm =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-cp",
                System.getProperty(
                    "surefire.test.class.path", System.getProperty("java.class.path")),
                "io.c360.pipelines.cli.C360",
                "run",
                "--runDate=" + DAY2,
                "--input=" + landing,
                "--jdbcUrl=" + url,
                "--dbUser=postgres")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try (StatementStall stall =
        StatementStall.on(
            url,
            stage.table,
            stage.statement,
            (pid, query) -> {
              jvm.destroyForcibly(); // SIGKILL: no shutdown hook, no finally, no run record
              jvm.waitFor();
            })) {
      try {
        stall.awaitFault(FAULT_WITHIN);
      } catch (TimeoutException e) {
        throw new AssertionError(
            "never caught in " + stage + "; the child's output: " + Files.readString(log), e);
      }
    } finally {
      jvm.destroyForcibly();
    }
    assertThat(jvm.waitFor(), is(137));
    String killed = lastRunId(url);
    assertThat(runStatus(url, killed), is("running")); // nobody could record its end

    succeeded(run(url, DAY2));
    assertThat(
        runStatus(url, killed),
        equalTo("failed: abandoned: its process ended without recording an outcome"));
    assertThat(checksum(url), equalTo(afterDay2));
  }

  @Test
  void aRunWhoseLockSessionIsTerminatedStopsBeforeItsNextStageAndARerunConverges()
      throws Exception {
    String url = copyOfDayOne();
    RunSummary failed;
    try (StatementStall stall =
        StatementStall.on(
            url,
            WriteStage.FACT_LOAD.table,
            WriteStage.FACT_LOAD.statement,
            (pid, query) -> {
              String holder =
                  column(
                          url,
                          "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND"
                              + " ((classid::bigint << 32) | objid::bigint) = "
                              + RunRecorder.LOCK_KEY)
                      .get(0);
              StatementStall.terminate(url).hit(Integer.parseInt(holder), "the lock session");
            })) {
      failed = run(url, DAY2);
      stall.awaitFault(SETTLE);
    }
    assertThat(failed.status(), is("failed"));
    assertThat(
        failed.message(), containsString("the warehouse lock was lost before the checks stage"));
    assertThat(runStatus(url, lastRunId(url)), startsWith("failed: "));
    succeeded(run(url, DAY2));
    assertThat(checksum(url), equalTo(afterDay2));
  }

  @Test
  void postgresRestartedMidRunFailsTheRunAndARerunConverges() throws Exception {
    Path dataDir = tmp.resolve("restarted-pg");
    int port = freePort();
    AtomicReference<LocalPostgres> pg = new AtomicReference<>(LocalPostgres.start(dataDir, port));
    try {
      String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
      succeeded(run(url, DAY1));
      RunSummary failed;
      try (StatementStall stall =
          StatementStall.on(
              url,
              WriteStage.FACT_LOAD.table,
              WriteStage.FACT_LOAD.statement,
              (pid, query) -> {
                pg.get().close();
                pg.set(LocalPostgres.start(dataDir, port));
              })) {
        failed = run(url, DAY2);
        stall.awaitFault(SETTLE);
      }
      assertThat(failed.status(), is("failed"));
      assertThat(failed.message(), containsString("connection"));
      String restarted = lastRunId(url);

      succeeded(run(url, DAY2));
      // recorded by the run itself if the server was back in time, else by the re-run
      assertThat(runStatus(url, restarted), startsWith("failed: "));
      assertThat(checksum(url), equalTo(afterDay2));
    } finally {
      pg.get().close();
    }
  }

  /**
   * Runs {@code first}; while it is inside its fact load, starts {@code second} with
   * --waitForLock=true and lets the first go on once the second waits for the lock. Returns both
   * statuses in the order they ran.
   */
  private static List<String> runWhileAnotherWaits(String url, LocalDate first, LocalDate second)
      throws Exception {
    AtomicReference<CompletableFuture<RunSummary>> queued = new AtomicReference<>();
    RunSummary one;
    try (StatementStall stall =
        StatementStall.on(
            url,
            WriteStage.FACT_LOAD.table,
            WriteStage.FACT_LOAD.statement,
            (pid, query) -> {
              queued.set(
                  CompletableFuture.supplyAsync(
                      () -> {
                        try {
                          return run(url, second, "--waitForLock=true");
                        } catch (Exception e) {
                          throw new IllegalStateException(e);
                        }
                      }));
              awaitWaitingForLock(url);
            })) {
      one = run(url, first, "--waitForLock=true");
      stall.awaitFault(SETTLE);
    }
    RunSummary two = queued.get().get(FAULT_WITHIN.toSeconds(), TimeUnit.SECONDS);
    try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
      // the second run started only once the first had ended
      assertThat(
          TestDatabase.column(
              c,
              "SELECT (b.started_at >= a.ended_at)::text FROM ops.pipeline_runs a, ops.pipeline_runs"
                  + " b WHERE a.run_id = "
                  + one.runId()
                  + " AND b.run_id = "
                  + two.runId()),
          contains("true"));
    }
    return List.of(one.status(), two.status());
  }

  private static void awaitWaitingForLock(String url) throws Exception {
    long until = System.nanoTime() + FAULT_WITHIN.toNanos();
    try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
      while (TestDatabase.column(
              c,
              "SELECT pid FROM pg_stat_activity WHERE query LIKE 'SELECT pg_advisory_lock(%'"
                  + " AND wait_event_type = 'Lock'")
          .isEmpty()) {
        if (System.nanoTime() > until) {
          throw new AssertionError("the second run never queued for the warehouse lock");
        }
        Thread.sleep(20);
      }
    }
  }

  static RunSummary run(String url, LocalDate day, String... extra) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--runDate=" + day,
                "--input=" + landing,
                "--jdbcUrl=" + url,
                "--dbUser=postgres",
                "--targetParallelism=2"));
    args.addAll(List.of(extra));
    return DailyRun.execute(DailyRun.options(args.toArray(new String[0])), System.out);
  }

  private static void succeeded(RunSummary s) {
    assertThat(s.message(), s.status(), is("succeeded"));
  }

  private static Map<String, List<List<String>>> checksum(String url) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
      Map<String, List<List<String>>> m = WarehouseChecksum.of(c);
      System.out.printf("checksum of %s: %s%n", url, WarehouseChecksum.digest(m));
      return m;
    }
  }

  private static List<String> column(String url, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
      return TestDatabase.column(c, sql);
    }
  }

  private static String lastRunId(String url) throws SQLException {
    return column(url, "SELECT max(run_id) FROM ops.pipeline_runs").get(0);
  }

  private static String runStatus(String url, String runId) throws SQLException {
    return column(
            url,
            "SELECT status || coalesce(': ' || message, '') FROM ops.pipeline_runs WHERE run_id = "
                + runId)
        .get(0);
  }

  /** A new database holding exactly what day 1 left in the class's database. */
  private static String copyOfDayOne() throws Exception {
    String source = DB.jdbcUrl().substring(DB.jdbcUrl().lastIndexOf('/') + 1);
    String name = source + "_copy" + COPIES.incrementAndGet();
    try (Connection c = admin();
        Statement st = c.createStatement()) {
      // a template must have no sessions: the runs' pools may still hold idle ones
      st.execute(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
              + source
              + "' AND pid <> pg_backend_pid()");
      st.execute("CREATE DATABASE " + name + " TEMPLATE " + source);
    }
    copies.add(name);
    return "jdbc:postgresql://127.0.0.1:" + TestDatabase.port() + "/" + name;
  }

  private static Connection admin() throws SQLException, IOException {
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + TestDatabase.port() + "/postgres", "postgres", "");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
