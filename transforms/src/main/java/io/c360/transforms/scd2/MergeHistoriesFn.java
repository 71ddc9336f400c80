package io.c360.transforms.scd2;

import io.c360.transforms.common.BusyTime;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;

/**
 * The "MergeHistories" step of {@link Scd2.Merge}, per shard: walks its keys, reads their stored
 * histories {@link Scd2#HISTORY_LOOKUP_BATCH} keys at a time, applies the events and emits the new
 * histories of changed keys ({@link Scd2#HISTORY}) plus the counts ({@link Scd2#STATS}).
 */
class MergeHistoriesFn extends DoFn<KV<Integer, Iterable<KV<String, Iterable<Event>>>>, Row> {
  private final Scd2.Merge spec;
  private final Scd2Store store;
  private final Counter keysChanged;
  private final Counter historyRows;
  private final BusyTime transform = BusyTime.of(BusyTime.Part.TRANSFORM);
  private final BusyTime write = BusyTime.of(BusyTime.Part.WRITE);
  private transient Connection conn;
  private transient List<KV<String, List<Event>>> pending;
  private transient MergeStats stats;

  MergeHistoriesFn(Scd2.Merge spec, Scd2Store store) {
    this.spec = spec;
    this.store = store;
    String ns = "c360.scd2." + spec.dimension().name().toLowerCase();
    this.keysChanged = Metrics.counter(ns, "keys_changed");
    this.historyRows = Metrics.counter(ns, "history_rows_read");
  }

  @Setup
  public void setup() throws SQLException {
    conn = store.open();
  }

  @ProcessElement
  public void process(
      @Element KV<Integer, Iterable<KV<String, Iterable<Event>>>> shard, MultiOutputReceiver out)
      throws SQLException {
    pending = new ArrayList<>();
    stats = MergeStats.zero();
    Emitter emit = r -> out.get(Scd2.HISTORY).output(r);
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
      if (pending.size() >= Scd2.HISTORY_LOOKUP_BATCH) {
        flush(emit);
      }
    }
    flush(emit);
    out.get(Scd2.STATS).output(stats);
  }

  private interface Emitter {
    void emit(Row r);
  }

  private void flush(Emitter out) throws SQLException {
    if (pending.isEmpty()) {
      return;
    }
    long runId = spec.runId();
    Map<String, List<Version>> histories = new HashMap<>();
    Map<String, List<Object>> type1s = new HashMap<>();
    String[] keys = pending.stream().map(KV::getKey).toArray(String[]::new);
    long t = System.nanoTime();
    long read = store.readHistories(conn, keys, histories, type1s);
    t = write.addSince(t);
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
        t = transform.addSince(t);
        continue;
      }
      affected++;
      inserted += r.versionsInserted();
      recut += r.versionsRecut();
      removed += r.versionsRemoved();
      deleted += r.deletedNow() ? 1 : 0;
      List<Row> rows = store.stagingRows(runId, key, r);
      transform.addSince(t);
      for (Row row : rows) {
        out.emit(row); // to the staging COPY: its time is counted there
      }
      t = System.nanoTime();
    }
    keysChanged.inc(affected);
    stats =
        stats.plus(new MergeStats(affected, inserted, recut, removed, deleted, unchanged, read, 0));
    pending.clear();
  }

  @Teardown
  public void teardown() throws SQLException {
    if (conn != null) {
      conn.close();
    }
  }
}
