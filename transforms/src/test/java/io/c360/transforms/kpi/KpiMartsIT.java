package io.c360.transforms.kpi;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

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
