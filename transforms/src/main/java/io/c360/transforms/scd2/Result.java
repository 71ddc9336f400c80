package io.c360.transforms.scd2;

import java.io.Serializable;
import java.util.Collections;
import java.util.List;

/**
 * What {@link Scd2History#apply} made of a key's history.
 *
 * @param versions the complete new history, ordered by valid_from
 * @param type1 Type 1 values of every version
 * @param changed whether any stored row of the key must be rewritten
 * @param versionsInserted new versions (they have no surrogate key yet)
 * @param versionsRecut surviving versions whose interval, content or Type 1 values changed (closed
 *     or re-cut)
 * @param versionsRemoved stored versions that disappeared (replaced and merged into a neighbour)
 * @param deletedNow whether a snapshot delete closed the key in this batch
 * @param unchangedEvents landed rows that changed nothing (same content, or superseded by a later
 *     line)
 */
public record Result(
    List<Version> versions,
    List<Object> type1,
    boolean changed,
    long versionsInserted,
    long versionsRecut,
    long versionsRemoved,
    boolean deletedNow,
    long unchangedEvents)
    implements Serializable {

  public Result {
    versions = Collections.unmodifiableList(versions);
    type1 = Collections.unmodifiableList(type1);
  }
}
