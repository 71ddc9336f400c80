package io.c360.pipelines.daily;

import io.c360.transforms.clean.CleanRows;
import io.c360.transforms.dedup.Dedup;
import io.c360.transforms.grouping.ShardedGroupByKey;
import io.c360.transforms.ingest.ReadEntity;
import io.c360.transforms.jdbc.PgCopyWrite;
import io.c360.transforms.model.Entities;
import io.c360.transforms.model.EntitySpec;
import io.c360.transforms.scd2.DimensionSpec;
import io.c360.transforms.scd2.Scd2;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.Keys;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Wait;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The load stage of a daily run as one Beam pipeline: for every entity present that day, read → raw
 * landing → clean and validate (rejects to dq.rejected_rows) → dedup → staging; then SCD2 merge of
 * customers and products, Type 1 channels, and — once all dimensions are committed — the set-based
 * fact load with pending rows. Every count of the reconciliation is a Beam counter ({@link Tally}),
 * read back by {@link DailyRun}.
 */
public final class LoadPipeline {
  private LoadPipeline() {}

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

    // Every write to dw waits until every file of the day has been read to its end: a corrupt
    // file (a truncated gzip, garbage Parquet) then fails the run before any dimension or fact
    // changes, instead of after the other entities' merges committed.
    Map<EntitySpec, PCollectionTuple> reads = new LinkedHashMap<>();
    List<PCollection<?>> allRead = new ArrayList<>();
    for (EntitySpec e : entities) {
      PCollectionTuple read =
          p.apply(
              "Read" + camel(e.name()),
              ReadEntity.of(e).from(input).forDate(ctx.runDate()).withCsvDelimiter(delimiter));
      reads.put(e, read);
      allRead.add(read.get(ReadEntity.ROWS));
      allRead.add(read.get(ReadEntity.FAILURES));
    }

    for (EntitySpec e : entities) {
      String n = camel(e.name());
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
      Tally.count(rows, "Count" + n + "Read", e.name(), "read");
      Tally.count(
          distinctRows(unreadable, "Distinct" + n + "Unreadable"),
          "Count" + n + "Unreadable",
          e.name(),
          "read");

      PCollectionTuple cleaned =
          rows.apply(
              "Clean" + n, CleanRows.of(e).withRunDate(ctx.runDate()).withTimezone(ctx.zone()));
      PCollection<Row> entityRejects =
          PCollectionList.of(unreadable)
              .and(cleaned.get(CleanRows.REJECTED))
              .apply("Flatten" + n + "Rejects", Flatten.pCollections());
      rejects.add(entityRejects);
      Tally.count(
          distinctRows(entityRejects, "Distinct" + n + "Quarantined"),
          "Count" + n + "Quarantined",
          e.name(),
          "quarantined");

      PCollectionTuple deduped = cleaned.get(CleanRows.CLEAN).apply("Dedup" + n, Dedup.of(e));
      Tally.count(
          deduped.get(Dedup.DROPPED), "Count" + n + "Deduplicated", e.name(), "deduplicated");
      PCollection<Row> kept = deduped.get(Dedup.KEPT);
      Tally.count(kept, "Count" + n + "Staged", e.name(), "staged");

      PCollection<Long> stagedWrite =
          kept.apply(
              "Stage" + n,
              PgCopyWrite.into("staging." + e.name())
                  .withConnection(ctx.pg())
                  .withConstant("run_id", ctx.runId())
                  .withConflictColumns("run_id", "source_file", "line_no"));

      if (e == Entities.CUSTOMERS) {
        // A customer whose rows were all quarantined was in the file: a snapshot keeps it.
        dimensionsDone.add(
            PCollectionTuple.of(Scd2.ROWS, afterAllRead(kept, "Customers", allRead))
                .and(
                    Scd2.PRESENT_KEYS,
                    afterAllRead(cleaned.get(CleanRows.REJECTED_KEYS), "CustomerKeys", allRead))
                .apply(
                    "MergeDimCustomer",
                    merge(DimensionSpec.CUSTOMER, ctx, customersMode).countingPresent()));
      } else if (e == Entities.PRODUCTS) {
        dimensionsDone.add(
            afterAllRead(kept, "Products", allRead)
                .apply("MergeDimProduct", merge(DimensionSpec.PRODUCT, ctx, Scd2.Mode.DELTA)));
      } else if (e == Entities.CHANNELS) {
        dimensionsDone.add(
            p.apply("SignalChannels", Create.of(Entities.CHANNELS.name()))
                .apply("WaitForStagedChannels", Wait.on(stagedWrite))
                .apply("WaitForAllReadsChannels", Wait.on(allRead))
                .apply("UpsertDimChannel", ParDo.of(new SqlStep(ctx, SqlStep.Kind.CHANNELS))));
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

    // Facts run after every dimension (and every staged fact) is committed. Pending rows from
    // earlier runs are retried even when the day has no file for the entity.
    PCollection<String> factSignal = p.apply("SignalFacts", Create.of("sales", "traffic"));
    if (!dimensionsDone.isEmpty()) {
      factSignal = factSignal.apply("WaitForDimensions", Wait.on(dimensionsDone));
    }
    if (!allRead.isEmpty()) {
      factSignal = factSignal.apply("WaitForAllReads", Wait.on(allRead));
    }
    factSignal.apply("LoadFacts", ParDo.of(new SqlStep(ctx, SqlStep.Kind.FACTS)));
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

  /** One element per distinct (source_file, line_no): a row rejected by two rules counts once. */
  private static PCollection<String> distinctRows(PCollection<Row> rejects, String name) {
    return rejects
        .apply(
            name + "Keys",
            MapElements.into(
                    TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.integers()))
                .via(
                    r ->
                        KV.of(
                            r.getString(EntitySpec.SOURCE_FILE) + "\n" + r.getInt64("line_no"), 1)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), VarIntCoder.of()))
        // not Distinct.create(): on the Direct runner that is one bundle per rejected row
        .apply(name, ShardedGroupByKey.<Integer>create())
        .apply(name + "Once", Keys.create());
  }

  static String camel(String snake) {
    StringBuilder b = new StringBuilder();
    for (String part : snake.split("_")) {
      b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    return b.toString();
  }

  /** A set-based SQL step run once per signal element, after the steps it waits on. */
  static final class SqlStep extends DoFn<String, String> {
    enum Kind {
      CHANNELS,
      FACTS
    }

    private final RunContext ctx;
    private final Kind kind;
    private final Counter salesLoaded = Metrics.counter(Tally.NAMESPACE, "sales.loaded");
    private final Counter salesPending = Metrics.counter(Tally.NAMESPACE, "sales.pending");
    private final Counter salesResolved = Metrics.counter(Tally.NAMESPACE, "sales.resolved");
    private final Counter salesWaiting = Metrics.counter(Tally.NAMESPACE, "sales.still_pending");
    private final Counter trafficLoaded = Metrics.counter(Tally.NAMESPACE, "traffic.loaded");
    private final Counter trafficPending = Metrics.counter(Tally.NAMESPACE, "traffic.pending");
    private final Counter trafficResolved = Metrics.counter(Tally.NAMESPACE, "traffic.resolved");
    private final Counter trafficWaiting =
        Metrics.counter(Tally.NAMESPACE, "traffic.still_pending");
    private final Counter channelsChanged = Metrics.counter(Tally.NAMESPACE, "channels.changed");

    SqlStep(RunContext ctx, Kind kind) {
      this.ctx = ctx;
      this.kind = kind;
    }

    @ProcessElement
    public void process(@Element String what, OutputReceiver<String> out) throws Exception {
      try (Connection c = ctx.pg().open()) {
        if (kind == Kind.CHANNELS) {
          channelsChanged.inc(FactLoader.upsertChannels(c, ctx.runId()));
        } else if (what.equals("sales")) {
          FactLoader.Result r = FactLoader.loadSales(c, ctx.runId(), ctx.zone());
          salesLoaded.inc(r.loaded());
          salesPending.inc(r.pending());
          salesResolved.inc(r.resolved());
          salesWaiting.inc(r.stillPending());
        } else {
          FactLoader.Result r = FactLoader.loadTraffic(c, ctx.runId(), ctx.zone());
          trafficLoaded.inc(r.loaded());
          trafficPending.inc(r.pending());
          trafficResolved.inc(r.resolved());
          trafficWaiting.inc(r.stillPending());
        }
      }
      out.output(what);
    }
  }
}
