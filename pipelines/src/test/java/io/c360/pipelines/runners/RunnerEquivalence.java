package io.c360.pipelines.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;

import io.c360.pipelines.testing.LandingZone;
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
import java.util.function.Supplier;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The check every runner test makes: two consecutive days, run on the runner under test into one
 * database and on the Direct runner into another, leave every dw, mart and dq table equal row for
 * row; and the malformed rows of the landing files are exactly the quarantined ones.
 */
final class RunnerEquivalence {
  static final LocalDate DAY_1 = LocalDate.of(2026, 3, 30);
  static final LocalDate DAY_2 = DAY_1.plusDays(1);

  private RunnerEquivalence() {}

  static void assertSameAsDirect(
      String runner,
      Supplier<? extends PipelineOptions> options,
      Path landing,
      TestDatabase runnerDb,
      TestDatabase directDb)
      throws Exception {
    List<LandingZone.Malformed> malformed = writeTwoDays(landing);
    String input = landing.toUri().toString();
    List<LocalDate> days = List.of(DAY_1, DAY_2);

    RunnerComparison.runDays(runner, options, input, days, runnerDb.connection());
    RunnerComparison.runDays(
        "DirectRunner", RunnerOptions::direct, input, days, directDb.connection());

    Map<String, List<List<String>>> onRunner;
    Map<String, List<List<String>>> onDirect;
    try (Connection r = runnerDb.open();
        Connection d = directDb.open()) {
      onRunner = WarehouseSnapshot.of(r, Set.of(), RunnerComparison.COMPARED_SCHEMAS);
      onDirect = WarehouseSnapshot.of(d, Set.of(), RunnerComparison.COMPARED_SCHEMAS);
    }
    assertThat(onRunner.keySet(), equalTo(onDirect.keySet()));
    for (String table : onDirect.keySet()) {
      assertThat(
          runner + " vs Direct: " + table, onRunner.get(table), equalTo(onDirect.get(table)));
    }

    assertContent(runnerDb, malformed);
  }

  static List<LandingZone.Malformed> writeTwoDays(Path landing) throws java.io.IOException {
    List<LandingZone.Malformed> malformed = new ArrayList<>();
    malformed.addAll(LandingZone.writeSales(landing, DAY_1, 3, 700, 1L));
    malformed.addAll(LandingZone.writeSales(landing, DAY_2, 3, 700, 2L));
    return malformed;
  }

  /** Not vacuous: the tables the pipeline writes hold both days, and exactly the bad rows. */
  static void assertContent(TestDatabase db, List<LandingZone.Malformed> malformed)
      throws Exception {
    try (Connection c = db.open()) {
      assertThat(
          TestDatabase.column(c, "SELECT DISTINCT as_of::text FROM mart.daily_sales"),
          containsInAnyOrder(DAY_1.toString(), DAY_2.toString()));
      assertThat(
          TestDatabase.column(
              c,
              "SELECT DISTINCT as_of || ':' || count(*) OVER (PARTITION BY as_of)"
                  + " FROM mart.top_customers"),
          containsInAnyOrder(DAY_1 + ":20", DAY_2 + ":20"));
      // Sales of the previous day arrive late in each day's files: three calendar dates in all.
      assertThat(
          TestDatabase.column(c, "SELECT date::text FROM dw.dim_date"),
          containsInAnyOrder(DAY_1.minusDays(1).toString(), DAY_1.toString(), DAY_2.toString()));
      List<String> expectedRejects = new ArrayList<>();
      for (LandingZone.Malformed m : malformed) {
        expectedRejects.add(m.file() + "#" + m.line() + "#" + m.rule());
      }
      assertThat(expectedRejects, hasSize(greaterThan(10)));
      assertThat(
          TestDatabase.column(
              c, "SELECT source_file || '#' || line_no || '#' || rule FROM dq.rejected_rows"),
          containsInAnyOrder(expectedRejects.toArray()));
    }
  }
}
