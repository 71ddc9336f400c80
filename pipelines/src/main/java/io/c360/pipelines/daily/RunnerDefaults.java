package io.c360.pipelines.daily;

import io.c360.transforms.grouping.ShardedGroupByKey;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Runner settings c360 needs whatever runner jar it runs from. Beam's options proxies share
 * properties by name, so this interface reads and sets the Flink runner's own {@code
 * --executionModeForBatch} (same name, type and default) without a compile-time dependency on
 * Flink: the Direct-runner jar carries none. Likewise the Direct runner's {@code --blockOnRun}.
 */
public interface RunnerDefaults extends PipelineOptions {
  String FLINK_DEFAULT_MODE = "PIPELINED";

  @Description(
      "Flink's data exchange mode for batch pipelines. c360 runs Flink batch jobs with"
          + " BATCH_FORCED: see RunnerDefaults.")
  @Default.String(FLINK_DEFAULT_MODE)
  String getExecutionModeForBatch();

  void setExecutionModeForBatch(String value);

  @Description(
      "Direct runner: whether run() blocks until the pipeline ends. c360 waits on the result"
          + " instead, so it can print progress meanwhile.")
  @Default.Boolean(true)
  boolean isBlockOnRun();

  void setBlockOnRun(boolean value);

  /**
   * A daily load is diamond-shaped (one read fans out to raw, staging, rejects and SCD2, and {@code
   * Wait.on} joins the branches again); with Flink's default pipelined exchanges such a batch job
   * blocks forever (FLINK-10672, seen here on Flink 1.19). BATCH_FORCED materialises the exchanges.
   * Flink's default is replaced; any other mode the user names is kept.
   */
  static void apply(PipelineOptions options) {
    RunnerDefaults r = options.as(RunnerDefaults.class);
    if (options.getRunner().getSimpleName().equals("FlinkRunner")
        && FLINK_DEFAULT_MODE.equals(r.getExecutionModeForBatch())) {
      r.setExecutionModeForBatch("BATCH_FORCED");
    }
    if (ShardedGroupByKey.isDirectRunner(options)) {
      r.setBlockOnRun(false); // the caller waits with waitUntilFinish; see Progress
    }
  }
}
