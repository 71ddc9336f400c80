package io.c360.pipelines.daily;

import io.c360.pipelines.checks.CheckFile;
import io.c360.pipelines.checks.CheckRunner;
import io.c360.pipelines.checks.EntityLoad;
import io.c360.pipelines.checks.Outcome;
import io.c360.pipelines.db.Migrations;
import io.c360.pipelines.db.Warehouse;
import io.c360.transforms.ingest.IngestException;
import io.c360.transforms.ingest.S3Setup;
import io.c360.transforms.quality.Quarantine;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * One daily run, in the order of SPEC's data flow: options checked, warehouse migrated, lock taken
 * and run recorded, {@link LoadStage}, reconciliation and the checks of the run's checks file,
 * {@link KpiStage}, then the run's outcome recorded and its summary printed. The stages are
 * functions tests call alone; the work is in the transforms they wire.
 */
public final class DailyRun {
  private DailyRun() {}

  /** Opens the warehouse the options name, runs, closes it. */
  public static RunSummary execute(C360Options options, PrintStream out) throws Exception {
    RunOptions.check(options); // a usage error is reported before the embedded PostgreSQL starts
    try (Warehouse wh =
        Warehouse.open(
            options.getJdbcUrl(),
            options.getDbUser(),
            options.getPasswordFile() == null ? null : Path.of(options.getPasswordFile()),
            options.getJdbcPasswordSecret(),
            Path.of(options.getDataDir()),
            options.getPgPort(),
            out)) {
      return execute(options, wh, out);
    }
  }

  /** Runs one date against an open warehouse (demo and backfill keep one open across dates). */
  public static RunSummary execute(C360Options options, Warehouse wh, PrintStream out)
      throws Exception {
    Instant started = Instant.now();
    RunOptions.check(options);
    CheckFile checkFile = RunOptions.checkFile(options);
    LocalDate runDate = LocalDate.parse(options.getRunDate());
    LocalDate asOf = options.getAsOf() == null ? runDate : LocalDate.parse(options.getAsOf());
    RunnerDefaults.apply(options);
    S3Setup.configure(options); // file systems for local, s3:// (path-style if asked) and gs://
    Migrations.migrate(wh.connection());

    try (RunRecorder recorder = RunRecorder.lock(wh.connection(), options.getWaitForLock())) {
      String runner = options.getRunner().getSimpleName();
      long runId = recorder.start("daily", runDate, asOf, runner, RunOptions.recorded(options));
      RunContext ctx =
          new RunContext(runId, runDate, asOf, ZoneId.of(options.getTimezone()), wh.connection())
              .withAcceptedValues(checkFile.accepted());
      out.printf(
          "c360 run %d: runDate %s, asOf %s, runner %s, input %s%n",
          runId, runDate, asOf, runner, options.getInput());
      RunSummary.Builder summary = RunSummary.builder(runId, runDate, asOf, runner, started);
      summary.reportDir(options.getReportDir()); // written and named as the summary prints
      try {
        LoadStage.Landing landing =
            LoadStage.landing(options.getInput(), runDate, out, e -> summary.skipped(e.name()));
        recorder.checkHeld("load");
        LoadStage.Result load = LoadStage.run(options, ctx, wh, landing, out);
        summary.stage("load", load.took()).busy("load", load.busy());
        load.counts().values().forEach(summary::entity);
        summary.notices(load.notices());
        summary.rejectsByRule(load.rejectsByRule());
        summary.dimensions(load.dimensions());

        recorder.checkHeld("checks");
        Outcome checks = runChecks(wh, ctx, checkFile, load.counts());
        summary.checks(checks);
        Reconciliation.require(load.counts()); // a mismatch is in dq.check_results first
        if (checks.hasFailedErrors()) {
          throw new IllegalStateException(
              "data-quality check failed, marts not replaced: " + checks.firstErrorMessage());
        }

        recorder.checkHeld("marts");
        summary.stage("marts", KpiStage.run(options, ctx, out).took());

        RunSummary s = summary.succeeded(Instant.now());
        recorder.finish(
            runId,
            "succeeded",
            Quarantine.toJson(s.countsJson()),
            Quarantine.toJson(s.noticesJson()),
            null);
        s.print(out, wh);
        return s;
      } catch (Exception e) {
        // A bad file surfaces deep in the runner's exception chain; its message names file and
        // rule.
        IngestException bad = IngestException.findIn(e);
        RunSummary s = summary.failed(Instant.now(), bad != null ? bad : e);
        try {
          recorder.finish(
              runId,
              "failed",
              Quarantine.toJson(s.countsJson()),
              Quarantine.toJson(s.noticesJson()),
              s.message());
        } catch (SQLException unrecorded) {
          // the warehouse is unreachable (the fault that failed the run, often): the next run
          // records this one as abandoned; the run's own error is the one to report
          out.printf("  run %d could not record its failure: %s%n", runId, unrecorded.getMessage());
        }
        s.print(out, wh);
        return s;
      }
    }
  }

  /** The data-quality checks of the run, after the load and before the marts (SPEC §5). */
  private static Outcome runChecks(
      Warehouse wh, RunContext ctx, CheckFile file, Map<String, EntityCounts> counts)
      throws Exception {
    Map<String, EntityLoad> loads = new LinkedHashMap<>();
    counts.forEach((k, v) -> loads.put(k, v.toLoad()));
    try (Connection c = wh.open()) {
      return CheckRunner.run(
          c, file, ctx.runId(), ctx.runDateStart().plus(Duration.ofDays(1)), loads);
    }
  }

  /** For tests and the demo: options from plain arguments. */
  public static C360Options options(String... args) {
    PipelineOptionsFactory.register(C360Options.class);
    return PipelineOptionsFactory.fromArgs(args).withValidation().as(C360Options.class);
  }
}
