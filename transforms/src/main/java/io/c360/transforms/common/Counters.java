package io.c360.transforms.common;

import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.metrics.MetricsFilter;

/** Reads the counters of one metrics namespace after a run, for summaries and reconciliation. */
public final class Counters {
  private Counters() {}

  /**
   * Counter name → value, summed over steps, sorted by name; each of {@code always} is present, 0
   * when never incremented (Beam reports only counters that were touched). The value is the
   * committed one where the runner reports it (Direct, Dataflow: a retried bundle counts once),
   * else the attempted one (Flink).
   */
  public static Map<String, Long> byName(
      MetricResults metrics, String namespace, String... always) {
    Map<String, Long> out = new TreeMap<>();
    for (String name : always) {
      out.put(name, 0L);
    }
    MetricsFilter filter =
        MetricsFilter.builder().addNameFilter(MetricNameFilter.inNamespace(namespace)).build();
    for (MetricResult<Long> c : metrics.queryMetrics(filter).getCounters()) {
      out.merge(c.getName().getName(), value(c), Long::sum);
    }
    return out;
  }

  /** The committed value of {@code c}, or its attempted one where the runner has no committed. */
  public static long value(MetricResult<Long> c) {
    try {
      Long committed = c.getCommitted();
      return committed != null ? committed : c.getAttempted();
    } catch (UnsupportedOperationException e) {
      return c.getAttempted();
    }
  }
}
