package io.c360.pipelines.daily;

import io.c360.transforms.clean.CleanRows;
import io.c360.transforms.common.Names;
import io.c360.transforms.dedup.Dedup;
import io.c360.transforms.facts.FactLoadStats;
import io.c360.transforms.facts.FactSpec;
import io.c360.transforms.facts.LoadFacts;
import io.c360.transforms.grouping.ShardedGroupByKey;
import io.c360.transforms.ingest.ReadEntity;
import io.c360.transforms.jdbc.PgCopyWrite;
import io.c360.transforms.model.Entities;
import io.c360.transforms.model.EntitySpec;
import io.c360.transforms.scd2.DimensionSpec;
import io.c360.transforms.scd2.Scd2;
import io.c360.transforms.scd2.Type1;
import io.c360.transforms.scd2.Type1Spec;
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
 * customers and products, Type 1 channels, and — once all dimensions are committed — {@link
 * LoadFacts}, the set-based fact load with pending rows. Files with unknown columns go to
 * dq.file_notices. Every count of the reconciliation is a Beam counter ({@link Tally}), read back
 * by {@link DailyRun}.
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
      Tally.count(rows, "Count" + n + "Read", e.name(), "read");
      Tally.count(
          distinctRows(unreadable, "Distinct" + n + "Unreadable"),
          "Count" + n + "Unreadable",
          e.name(),
          "read");

      PCollectionTuple cleaned =
          rows.apply(
              "Clean" + n,
              CleanRows.of(ctx.accepting(e)).withRunDate(ctx.runDate()).withTimezone(ctx.zone()));
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
        PCollection<Long> changed =
            afterAllRead(stagedWrite, "Channels", allRead)
                .apply(
                    "UpsertDimChannel",
                    Type1.upsert(Type1Spec.CHANNEL)
                        .withConnection(ctx.pg())
                        .withRunId(ctx.runId()));
        changed.apply("CountChannelsChanged", ParDo.of(new CountChannelsChanged()));
        dimensionsDone.add(changed);
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
    committed
        .apply(
            "LoadSalesAndTraffic",
            LoadFacts.of(FactSpec.SALES, FactSpec.TRAFFIC)
                .withConnection(ctx.pg())
                .withRunId(ctx.runId())
                .withTimezone(ctx.zone()))
        .apply("CountFacts", ParDo.of(new CountFacts()));
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

  /** The fact loads' counts into the run's reconciliation counters ("c360", "sales.loaded", …). */
  static final class CountFacts extends DoFn<FactLoadStats, Void> {
    @ProcessElement
    public void process(@Element FactLoadStats s) {
      Metrics.counter(Tally.NAMESPACE, Tally.counterName(s.fact, "loaded")).inc(s.loaded);
      Metrics.counter(Tally.NAMESPACE, Tally.counterName(s.fact, "pending")).inc(s.pending);
      Metrics.counter(Tally.NAMESPACE, Tally.counterName(s.fact, "resolved")).inc(s.resolved);
      Metrics.counter(Tally.NAMESPACE, Tally.counterName(s.fact, "still_pending"))
          .inc(s.stillPending);
    }
  }

  /** Members of dw.dim_channel inserted or changed, into "c360", "channels.changed". */
  static final class CountChannelsChanged extends DoFn<Long, Void> {
    private final Counter changed =
        Metrics.counter(Tally.NAMESPACE, Tally.counterName(Entities.CHANNELS.name(), "changed"));

    @ProcessElement
    public void process(@Element Long n) {
      changed.inc(n);
    }
  }
}
