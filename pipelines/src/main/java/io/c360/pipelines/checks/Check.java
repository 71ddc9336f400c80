package io.c360.pipelines.checks;

import java.time.Duration;

/**
 * One declared check: a block of the checks file, with the line it starts on for messages.
 *
 * @param column null for the kinds that look at a whole entity
 * @param window freshness: how old the newest value may be at the end of runDate; else null
 */
public record Check(
    Kind kind,
    String entity,
    String column,
    Severity severity,
    Threshold threshold,
    Duration window,
    int line) {

  /** {@code unique sales.transaction_id}, as messages and the summary name it. */
  public String label() {
    return kind + " " + entity + (column == null ? "" : "." + column);
  }

  /** The threshold as dq.check_results records it. */
  public String thresholdText() {
    if (window != null) {
      return "newest within " + window.toHours() + "h";
    }
    return threshold.toString();
  }
}
