package io.c360.pipelines.testing;

import io.c360.transforms.jdbc.PgConnection;
import java.io.Serializable;
import java.time.LocalDate;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The pipeline the runner tests (Flink local, Flink session cluster, Dataflow translation) run.
 * Today it is {@link RepresentativePipeline}; to prove the daily pipeline on every runner, change
 * {@link #DAILY} to build it instead, e.g. {@code (options, input, day, pg) -> { Pipeline p =
 * Pipeline.create(options); DailyPipeline.setupPipeline(p, ...); return p; }}.
 */
@FunctionalInterface
public interface PipelineUnderTest extends Serializable {

  /** Builds the run of {@code day} over the landing zone {@code input} into {@code pg}. */
  Pipeline create(PipelineOptions options, String input, LocalDate day, PgConnection pg);

  /** The one line to swap. */
  PipelineUnderTest DAILY =
      (options, input, day, pg) -> {
        Pipeline p = Pipeline.create(options);
        RepresentativePipeline.build(
            p, input, day, RepresentativePipeline.startRun(pg, day, options), pg);
        return p;
      };
}
