package io.c360.pipelines.daily;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import io.c360.pipelines.db.Warehouse;
import io.c360.transforms.common.BusyTime;
import io.c360.transforms.model.Entities;
import io.c360.transforms.model.EntitySpec;
import io.c360.transforms.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.runners.direct.DirectOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load stage called alone, without the runner around it: on DailyRunIT's first day (whose
 * row-by-row fates are derived in DailyRunIT's comments) it returns every entity's reconciliation
 * from the transforms' counters, and those counts are the rows the load left in staging, dq and
 * pending.
 */
class LoadStageIT {
  @RegisterExtension static final TestDatabase DB = new TestDatabase();

  static final LocalDate DAY = LocalDate.parse("2025-03-30");

  @TempDir static Path tmp;

  @Test
  void theLoadStageAloneAccountsForEveryRowReadFromOneSourceOfCounts() throws Exception {
    C360Options options =
        DailyRun.options(
            "--runDate=" + DAY,
            "--input=" + DailyRunIT.LANDING,
            "--jdbcUrl=" + DB.jdbcUrl(),
            "--dbUser=postgres");
    RunnerDefaults.apply(options);
    PrintStream out =
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8.name());
    try (Warehouse wh =
            Warehouse.open(DB.jdbcUrl(), "postgres", null, null, tmp.resolve("pg"), 0, out);
        RunRecorder recorder = RunRecorder.lock(wh.connection(), false)) {
      long runId = recorder.start("daily", DAY, DAY, "DirectRunner", Map.of());
      RunContext ctx = new RunContext(runId, DAY, DAY, ZoneId.of("UTC"), wh.connection());

      List<EntitySpec> skipped = new ArrayList<>();
      LoadStage.Landing landing =
          LoadStage.landing(DailyRunIT.LANDING.toString(), DAY, out, skipped::add);
      // DailyRunIT's landing predates SPEC §8: its three optional entities have no folder
      assertThat(
          "only the entities without a folder are skipped",
          skipped,
          equalTo(List.of(Entities.CAMPAIGNS, Entities.WEB_EVENTS, Entities.INVENTORY)));
      LoadStage.Result load = LoadStage.run(options, ctx, wh, landing, out);

      Map<String, EntityCounts> counts = load.counts();
      assertThat(
          counts.keySet(),
          contains(
              "customers",
              "products",
              "channels",
              "campaigns",
              "sales",
              "traffic",
              "web_events",
              "inventory"));
      for (EntitySpec e : skipped) {
        assertThat(e.name(), counts.get(e.name()).status(), equalTo(EntityCounts.SKIPPED));
        assertCounts(counts.get(e.name()), 0, 0, 0, 0, 0);
      }
      // read, loaded, quarantined, deduplicated, pending: as DailyRunIT derives them
      assertCounts(counts.get("customers"), 6, 2, 3, 1, 0);
      assertCounts(counts.get("products"), 3, 2, 1, 0, 0);
      assertCounts(counts.get("channels"), 2, 2, 0, 0, 0);
      assertCounts(counts.get("sales"), 10, 3, 4, 2, 1);
      assertCounts(counts.get("traffic"), 6, 2, 1, 1, 2);
      for (EntityCounts c : counts.values()) {
        assertThat(c.entity() + " reconciles: " + c, c.reconciles(), is(true));
        assertThat(
            c.entity() + " read = loaded + quarantined + deduplicated + pending",
            c.read(),
            equalTo(c.loaded() + c.quarantined() + c.deduplicated() + c.pending()));
      }
      Reconciliation.require(counts); // the runner's step: nothing to fail

      // The counters are the rows the load wrote: quarantined rows once each in dq.rejected_rows
      // (whatever the number of rules they failed), kept rows in staging, pending ones parked.
      for (EntitySpec e : Entities.ALL) {
        EntityCounts c = counts.get(e.name());
        assertThat(
            e.name() + " quarantined",
            count(
                "SELECT count(DISTINCT (source_file, line_no)) FROM dq.rejected_rows WHERE run_id = "
                    + runId
                    + " AND entity = '"
                    + e.name()
                    + "'"),
            equalTo(c.quarantined()));
        assertThat(
            e.name() + " staged",
            count("SELECT count(*) FROM staging." + e.name() + " WHERE run_id = " + runId),
            equalTo(c.loaded() + c.pending()));
        assertThat(
            e.name() + " pending",
            count(
                "SELECT count(*) FROM dq.pending_rows WHERE last_run_id = "
                    + runId
                    + " AND entity = '"
                    + e.name()
                    + "'"),
            equalTo(c.pending()));
      }
      assertThat(
          load.rejectsByRule().values().stream().mapToLong(Long::longValue).sum(),
          equalTo(count("SELECT count(*) FROM dq.rejected_rows WHERE run_id = " + runId)));

      // The split of the stage: every part did work that day, and none is more than the stage's
      // wall clock on each of the Direct runner's threads (the parts are summed over threads).
      int threads = options.as(DirectOptions.class).getTargetParallelism();
      assertThat(load.busy().keySet(), contains(BusyTime.Part.values()));
      for (Map.Entry<BusyTime.Part, Duration> part : load.busy().entrySet()) {
        assertThat(part.getKey() + " busy", part.getValue(), greaterThan(Duration.ZERO));
        assertThat(
            part.getKey() + " busy within " + threads + " threads x " + load.took(),
            part.getValue(),
            lessThanOrEqualTo(load.took().multipliedBy(threads)));
      }
    }
  }

  private static long count(String sql) throws Exception {
    return Long.parseLong(DB.column(sql).get(0));
  }

  private static void assertCounts(
      EntityCounts c, long read, long loaded, long quarantined, long dedup, long pending) {
    assertThat(
        c.entity() + " " + c,
        List.of(c.read(), c.loaded(), c.quarantined(), c.deduplicated(), c.pending()),
        equalTo(List.of(read, loaded, quarantined, dedup, pending)));
  }
}
