package io.c360.pipelines.daily;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.PipelineResult;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * SPEC §7 "long runs show progress": while a stage's pipeline runs, one line every {@code every}
 * with the time spent and, where the runner reports metrics while it runs (the Direct runner), the
 * rows read so far per entity. Runners whose {@code run()} blocks until the job ends (Flink batch)
 * get the elapsed time only; their own UI shows the job graph.
 *
 * <pre>{@code
 * try (Progress progress = Progress.start(out, "load", Duration.ofSeconds(30))) {
 *   PipelineResult r = pipeline.run();
 *   progress.attach(r);
 *   r.waitUntilFinish();
 * }
 * }</pre>
 */
final class Progress implements AutoCloseable {
  private final PrintStream out;
  private final String stage;
  private final Instant started = Instant.now();
  private final ScheduledExecutorService timer;
  private volatile @Nullable PipelineResult result;

  private Progress(PrintStream out, String stage, Duration every) {
    this.out = out;
    this.stage = stage;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "c360-progress");
              t.setDaemon(true);
              return t;
            });
    long ms = every.toMillis();
    timer.scheduleAtFixedRate(this::report, ms, ms, TimeUnit.MILLISECONDS);
  }

  static Progress start(PrintStream out, String stage, Duration every) {
    if (every.isZero() || every.isNegative()) {
      throw new IllegalArgumentException("progress interval must be positive: " + every);
    }
    return new Progress(out, stage, every);
  }

  /** The running pipeline's result, once {@code run()} has returned, for its live counters. */
  void attach(PipelineResult running) {
    this.result = running;
  }

  String line() {
    long seconds = Duration.between(started, Instant.now()).toSeconds();
    StringBuilder b = new StringBuilder("  ").append(stage).append(" running, ");
    b.append(seconds).append(" s");
    Map<String, Long> read = rowsRead();
    if (!read.isEmpty()) {
      long total = read.values().stream().mapToLong(Long::longValue).sum();
      b.append(String.format(", rows read %,d (", total));
      String sep = "";
      for (Map.Entry<String, Long> e : read.entrySet()) {
        b.append(sep).append(String.format("%s %,d", e.getKey(), e.getValue()));
        sep = ", ";
      }
      b.append(')');
    }
    return b.toString();
  }

  private Map<String, Long> rowsRead() {
    PipelineResult r = result;
    if (r == null) {
      return Map.of();
    }
    try {
      return Reconciliation.readSoFar(r.metrics());
    } catch (RuntimeException e) {
      // Not every runner can report metrics mid-run; the elapsed time is still progress.
      return Map.of();
    }
  }

  private void report() {
    out.println(line());
    out.flush();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
