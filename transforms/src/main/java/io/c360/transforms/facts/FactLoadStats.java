package io.c360.transforms.facts;

import java.io.Serializable;
import org.apache.beam.sdk.schemas.JavaFieldSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;

/**
 * What one fact load did, emitted once after its transaction committed.
 *
 * <ul>
 *   <li>{@code loaded} / {@code pending}: this run's staged rows that loaded / wait in {@code
 *       dq.pending_rows} because a member is missing;
 *   <li>{@code resolved} / {@code stillPending}: rows pending from earlier runs that loaded now /
 *       still wait;
 *   <li>{@code inserted} / {@code updated}: fact rows written new / rewritten because their content
 *       changed (a re-delivered row equal to the stored one is neither);
 *   <li>{@code moved}: facts deleted from the date they lived at because a re-delivery moved them.
 * </ul>
 *
 * <p>The rows themselves reach the KPI state through the fact tables' change log (sql/V50), which
 * every writer feeds, this load and the SCD2 re-pointing included.
 */
@DefaultSchema(JavaFieldSchema.class)
public final class FactLoadStats implements Serializable {
  public final String fact;
  public final long loaded;
  public final long pending;
  public final long resolved;
  public final long stillPending;
  public final long inserted;
  public final long updated;
  public final long moved;

  @SchemaCreate
  public FactLoadStats(
      String fact,
      long loaded,
      long pending,
      long resolved,
      long stillPending,
      long inserted,
      long updated,
      long moved) {
    this.fact = fact;
    this.loaded = loaded;
    this.pending = pending;
    this.resolved = resolved;
    this.stillPending = stillPending;
    this.inserted = inserted;
    this.updated = updated;
    this.moved = moved;
  }

  FactLoadStats withWrites(long inserted, long updated, long moved) {
    return new FactLoadStats(
        fact, loaded, pending, resolved, stillPending, inserted, updated, moved);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof FactLoadStats)) {
      return false;
    }
    FactLoadStats s = (FactLoadStats) o;
    return fact.equals(s.fact)
        && loaded == s.loaded
        && pending == s.pending
        && resolved == s.resolved
        && stillPending == s.stillPending
        && inserted == s.inserted
        && updated == s.updated
        && moved == s.moved;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(
        fact, loaded, pending, resolved, stillPending, inserted, updated, moved);
  }

  @Override
  public String toString() {
    return fact
        + "{loaded="
        + loaded
        + ", pending="
        + pending
        + ", resolved="
        + resolved
        + ", stillPending="
        + stillPending
        + ", inserted="
        + inserted
        + ", updated="
        + updated
        + ", moved="
        + moved
        + "}";
  }
}
