package io.c360.transforms.common;

import java.io.Serializable;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * The time a stage's steps spend on one {@link Part} of the work, kept as a Beam counter of
 * nanoseconds so a run can split its load stage into read+parse, transform and write on every
 * runner (the counters travel with the job's metrics, as the reconciliation's do).
 *
 * <p>A step times its own work only, never an output call: on Flink an output runs the chained
 * downstream steps inside the same call, so timing around it would count their work twice. The
 * figures are busy time summed over the runner's worker threads, so a part can exceed the stage's
 * wall clock; what the wall clock has beyond the parts is the runner itself (shuffles, coders,
 * scheduling).
 *
 * <pre>{@code
 * private final BusyTime parse = BusyTime.of(BusyTime.Part.READ_PARSE);
 * long t = System.nanoTime();
 * Row row = parseOne(record);
 * parse.addSince(t);
 * out.output(row);
 * }</pre>
 */
public final class BusyTime implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The metrics namespace of the busy-time counters. */
  public static final String NAMESPACE = "c360.busy";

  /** The parts of a load. */
  public enum Part {
    /** Opening, decompressing and parsing the landed files into rows. */
    READ_PARSE,
    /** Cleaning and validating, dedup decisions, SCD2 histories computed in the JVM. */
    TRANSFORM,
    /** PostgreSQL: COPY, the SCD2 history reads and commit, Type 1 upserts, the fact load. */
    WRITE;

    /** How the run summary names the part: read+parse, transform, write. */
    public String label() {
      return this == READ_PARSE ? "read+parse" : name().toLowerCase(Locale.ROOT);
    }

    String metricName() {
      return name().toLowerCase(Locale.ROOT) + "_nanos";
    }
  }

  private final Counter nanos;

  private BusyTime(Part part) {
    this.nanos = Metrics.counter(NAMESPACE, part.metricName());
  }

  public static BusyTime of(Part part) {
    return new BusyTime(part);
  }

  /** Adds the time since {@code start} (a {@link System#nanoTime()}) and returns the clock now. */
  public long addSince(long start) {
    long now = System.nanoTime();
    nanos.inc(now - start);
    return now;
  }

  /** Each part's busy time in a finished pipeline's metrics; zero for a part nothing timed. */
  public static Map<Part, Duration> of(MetricResults metrics) {
    Map<String, Long> byName = Counters.byName(metrics, NAMESPACE);
    Map<Part, Duration> out = new EnumMap<>(Part.class);
    for (Part p : Part.values()) {
      out.put(p, Duration.ofNanos(byName.getOrDefault(p.metricName(), 0L)));
    }
    return out;
  }
}
