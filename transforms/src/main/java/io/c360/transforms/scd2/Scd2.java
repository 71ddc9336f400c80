package io.c360.transforms.scd2;

import static io.c360.transforms.common.Args.checkArgument;
import static io.c360.transforms.common.Args.checkState;

import com.google.auto.value.AutoValue;
import io.c360.transforms.common.BusyTime;
import io.c360.transforms.grouping.ShardedGroupByKey;
import io.c360.transforms.jdbc.PgConnection;
import io.c360.transforms.jdbc.PgCopyWrite;
import io.c360.transforms.model.EntitySpec;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.annotation.Nullable;
import org.apache.beam.sdk.coders.IterableCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.Wait;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * SCD Type 2 merge of a day's deduplicated dimension rows into {@code dw.dim_customer} or {@code
 * dw.dim_product} (SPEC §3, issue 5).
 *
 * <pre>{@code
 * PCollection<MergeStats> merged =
 *     customers.apply("MergeDimCustomer",
 *         Scd2.merge(DimensionSpec.CUSTOMER)
 *             .withConnection(pg)
 *             .withRunId(runId)
 *             .withDefaultValidFrom(runDate.atStartOfDay(zone).toInstant())
 *             .withTimezone(zone)
 *             .withMode(Scd2.Mode.SNAPSHOT));
 * facts.apply("WaitForDims", Wait.on(merged)) ...
 * }</pre>
 *
 * <p>Input: rows of {@link DimensionSpec#entity()}'s {@code typedSchema()}, cleaned and
 * deduplicated. Each row is an event of its natural key at {@code valid_from = updated_at}, or at
 * the default valid_from (runDate 00:00 in {@code --timezone}) when updated_at is null. The rules
 * that turn events into history are those of {@link Scd2History}: hash of the tracked columns
 * decides change, late and out-of-order events are placed where they belong and re-cut their
 * neighbours, several events of a key in one batch each become a version in valid_from order, Type
 * 1 columns are overwritten on every version, and in {@link Mode#SNAPSHOT} every key whose open
 * version is not deleted and that is absent from the batch gets a tombstone at the default
 * valid_from.
 *
 * <p>How it scales: events are grouped by natural key ({@link ShardedGroupByKey}), then the grouped
 * keys are spread over {@link #SHARDS} groups by hash and each group is walked as a stream: the
 * stored history is read for {@link #HISTORY_LOOKUP_BATCH} keys at a time with {@code WHERE key =
 * ANY(?)}, an index scan of {@code dim_*_pit_idx}, merged, and released. So a worker holds at most
 * one lookup batch of histories, the reads touch only the affected keys' histories, and the
 * dimension is never read whole or into one worker. Snapshot mode needs the set of open keys: it is
 * read in {@link #SNAPSHOT_PARTITIONS} hash partitions spread over workers (streamed with a cursor)
 * and joined with the events by the same {@code GroupByKey}. The output counts the history rows
 * read ({@link MergeStats#historyRowsRead}); bench/RESULTS.md records it against the table size.
 *
 * <p>Writes are idempotent and atomic: the complete new histories of the changed keys go to {@link
 * DimensionSpec#stagingTable()} (retries collide on its primary key), then one transaction deletes
 * those keys' rows from the dimension, inserts their new histories (surviving versions keep their
 * surrogate keys, new ones take the identity's next value), re-points the facts of those keys to
 * the version valid at the fact's time ({@code dw.fact_sales} at transaction_ts, {@code
 * dw.fact_traffic} at send_date 00:00 in the timezone; a fact older than the key's first version
 * takes the first version) and empties the staging rows. Keys with no change are not written, so
 * re-running a date writes nothing. A merge holds an advisory lock per dimension while it commits;
 * two merges of one dimension must not run their read steps concurrently (the daily run's lock
 * ensures that).
 *
 * <p>This file is the transform: its settings, its steps and their DoFns in pipeline order, but for
 * the per-shard history merge, which is {@code MergeHistoriesFn}. The SQL is in {@code Scd2Store},
 * the per-key rules in {@link Scd2History}, the values in {@link Event}, {@link Version} and {@link
 * Result}.
 */
public final class Scd2 {
  /** How many keys one history lookup asks for. */
  public static final int HISTORY_LOOKUP_BATCH = 2_000;

  /**
   * How many groups the changed keys are spread over for the batched history lookups ({@link
   * ShardedGroupByKey#DIRECT_RUNNER_SHARDS} on the Direct runner, where every group is a bundle, a
   * lookup query and a staging COPY of its own, and parallelism is a few threads).
   */
  public static final int SHARDS = 64;

  /** How many hash partitions the snapshot mode reads the open keys in. */
  public static final int SNAPSHOT_PARTITIONS = 16;

  private Scd2() {}

  /** Input of {@link Merge#countingPresent()}: the dimension's typed, deduplicated rows. */
  public static final TupleTag<Row> ROWS = new TupleTag<Row>("rows") {};

  /**
   * Input of {@link Merge#countingPresent()}: keys that were in the day's file although no row of
   * theirs is in {@link #ROWS} (their rows were quarantined); in {@link Mode#SNAPSHOT} they are
   * present, not absent, and are not deleted (SPEC §3).
   */
  public static final TupleTag<String> PRESENT_KEYS = new TupleTag<String>("presentKeys") {};

  /** Whether keys absent from the batch are closed ({@code --customersMode}). */
  public enum Mode {
    /** Absent keys are left unchanged (default). */
    DELTA,
    /** Absent keys whose open version is not deleted get a tombstone at the default valid_from. */
    SNAPSHOT
  }

  public static Merge merge(DimensionSpec dimension) {
    checkArgument(dimension != null, "dimension can not be null");
    return new AutoValue_Scd2_Merge.Builder()
        .setDimension(dimension)
        .setTimezone(ZoneOffset.UTC)
        .setMode(Mode.DELTA)
        .build();
  }

  /** The merge transform; see {@link Scd2}. */
  @AutoValue
  public abstract static class Merge extends PTransform<PCollection<Row>, PCollection<MergeStats>> {
    abstract DimensionSpec dimension();

    abstract @Nullable PgConnection connection();

    abstract @Nullable Long runId();

    abstract @Nullable Instant defaultValidFrom();

    abstract ZoneId timezone();

    abstract Mode mode();

    abstract Builder toBuilder();

    @AutoValue.Builder
    abstract static class Builder {
      abstract Builder setDimension(DimensionSpec d);

      abstract Builder setConnection(PgConnection c);

      abstract Builder setRunId(Long id);

      abstract Builder setDefaultValidFrom(Instant t);

      abstract Builder setTimezone(ZoneId z);

      abstract Builder setMode(Mode m);

      abstract Merge build();
    }

    public Merge withConnection(PgConnection connection) {
      checkArgument(connection != null, "connection can not be null");
      return toBuilder().setConnection(connection).build();
    }

    /** The run id written on every version this merge creates or changes. */
    public Merge withRunId(long runId) {
      checkArgument(runId > 0, "run id must be positive: %s", runId);
      return toBuilder().setRunId(runId).build();
    }

    /** valid_from of rows without updated_at and time of snapshot deletes: runDate 00:00 (tz). */
    public Merge withDefaultValidFrom(Instant validFrom) {
      checkArgument(validFrom != null, "default valid_from can not be null");
      checkArgument(
          validFrom.isBefore(Scd2History.OPEN_END), "default valid_from must be before 9999-12-31");
      return toBuilder().setDefaultValidFrom(validFrom.truncatedTo(ChronoUnit.MICROS)).build();
    }

    /** --timezone: the day of a {@code dw.fact_traffic} send_date starts at 00:00 here. */
    public Merge withTimezone(ZoneId timezone) {
      checkArgument(timezone != null, "timezone can not be null");
      return toBuilder().setTimezone(timezone).build();
    }

    public Merge withMode(Mode mode) {
      checkArgument(mode != null, "mode can not be null");
      return toBuilder().setMode(mode).build();
    }

    /**
     * This merge over a tuple of {@link #ROWS} and {@link #PRESENT_KEYS}: as the plain merge of the
     * rows, and in {@link Mode#SNAPSHOT} the present keys are not deleted.
     *
     * <pre>{@code
     * PCollectionTuple.of(Scd2.ROWS, customers).and(Scd2.PRESENT_KEYS, quarantinedIds)
     *     .apply("MergeDimCustomer", Scd2.merge(DimensionSpec.CUSTOMER)...countingPresent());
     * }</pre>
     */
    public CountingPresent countingPresent() {
      return new CountingPresent(this);
    }

    @Override
    public PCollection<MergeStats> expand(PCollection<Row> input) {
      return expand(input, null);
    }

    PCollection<MergeStats> expand(
        PCollection<Row> input, @Nullable PCollection<String> presentKeys) {
      checkState(connection() != null, "Scd2.merge().withConnection() is required");
      checkState(runId() != null, "Scd2.merge().withRunId() is required");
      checkState(defaultValidFrom() != null, "Scd2.merge().withDefaultValidFrom() is required");
      Schema expected = dimension().entity().typedSchema();
      for (Schema.Field f : expected.getFields()) {
        checkArgument(
            input.getSchema().hasField(f.getName())
                && sameType(input.getSchema().getField(f.getName()).getType(), f.getType()),
            "Scd2.merge(%s) expects rows of %s.typedSchema(); field %s is missing or of another"
                + " type in %s",
            dimension(),
            dimension().entity(),
            f,
            input.getSchema());
      }
      Scd2Store store = new Scd2Store(dimension(), connection());
      KvCoder<String, Event> eventCoder = KvCoder.of(StringUtf8Coder.of(), EventCoder.of());

      PCollection<Long> cleared =
          input
              .getPipeline()
              .apply("Start", Create.of(runId()))
              .apply("ClearStaging", ParDo.of(new ClearStagingFn(store)));

      PCollection<KV<String, Event>> events =
          input.apply("ToEvents", ParDo.of(new ToEventFn(this))).setCoder(eventCoder);
      if (mode() == Mode.SNAPSHOT) {
        PCollection<KV<String, Event>> deletes =
            input
                .getPipeline()
                .apply(
                    "SnapshotPartitions",
                    Create.of(
                        IntStream.range(0, SNAPSHOT_PARTITIONS)
                            .boxed()
                            .collect(Collectors.toList())))
                .apply("SpreadPartitions", Reshuffle.viaRandomKey())
                .apply("ReadOpenKeys", ParDo.of(new OpenKeysFn(this, store)))
                .setCoder(eventCoder);
        PCollectionList<KV<String, Event>> all = PCollectionList.of(events).and(deletes);
        if (presentKeys != null) {
          all =
              all.and(
                  presentKeys.apply("PresentKeys", ParDo.of(new PresentFn())).setCoder(eventCoder));
        }
        events = all.apply("WithDeletes", Flatten.pCollections());
      }

      Schema stagingSchema = store.stagingSchema();
      PCollectionTuple merged =
          events
              .apply("GroupEventsByKey", ShardedGroupByKey.<Event>create())
              .apply(
                  "ShardKeys",
                  ShardedGroupByKey.<Iterable<Event>>assignShard(
                      ShardedGroupByKey.isDirectRunner(input.getPipeline().getOptions())
                          ? ShardedGroupByKey.DIRECT_RUNNER_SHARDS
                          : SHARDS))
              .setCoder(
                  KvCoder.of(
                      VarIntCoder.of(),
                      KvCoder.of(StringUtf8Coder.of(), IterableCoder.of(EventCoder.of()))))
              .apply("GroupShards", GroupByKey.create())
              .apply(
                  "MergeHistories",
                  ParDo.of(new MergeHistoriesFn(this, store))
                      .withOutputTags(HISTORY, TupleTagList.of(STATS)));
      PCollection<Long> written =
          merged
              .get(HISTORY)
              .setRowSchema(stagingSchema)
              .apply("WaitForClear", Wait.on(cleared))
              .setRowSchema(stagingSchema)
              .apply(
                  "WriteStaging",
                  PgCopyWrite.into(dimension().stagingTable())
                      .withConnection(connection())
                      .withConflictColumns("merge_run_id", dimension().naturalKey(), "valid_from"));
      return merged
          .get(STATS)
          .setCoder(SerializableCoder.of(MergeStats.class))
          .apply("SumStats", Combine.globally(new SumStats()))
          .setCoder(SerializableCoder.of(MergeStats.class))
          .apply("WaitForStaging", Wait.on(written))
          .setCoder(SerializableCoder.of(MergeStats.class))
          .apply("Commit", ParDo.of(new CommitFn(this, store)))
          .setCoder(SerializableCoder.of(MergeStats.class));
    }

    @Override
    public void populateDisplayData(DisplayData.Builder builder) {
      super.populateDisplayData(builder);
      builder.add(DisplayData.item("dimension", dimension().table()));
      builder.add(DisplayData.item("mode", mode().name()));
      builder.addIfNotNull(DisplayData.item("runId", runId()));
      builder.addIfNotNull(
          DisplayData.item(
              "defaultValidFrom",
              defaultValidFrom() == null ? null : defaultValidFrom().toString()));
      builder.add(DisplayData.item("timezone", timezone().getId()));
    }
  }

  /** {@link Merge#countingPresent()}: the merge of {@link #ROWS} knowing {@link #PRESENT_KEYS}. */
  public static final class CountingPresent
      extends PTransform<PCollectionTuple, PCollection<MergeStats>> {
    private final Merge merge;

    private CountingPresent(Merge merge) {
      this.merge = merge;
    }

    @Override
    public PCollection<MergeStats> expand(PCollectionTuple input) {
      checkArgument(
          input.has(ROWS) && input.has(PRESENT_KEYS),
          "Scd2.merge().countingPresent() expects a tuple of Scd2.ROWS and Scd2.PRESENT_KEYS");
      // The merge's steps are applied here directly, so their names are those of the plain merge.
      return merge.expand(input.get(ROWS), input.get(PRESENT_KEYS));
    }

    @Override
    public void populateDisplayData(DisplayData.Builder builder) {
      merge.populateDisplayData(builder);
    }
  }

  // FieldType.typesEqual throws on logical types without an argument (SqlTypes.DATE), hence this.
  private static boolean sameType(Schema.FieldType a, Schema.FieldType b) {
    if (a.getTypeName() != b.getTypeName()) {
      return false;
    }
    return !a.getTypeName().isLogicalType()
        || a.getLogicalType().getIdentifier().equals(b.getLogicalType().getIdentifier());
  }

  // The outputs of MergeHistoriesFn, declared here: a generated tag id is the declaring class + #n.
  static final TupleTag<Row> HISTORY = new TupleTag<Row>() {};
  static final TupleTag<MergeStats> STATS = new TupleTag<MergeStats>() {};

  /** Removes staging rows a failed earlier attempt of this run may have left. */
  static class ClearStagingFn extends DoFn<Long, Long> {
    private final Scd2Store store;
    private final BusyTime busy = BusyTime.of(BusyTime.Part.WRITE);

    ClearStagingFn(Scd2Store store) {
      this.store = store;
    }

    @ProcessElement
    public void process(@Element Long runId, OutputReceiver<Long> out) throws SQLException {
      long t = System.nanoTime();
      long cleared = store.clearStaging(runId);
      busy.addSince(t);
      out.output(cleared);
    }
  }

  /** Typed row → (natural key, event). */
  static class ToEventFn extends DoFn<Row, KV<String, Event>> {
    private final DimensionSpec d;
    private final Instant defaultValidFrom;
    private final Counter rows;

    ToEventFn(Merge spec) {
      this.d = spec.dimension();
      this.defaultValidFrom = spec.defaultValidFrom();
      this.rows = Metrics.counter("c360.scd2." + d.name().toLowerCase(), "rows_in");
    }

    @ProcessElement
    public void process(@Element Row row, OutputReceiver<KV<String, Event>> out) {
      String key = row.getString(d.naturalKey());
      String file = row.getString(EntitySpec.SOURCE_FILE);
      long line = row.getInt64(EntitySpec.LINE_NO);
      if (key == null) {
        // Upstream validation guarantees the key; a row without one is a wiring bug, not data.
        throw new IllegalArgumentException(
            d.entity() + " row without " + d.naturalKey() + " at " + file + ":" + line);
      }
      Instant updatedAt = row.getValue(d.entity().versionColumn().orElseThrow());
      Instant validFrom =
          updatedAt == null ? defaultValidFrom : updatedAt.truncatedTo(ChronoUnit.MICROS);
      List<Object> tracked = new ArrayList<>();
      for (String c : d.trackedColumns()) {
        tracked.add(d.normalise(c, row.getValue(c)));
      }
      List<Object> type1 = new ArrayList<>();
      for (String c : d.type1Columns()) {
        type1.add(d.normalise(c, row.getValue(c)));
      }
      rows.inc();
      out.output(KV.of(key, Event.change(validFrom, tracked, type1, file, line)));
    }
  }

  /** Snapshot mode: one hash partition of the keys whose open version is live → delete events. */
  static class OpenKeysFn extends DoFn<Integer, KV<String, Event>> {
    private final Merge spec;
    private final Scd2Store store;

    OpenKeysFn(Merge spec, Scd2Store store) {
      this.spec = spec;
      this.store = store;
    }

    @ProcessElement
    public void process(@Element Integer partition, OutputReceiver<KV<String, Event>> out)
        throws SQLException {
      Instant at = spec.defaultValidFrom();
      Event delete = Event.delete(at);
      store.openKeys(at, SNAPSHOT_PARTITIONS, partition, key -> out.output(KV.of(key, delete)));
    }
  }

  /** A key present in the day's file with only quarantined rows → a presence marker. */
  static class PresentFn extends DoFn<String, KV<String, Event>> {
    @ProcessElement
    public void process(@Element String key, OutputReceiver<KV<String, Event>> out) {
      out.output(KV.of(key, Event.present()));
    }
  }

  /** Sums the per-bundle counts; an empty merge yields zeros, so the commit step always runs. */
  static class SumStats implements SerializableFunction<Iterable<MergeStats>, MergeStats> {
    @Override
    public MergeStats apply(Iterable<MergeStats> in) {
      MergeStats s = MergeStats.zero();
      for (MergeStats x : in) {
        s = s.plus(x);
      }
      return s;
    }
  }

  /** The single transaction that swaps the changed keys' histories in and re-points facts. */
  static class CommitFn extends DoFn<MergeStats, MergeStats> {
    private final Merge spec;
    private final Scd2Store store;
    private final BusyTime busy = BusyTime.of(BusyTime.Part.WRITE);

    CommitFn(Merge spec, Scd2Store store) {
      this.spec = spec;
      this.store = store;
    }

    @ProcessElement
    public void process(@Element MergeStats stats, OutputReceiver<MergeStats> out)
        throws SQLException {
      long t = System.nanoTime();
      long repointed = store.commit(spec.runId(), spec.timezone());
      busy.addSince(t);
      out.output(stats.withFactsRepointed(repointed));
    }
  }
}
