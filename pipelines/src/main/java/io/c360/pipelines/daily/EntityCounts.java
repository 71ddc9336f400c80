package io.c360.pipelines.daily;

import io.c360.pipelines.checks.EntityLoad;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The reconciliation of one entity in one run (SPEC §2): every row read is loaded, quarantined,
 * deduplicated or pending. {@code resolved} counts earlier pending rows that loaded in this run;
 * they were counted as read (and pending) in the run that read them.
 */
public record EntityCounts(
    String entity,
    String status,
    long read,
    long loaded,
    long quarantined,
    long deduplicated,
    long pending,
    long resolved,
    long stillPending) {

  public static final String PRESENT = "read";
  public static final String SKIPPED = "skipped (no folder for this date)";

  public boolean reconciles() {
    return read == loaded + quarantined + deduplicated + pending;
  }

  /** The counts as the checks read them. */
  public EntityLoad toLoad() {
    return new EntityLoad(
        entity, status.equals(PRESENT), read, loaded, quarantined, deduplicated, pending);
  }

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", status);
    m.put("read", read);
    m.put("loaded", loaded);
    m.put("quarantined", quarantined);
    m.put("deduplicated", deduplicated);
    m.put("pending", pending);
    m.put("pending_resolved", resolved);
    m.put("pending_waiting", stillPending);
    m.put("reconciled", reconciles());
    return m;
  }
}
