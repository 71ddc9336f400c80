package io.c360.pipelines.generate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * One file's state while {@link PartWriter} writes it: its random stream, the queue of extra rows
 * (duplicates, conflicts) due a few lines later, the rows deferred to the day's last file, and the
 * tally of what it injected.
 */
final class PartContext {
  final Rng rng;
  final Map<String, Long> tally = new TreeMap<>();
  private final PriorityQueue<long[]> due =
      new PriorityQueue<>(
          (x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
  private final Map<Long, String[]> extras = new HashMap<>();
  private final double spelling;
  private long queued;
  long written;
  final long target;

  /** Whether a value of the row being produced was spelled differently. */
  boolean spelledRow;

  /** Fact rows deferred to the day's last file: conflicts that a later file resolves. */
  final List<String[]> laterFile = new ArrayList<>();

  PartContext(Rng rng, long target, double spelling) {
    this.rng = rng;
    this.target = target;
    this.spelling = spelling;
  }

  /** The run's {@link Defect#SPELLING} rate. */
  double spelling() {
    return spelling;
  }

  /** Whether this value gets a different spelling (and the row then counts as spelled). */
  boolean spell(Rng r) {
    if (spelling > 0 && r.chance(spelling)) {
      spelledRow = true;
      return true;
    }
    return false;
  }

  /** Whether one more base row and one extra row still fit in the part. */
  boolean roomForExtra() {
    return target == Long.MAX_VALUE || used() + 2 <= target;
  }

  /** A same-key conflict: half a few lines later, half in the day's last file. */
  void conflict(String[] row, Rng r) {
    if (r.chance(0.5)) {
      queue(row, r, Defect.CONFLICT, null);
    } else {
      laterFile.add(row);
      count(Defect.CONFLICT, null);
    }
  }

  void queue(String[] row, Rng r, Defect kind, String rule) {
    long key = queued++;
    extras.put(key, row);
    due.add(new long[] {written + 1 + r.nextInt(40), key});
    count(kind, rule);
  }

  void count(Defect kind, String rule) {
    tally.merge(kind.key(), 1L, Long::sum);
    if (rule != null) {
      tally.merge("rule:" + rule, 1L, Long::sum);
    }
  }

  /** Rows written or promised: queued extras and rows deferred to the later file count too. */
  long used() {
    return written + extras.size() + laterFile.size();
  }

  boolean hasExtra() {
    return !due.isEmpty();
  }

  boolean extraDue() {
    return !due.isEmpty() && due.peek()[0] <= written;
  }

  String[] pollExtra() {
    return extras.remove(due.poll()[1]);
  }
}
