package io.c360.pipelines.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import io.c360.pipelines.generate.Generator;
import io.c360.pipelines.generate.GeneratorConfig;
import io.c360.pipelines.testing.FlinkCluster;
import io.c360.pipelines.testing.RunnerComparison;
import io.c360.pipelines.testing.RunnerOptions;
import io.c360.pipelines.testing.WarehouseSnapshot;
import io.c360.transforms.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.beam.sdk.options.PipelineOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daily run itself (both of its Beam pipelines, SCD2, facts with pending rows, checks and every
 * mart) on two consecutive days leaves dw, mart and dq equal row for row whether it runs on the
 * Direct runner, on Flink {@code [local]} or on a standalone Flink session cluster.
 *
 * <p>The session cluster is the scale-out case: two TaskManager JVMs of one slot each and {@code
 * --parallelism=2}, so each job's parallel operators are split across processes, exchanges between
 * them go through Flink's TCP data connections, and each TaskManager deserializes the job's code
 * itself. The cluster's REST API shows that both TaskManagers took part in every job.
 *
 * <p>Surrogate keys are numbered by the order in which versions are inserted, which is free to
 * differ between runners; they are compared through what they point to (key and valid_from).
 */
class DailyRunOnRunnersIT {
  // Two TaskManager JVMs with one slot each: a job at parallelism 2 needs both.
  @RegisterExtension static final FlinkCluster FLINK = new FlinkCluster(1, 2);
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
    runDays("DirectRunner", RunnerOptions::direct, DIRECT_DB);
    runDays("Flink [local]", () -> RunnerOptions.flinkLocal(2), LOCAL_DB);
    String master = FLINK.restAddress();
    runDays("Flink session cluster", () -> RunnerOptions.flinkCluster(master, 2), CLUSTER_DB);
    clusterRanEveryJobOnBothTaskManagers();

    Map<String, List<List<String>>> direct = snapshot(DIRECT_DB);
    assertThat(direct.get("dw.fact_sales").size(), greaterThan(0));
    assertThat(direct.get("mart.customer_360").size(), greaterThan(0));
    assertThat(direct.get("dq.rejected_rows").size(), greaterThan(0));
    assertThat(direct.get("mart.anomalies").toString(), containsString("zscore_amount"));
    // SPEC §8 and §9: the generated campaigns, web events and inventory, and their marts
    for (String filled :
        List.of(
            "dw.dim_campaign",
            "dw.fact_web_events",
            "dw.fact_inventory",
            "mart.funnel_daily",
            "mart.campaign_performance",
            "mart.inventory_health",
            "mart.next_best_category")) {
      assertThat(filled, direct.get(filled).size(), greaterThan(0));
    }
    for (TestDatabase other : List.of(LOCAL_DB, CLUSTER_DB)) {
      Map<String, List<List<String>>> theirs = snapshot(other);
      assertThat(theirs.keySet(), equalTo(direct.keySet()));
      for (String table : direct.keySet()) {
        assertThat(table, theirs.get(table), equalTo(direct.get(table)));
      }
    }
  }

  /**
   * The session cluster had two TaskManagers of one slot each, and ran each day's two pipelines as
   * named jobs that finished, whose every vertex ran at parallelism 2, with subtasks on both
   * TaskManagers.
   */
  private static void clusterRanEveryJobOnBothTaskManagers() throws Exception {
    assertThat(FLINK.rest("/overview").path("taskmanagers").asInt(), is(2));
    Set<String> taskManagers = new TreeSet<>();
    for (JsonNode tm : FLINK.rest("/taskmanagers").path("taskmanagers")) {
      assertThat(tm.toString(), tm.path("slotsNumber").asInt(), is(1));
      taskManagers.add(tm.path("id").asText());
    }
    assertThat(taskManagers, hasSize(2));

    List<String> failed = new ArrayList<>();
    Map<String, String> expected = new TreeMap<>(); // job name prefix -> job id
    for (String day : DAYS) {
      for (String stage : List.of("load", "marts")) {
        expected.put("c360-" + stage + "-" + day.replace("-", "") + "-run", null);
      }
    }
    for (JsonNode job : FLINK.rest("/jobs/overview").path("jobs")) {
      String name = job.path("name").asText();
      if (!job.path("state").asText().equals("FINISHED")) {
        failed.add(name + " " + job.path("state").asText());
      }
      expected.keySet().stream()
          .filter(name::startsWith)
          .forEach(prefix -> expected.put(prefix, job.path("jid").asText()));
    }
    assertThat("jobs not FINISHED", failed, empty());
    for (Map.Entry<String, String> e : expected.entrySet()) {
      assertThat("no job named " + e.getKey() + "*", e.getValue() != null, is(true));
      String jid = e.getValue();
      Set<String> ranOn = new TreeSet<>();
      Map<Integer, Integer> verticesByParallelism = new TreeMap<>();
      for (JsonNode vertex : FLINK.rest("/jobs/" + jid).path("vertices")) {
        int parallelism = vertex.path("parallelism").asInt();
        verticesByParallelism.merge(parallelism, 1, Integer::sum);
        String vid = vertex.path("id").asText();
        for (JsonNode subtask : FLINK.rest("/jobs/" + jid + "/vertices/" + vid).path("subtasks")) {
          ranOn.add(subtask.path("taskmanager-id").asText());
        }
      }
      System.out.printf(
          "%s (%s): vertices by parallelism %s, subtasks on %s%n",
          e.getKey(), jid, verticesByParallelism, ranOn);
      assertThat(
          e.getKey() + " vertices by parallelism",
          verticesByParallelism.keySet(),
          equalTo(Set.of(2)));
      assertThat(e.getKey(), ranOn, equalTo(taskManagers));
    }
  }

  private static void runDays(
      String runner, Supplier<? extends PipelineOptions> options, TestDatabase db)
      throws Exception {
    List<LocalDate> days = DAYS.stream().map(LocalDate::parse).toList();
    RunnerComparison.runDays(runner, options, landing.toString(), days, db.jdbcUrl());
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
