package io.c360.pipelines.daily;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

import io.c360.pipelines.generate.GenerationReport;
import io.c360.pipelines.generate.Generator;
import io.c360.pipelines.generate.GeneratorConfig;
import io.c360.transforms.kpi.MartTable;
import io.c360.transforms.model.Entities;
import io.c360.transforms.model.EntitySpec;
import io.c360.transforms.testing.KpiReference;
import io.c360.transforms.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 6's last point: more than 400 days of history built by the daily run itself (generated
 * landing zone with {@code --historyDays}, default defect rates, four runs), then every mart of
 * SPEC §4 compared row by row with the independent SQL reference ({@link KpiReference}) at three
 * asOf dates: the last day of a year (its ytd covers the whole year, and the last run date covers
 * the next year's ytd), the first day of a quarter, and the last run date. Each asOf is computed
 * the way a user does it: the last daily run for its own date, {@code run --runDate=<last day>
 * --asOf=<date>} (re-running the last day, which must change no warehouse row) for the others.
 */
class KpiHistoryIT {
  @RegisterExtension static final TestDatabase DB = new TestDatabase();

  static final ZoneId UTC = ZoneId.of("UTC");
  static final LocalDate START = LocalDate.of(2026, 1, 5);
  static final int DAYS = 3;
  // back to 2024-09-30: the 12 full months before the quarter-start asOf are all history
  static final int HISTORY_DAYS = 462;
  static final LocalDate LAST = START.plusDays(DAYS - 1L);
  static final LocalDate YEAR_END = LocalDate.of(2025, 12, 31);
  static final LocalDate QUARTER_START = LocalDate.of(2025, 10, 1);
  static final List<LocalDate> AS_OF = List.of(YEAR_END, QUARTER_START, LAST);
  // the last daily run computed LAST's marts; the others re-run the last day with --asOf
  static final List<LocalDate> RE_RUN_AS_OF = List.of(YEAR_END, QUARTER_START);

  @TempDir static Path landing;

  static GenerationReport report;
  static final List<RunSummary> DAILY = new ArrayList<>();
  static final Map<LocalDate, RunSummary> AS_OF_RUNS = new LinkedHashMap<>();
  static final Map<String, Long> AFTER_DAILY = new LinkedHashMap<>();

  @BeforeAll
  static void buildHistoryThroughDailyRuns() throws Exception {
    Instant t0 = Instant.now();
    report =
        Generator.generate(
            GeneratorConfig.builder(landing)
                .scale(0.001)
                .days(DAYS)
                .historyDays(HISTORY_DAYS)
                .start(START)
                .seed(11)
                .build());
    Instant t1 = Instant.now();
    for (int i = 0; i < DAYS; i++) {
      DAILY.add(run(START.plusDays(i), null));
    }
    AFTER_DAILY.putAll(warehouseCounts());
    Instant t2 = Instant.now();
    for (LocalDate d : RE_RUN_AS_OF) {
      AS_OF_RUNS.put(d, run(LAST, d));
    }
    System.out.printf(
        "KpiHistoryIT: generate %.1f s, %d daily runs %.1f s, %d asOf re-runs %.1f s%n",
        secs(t0, t1), DAYS, secs(t1, t2), RE_RUN_AS_OF.size(), secs(t2, Instant.now()));
  }

  private static RunSummary run(LocalDate runDate, LocalDate asOf) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--runDate=" + runDate,
                "--input=" + landing,
                "--jdbcUrl=" + DB.jdbcUrl(),
                "--dbUser=postgres",
                "--timezone=" + UTC.getId(),
                "--targetParallelism=2",
                // the Direct runner's element-cloning checks cost most of a run here; other ITs
                // keep them on, this one is about the KPI values
                "--enforceImmutability=false",
                "--enforceEncodability=false"));
    if (asOf != null) {
      args.add("--asOf=" + asOf);
    }
    return DailyRun.execute(DailyRun.options(args.toArray(new String[0])), System.out);
  }

  @Test
  void everyRunSucceededAndReconciledToWhatTheGeneratorInjected() {
    for (int i = 0; i < DAYS; i++) {
      LocalDate d = START.plusDays(i);
      RunSummary s = DAILY.get(i);
      assertThat(d + ": " + s.message(), s.status(), is("succeeded"));
      for (EntitySpec e : Entities.ALL) {
        EntityCounts c = s.entities().get(e.name());
        assertThat(d + " " + e.name() + " reconciles", c.reconciles(), is(true));
        // backdated sales are clean unless a knob made them otherwise: the same bookkeeping holds
        GenerationReport.Expected x = report.expected(e.name(), d);
        assertThat(
            d + " " + e.name() + " read/quarantined/deduplicated/pending/loaded",
            List.of(c.read(), c.quarantined(), c.deduplicated(), c.pending(), c.loaded()),
            equalTo(
                List.of(x.rowsRead(), x.quarantined(), x.deduplicated(), x.pending(), x.loaded())));
      }
    }
    for (Map.Entry<LocalDate, RunSummary> e : AS_OF_RUNS.entrySet()) {
      RunSummary s = e.getValue();
      assertThat("re-run for asOf " + e.getKey() + ": " + s.message(), s.status(), is("succeeded"));
      s.entities().values().forEach(c -> assertThat(c.entity(), c.reconciles(), is(true)));
    }
  }

  @Test
  void theHistoryWentThroughDedupAndPendingToo() {
    long dedup = 0;
    long resolved = 0;
    for (RunSummary s : DAILY) {
      dedup += s.entities().get("sales").deduplicated();
      resolved += s.entities().get("sales").resolved();
    }
    assertThat("sales deduplicated", dedup, greaterThan(0L));
    assertThat("pending sales resolved by a later run", resolved, greaterThan(0L));
  }

  @Test
  void reRunningTheLastDayForOtherAsOfDatesChangesNoWarehouseRow() throws SQLException {
    assertThat(warehouseCounts(), equalTo(AFTER_DAILY));
  }

  @Test
  void theRunsBuiltMoreThan400DaysOfSalesAndCustomerHistory() throws SQLException {
    try (Connection c = DB.open();
        Statement st = c.createStatement()) {
      assertThat(
          "days of sales",
          scalar(st, "SELECT max(sales_date) - min(sales_date) + 1 FROM dw.fact_sales"),
          greaterThanOrEqualTo(400L));
      assertThat(
          "every history date has sales",
          scalar(
              st,
              "SELECT count(DISTINCT sales_date) FROM dw.fact_sales WHERE sales_date < '"
                  + START
                  + "'"),
          equalTo((long) HISTORY_DAYS));
      assertThat(
          "first sale",
          scalar(st, "SELECT '" + START + "'::date - min(sales_date) FROM dw.fact_sales"),
          equalTo((long) HISTORY_DAYS));
      // SCD2 versions spread over the history, not all on the first run date
      assertThat(
          "months with a new customer version before the first run",
          scalar(
              st,
              "SELECT count(DISTINCT date_trunc('month', valid_from AT TIME ZONE 'UTC'))"
                  + " FROM dw.dim_customer WHERE valid_from >= '"
                  + START.minusDays(HISTORY_DAYS)
                  + "' AND valid_from < '"
                  + START
                  + "'"),
          greaterThanOrEqualTo(15L));
      assertThat(
          "customers with more than two versions",
          scalar(
              st,
              "SELECT count(*) FROM (SELECT customer_id FROM dw.dim_customer GROUP BY 1"
                  + " HAVING count(*) > 2) x"),
          greaterThan(20L));
      // "industry at sale time" differs from the current industry for some revenue
      assertThat(
          scalar(
              st,
              "SELECT count(*) FROM dw.fact_sales s"
                  + " JOIN dw.dim_customer v ON v.customer_sk = s.customer_sk"
                  + " JOIN dw.dim_customer cur ON cur.customer_id = s.customer_id AND cur.is_current"
                  + " WHERE v.industry IS DISTINCT FROM cur.industry"),
          greaterThan(0L));
      // the default knobs were on: the history passed through quarantine, dedup and pending
      assertThat(scalar(st, "SELECT count(*) FROM dq.rejected_rows"), greaterThan(0L));
      assertThat(
          scalar(st, "SELECT count(*) FROM dq.rejected_rows WHERE entity = 'sales'"),
          greaterThan(0L));
      assertThat(
          scalar(
              st,
              "SELECT count(*) FROM dw.fact_sales WHERE sales_date < '"
                  + START
                  + "' AND amount_imputed"),
          greaterThan(0L));
    }
  }

  static Stream<Arguments> martsByAsOf() {
    return KpiReference.everyMartAt(AS_OF);
  }

  @ParameterizedTest(name = "{1} as of {0}")
  @MethodSource("martsByAsOf")
  void martEqualsSqlReference(LocalDate asOf, MartTable mart) throws Exception {
    try (Connection c = DB.open()) {
      int rows = KpiReference.assertMatches(c, mart, asOf, UTC);
      assertThat(mart + " has rows for " + asOf, rows, greaterThan(0));
    }
  }

  @Test
  void theWindowsThatNeedHistoryAreExercised() throws SQLException {
    try (Connection c = DB.open();
        Statement st = c.createStatement()) {
      for (LocalDate d : AS_OF) {
        String at = " WHERE as_of = '" + d + "'";
        assertThat(
            "segment changes at " + d,
            scalar(st, "SELECT count(*) FROM mart.segment_changes_12m" + at),
            greaterThan(0L));
        assertThat(
            "consistent top customers at " + d,
            scalar(st, "SELECT count(*) FROM mart.consistent_top_customers" + at),
            greaterThan(0L));
        assertThat(
            "IQR anomalies at " + d,
            scalar(st, "SELECT count(*) FROM mart.anomalies" + at + " AND method = 'iqr_quantity'"),
            greaterThan(0L));
        assertThat(
            "z-score anomalies at " + d,
            scalar(
                st, "SELECT count(*) FROM mart.anomalies" + at + " AND method = 'zscore_amount'"),
            greaterThan(0L));
        // twelve months of history before D: last quarter and the quarter before have revenue
        assertThat(
            "customers with a qoq change at " + d,
            scalar(
                st,
                "SELECT count(*) FROM mart.customer_revenue_by_period"
                    + at
                    + " AND revenue_increase_pct_qoq IS NOT NULL"),
            greaterThan(0L));
        assertThat(
            "months in monthly_sales at " + d,
            scalar(st, "SELECT count(*) FROM mart.monthly_sales" + at),
            equalTo(12L));
      }
      // the year-end ytd spans the whole year; the last run date's ytd restarts on 1 January
      String ytd =
          "SELECT sum(ytd_spending)::bigint FROM mart.customer_ytd_spending WHERE as_of = '";
      assertThat(scalar(st, ytd + YEAR_END + "'"), greaterThan(10 * scalar(st, ytd + LAST + "'")));
    }
  }

  private static Map<String, Long> warehouseCounts() throws SQLException {
    Map<String, Long> m = new LinkedHashMap<>();
    try (Connection c = DB.open();
        Statement st = c.createStatement()) {
      for (String t :
          List.of(
              "dw.fact_sales",
              "dw.fact_traffic",
              "dw.dim_customer",
              "dw.dim_product",
              "dw.dim_channel",
              "dq.pending_rows")) {
        m.put(t, scalar(st, "SELECT count(*) FROM " + t));
      }
      m.put(
          "fact_sales amount",
          scalar(st, "SELECT round(sum(amount) * 100)::bigint FROM dw.fact_sales"));
    }
    return m;
  }

  private static long scalar(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static double secs(Instant a, Instant b) {
    return Duration.between(a, b).toMillis() / 1000.0;
  }
}
