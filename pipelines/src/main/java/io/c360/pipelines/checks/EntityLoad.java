package io.c360.pipelines.checks;

/**
 * What the load stage did with one entity in the run: the reconciliation counts the checks need
 * (SPEC §2).
 */
public record EntityLoad(
    String entity,
    boolean present,
    long read,
    long loaded,
    long quarantined,
    long deduplicated,
    long pending) {

  /**
   * The rows read that are accounted for neither as loaded, quarantined, deduplicated nor pending.
   */
  public long unaccounted() {
    return Math.abs(read - (loaded + quarantined + deduplicated + pending));
  }
}
