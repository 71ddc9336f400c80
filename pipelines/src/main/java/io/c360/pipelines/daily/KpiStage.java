package io.c360.pipelines.daily;

import io.c360.transforms.kpi.Marts;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import org.apache.beam.sdk.Pipeline;

/** The KPI stage of a run: every mart of SPEC §4 for asOf, each replaced in one transaction. */
public final class KpiStage {
  private KpiStage() {}

  /** What the stage did: how long it took (the marts themselves are in the warehouse). */
  public record Result(Duration took) {}

  /** Computes and replaces the marts of {@code ctx.asOf()} in a pipeline of its own. */
  public static Result run(C360Options options, RunContext ctx, PrintStream out) {
    out.printf("  computing KPI marts for %s ...%n", ctx.asOf());
    Instant t0 = Instant.now();
    options.setJobName(Stages.jobName("marts", ctx.asOf(), ctx.runId()));
    Pipeline p = Pipeline.create(options);
    setup(p, ctx);
    Stages.runToEnd(p, "marts", out);
    return new Result(Duration.between(t0, Instant.now()));
  }

  static void setup(Pipeline p, RunContext ctx) {
    Marts.computeAndReplace(p, ctx.pg(), ctx.asOf(), ctx.zone(), ctx.categories());
  }
}
