package io.c360.transforms.scd2;

import static java.util.stream.Collectors.joining;

import com.google.auto.value.AutoValue;
import io.c360.transforms.grouping.ShardedGroupByKey;
import io.c360.transforms.jdbc.PgConnection;
import io.c360.transforms.jdbc.PgCopyWrite;
import io.c360.transforms.model.ColumnType;
import io.c360.transforms.model.EntitySpec;
import io.c360.transforms.scd2.Scd2History.Event;
import io.c360.transforms.scd2.Scd2History.Result;
import io.c360.transforms.scd2.Scd2History.Version;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    if (dimension == null) {
      throw new IllegalArgumentException("dimension can not be null");
    }
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
      if (connection == null) {
        throw new IllegalArgumentException("connection can not be null");
      }
      return toBuilder().setConnection(connection).build();
    }

    /** The run id written on every version this merge creates or changes. */
    public Merge withRunId(long runId) {
      if (runId <= 0) {
        throw new IllegalArgumentException("run id must be positive: " + runId);
      }
      return toBuilder().setRunId(runId).build();
    }

    /** valid_from of rows without updated_at and time of snapshot deletes: runDate 00:00 (tz). */
    public Merge withDefaultValidFrom(Instant validFrom) {
      if (validFrom == null) {
        throw new IllegalArgumentException("default valid_from can not be null");
      }
      if (!validFrom.isBefore(Scd2History.OPEN_END)) {
        throw new IllegalArgumentException("default valid_from must be before 9999-12-31");
      }
      return toBuilder().setDefaultValidFrom(validFrom.truncatedTo(ChronoUnit.MICROS)).build();
    }

    /** --timezone: the day of a {@code dw.fact_traffic} send_date starts at 00:00 here. */
    public Merge withTimezone(ZoneId timezone) {
      if (timezone == null) {
        throw new IllegalArgumentException("timezone can not be null");
      }
      return toBuilder().setTimezone(timezone).build();
    }

    public Merge withMode(Mode mode) {
      if (mode == null) {
        throw new IllegalArgumentException("mode can not be null");
      }
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
      if (connection() == null) {
        throw new IllegalStateException("Scd2.merge().withConnection() is required");
      }
      if (runId() == null) {
        throw new IllegalStateException("Scd2.merge().withRunId() is required");
      }
      if (defaultValidFrom() == null) {
        throw new IllegalStateException("Scd2.merge().withDefaultValidFrom() is required");
      }
      Schema expected = dimension().entity().typedSchema();
      for (Schema.Field f : expected.getFields()) {
        if (!input.getSchema().hasField(f.getName())
            || !sameType(input.getSchema().getField(f.getName()).getType(), f.getType())) {
          throw new IllegalArgumentException(
              "Scd2.merge("
                  + dimension()
                  + ") expects rows of "
                  + dimension().entity()
                  + ".typedSchema(); field "
                  + f
                  + " is missing or of another type in "
                  + input.getSchema());
        }
      }
      KvCoder<String, Event> eventCoder =
          KvCoder.of(StringUtf8Coder.of(), Scd2History.EventCoder.of());

      PCollection<Long> cleared =
          input
              .getPipeline()
              .apply("Start", Create.of(runId()))
              .apply("ClearStaging", ParDo.of(new ClearStagingFn(this)));

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
                .apply("ReadOpenKeys", ParDo.of(new OpenKeysFn(this)))
                .setCoder(eventCoder);
        PCollectionList<KV<String, Event>> all = PCollectionList.of(events).and(deletes);
        if (presentKeys != null) {
          all =
              all.and(
                  presentKeys.apply("PresentKeys", ParDo.of(new PresentFn())).setCoder(eventCoder));
        }
        events = all.apply("WithDeletes", Flatten.pCollections());
      }

      Schema stagingSchema = stagingSchema(dimension());
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
                      KvCoder.of(
                          StringUtf8Coder.of(), IterableCoder.of(Scd2History.EventCoder.of()))))
              .apply("GroupShards", GroupByKey.create())
              .apply(
                  "MergeHistories",
                  ParDo.of(new MergeFn(this, stagingSchema))
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
          .apply("Commit", ParDo.of(new CommitFn(this)))
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
      if (!input.has(ROWS) || !input.has(PRESENT_KEYS)) {
        throw new IllegalArgumentException(
            "Scd2.merge().countingPresent() expects a tuple of Scd2.ROWS and Scd2.PRESENT_KEYS");
      }
      // The merge's steps are applied here directly, so their names are those of the plain merge.
      return merge.expand(input.get(ROWS), input.get(PRESENT_KEYS));
    }

    @Override
    public void populateDisplayData(DisplayData.Builder builder) {
      merge.populateDisplayData(builder);
    }
  }

  /** A key present in the day's file with only quarantined rows → a presence marker. */
  static class PresentFn extends DoFn<String, KV<String, Event>> {
    @ProcessElement
    public void process(@Element String key, OutputReceiver<KV<String, Event>> out) {
      out.output(KV.of(key, Event.present()));
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

  private static final TupleTag<Row> HISTORY = new TupleTag<Row>() {};
  private static final TupleTag<MergeStats> STATS = new TupleTag<MergeStats>() {};

  /** Staging row: merge_run_id, sk, key, Type 1, tracked, hash, interval, flags, run_id. */
  static Schema stagingSchema(DimensionSpec d) {
    Schema.Builder s =
        Schema.builder()
            .addInt64Field("merge_run_id")
            .addNullableField(d.skColumn(), Schema.FieldType.INT64)
            .addStringField(d.naturalKey());
    for (String c : d.type1Columns()) {
      s.addNullableField(c, Schema.FieldType.STRING);
    }
    for (String c : d.trackedColumns()) {
      s.addNullableField(c, Schema.FieldType.STRING);
    }
    return s.addStringField("row_hash")
        .addStringField("valid_from")
        .addStringField("valid_to")
        .addBooleanField("is_current")
        .addBooleanField("is_deleted")
        .addInt64Field("run_id")
        .build();
  }

  /** A typed value as PostgreSQL reads it from COPY text. */
  private static @Nullable String text(@Nullable Object v) {
    if (v == null) {
      return null;
    }
    return v instanceof BigDecimal ? ((BigDecimal) v).toPlainString() : v.toString();
  }

  /** Removes staging rows a failed earlier attempt of this run may have left. */
  static class ClearStagingFn extends DoFn<Long, Long> {
    private final Merge spec;

    ClearStagingFn(Merge spec) {
      this.spec = spec;
    }

    @ProcessElement
    public void process(@Element Long runId, OutputReceiver<Long> out) throws SQLException {
      try (Connection c = spec.connection().open();
          PreparedStatement st =
              c.prepareStatement(
                  "DELETE FROM " + spec.dimension().stagingTable() + " WHERE merge_run_id = ?")) {
        st.setLong(1, runId);
        out.output((long) st.executeUpdate());
      }
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

    OpenKeysFn(Merge spec) {
      this.spec = spec;
    }

    @ProcessElement
    public void process(@Element Integer partition, OutputReceiver<KV<String, Event>> out)
        throws SQLException {
      DimensionSpec d = spec.dimension();
      Instant at = spec.defaultValidFrom();
      Event delete = Event.delete(at);
      try (Connection c = spec.connection().open()) {
        c.setAutoCommit(false); // lets the driver stream with a cursor
        try (PreparedStatement st =
            c.prepareStatement(
                "SELECT "
                    + d.naturalKey()
                    + " FROM "
                    + d.table()
                    + " WHERE is_current AND NOT is_deleted AND valid_from < ?"
                    + " AND (hashtext("
                    + d.naturalKey()
                    + ") & 2147483647) % ? = ?")) {
          st.setFetchSize(10_000);
          st.setObject(1, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
          st.setInt(2, SNAPSHOT_PARTITIONS);
          st.setInt(3, partition);
          try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
              out.output(KV.of(rs.getString(1), delete));
            }
          }
        }
        c.commit();
      }
    }
  }

  /**
   * Per shard: walks its keys, reads their stored histories {@link #HISTORY_LOOKUP_BATCH} keys at a
   * time, applies the events and emits the new histories of changed keys plus the counts.
   */
  static class MergeFn extends DoFn<KV<Integer, Iterable<KV<String, Iterable<Event>>>>, Row> {
    private final Merge spec;
    private final Schema stagingSchema;
    private final Counter keysChanged;
    private final Counter historyRows;
    private transient Connection conn;
    private transient List<KV<String, List<Event>>> pending;
    private transient MergeStats stats;

    MergeFn(Merge spec, Schema stagingSchema) {
      this.spec = spec;
      this.stagingSchema = stagingSchema;
      String ns = "c360.scd2." + spec.dimension().name().toLowerCase();
      this.keysChanged = Metrics.counter(ns, "keys_changed");
      this.historyRows = Metrics.counter(ns, "history_rows_read");
    }

    @Setup
    public void setup() throws SQLException {
      conn = spec.connection().open();
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, Iterable<KV<String, Iterable<Event>>>> shard, MultiOutputReceiver out)
        throws SQLException {
      pending = new ArrayList<>();
      stats = MergeStats.zero();
      Emitter emit = r -> out.get(HISTORY).output(r);
      for (KV<String, Iterable<Event>> keyed : shard.getValue()) {
        List<Event> changes = new ArrayList<>();
        Event delete = null;
        boolean present = false;
        for (Event e : keyed.getValue()) {
          if (e.isDelete()) {
            delete = e;
          } else if (e.isPresence()) {
            present = true;
          } else {
            changes.add(e);
          }
        }
        // A snapshot delete applies only to keys absent from the file: neither a row in the batch
        // nor a quarantined row.
        if (changes.isEmpty() && delete != null && !present) {
          changes.add(delete);
        }
        if (changes.isEmpty()) {
          continue;
        }
        pending.add(KV.of(keyed.getKey(), changes));
        if (pending.size() >= HISTORY_LOOKUP_BATCH) {
          flush(emit);
        }
      }
      flush(emit);
      out.get(STATS).output(stats);
    }

    private interface Emitter {
      void emit(Row r);
    }

    private void flush(Emitter out) throws SQLException {
      if (pending.isEmpty()) {
        return;
      }
      DimensionSpec d = spec.dimension();
      long runId = spec.runId();
      Map<String, List<Version>> histories = new HashMap<>();
      Map<String, List<Object>> type1s = new HashMap<>();
      long read = readHistories(d, histories, type1s);
      historyRows.inc(read);
      long affected = 0;
      long inserted = 0;
      long recut = 0;
      long removed = 0;
      long deleted = 0;
      long unchanged = 0;
      for (KV<String, List<Event>> kv : pending) {
        String key = kv.getKey();
        Result r =
            Scd2History.apply(
                histories.getOrDefault(key, List.of()),
                type1s.getOrDefault(key, List.of()),
                kv.getValue(),
                runId);
        unchanged += r.unchangedEvents();
        if (!r.changed()) {
          continue;
        }
        affected++;
        inserted += r.versionsInserted();
        recut += r.versionsRecut();
        removed += r.versionsRemoved();
        deleted += r.deletedNow() ? 1 : 0;
        for (Version v : r.versions()) {
          Row.Builder b = Row.withSchema(stagingSchema).addValues(runId, v.sk(), key);
          for (int i = 0; i < d.type1Columns().size(); i++) {
            b.addValue(text(i < r.type1().size() ? r.type1().get(i) : null));
          }
          for (Object t : v.tracked()) {
            b.addValue(text(t));
          }
          out.emit(
              b.addValues(
                      v.hash(),
                      v.validFrom().toString(),
                      v.validTo().toString(),
                      v.current(),
                      v.deleted(),
                      v.runId())
                  .build());
        }
      }
      keysChanged.inc(affected);
      stats =
          stats.plus(
              new MergeStats(affected, inserted, recut, removed, deleted, unchanged, read, 0));
      pending.clear();
    }

    /** Stored versions of the pending keys, one indexed {@code = ANY(?)} query. */
    private long readHistories(
        DimensionSpec d, Map<String, List<Version>> histories, Map<String, List<Object>> type1s)
        throws SQLException {
      List<String> cols = new ArrayList<>(d.type1Columns());
      cols.addAll(d.trackedColumns());
      String sql =
          "SELECT "
              + d.skColumn()
              + ", "
              + d.naturalKey()
              + ", "
              + String.join(", ", cols)
              + (cols.isEmpty() ? "" : ", ")
              + "row_hash, valid_from, valid_to, is_deleted, run_id FROM "
              + d.table()
              + " WHERE "
              + d.naturalKey()
              + " = ANY(?) ORDER BY "
              + d.naturalKey()
              + ", valid_from";
      long n = 0;
      String[] keys = pending.stream().map(KV::getKey).toArray(String[]::new);
      try (PreparedStatement st = conn.prepareStatement(sql)) {
        Array arr = conn.createArrayOf("text", keys);
        st.setArray(1, arr);
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            n++;
            int i = 1;
            long sk = rs.getLong(i++);
            String key = rs.getString(i++);
            List<Object> type1 = new ArrayList<>();
            for (String c : d.type1Columns()) {
              type1.add(read(rs, i++, d.typeOf(c)));
            }
            List<Object> tracked = new ArrayList<>();
            for (String c : d.trackedColumns()) {
              tracked.add(read(rs, i++, d.typeOf(c)));
            }
            String hash = rs.getString(i++);
            Instant from = rs.getObject(i++, OffsetDateTime.class).toInstant();
            Instant to = rs.getObject(i++, OffsetDateTime.class).toInstant();
            boolean isDeleted = rs.getBoolean(i++);
            long run = rs.getLong(i);
            histories
                .computeIfAbsent(key, k -> new ArrayList<>())
                .add(new Version(sk, from, to, tracked, hash, isDeleted, run));
            type1s.put(key, type1);
          }
        }
        arr.free();
      }
      return n;
    }

    private static @Nullable Object read(ResultSet rs, int i, ColumnType type) throws SQLException {
      switch (type) {
        case DECIMAL:
          return rs.getBigDecimal(i);
        case DATE:
          return rs.getObject(i, LocalDate.class);
        default:
          return rs.getString(i);
      }
    }

    @Teardown
    public void teardown() throws SQLException {
      if (conn != null) {
        conn.close();
      }
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

    CommitFn(Merge spec) {
      this.spec = spec;
    }

    @ProcessElement
    public void process(@Element MergeStats stats, OutputReceiver<MergeStats> out)
        throws SQLException {
      try (Connection c = spec.connection().open()) {
        c.setAutoCommit(false);
        long repointed;
        try {
          repointed = commit(c, spec.dimension(), spec.runId(), spec.timezone());
          c.commit();
        } catch (SQLException | RuntimeException e) {
          PgConnection.rollbackAfter(c, e);
          throw e;
        }
        out.output(stats.withFactsRepointed(repointed));
      }
    }
  }

  /** Returns the number of fact rows re-pointed. */
  static long commit(Connection c, DimensionSpec d, long runId, ZoneId zone) throws SQLException {
    String k = d.naturalKey();
    String sk = d.skColumn();
    List<String> cols = new ArrayList<>(List.of(k));
    cols.addAll(d.type1Columns());
    cols.addAll(d.trackedColumns());
    cols.addAll(
        List.of("row_hash", "valid_from", "valid_to", "is_current", "is_deleted", "run_id"));
    String colList = String.join(", ", cols);
    try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
      lock.setString(1, "c360.scd2." + d.table());
      lock.execute();
    }
    PgConnection.setLocalTimeZone(c, zone);
    try (Statement st = c.createStatement()) {
      st.execute(
          "CREATE TEMP TABLE scd2_keys ON COMMIT DROP AS SELECT DISTINCT "
              + k
              + " AS key FROM "
              + d.stagingTable()
              + " WHERE merge_run_id = "
              + runId);
      st.execute("ANALYZE scd2_keys");
      st.executeUpdate(
          "DELETE FROM " + d.table() + " t USING scd2_keys x WHERE t." + k + " = x.key");
      // Survivors keep their sk; the identity must stay above any sk already in the table.
      st.execute(
          "SELECT setval(s.seq, m.mx) FROM (SELECT pg_get_serial_sequence('"
              + d.table()
              + "', '"
              + sk
              + "')::regclass AS seq) s, (SELECT max("
              + sk
              + ") AS mx FROM "
              + d.table()
              + ") m WHERE m.mx > COALESCE(pg_sequence_last_value(s.seq), 0)");
      st.executeUpdate(
          "INSERT INTO "
              + d.table()
              + " ("
              + sk
              + ", "
              + colList
              + ") SELECT COALESCE("
              + sk
              + ", nextval(pg_get_serial_sequence('"
              + d.table()
              + "', '"
              + sk
              + "'))), "
              + colList
              + " FROM "
              + d.stagingTable()
              + " WHERE merge_run_id = "
              + runId
              + " ORDER BY "
              + k
              + ", valid_from");
      // Facts of the merged keys point at the version valid at their time
      // (DimensionSpec#versionAt),
      // and carry its copied attribute: a re-cut version moves them, its content counts too.
      long repointed = 0;
      for (DimensionSpec.FactRef f : d.facts()) {
        String mine = "f." + sk + (f.copyColumn() == null ? "" : ", f." + f.copyColumn());
        String theirs = "v." + sk + (f.copiedFrom() == null ? "" : ", v." + f.copiedFrom());
        String picked =
            "v." + sk + (f.copiedFrom() == null ? "" : ", v." + f.copiedFrom() + " AS copy");
        String set =
            sk + " = m." + sk + (f.copyColumn() == null ? "" : ", " + f.copyColumn() + " = m.copy");
        repointed +=
            st.executeUpdate(
                "UPDATE "
                    + f.table
                    + " t SET "
                    + set
                    + " FROM (SELECT "
                    + f.primaryKey().stream().map(col -> "f." + col).collect(joining(", "))
                    + ", "
                    + picked
                    + " FROM "
                    + f.table
                    + " f JOIN scd2_keys x ON f."
                    + f.keyColumn()
                    + " = x.key LEFT JOIN LATERAL "
                    + f.versionOf(d, "f")
                    + " v ON true WHERE ("
                    + mine
                    + ") IS DISTINCT FROM ("
                    + theirs
                    + ")) m WHERE "
                    + f.primaryKey().stream()
                        .map(col -> "t." + col + " = m." + col)
                        .collect(joining(" AND ")));
      }
      st.executeUpdate("DELETE FROM " + d.stagingTable() + " WHERE merge_run_id = " + runId);
      return repointed;
    }
  }
}
