package io.c360.transforms.scd2;

import java.io.Serializable;

/**
 * What one {@link Scd2} merge did, emitted once after its transaction committed.
 *
 * @param keysAffected keys whose stored rows were rewritten
 * @param versionsInserted new versions (new surrogate keys)
 * @param versionsRecut surviving versions whose interval, content or Type 1 values changed (an open
 *     version closed by a later change counts here)
 * @param versionsRemoved stored versions that disappeared (merged into an equal neighbour)
 * @param keysDeleted keys closed by a snapshot delete (tombstone added)
 * @param unchangedRows input rows that created or changed nothing
 * @param historyRowsRead dimension rows read, i.e. the stored histories of the batch's keys (never
 *     the whole table)
 * @param factsRepointed fact rows of the merged keys moved to another version, or whose copy of a
 *     version attribute changed (set by the commit)
 */
public record MergeStats(
    long keysAffected,
    long versionsInserted,
    long versionsRecut,
    long versionsRemoved,
    long keysDeleted,
    long unchangedRows,
    long historyRowsRead,
    long factsRepointed)
    implements Serializable {

  /** These counts with {@code n} fact rows re-pointed by the commit. */
  public MergeStats withFactsRepointed(long n) {
    return plus(new MergeStats(0, 0, 0, 0, 0, 0, 0, n - factsRepointed));
  }

  public static MergeStats zero() {
    return new MergeStats(0, 0, 0, 0, 0, 0, 0, 0);
  }

  public MergeStats plus(MergeStats o) {
    return new MergeStats(
        keysAffected + o.keysAffected,
        versionsInserted + o.versionsInserted,
        versionsRecut + o.versionsRecut,
        versionsRemoved + o.versionsRemoved,
        keysDeleted + o.keysDeleted,
        unchangedRows + o.unchangedRows,
        historyRowsRead + o.historyRowsRead,
        factsRepointed + o.factsRepointed);
  }
}
