package io.c360.pipelines.daily;

import io.c360.pipelines.db.Warehouse;
import io.c360.transforms.clean.CleanRows;
import io.c360.transforms.common.BusyTime;
import io.c360.transforms.common.Names;
import io.c360.transforms.dedup.Dedup;
import io.c360.transforms.facts.FactSpec;
import io.c360.transforms.facts.LoadFacts;
import io.c360.transforms.ingest.Partition;
import io.c360.transforms.ingest.ReadEntity;
import io.c360.transforms.jdbc.NamedSql;
import io.c360.transforms.jdbc.PgConnection;
import io.c360.transforms.jdbc.PgCopyWrite;
import io.c360.transforms.jdbc.SqlNames;
import io.c360.transforms.model.Entities;
import io.c360.transforms.model.EntitySpec;
import io.c360.transforms.scd2.DimensionSpec;
import io.c360.transforms.scd2.Scd2;
import io.c360.transforms.scd2.Type1;
import io.c360.transforms.scd2.Type1Spec;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.Wait;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;

/**
 * The load stage of a daily run as one Beam pipeline: for every entity present that day, read → raw
 * landing → clean and validate (rejects to dq.rejected_rows) → dedup → staging; then, by what the
 * entity's declarations make it, SCD2 merge ({@link DimensionSpec}: customers, products), Type 1
 * upsert ({@link Type1Spec}: channels, campaigns), and — once all dimensions are committed — {@link
 * LoadFacts} of every {@link FactSpec} (sales, traffic, web events, inventory), the set-based fact
 * load with pending rows. Files with unknown columns go to dq.file_notices. The reconciliation is
 * read from the transforms' own counters ({@link Reconciliation}).
 *
 * <pre>{@code
 * LoadStage.Landing landing = LoadStage.landing(options.getInput(), runDate, out, e -> {});
 * LoadStage.Result load = LoadStage.run(options, ctx, wh, landing, out);
 * load.counts().get("sales").reconciles();
 * }</pre>
 */
public final class LoadStage {
  private LoadStage() {}

  /** The day's landing: the entities with a folder for the date, and those without one. */
  public record Landing(List<EntitySpec> present, List<EntitySpec> skipped) {}

  /**
   * What the load did: every entity's counts (skipped ones too), the files' unknown-column notices,
   * the run's rejects per entity and rule, the warehouse's dimension and fact figures after it, the
   * time it took, and its steps' busy time per part ({@link BusyTime}: read+parse, transform,
   * write, summed over the runner's threads).
   */
  public record Result(
      Map<String, EntityCounts> counts,
      List<FileNotices> notices,
      Map<String, Long> rejectsByRule,
      Map<String, Long> dimensions,
      Duration took,
      Map<BusyTime.Part, Duration> busy) {}

  /** Staging holds one run per entity: older runs' rows go when a new run starts. */
  private static final Map<EntitySpec, NamedSql> CLEAR_STAGING = new LinkedHashMap<>();

  static {
    for (EntitySpec e : Entities.ALL) {
      CLEAR_STAGING.put(
          e,
          NamedSql.parse(
              "DELETE FROM " + SqlNames.table("staging." + e.name()) + " WHERE run_id <> :run"));
    }
  }

  private static final NamedSql REJECTS_BY_RULE =
      NamedSql.parse(
          "SELECT entity || ' ' || rule, count(*) FROM dq.rejected_rows WHERE run_id = :run"
              + " GROUP BY 1 ORDER BY 2 DESC, 1");

  /** The warehouse after the load; fact counts from the KPI state and its log, no history scan. */
  private static final NamedSql DIMENSIONS =
      NamedSql.parse(
          "SELECT 'dim_customer versions written', count(*) FROM dw.dim_customer WHERE run_id = :run"
              + " UNION ALL SELECT 'dim_customer current', count(*) FROM dw.dim_customer WHERE"
              + " is_current AND NOT is_deleted UNION ALL SELECT 'dim_product versions written',"
              + " count(*) FROM dw.dim_product WHERE run_id = :run"
              + " UNION ALL SELECT 'fact_sales rows', (SELECT coalesce(sum(sales), 0) FROM"
              + " kpi.sales_day) + (SELECT coalesce(sum(sign), 0) FROM kpi.sales_changes)"
              + " UNION ALL SELECT 'fact_traffic rows', (SELECT coalesce(sum(rows), 0) FROM"
              + " kpi.traffic_month) + (SELECT coalesce(sum(sign), 0) FROM"
              + " kpi.traffic_changes) UNION ALL SELECT"
              + " 'pending rows waiting', count(*) FROM dq.pending_rows");

  /**
   * Which entities have a folder for {@code runDate} under {@code input}; prints a line for each
   * that has none and tells {@code onSkipped} at once, so a run that then fails on an empty folder
   * still records the entities skipped before it. Fails naming every folder looked at when the root
   * is missing or the date has none, and naming the folder when one is empty.
   */
  public static Landing landing(
      String input, LocalDate runDate, PrintStream out, Consumer<EntitySpec> onSkipped) {
    List<EntitySpec> present = new ArrayList<>();
    List<EntitySpec> skipped = new ArrayList<>();
    for (Partition part : Partition.ofDate(input, Entities.ALL, runDate)) {
      EntitySpec e = part.entity();
      if (part.isAbsent()) {
        out.printf("  %-9s skipped: no folder %s%n", e.name(), part.folder());
        skipped.add(e);
        onSkipped.accept(e);
      } else {
        part.requireFiles(); // an empty folder is an error naming it
        present.add(e);
      }
    }
    return new Landing(present, skipped);
  }

  /**
   * Loads the landing's entities in one pipeline of its own and returns what it did. The counts are
   * returned whether or not they reconcile: {@link Reconciliation#require} is the runner's step.
   */
  public static Result run(
      C360Options options, RunContext ctx, Warehouse wh, Landing landing, PrintStream out)
      throws Exception {
    clearStaging(wh, ctx.runId());
    out.printf("  loading %s ...%n", landing.present().stream().map(EntitySpec::name).toList());
    Instant t0 = Instant.now();
    options.setJobName(Stages.jobName("load", ctx.runDate(), ctx.runId()));
    Pipeline p = Pipeline.create(options);
    setup(
        p,
        ctx,
        landing.present(),
        options.getInput(),
        options.getCsvDelimiter().charAt(0),
        options.getKeepRaw(),
        options.getCustomersMode() == C360Options.CustomersMode.snapshot
            ? Scd2.Mode.SNAPSHOT
            : Scd2.Mode.DELTA);
    PipelineResult result = Stages.runToEnd(p, "load", out);
    analyzeStaging(wh);
    analyzeChanged(wh);
    Duration took = Duration.between(t0, Instant.now());
    Map<String, EntityCounts> counts = Reconciliation.of(result.metrics(), landing.present());
    try (Connection c = wh.open()) {
      return new Result(
          counts,
          FileNotices.ofRun(c, ctx.runId()),
          figures(c, REJECTS_BY_RULE, ctx.runId()),
          figures(c, DIMENSIONS, ctx.runId()),
          took,
          BusyTime.of(result.metrics()));
    }
  }

  /** Wires the stage into {@code p}; {@code entities} are those whose dt folder exists. */
  public static void setup(
      Pipeline p,
      RunContext ctx,
      List<EntitySpec> entities,
      String input,
      char delimiter,
      boolean keepRaw,
      Scd2.Mode customersMode) {
    List<PCollection<?>> dimensionsDone = new ArrayList<>();
    List<PCollection<Row>> rejects = new ArrayList<>();
    List<PCollection<Row>> notices = new ArrayList<>();

    // Every write to dw waits until every file of the day has been read to its end: a corrupt
    // file (a truncated gzip, garbage Parquet) then fails the run before any dimension or fact
    // changes, instead of after the other entities' merges committed.
    Map<EntitySpec, PCollectionTuple> reads = new LinkedHashMap<>();
    List<PCollection<?>> allRead = new ArrayList<>();
    for (EntitySpec e : entities) {
      PCollectionTuple read =
          p.apply(
              "Read" + Names.upperCamel(e.name()),
              ReadEntity.of(e).from(input).forDate(ctx.runDate()).withCsvDelimiter(delimiter));
      reads.put(e, read);
      notices.add(read.get(ReadEntity.NOTICES));
      allRead.add(read.get(ReadEntity.ROWS));
      allRead.add(read.get(ReadEntity.FAILURES));
    }

    for (EntitySpec e : entities) {
      String n = Names.upperCamel(e.name());
      PCollectionTuple read = reads.get(e);
      PCollection<Row> rows = read.get(ReadEntity.ROWS);
      PCollection<Row> unreadable = read.get(ReadEntity.FAILURES);
      if (keepRaw) {
        rows.apply(
            "WriteRaw" + n,
            PgCopyWrite.into("raw." + e.name())
                .withConnection(ctx.pg())
                .withConstant("run_id", ctx.runId())
                .withConstant("dt", ctx.runDate())
                .withConflictColumns("run_id", "source_file", "line_no"));
      }

      PCollectionTuple cleaned =
          rows.apply(
              "Clean" + n,
              CleanRows.of(ctx.accepting(e)).withRunDate(ctx.runDate()).withTimezone(ctx.zone()));
      PCollection<Row> entityRejects =
          PCollectionList.of(unreadable)
              .and(cleaned.get(CleanRows.REJECTED))
              .apply("Flatten" + n + "Rejects", Flatten.pCollections());
      rejects.add(entityRejects);

      PCollectionTuple deduped = cleaned.get(CleanRows.CLEAN).apply("Dedup" + n, Dedup.of(e));
      PCollection<Row> kept = deduped.get(Dedup.KEPT);

      PCollection<Long> stagedWrite =
          kept.apply(
              "Stage" + n,
              PgCopyWrite.into("staging." + e.name())
                  .withConnection(ctx.pg())
                  .withConstant("run_id", ctx.runId())
                  .withConflictColumns("run_id", "source_file", "line_no"));

      // What follows staging is the entity's kind (its declarations): an SCD2 merge, a Type 1
      // upsert, or nothing until the fact load below.
      Optional<DimensionSpec> scd2 = DimensionSpec.of(e);
      Optional<Type1Spec> type1 = Type1Spec.of(e);
      if (scd2.isPresent() && scd2.get() == DimensionSpec.CUSTOMER) {
        // A customer whose rows were all quarantined was in the file: a snapshot keeps it.
        dimensionsDone.add(
            PCollectionTuple.of(Scd2.ROWS, afterAllRead(kept, n, allRead))
                .and(
                    Scd2.PRESENT_KEYS,
                    afterAllRead(
                        cleaned.get(CleanRows.REJECTED_KEYS),
                        Names.upperCamel(scd2.get().name().toLowerCase(Locale.ROOT)) + "Keys",
                        allRead))
                .apply(
                    "MergeDim" + Names.upperCamel(scd2.get().name().toLowerCase(Locale.ROOT)),
                    merge(scd2.get(), ctx, customersMode).countingPresent()));
      } else if (scd2.isPresent()) {
        dimensionsDone.add(
            afterAllRead(kept, n, allRead)
                .apply(
                    "MergeDim" + Names.upperCamel(scd2.get().name().toLowerCase(Locale.ROOT)),
                    merge(scd2.get(), ctx, Scd2.Mode.DELTA)));
      } else if (type1.isPresent()) {
        dimensionsDone.add(
            afterAllRead(stagedWrite, n, allRead)
                .apply(
                    "UpsertDim" + Names.upperCamel(type1.get().name().toLowerCase(Locale.ROOT)),
                    Type1.upsert(type1.get()).withConnection(ctx.pg()).withRunId(ctx.runId())));
      } else {
        dimensionsDone.add(stagedWrite);
      }
    }

    if (!rejects.isEmpty()) {
      PCollectionList.of(rejects)
          .apply("FlattenRejects", Flatten.pCollections())
          .apply(
              "WriteRejects",
              PgCopyWrite.into("dq.rejected_rows")
                  .withConnection(ctx.pg())
                  .withConstant("run_id", ctx.runId())
                  .withConflictColumns("run_id", "source_file", "line_no", "rule"));
    }

    // Unknown columns reach the summary through the warehouse, whichever runner ran (FileNotices).
    if (!notices.isEmpty()) {
      PCollectionList.of(notices)
          .apply("FlattenNotices", Flatten.pCollections())
          .setRowSchema(ReadEntity.NOTICE_SCHEMA)
          .apply(
              "WriteNotices",
              PgCopyWrite.into("dq.file_notices")
                  .withConnection(ctx.pg())
                  .withConstant("run_id", ctx.runId())
                  .withConflictColumns("run_id", "source_file"));
    }

    // Facts run after every dimension (and every staged fact) is committed. Pending rows from
    // earlier runs are retried even when the day has no file for the entity.
    PCollection<String> committed = p.apply("SignalDimensions", Create.of("dimensions"));
    if (!dimensionsDone.isEmpty()) {
      committed = committed.apply("WaitForDimensions", Wait.on(dimensionsDone));
    }
    if (!allRead.isEmpty()) {
      committed = committed.apply("WaitForAllReads", Wait.on(allRead));
    }
    committed.apply(
        "LoadAllFacts",
        LoadFacts.of(FactSpec.values())
            .withConnection(ctx.pg())
            .withRunId(ctx.runId())
            .withTimezone(ctx.zone()));
  }

  /** {@code rows}, released only once every file of the day has been read. */
  private static <T> PCollection<T> afterAllRead(
      PCollection<T> rows, String name, List<PCollection<?>> allRead) {
    // Wait.on maps into the element type and so loses a Row's schema coder: set it back.
    return rows.apply("WaitForAllReads" + name, Wait.on(allRead)).setCoder(rows.getCoder());
  }

  private static Scd2.Merge merge(DimensionSpec dim, RunContext ctx, Scd2.Mode mode) {
    return Scd2.merge(dim)
        .withConnection(ctx.pg())
        .withRunId(ctx.runId())
        .withDefaultValidFrom(ctx.runDateStart())
        .withTimezone(ctx.zone())
        .withMode(mode);
  }

  private static void clearStaging(Warehouse wh, long runId) throws Exception {
    try (Connection c = wh.open()) {
      for (NamedSql delete : CLEAR_STAGING.values()) {
        try (PreparedStatement ps = delete.prepare(c, Map.of("run", runId))) {
          ps.executeUpdate();
        }
      }
    }
  }

  /**
   * Fresh planner statistics for the checks over the dimensions' staging rows: autovacuum analyzes
   * the freshly replaced tables only later, and with the previous run's statistics PostgreSQL
   * planned a check as a loop over "one row" that took minutes on 20,000. The facts' staging tables
   * are analyzed by {@link LoadFacts} inside the load, before it reads them, and nothing writes
   * them after that.
   */
  private static void analyzeStaging(Warehouse wh) throws Exception {
    try (Connection c = wh.open()) {
      for (EntitySpec e : Entities.ALL) {
        if (FactSpec.of(e).isEmpty()) {
          PgConnection.analyzeStaging(c, e.name());
        }
      }
    }
  }

  /**
   * Fresh planner statistics for the dw tables and partitions this load changed by more than
   * autovacuum's threshold ({@code dw.analyze_changed}, sql/V70), before the checks and the KPI
   * stage read them: a first day's new month partitions have none until autovacuum comes round, and
   * a §8 mart's read planned without them ran for minutes.
   */
  private static void analyzeChanged(Warehouse wh) throws Exception {
    try (Connection c = wh.open();
        PreparedStatement ps = c.prepareStatement("SELECT dw.analyze_changed()")) {
      ps.execute();
    }
  }

  /** Label → count, in the query's order, of a query of the run {@code :run}. */
  private static Map<String, Long> figures(Connection c, NamedSql query, long runId)
      throws Exception {
    Map<String, Long> m = new LinkedHashMap<>();
    try (PreparedStatement ps = query.prepare(c, Map.of("run", runId));
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        m.put(rs.getString(1), rs.getLong(2));
      }
    }
    return m;
  }
}
