package io.c360.pipelines.daily;

import io.c360.transforms.clean.CleanRows;
import io.c360.transforms.dedup.Dedup;
import io.c360.transforms.facts.FactSpec;
import io.c360.transforms.facts.LoadFacts;
import io.c360.transforms.ingest.ReadEntity;
import io.c360.transforms.model.Entities;
import io.c360.transforms.model.EntitySpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.metrics.MetricResults;

/**
 * The reconciliation of SPEC §2 from its one source, the counters the transforms keep themselves
 * (docs/DECISIONS.md, "Counts come from the transforms' own counters"):
 *
 * <ul>
 *   <li>read = {@link ReadEntity} rows parsed + records that could not be parsed;
 *   <li>quarantined = those records + {@link CleanRows} rejected rows (a row once, whatever the
 *       number of rules it failed);
 *   <li>deduplicated = {@link Dedup} exact duplicates + superseded rows;
 *   <li>loaded = {@link Dedup} kept rows for a dimension (an unchanged row is accepted: SCD2 simply
 *       needs no version), {@link LoadFacts} loaded rows for a fact, which also counts pending,
 *       resolved and still-pending rows.
 * </ul>
 */
final class Reconciliation {
  private Reconciliation() {}

  /** Every entity's counts from a finished load; those not in {@code present} are skipped. */
  static Map<String, EntityCounts> of(MetricResults metrics, List<EntitySpec> present) {
    Map<String, EntityCounts> out = new LinkedHashMap<>();
    for (EntitySpec e : Entities.ALL) {
      Map<String, Long> ingest = ReadEntity.counters(metrics, e);
      Map<String, Long> clean = CleanRows.counters(metrics, e);
      Map<String, Long> dedup = Dedup.counters(metrics, e);
      long unreadable = unreadable(ingest);
      long kept = dedup.get("kept");
      FactSpec fact = fact(e);
      Map<String, Long> facts = fact == null ? Map.of() : LoadFacts.counters(metrics, fact);
      out.put(
          e.name(),
          new EntityCounts(
              e.name(),
              present.contains(e) ? EntityCounts.PRESENT : EntityCounts.SKIPPED,
              ingest.get(ReadEntity.ROWS_PARSED) + unreadable,
              fact == null ? kept : facts.get(LoadFacts.LOADED),
              unreadable + clean.get("rejected_rows"),
              dedup.get(Dedup.EXACT_DUPLICATE) + dedup.get(Dedup.SUPERSEDED),
              facts.getOrDefault(LoadFacts.PENDING, 0L),
              facts.getOrDefault(LoadFacts.RESOLVED, 0L),
              facts.getOrDefault(LoadFacts.STILL_PENDING, 0L)));
    }
    return out;
  }

  /** Rows read so far per entity that has read any, from a running pipeline (for progress). */
  static Map<String, Long> readSoFar(MetricResults metrics) {
    Map<String, Long> read = new TreeMap<>();
    for (EntitySpec e : Entities.ALL) {
      Map<String, Long> ingest = ReadEntity.counters(metrics, e);
      long n = ingest.get(ReadEntity.ROWS_PARSED) + unreadable(ingest);
      if (n > 0) {
        read.put(e.name(), n);
      }
    }
    return read;
  }

  /** Fails the run naming every entity whose counts do not add up. */
  static void require(Map<String, EntityCounts> counts) {
    List<String> broken =
        counts.values().stream().filter(c -> !c.reconciles()).map(EntityCounts::entity).toList();
    if (!broken.isEmpty()) {
      throw new IllegalStateException(
          "counts do not reconcile for "
              + broken
              + ": read ≠ loaded + quarantined + deduplicated + pending");
    }
  }

  /** Records {@link ReadEntity} could not parse: one failure each, never a row too. */
  private static long unreadable(Map<String, Long> ingest) {
    return ingest.get(ReadEntity.FAILURES_PARSE_CSV)
        + ingest.get(ReadEntity.FAILURES_PARSE_ENCODING);
  }

  private static FactSpec fact(EntitySpec e) {
    for (FactSpec f : FactSpec.values()) {
      if (f.entity() == e) {
        return f;
      }
    }
    return null;
  }
}
