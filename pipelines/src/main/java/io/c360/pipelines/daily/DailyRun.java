package io.c360.pipelines.daily;

import io.c360.pipelines.checks.CheckFile;
import io.c360.pipelines.checks.CheckFileException;
import io.c360.pipelines.checks.CheckRunner;
import io.c360.pipelines.checks.EntityLoad;
import io.c360.pipelines.checks.Outcome;
import io.c360.pipelines.db.Migrations;
import io.c360.pipelines.db.Warehouse;
import io.c360.transforms.ingest.IngestException;
import io.c360.transforms.ingest.Partition;
import io.c360.transforms.ingest.ReadEntity;
import io.c360.transforms.ingest.S3Setup;
import io.c360.transforms.jdbc.PgConnection;
import io.c360.transforms.model.Entities;
import io.c360.transforms.model.EntitySpec;
import io.c360.transforms.quality.Quarantine;
import io.c360.transforms.scd2.Scd2;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.display.DisplayData;

/**
 * One daily run, end to end: migrate, lock, record the run, the load pipeline, reconciliation and
 * checks, the KPI pipeline, the run record and the summary. Thin by design: the work is in the
 * transforms the pipelines wire.
 */
public final class DailyRun {
  private DailyRun() {}

  /** How often a running stage prints a progress line (SPEC §7). */
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(30);

  /** Opens the warehouse the options name, runs, closes it. */
  public static RunSummary execute(C360Options options, PrintStream out) throws Exception {
    validate(options); // a usage error is reported before the embedded PostgreSQL starts
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
    validate(options);
    CheckFile checkFile = checkFile(options);
    LocalDate runDate = LocalDate.parse(options.getRunDate());
    LocalDate asOf = options.getAsOf() == null ? runDate : LocalDate.parse(options.getAsOf());
    ZoneId zone = ZoneId.of(options.getTimezone());
    RunnerDefaults.apply(options);
    S3Setup.configure(options); // file systems for local, s3:// (path-style if asked) and gs://
    Migrations.migrate(wh.connection());

    try (RunRecorder recorder = RunRecorder.lock(wh.connection(), options.getWaitForLock())) {
      String runner = options.getRunner().getSimpleName();
      long runId = recorder.start("daily", runDate, asOf, runner, optionsMap(options));
      RunContext ctx =
          new RunContext(runId, runDate, asOf, zone, wh.connection())
              .withAcceptedValues(checkFile.accepted());
      out.printf(
          "c360 run %d: runDate %s, asOf %s, runner %s, input %s%n",
          runId, runDate, asOf, runner, options.getInput());
      RunSummary.Builder summary = RunSummary.builder(runId, runDate, asOf, runner, started);
      try {
        List<EntitySpec> present = new ArrayList<>();
        // fails naming every folder looked at when the root is missing or the date has none
        for (Partition part : Partition.ofDate(options.getInput(), Entities.ALL, runDate)) {
          EntitySpec e = part.entity();
          if (part.isAbsent()) {
            out.printf("  %-9s skipped: no folder %s%n", e.name(), part.folder());
            summary.skipped(e.name());
          } else {
            part.requireFiles(); // an empty folder is an error naming it
            present.add(e);
          }
        }
        recorder.checkHeld("load");
        clearStaging(wh, runId);

        out.printf("  loading %s ...%n", present.stream().map(EntitySpec::name).toList());
        Instant t0 = Instant.now();
        options.setJobName(jobName("load", runDate, runId));
        Pipeline load = Pipeline.create(options);
        LoadPipeline.setup(
            load,
            ctx,
            present,
            options.getInput(),
            options.getCsvDelimiter().charAt(0),
            options.getKeepRaw(),
            options.getCustomersMode() == C360Options.CustomersMode.snapshot
                ? Scd2.Mode.SNAPSHOT
                : Scd2.Mode.DELTA);
        PipelineResult loadResult = runToEnd(load, "load", out);
        Map<String, Long> counters = counters(loadResult);
        analyzeStaging(wh);
        summary.stage("load", Duration.between(t0, Instant.now()));

        Map<String, EntityCounts> counts = reconcile(present, counters);
        counts.values().forEach(summary::entity);
        summary.notices(notices(wh, runId));
        summary.rejectsByRule(rejectsByRule(wh, runId));
        summary.dimensions(dimensionCounts(wh, runId));
        List<String> broken =
            counts.values().stream()
                .filter(c -> !c.reconciles())
                .map(EntityCounts::entity)
                .toList();
        recorder.checkHeld("checks");
        Outcome checks = runChecks(wh, ctx, checkFile, counts);
        summary.checks(checks);
        if (!broken.isEmpty()) { // recorded by the reconciliation checks first
          throw new IllegalStateException(
              "counts do not reconcile for "
                  + broken
                  + ": read ≠ loaded + quarantined + deduplicated + pending");
        }
        if (checks.hasFailedErrors()) {
          throw new IllegalStateException(
              "data-quality check failed, marts not replaced: " + checks.firstErrorMessage());
        }

        out.printf("  computing KPI marts for %s ...%n", asOf);
        Instant t1 = Instant.now();
        options.setJobName(jobName("marts", asOf, runId));
        recorder.checkHeld("marts");
        Pipeline marts = Pipeline.create(options);
        KpiStage.setup(marts, ctx);
        runToEnd(marts, "marts", out);
        summary.stage("marts", Duration.between(t1, Instant.now()));

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

  /**
   * Checks the options a daily run needs before anything is opened or recorded: --runDate (and
   * --asOf) are dates, --input is given, --timezone is a zone, --csvDelimiter is one usable
   * character.
   *
   * @throws InvalidOptionsException naming the option; the command line exits with code 2
   */
  public static void validate(C360Options options) {
    if (options.getRunDate() == null) {
      throw new InvalidOptionsException("--runDate=YYYY-MM-DD is required");
    }
    date("--runDate", options.getRunDate());
    if (options.getAsOf() != null) {
      date("--asOf", options.getAsOf());
    }
    if (options.getInput() == null || options.getInput().isBlank()) {
      throw new InvalidOptionsException(
          "--input=<landing root> is required: a local folder, s3://bucket/prefix or"
              + " gs://bucket/prefix");
    }
    try {
      ZoneId.of(options.getTimezone());
    } catch (DateTimeException e) {
      throw new InvalidOptionsException(
          "--timezone=" + options.getTimezone() + " is not a time zone (e.g. UTC, Europe/Paris)",
          e);
    }
    String delimiter = options.getCsvDelimiter();
    if (delimiter == null || delimiter.length() != 1) {
      throw new InvalidOptionsException(
          "--csvDelimiter must be one character, got '" + delimiter + "'");
    }
    try {
      ReadEntity.of(Entities.SALES).withCsvDelimiter(delimiter.charAt(0));
    } catch (IllegalArgumentException e) {
      throw new InvalidOptionsException("--" + e.getMessage(), e);
    }
    checkFile(options);
  }

  /** The run's checks file (--checks, else the defaults), its errors naming file and line. */
  static CheckFile checkFile(C360Options options) {
    try {
      return CheckFile.load(options.getChecks());
    } catch (CheckFileException e) {
      throw new InvalidOptionsException("--checks: " + e.getMessage(), e);
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

  private static void date(String option, String value) {
    try {
      LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw new InvalidOptionsException(
          option + "=" + value + " is not a date YYYY-MM-DD (" + e.getMessage() + ")", e);
    }
  }

  /**
   * One job name per pipeline, so a Flink or Dataflow console tells the two stages and the days
   * apart: {@code c360-load-20260330-run12}. Lower case, digits and dashes only, as Dataflow
   * requires; c360 sets it, so a {@code --jobName} given on the command line is replaced.
   */
  static String jobName(String stage, LocalDate date, long runId) {
    return "c360-" + stage + "-" + date.toString().replace("-", "") + "-run" + runId;
  }

  /**
   * Runs a stage's pipeline to its end, printing {@link Progress} lines while it runs, and fails
   * unless it ended DONE (Dataflow's {@code waitUntilFinish} returns FAILED instead of throwing).
   */
  private static PipelineResult runToEnd(Pipeline p, String stage, PrintStream out) {
    try (Progress progress = Progress.start(out, stage, PROGRESS_EVERY)) {
      PipelineResult r = p.run();
      progress.attach(r);
      PipelineResult.State state = r.waitUntilFinish();
      if (state != null && state != PipelineResult.State.DONE) {
        throw new IllegalStateException(stage + " pipeline ended " + state + ", not DONE");
      }
      return r;
    }
  }

  /**
   * The options of the run as recorded in {@code ops.pipeline_runs.options} (SPEC §5): every option
   * that was set — on the command line or by c360 before the run — whatever interface declares it
   * (c360's, --runner, --flinkMaster, --parallelism, --project, --region, --endpoint, --awsRegion,
   * ...), plus the runner. Defaults nobody set are left out. {@link RunRecorder} masks anything
   * that looks like a secret.
   */
  static Map<String, Object> optionsMap(PipelineOptions options) {
    // Display data lists the options set on the proxy, but only those of interfaces it has been
    // viewed as; an option of another registered interface (--flinkMaster before the Flink runner
    // looked at it) would be missing, so every registered interface is made known first.
    for (Class<? extends PipelineOptions> i : PipelineOptionsFactory.getRegisteredOptions()) {
      options.as(i);
    }
    Map<String, Object> m = new TreeMap<>();
    for (DisplayData.Item item : DisplayData.from(options).items()) {
      Object v = item.getValue();
      m.putIfAbsent(item.getKey(), v instanceof Class<?> c ? c.getName() : v);
    }
    m.put("runner", options.getRunner().getName());
    return m;
  }

  /** Staging holds one run per entity: older runs' rows go when a new run starts. */
  private static void clearStaging(Warehouse wh, long runId) throws Exception {
    try (Connection c = wh.open();
        Statement st = c.createStatement()) {
      for (EntitySpec e : Entities.ALL) {
        st.executeUpdate("DELETE FROM staging." + e.name() + " WHERE run_id <> " + runId);
      }
    }
  }

  /**
   * The checks query this run's staging rows; autovacuum analyzes the freshly replaced tables only
   * later, and with the previous run's statistics PostgreSQL planned a check as a loop over "one
   * row" that took minutes on 20,000.
   */
  /**
   * Fresh planner statistics for the checks over the dimensions' staging rows. Sales and traffic
   * staging are analyzed by {@link io.c360.transforms.facts.LoadFacts} inside the load, before it
   * reads them, and nothing writes them after that.
   */
  private static void analyzeStaging(Warehouse wh) throws Exception {
    try (Connection c = wh.open()) {
      for (EntitySpec e : Entities.ALL) {
        if (e != Entities.SALES && e != Entities.TRAFFIC) {
          PgConnection.analyzeStaging(c, e.name());
        }
      }
    }
  }

  static Map<String, Long> counters(PipelineResult result) {
    Map<String, Long> m = new HashMap<>();
    MetricQueryResults q = result.metrics().queryMetrics(MetricsFilter.builder().build());
    for (MetricResult<Long> c : q.getCounters()) {
      if (!c.getName().getNamespace().equals(Tally.NAMESPACE)) {
        continue;
      }
      long v;
      try {
        v = c.getCommitted();
      } catch (UnsupportedOperationException e) {
        v = c.getAttempted();
      }
      m.merge(c.getName().getName(), v, Long::sum);
    }
    return m;
  }

  static Map<String, EntityCounts> reconcile(List<EntitySpec> present, Map<String, Long> k) {
    Map<String, EntityCounts> out = new LinkedHashMap<>();
    for (EntitySpec e : Entities.ALL) {
      String n = e.name();
      boolean fact = e == Entities.SALES || e == Entities.TRAFFIC;
      long read = k.getOrDefault(n + ".read", 0L);
      long staged = k.getOrDefault(n + ".staged", 0L);
      long pending = fact ? k.getOrDefault(n + ".pending", 0L) : 0L;
      long loaded = fact ? k.getOrDefault(n + ".loaded", 0L) : staged;
      out.put(
          n,
          new EntityCounts(
              n,
              present.contains(e) ? EntityCounts.PRESENT : EntityCounts.SKIPPED,
              read,
              loaded,
              k.getOrDefault(n + ".quarantined", 0L),
              k.getOrDefault(n + ".deduplicated", 0L),
              pending,
              fact ? k.getOrDefault(n + ".resolved", 0L) : 0L,
              fact ? k.getOrDefault(n + ".still_pending", 0L) : 0L));
    }
    return out;
  }

  private static List<FileNotices> notices(Warehouse wh, long runId) throws Exception {
    try (Connection c = wh.open()) {
      return FileNotices.ofRun(c, runId);
    }
  }

  private static Map<String, Long> rejectsByRule(Warehouse wh, long runId) throws Exception {
    Map<String, Long> m = new LinkedHashMap<>();
    try (Connection c = wh.open();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT entity || ' ' || rule, count(*) FROM dq.rejected_rows WHERE run_id = ?"
                    + " GROUP BY 1 ORDER BY 2 DESC, 1")) {
      ps.setLong(1, runId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          m.put(rs.getString(1), rs.getLong(2));
        }
      }
    }
    return m;
  }

  private static Map<String, Long> dimensionCounts(Warehouse wh, long runId) throws Exception {
    Map<String, Long> m = new LinkedHashMap<>();
    try (Connection c = wh.open();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT 'dim_customer versions written', count(*) FROM dw.dim_customer WHERE run_id = "
                    + runId
                    + " UNION ALL SELECT 'dim_customer current', count(*) FROM dw.dim_customer WHERE"
                    + " is_current AND NOT is_deleted UNION ALL SELECT 'dim_product versions written',"
                    + " count(*) FROM dw.dim_product WHERE run_id = "
                    + runId
                    // fact counts from the KPI state and its unfolded log: no scan of history
                    + " UNION ALL SELECT 'fact_sales rows', (SELECT coalesce(sum(sales), 0) FROM"
                    + " kpi.sales_day) + (SELECT coalesce(sum(sign), 0) FROM kpi.sales_changes)"
                    + " UNION ALL SELECT 'fact_traffic rows', (SELECT coalesce(sum(rows), 0) FROM"
                    + " kpi.traffic_month) + (SELECT coalesce(sum(sign), 0) FROM"
                    + " kpi.traffic_changes) UNION ALL SELECT"
                    + " 'pending rows waiting', count(*) FROM dq.pending_rows")) {
      while (rs.next()) {
        m.put(rs.getString(1), rs.getLong(2));
      }
    }
    return m;
  }

  /** For tests and the demo: options from plain arguments. */
  public static C360Options options(String... args) {
    PipelineOptionsFactory.register(C360Options.class);
    return PipelineOptionsFactory.fromArgs(args).withValidation().as(C360Options.class);
  }
}
