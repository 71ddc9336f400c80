package io.c360.transforms.facts;

import java.io.Serializable;

/**
 * What one fact load did, emitted once after its transaction committed.
 *
 * <p>The rows themselves reach the KPI state through the fact tables' change log (sql/V50), which
 * every writer feeds, this load and the SCD2 re-pointing included.
 *
 * @param fact the fact's entity name
 * @param loaded this run's staged rows that loaded
 * @param pending this run's staged rows that wait in {@code dq.pending_rows} because a member is
 *     missing
 * @param resolved rows pending from earlier runs that loaded now
 * @param stillPending rows pending from earlier runs that still wait
 * @param inserted fact rows written new
 * @param updated fact rows rewritten because their content changed (a re-delivered row equal to the
 *     stored one is neither inserted nor updated)
 * @param moved facts deleted from the date they lived at because a re-delivery moved them
 */
public record FactLoadStats(
    String fact,
    long loaded,
    long pending,
    long resolved,
    long stillPending,
    long inserted,
    long updated,
    long moved)
    implements Serializable {

  FactLoadStats withWrites(long inserted, long updated, long moved) {
    return new FactLoadStats(
        fact, loaded, pending, resolved, stillPending, inserted, updated, moved);
  }
}
