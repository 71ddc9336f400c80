package io.c360.pipelines.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import io.c360.pipelines.daily.C360Options;
import io.c360.pipelines.daily.DailyRun;
import io.c360.pipelines.daily.RunSummary;
import io.c360.pipelines.generate.Generator;
import io.c360.pipelines.generate.GeneratorConfig;
import io.c360.pipelines.testing.FlinkCluster;
import io.c360.pipelines.testing.RunnerComparison;
import io.c360.pipelines.testing.RunnerOptions;
import io.c360.pipelines.testing.WarehouseSnapshot;
import io.c360.transforms.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.beam.sdk.options.PipelineOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7: the daily run itself (both of its Beam pipelines, SCD2, facts with pending rows, checks
 * and every mart) on two consecutive days leaves dw, mart and dq equal row for row whether it runs
 * on the Direct runner, on Flink {@code [local]} or on a standalone Flink session cluster.
 *
 * <p>Surrogate keys are numbered by the order in which versions are inserted, which is free to
 * differ between runners; they are compared through what they point to (key and valid_from).
 */
class DailyRunOnRunnersIT {
  @RegisterExtension static final FlinkCluster FLINK = new FlinkCluster();
  @RegisterExtension static final TestDatabase DIRECT_DB = new TestDatabase();
  @RegisterExtension static final TestDatabase LOCAL_DB = new TestDatabase();
  @RegisterExtension static final TestDatabase CLUSTER_DB = new TestDatabase();

  static final List<String> DAYS = List.of("2025-03-30", "2025-03-31");
  static final Set<String> SURROGATES = Set.of("customer_sk", "product_sk");

  // Generated rather than hand-written: every defect kind, late and pending customers, and
  // products with enough sales for every mart (z-scores need 10 per product) give each runner's
  // grouping, side inputs and retries real work.
  @TempDir static Path landing;

  @BeforeAll
  static void generate() throws Exception {
    Generator.generate(
        GeneratorConfig.builder(landing)
            .scale(0.002)
            .days(DAYS.size())
            .start(LocalDate.parse(DAYS.get(0)))
            .seed(11)
            .build());
  }

  @Test
  void flinkLocalAndTheSessionClusterEqualTheDirectRunner() throws Exception {
    runDays(RunnerOptions::direct, DIRECT_DB);
    runDays(() -> RunnerOptions.flinkLocal(2), LOCAL_DB);
    String master = FLINK.restAddress();
    runDays(() -> RunnerOptions.flinkCluster(master, 2), CLUSTER_DB);
    // The cluster ran each day's two pipelines as named jobs, all finished.
    String jobs =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://" + master + "/jobs/overview")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    for (String day : DAYS) {
      for (String stage : List.of("load", "marts")) {
        assertThat(
            jobs, containsString("\"name\":\"c360-" + stage + "-" + day.replace("-", "") + "-run"));
      }
    }
    assertThat(jobs, not(containsString("\"state\":\"FAILED\"")));

    Map<String, List<List<String>>> direct = snapshot(DIRECT_DB);
    assertThat(direct.get("dw.fact_sales").size(), greaterThan(0));
    assertThat(direct.get("mart.customer_360").size(), greaterThan(0));
    assertThat(direct.get("dq.rejected_rows").size(), greaterThan(0));
    assertThat(direct.get("mart.anomalies").toString(), containsString("zscore_amount"));
    for (TestDatabase other : List.of(LOCAL_DB, CLUSTER_DB)) {
      Map<String, List<List<String>>> theirs = snapshot(other);
      assertThat(theirs.keySet(), equalTo(direct.keySet()));
      for (String table : direct.keySet()) {
        assertThat(table, theirs.get(table), equalTo(direct.get(table)));
      }
    }
  }

  private static void runDays(Supplier<? extends PipelineOptions> runner, TestDatabase db)
      throws Exception {
    for (String day : DAYS) {
      C360Options o = runner.get().as(C360Options.class);
      o.setRunDate(day);
      o.setInput(landing.toString());
      o.setJdbcUrl(db.jdbcUrl());
      RunSummary s = DailyRun.execute(o, System.out);
      assertThat(s.message(), s.status(), is("succeeded"));
    }
  }

  private static Map<String, List<List<String>>> snapshot(TestDatabase db) throws Exception {
    try (Connection c = db.open()) {
      Map<String, List<List<String>>> m =
          WarehouseSnapshot.of(c, SURROGATES, RunnerComparison.COMPARED_SCHEMAS);
      // Each fact's versions, by natural key and valid_from instead of surrogate number.
      m.put(
          "fact_sales → versions",
          TestDatabase.column(
                  c,
                  "SELECT f.transaction_id || ' ' || dc.customer_id || '@' || dc.valid_from || ' '"
                      + " || coalesce(dp.product_id || '@' || dp.valid_from, '-') FROM"
                      + " dw.fact_sales f JOIN dw.dim_customer dc USING (customer_sk) LEFT JOIN"
                      + " dw.dim_product dp USING (product_sk) ORDER BY 1")
              .stream()
              .map(List::of)
              .toList());
      m.put(
          "fact_traffic → versions",
          TestDatabase.column(
                  c,
                  "SELECT f.send_date || f.customer_id || f.channel_id || ' ' || dc.valid_from FROM"
                      + " dw.fact_traffic f JOIN dw.dim_customer dc USING (customer_sk) ORDER BY 1")
              .stream()
              .map(List::of)
              .toList());
      return m;
    }
  }
}
