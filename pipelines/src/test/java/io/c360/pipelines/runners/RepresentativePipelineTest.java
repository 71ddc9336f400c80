package io.c360.pipelines.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.c360.pipelines.testing.LandingZone;
import io.c360.pipelines.testing.RunnerComparison;
import io.c360.pipelines.testing.RunnerOptions;
import io.c360.transforms.testing.TestDatabase;
import java.io.Serializable;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The representative pipeline on the Direct runner alone: what the runner tests compare is
 * non-trivial (both days loaded, every malformed row quarantined with its rule), and a re-run of a
 * day leaves the keyed tables unchanged (idempotent writes).
 */
class RepresentativePipelineTest implements Serializable {
  @RegisterExtension static final TestDatabase DB = new TestDatabase();

  @Test
  void twoDaysLoadAndQuarantineExactlyTheMalformedRows(@TempDir Path landing) throws Exception {
    List<LandingZone.Malformed> malformed = RunnerEquivalence.writeTwoDays(landing);
    String input = landing.toUri().toString();
    List<LocalDate> days = List.of(RunnerEquivalence.DAY_1, RunnerEquivalence.DAY_2);
    RunnerComparison.runDays("DirectRunner", RunnerOptions::direct, input, days, DB.connection());
    RunnerEquivalence.assertContent(DB, malformed);

    try (Connection c = DB.open()) {
      List<String> before =
          TestDatabase.column(
              c,
              "SELECT string_agg(t::text, '|' ORDER BY t::text) FROM"
                  + " (SELECT * FROM mart.daily_sales UNION ALL SELECT NULL, NULL, NULL, NULL, NULL,"
                  + " NULL) t");
      RunnerComparison.runDays(
          "DirectRunner",
          RunnerOptions::direct,
          input,
          List.of(RunnerEquivalence.DAY_2),
          DB.connection());
      List<String> after =
          TestDatabase.column(
              c,
              "SELECT string_agg(t::text, '|' ORDER BY t::text) FROM"
                  + " (SELECT * FROM mart.daily_sales UNION ALL SELECT NULL, NULL, NULL, NULL, NULL,"
                  + " NULL) t");
      assertThat(after, equalTo(before));
    }
  }
}
