package io.c360.transforms.scd2;

import io.c360.transforms.scd2.Scd2Scenario.Batch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link Scd2History} driven the way {@link Scd2} drives it, over an in-memory table: events
 * grouped by key, snapshot deletes for absent keys, new versions numbered from a sequence.
 */
final class Scd2InMemory {
  final Map<String, List<Version>> table = new TreeMap<>();
  final Map<String, List<Object>> type1 = new TreeMap<>();
  private long nextSk = 1;

  /** Applies a batch; returns the per-key results of the keys that changed. */
  Map<String, Result> apply(Batch batch, long runId) {
    Map<String, List<Event>> events = batch.eventsByKey();
    if (batch.mode == Scd2.Mode.SNAPSHOT) {
      for (String key : table.keySet()) {
        events.putIfAbsent(key, List.of(Event.delete(batch.dayStart)));
      }
    }
    Map<String, Result> changed = new TreeMap<>();
    for (Map.Entry<String, List<Event>> e : events.entrySet()) {
      String key = e.getKey();
      Result r =
          Scd2History.apply(
              table.getOrDefault(key, List.of()),
              type1.getOrDefault(key, List.of()),
              e.getValue(),
              runId);
      if (!r.changed()) {
        continue;
      }
      changed.put(key, r);
      List<Version> numbered = new ArrayList<>();
      for (Version v : r.versions()) {
        numbered.add(
            v.sk() != null
                ? v
                : new Version(
                    nextSk++,
                    v.validFrom(),
                    v.validTo(),
                    v.tracked(),
                    v.hash(),
                    v.deleted(),
                    v.runId()));
      }
      table.put(key, numbered);
      type1.put(key, r.type1());
    }
    return changed;
  }

  List<String> render() {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, List<Version>> e : table.entrySet()) {
      for (Version v : e.getValue()) {
        out.add(
            Scd2Reference.line(
                e.getKey(),
                v.validFrom(),
                v.validTo(),
                v.tracked(),
                v.deleted(),
                v.current(),
                type1.get(e.getKey())));
      }
    }
    return out;
  }
}
