package io.c360.transforms.scd2;

import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.schemas.JavaFieldSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;

/**
 * What one {@link Scd2} merge did, emitted once after its transaction committed.
 *
 * <ul>
 *   <li>{@code keysAffected}: keys whose stored rows were rewritten;
 *   <li>{@code versionsInserted}: new versions (new surrogate keys);
 *   <li>{@code versionsRecut}: surviving versions whose interval, content or Type 1 values changed
 *       (an open version closed by a later change counts here);
 *   <li>{@code versionsRemoved}: stored versions that disappeared (merged into an equal neighbour);
 *   <li>{@code keysDeleted}: keys closed by a snapshot delete (tombstone added);
 *   <li>{@code unchangedRows}: input rows that created or changed nothing;
 *   <li>{@code historyRowsRead}: dimension rows read, i.e. the stored histories of the batch's keys
 *       (never the whole table);
 *   <li>{@code factsRepointed}: fact rows of the merged keys moved to another version, or whose
 *       copy of a version attribute changed (set by the commit).
 * </ul>
 */
@DefaultSchema(JavaFieldSchema.class)
public final class MergeStats implements Serializable {
  public final long keysAffected;
  public final long versionsInserted;
  public final long versionsRecut;
  public final long versionsRemoved;
  public final long keysDeleted;
  public final long unchangedRows;
  public final long historyRowsRead;
  public final long factsRepointed;

  @SchemaCreate
  public MergeStats(
      long keysAffected,
      long versionsInserted,
      long versionsRecut,
      long versionsRemoved,
      long keysDeleted,
      long unchangedRows,
      long historyRowsRead,
      long factsRepointed) {
    this.keysAffected = keysAffected;
    this.versionsInserted = versionsInserted;
    this.versionsRecut = versionsRecut;
    this.versionsRemoved = versionsRemoved;
    this.keysDeleted = keysDeleted;
    this.unchangedRows = unchangedRows;
    this.historyRowsRead = historyRowsRead;
    this.factsRepointed = factsRepointed;
  }

  /** These counts with {@code n} fact rows re-pointed by the commit. */
  public MergeStats withFactsRepointed(long n) {
    return new MergeStats(
        keysAffected,
        versionsInserted,
        versionsRecut,
        versionsRemoved,
        keysDeleted,
        unchangedRows,
        historyRowsRead,
        n);
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

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof MergeStats)) {
      return false;
    }
    MergeStats s = (MergeStats) o;
    return keysAffected == s.keysAffected
        && versionsInserted == s.versionsInserted
        && versionsRecut == s.versionsRecut
        && versionsRemoved == s.versionsRemoved
        && keysDeleted == s.keysDeleted
        && unchangedRows == s.unchangedRows
        && historyRowsRead == s.historyRowsRead
        && factsRepointed == s.factsRepointed;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        keysAffected,
        versionsInserted,
        versionsRecut,
        versionsRemoved,
        keysDeleted,
        unchangedRows,
        historyRowsRead,
        factsRepointed);
  }

  @Override
  public String toString() {
    return "MergeStats{keysAffected="
        + keysAffected
        + ", versionsInserted="
        + versionsInserted
        + ", versionsRecut="
        + versionsRecut
        + ", versionsRemoved="
        + versionsRemoved
        + ", keysDeleted="
        + keysDeleted
        + ", unchangedRows="
        + unchangedRows
        + ", historyRowsRead="
        + historyRowsRead
        + ", factsRepointed="
        + factsRepointed
        + "}";
  }
}
