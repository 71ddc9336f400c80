package io.c360.pipelines.daily;

import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalDate;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;

/** What the load and KPI stages share: their job names and how a stage's pipeline is run. */
final class Stages {
  private Stages() {}

  /** How often a running stage prints a progress line (SPEC §7). */
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(30);

  /**
   * One job name per pipeline, so a Flink or Dataflow console tells the two stages and the days
   * apart: {@code c360-load-20260330-run12}. Lower case, digits and dashes only, as Dataflow
   * requires; c360 sets it, so a {@code --jobName} given on the command line is replaced.
   */
  static String jobName(String stage, LocalDate date, long runId) {
    return "c360-" + stage + "-" + date.toString().replace("-", "") + "-run" + runId;
  }

  /**
   * Runs a stage's pipeline to its end, printing {@link Progress} lines while it runs, and fails
   * unless it ended DONE (Dataflow's {@code waitUntilFinish} returns FAILED instead of throwing).
   */
  static PipelineResult runToEnd(Pipeline p, String stage, PrintStream out) {
    try (Progress progress = Progress.start(out, stage, PROGRESS_EVERY)) {
      PipelineResult r = p.run();
      progress.attach(r);
      PipelineResult.State state = r.waitUntilFinish();
      if (state != null && state != PipelineResult.State.DONE) {
        throw new IllegalStateException(stage + " pipeline ended " + state + ", not DONE");
      }
      return r;
    }
  }
}
