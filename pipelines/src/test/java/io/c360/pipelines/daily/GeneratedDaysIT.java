package io.c360.pipelines.daily;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import io.c360.pipelines.generate.GenerationReport;
import io.c360.pipelines.generate.Generator;
import io.c360.pipelines.generate.GeneratorConfig;
import io.c360.transforms.model.Entities;
import io.c360.transforms.model.EntitySpec;
import io.c360.transforms.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generator and the pipeline were written independently from SPEC §2: the generator records
 * which defect it put in every row; the pipeline must reconcile each entity and day to exactly
 * those counts, and reject exactly those rows under exactly those rules.
 */
class GeneratedDaysIT {
  @RegisterExtension static final TestDatabase DB = new TestDatabase();

  @TempDir Path landing;

  @Test
  void everyDayReconcilesToWhatTheGeneratorInjected() throws Exception {
    LocalDate start = LocalDate.of(2025, 3, 30);
    int days = 3;
    GenerationReport report =
        Generator.generate(
            GeneratorConfig.builder(landing).scale(0.002).days(days).start(start).seed(7).build());

    for (int i = 0; i < days; i++) {
      LocalDate d = start.plusDays(i);
      RunSummary s =
          DailyRun.execute(
              DailyRun.options("--runDate=" + d, "--input=" + landing, "--jdbcUrl=" + DB.jdbcUrl()),
              System.out);
      assertThat(s.message(), s.status(), is("succeeded"));
      for (EntitySpec e : Entities.ALL) {
        GenerationReport.Expected x = report.expected(e.name(), d);
        EntityCounts c = s.entities().get(e.name());
        assertThat(
            d + " " + e.name() + " read/quarantined/deduplicated/pending/loaded",
            List.of(c.read(), c.quarantined(), c.deduplicated(), c.pending(), c.loaded()),
            equalTo(
                List.of(x.rowsRead(), x.quarantined(), x.deduplicated(), x.pending(), x.loaded())));
      }
      for (EntitySpec e : Entities.ALL) {
        assertThat(
            d + " " + e.name() + " rejects by rule",
            rejectsByRule(s.runId(), e.name()),
            equalTo(expectedRules(report, e.name(), d)));
      }
    }
  }

  private static Map<String, Long> expectedRules(GenerationReport r, String entity, LocalDate d) {
    Map<String, Long> m = new TreeMap<>();
    r.injected()
        .getOrDefault(entity, Map.of())
        .getOrDefault(d, Map.of())
        .forEach(
            (k, v) -> {
              if (k.startsWith("rule:") && !k.startsWith("rule:relationships:") && v > 0) {
                m.put(k.substring(5), v);
              }
            });
    return m;
  }

  private static Map<String, Long> rejectsByRule(long runId, String entity) throws Exception {
    Map<String, Long> m = new TreeMap<>();
    try (Connection c = DB.open();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT rule, count(*) FROM dq.rejected_rows WHERE run_id = ? AND entity = ? GROUP BY rule")) {
      ps.setLong(1, runId);
      ps.setString(2, entity);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          m.put(rs.getString(1), rs.getLong(2));
        }
      }
    }
    return m;
  }
}
