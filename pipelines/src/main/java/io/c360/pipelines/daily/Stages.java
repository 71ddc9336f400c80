package io.c360.pipelines.daily;

import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
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
   * The stack of the thread that submits a stage's pipeline. Flink copies the job graph by Java
   * serialization before it runs it ({@code MiniCluster.submitJob} clones it in the caller's
   * thread), and that recurses along the graph's vertices, edges and data sets: the eight-entity
   * load job came close enough to the JVM's default 1 MB that it overflowed now and then (CI,
   * 2026-12-02) and always did at 400 KB. 64 MB is reserved address space, not memory: a thread
   * commits only the stack it touches.
   */
  static final long SUBMIT_STACK_BYTES = 64L << 20;

  /**
   * Runs a stage's pipeline to its end, printing {@link Progress} lines while it runs, and fails
   * unless it ended DONE (Dataflow's {@code waitUntilFinish} returns FAILED instead of throwing).
   */
  static PipelineResult runToEnd(Pipeline p, String stage, PrintStream out) {
    try (Progress progress = Progress.start(out, stage, PROGRESS_EVERY)) {
      PipelineResult r = onLargeStack("c360-" + stage, p::run);
      progress.attach(r);
      PipelineResult.State state = r.waitUntilFinish();
      if (state != null && state != PipelineResult.State.DONE) {
        throw new IllegalStateException(stage + " pipeline ended " + state + ", not DONE");
      }
      return r;
    }
  }

  /**
   * Calls {@code work} on a new thread of {@link #SUBMIT_STACK_BYTES} stack and waits for it; what
   * it throws is thrown here unchanged (an {@link Exception} that is not a {@link RuntimeException}
   * is wrapped in one).
   */
  static <T> T onLargeStack(String threadName, Callable<T> work) {
    FutureTask<T> task = new FutureTask<>(work);
    Thread t = new Thread(null, task, threadName, SUBMIT_STACK_BYTES);
    t.start();
    try {
      return task.get();
    } catch (InterruptedException e) {
      t.interrupt();
      Thread.currentThread().interrupt();
      throw new IllegalStateException(
          threadName + ": interrupted while waiting for the pipeline", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    }
  }
}
