package io.c360.transforms.scd2;

import io.c360.transforms.scd2.Scd2Scenario.Batch;
import io.c360.transforms.scd2.Scd2Scenario.RowSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A deliberately simple model of an SCD2 dimension, written independently of {@link Scd2History}:
 * each key's history is a step function kept as a sorted map from change time to state, and is
 * rendered to rows only for comparison.
 */
final class Scd2Reference {
  private static final class State {
    final List<Object> tracked;
    final boolean deleted;

    State(List<Object> tracked, boolean deleted) {
      this.tracked = tracked;
      this.deleted = deleted;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof State
          && ((State) o).tracked.equals(tracked)
          && ((State) o).deleted == deleted;
    }

    @Override
    public int hashCode() {
      return Objects.hash(tracked, deleted);
    }
  }

  private final Map<String, TreeMap<Instant, State>> steps = new TreeMap<>();
  private final Map<String, Object[]> type1 = new TreeMap<>();

  void apply(Batch batch) {
    Map<String, TreeMap<Instant, RowSpec>> winners = new TreeMap<>();
    for (RowSpec r : batch.rows) {
      TreeMap<Instant, RowSpec> m = winners.computeIfAbsent(r.key, k -> new TreeMap<>());
      Instant t = r.validFrom(batch.dayStart);
      RowSpec held = m.get(t);
      if (held == null || Scd2Scenario.LINE_ORDER.compare(r, held) > 0) {
        m.put(t, r);
      }
    }
    for (Map.Entry<String, TreeMap<Instant, RowSpec>> e : winners.entrySet()) {
      String key = e.getKey();
      Object[] t1 = type1.computeIfAbsent(key, k -> new Object[2]);
      for (Map.Entry<Instant, RowSpec> w : e.getValue().entrySet()) {
        set(key, w.getKey(), new State(w.getValue().tracked, false));
        for (int i = 0; i < t1.length; i++) {
          if (w.getValue().type1.get(i) != null) {
            t1[i] = w.getValue().type1.get(i);
          }
        }
      }
    }
    if (batch.mode == Scd2.Mode.SNAPSHOT) {
      for (Map.Entry<String, TreeMap<Instant, State>> e : steps.entrySet()) {
        if (winners.containsKey(e.getKey())) {
          continue;
        }
        Map.Entry<Instant, State> last = e.getValue().lastEntry();
        if (!last.getValue().deleted && last.getKey().isBefore(batch.dayStart)) {
          e.getValue().put(batch.dayStart, new State(last.getValue().tracked, true));
        }
      }
    }
  }

  /** The key's state becomes s from t until its next change. */
  private void set(String key, Instant t, State s) {
    TreeMap<Instant, State> m = steps.computeIfAbsent(key, k -> new TreeMap<>());
    Map.Entry<Instant, State> holding = m.floorEntry(t);
    if (holding != null && holding.getKey().isBefore(t) && holding.getValue().equals(s)) {
      return;
    }
    m.put(t, s);
    State previous = null;
    for (Iterator<State> it = m.values().iterator(); it.hasNext(); ) {
      State cur = it.next();
      if (cur.equals(previous)) {
        it.remove();
      } else {
        previous = cur;
      }
    }
  }

  /** One line per version: key, [from, to), tracked, deleted, current, Type 1. */
  List<String> render() {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, TreeMap<Instant, State>> e : steps.entrySet()) {
      List<Instant> starts = new ArrayList<>(e.getValue().keySet());
      for (int i = 0; i < starts.size(); i++) {
        Instant to = i + 1 < starts.size() ? starts.get(i + 1) : Scd2History.OPEN_END;
        State s = e.getValue().get(starts.get(i));
        out.add(
            line(
                e.getKey(),
                starts.get(i),
                to,
                s.tracked,
                s.deleted,
                i + 1 == starts.size(),
                Arrays.asList(type1.get(e.getKey()))));
      }
    }
    return out;
  }

  static String line(
      String key,
      Instant from,
      Instant to,
      List<?> tracked,
      boolean deleted,
      boolean current,
      List<?> type1) {
    return key
        + " ["
        + from
        + ", "
        + to
        + ") "
        + tracked
        + (deleted ? " deleted" : "")
        + (current ? " current" : "")
        + " t1="
        + type1;
  }
}
