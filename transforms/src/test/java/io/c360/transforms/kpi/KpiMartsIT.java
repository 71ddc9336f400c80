package io.c360.transforms.kpi;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;

import io.c360.transforms.testing.KpiReference;
import io.c360.transforms.testing.TestDatabase;
import java.io.IOException;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every mart of SPEC §4, computed by the Beam KPI stage over ~600 days of synthetic dw history,
 * compared row by row (all columns) with an independent plain-SQL computation of the same
 * definition ({@link KpiReference}), at a date right after a year boundary, on a quarter boundary
 * and mid-quarter; a re-run leaves the marts byte-identical.
 */
class KpiMartsIT implements Serializable {
  @RegisterExtension static final TestDatabase DB = new TestDatabase();

  static final List<LocalDate> AS_OF =
      List.of(LocalDate.of(2025, 1, 2), LocalDate.of(2025, 4, 1), LocalDate.of(2025, 5, 15));
  static final Map<LocalDate, Map<String, Long>> WRITTEN = new HashMap<>();

  @BeforeAll
  static void loadHistoryAndRunKpis() throws Exception {
    try (Connection c = DB.open()) {
      new KpiFixture().populate(c);
    }
    for (LocalDate d : AS_OF) {
      WRITTEN.put(d, runKpis(d));
    }
  }

  static Map<String, Long> runKpis(LocalDate asOf) throws SQLException {
    DirectOptions options = PipelineOptionsFactory.create().as(DirectOptions.class);
    options.setRunner(DirectRunner.class);
    options.setTargetParallelism(2);
    options.setEnforceEncodability(true);
    Pipeline p = Pipeline.create(options);
    PCollection<KV<String, Long>> written =
        Marts.computeAndReplace(p, DB.connection(), asOf, KpiFixture.TZ);
    PAssert.that(written)
        .satisfies(
            kvs -> {
              List<String> marts = new ArrayList<>();
              kvs.forEach(kv -> marts.add(kv.getKey()));
              assertThat(marts.size(), equalTo(MartTable.values().length));
              return null;
            });
    p.run().waitUntilFinish();
    Map<String, Long> counts = new HashMap<>();
    try (Connection c = DB.open();
        Statement st = c.createStatement()) {
      for (MartTable t : MartTable.values()) {
        try (ResultSet rs =
            st.executeQuery(
                "SELECT count(*) FROM " + t.qualifiedName() + " WHERE as_of = '" + asOf + "'")) {
          rs.next();
          counts.put(t.tableName(), rs.getLong(1));
        }
      }
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM staging.mart_rows")) {
        rs.next();
        assertThat("staged rows are cleared by the replace", rs.getLong(1), equalTo(0L));
      }
    }
    return counts;
  }

  static Stream<Arguments> martsByAsOf() {
    return KpiReference.everyMartAt(AS_OF);
  }

  @ParameterizedTest(name = "{1} as of {0}")
  @MethodSource("martsByAsOf")
  void martEqualsSqlReference(LocalDate asOf, MartTable mart) throws Exception {
    try (Connection c = DB.open()) {
      int rows = KpiReference.assertMatches(c, mart, asOf, KpiFixture.TZ);
      assertThat(mart + " has rows for " + asOf, rows, greaterThan(0));
    }
  }

  @Test
  void fixtureCoversTheEdgeCases() throws Exception {
    try (Connection c = DB.open();
        Statement st = c.createStatement()) {
      assertThat(
          "history spans at least 400 days",
          scalar(st, "SELECT max(sales_date) - min(sales_date) FROM dw.fact_sales"),
          greaterThanOrEqualTo(400L));
      assertThat(
          scalar(st, "SELECT count(*) FROM dw.dim_customer WHERE is_deleted"), greaterThan(0L));
      assertThat(
          scalar(st, "SELECT count(*) FROM dw.fact_sales WHERE order_id IS NULL"), greaterThan(0L));
      assertThat(
          "completed orders split over dates and over customers (kpi.order_span)",
          scalar(
              st,
              "SELECT least(count(*) FILTER (WHERE d > 1), count(*) FILTER (WHERE c > 1))"
                  + " FROM (SELECT order_id, count(DISTINCT sales_date) AS d,"
                  + " count(DISTINCT customer_id) AS c FROM dw.fact_sales"
                  + " WHERE status = 'completed' AND order_id IS NOT NULL GROUP BY order_id) o"),
          greaterThan(10L));
      assertThat(
          scalar(st, "SELECT count(*) FROM dw.fact_sales WHERE product_id IS NULL"),
          greaterThan(0L));
      assertThat(
          scalar(st, "SELECT count(*) FROM dw.fact_sales WHERE status = 'returned'"),
          greaterThan(0L));
      assertThat(
          scalar(st, "SELECT count(*) FROM dw.fact_sales WHERE status = 'cancelled'"),
          greaterThan(0L));
      for (LocalDate d : AS_OF) {
        long anomaliesZ =
            scalar(
                st,
                "SELECT count(*) FROM mart.anomalies WHERE method = 'zscore_amount' AND as_of = '"
                    + d
                    + "'");
        long anomaliesIqr =
            scalar(
                st,
                "SELECT count(*) FROM mart.anomalies WHERE method = 'iqr_quantity' AND as_of = '"
                    + d
                    + "'");
        assertThat("z-score anomalies at " + d, anomaliesZ, greaterThan(0L));
        assertThat("IQR anomalies at " + d, anomaliesIqr, greaterThan(0L));
        assertThat(
            "customers without any sale get zero rows at " + d,
            scalar(
                st,
                "SELECT count(*) FROM mart.customer_360 WHERE orders = 0 AND churn_risk = 'high'"
                    + " AND as_of = '"
                    + d
                    + "'"),
            greaterThan(0L));
      }
      // C0011's segment changes at 2025-04-01 00:00 Berlin (valid at D = 2025-04-01); C0012's at
      // 2025-04-02 00:00, so it is a change only for later as_of dates
      String change =
          "SELECT count(*) FROM mart.segment_changes_12m WHERE as_of = '%s' AND customer_id = '%s'"
              + " AND change_date = '%s'";
      assertThat(
          scalar(st, String.format(change, "2025-04-01", "C0011", "2025-04-01")), equalTo(1L));
      assertThat(
          scalar(st, String.format(change, "2025-04-01", "C0012", "2025-04-02")), equalTo(0L));
      assertThat(
          scalar(st, String.format(change, "2025-05-15", "C0012", "2025-04-02")), equalTo(1L));
    }
  }

  /** WebFixture's edge cases of SPEC §8 are present, and the marts treat them as the spec says. */
  @Test
  void commerceFixtureCoversTheEdgeCases() throws Exception {
    try (Connection c = DB.open();
        Statement st = c.createStatement()) {
      assertThat(
          "sessions spanning midnight",
          scalar(
              st,
              "SELECT count(*) FROM (SELECT session_id FROM dw.fact_web_events GROUP BY 1"
                  + " HAVING count(DISTINCT event_date) > 1) x"),
          greaterThan(0L));
      assertThat(
          "anonymous sessions",
          scalar(st, "SELECT count(*) FROM dw.fact_web_events WHERE customer_id IS NULL"),
          greaterThan(0L));
      assertThat(
          "ties between campaigns at one instant",
          scalar(
              st,
              "SELECT count(*) FROM (SELECT customer_id, event_ts FROM dw.fact_web_events"
                  + " WHERE campaign_id IS NOT NULL AND customer_id IS NOT NULL GROUP BY 1, 2"
                  + " HAVING count(DISTINCT campaign_id) > 1) x"),
          greaterThan(0L));
      assertThat(
          "page-view-only sessions: sessions exceed product views on some date",
          scalar(st, "SELECT count(*) FROM mart.funnel_daily WHERE sessions > product_views"),
          greaterThan(0L));
      String listed =
          "SELECT count(*) FROM mart.campaign_performance WHERE as_of = '%s'"
              + " AND campaign_id = '%s'";
      // K09 ends on 2024-04-01, the exclusive start of 2025-04-01's window; K11 starts 2025-04-02
      assertThat(scalar(st, String.format(listed, "2025-01-02", "K09")), equalTo(1L));
      assertThat(scalar(st, String.format(listed, "2025-04-01", "K09")), equalTo(0L));
      assertThat(scalar(st, String.format(listed, "2025-04-01", "K07")), equalTo(1L));
      assertThat(scalar(st, String.format(listed, "2025-04-01", "K11")), equalTo(0L));
      assertThat(scalar(st, String.format(listed, "2025-05-15", "K11")), equalTo(1L));
      assertThat(scalar(st, String.format(listed, "2025-05-15", "K01")), equalTo(0L));
      assertThat(scalar(st, String.format(listed, "2025-05-15", "K12")), equalTo(0L));
      assertThat("open-ended", scalar(st, String.format(listed, "2025-05-15", "K02")), equalTo(1L));
      assertThat(
          "null and zero budgets have no roas, the others have one",
          scalar(
              st,
              "SELECT count(*) FROM mart.campaign_performance WHERE (roas IS NULL) <>"
                  + " (budget_eur IS NULL OR budget_eur = 0)"),
          equalTo(0L));
      assertThat(
          "campaigns with attributed sales",
          scalar(st, "SELECT count(*) FROM mart.campaign_performance WHERE attributed_orders > 0"),
          greaterThan(0L));
      for (LocalDate d : AS_OF) {
        String row = "SELECT count(*) FROM mart.inventory_health WHERE as_of = '" + d + "' AND ";
        assertThat(
            "stocked, never sold, at " + d,
            scalar(
                st,
                row
                    + "product_id = 'P21' AND units_sold_30d = 0 AND days_of_cover IS NULL"
                    + " AND on_hand IS NOT NULL"),
            equalTo(1L));
        assertThat(
            "sold, never stocked, at " + d,
            scalar(st, row + "product_id BETWEEN 'P16' AND 'P20' AND on_hand IS NULL"),
            equalTo(5L));
      }
      assertThat(
          "P15 out of stock in every shop in May 2025",
          scalar(
              st,
              "SELECT stockout_shop_days_30d FROM mart.inventory_health"
                  + " WHERE as_of = '2025-05-15' AND product_id = 'P15'"),
          greaterThanOrEqualTo(15L * 2));
      String ranked =
          "SELECT count(*) FROM mart.next_best_category WHERE as_of = '2025-05-15' AND rank = ";
      // most fixture customers buy every few days and have all seven categories: no row for them
      assertThat("customers with a recommendation", scalar(st, ranked + "1"), greaterThan(0L));
      assertThat(
          "fewer than three where fewer categories remain unbought",
          scalar(st, ranked + "3"),
          lessThan(scalar(st, ranked + "1")));
    }
  }

  @Test
  void reRunLeavesMartsByteIdenticalAndOtherDatesUntouched() throws Exception {
    LocalDate d = AS_OF.get(1);
    Map<MartTable, String> before = dumps();
    Map<String, Long> again = runKpis(d);
    assertThat(again, equalTo(WRITTEN.get(d)));
    Map<MartTable, String> after = dumps();
    for (MartTable t : MartTable.values()) {
      assertThat(t + " dump after re-run", after.get(t), equalTo(before.get(t)));
    }
  }

  @Test
  void replayedReplaceOfAnAppliedLoadKeepsTheMarts() throws Exception {
    LocalDate d = AS_OF.get(2);
    Map<MartTable, String> before = dumps();
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    // a load id with no staged rows is what a runner retry sees after the commit
    p.apply(
            "AppliedLoad",
            Create.of(KV.of("already-applied-load", List.<java.math.BigDecimal>of()))
                .withCoder(Marts.REPLACE_CODER))
        .apply("ReplayReplace", ParDo.of(new Marts.ReplaceFn(DB.connection(), d)));
    p.run().waitUntilFinish();
    assertThat(dumps(), equalTo(before));
  }

  private static Map<MartTable, String> dumps() throws SQLException, IOException {
    try (Connection c = DB.open()) {
      return KpiReference.dumpMarts(c, null);
    }
  }

  private static long scalar(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
