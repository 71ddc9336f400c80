package io.c360.pipelines.daily;

import io.c360.transforms.kpi.Marts;
import org.apache.beam.sdk.Pipeline;

/** The KPI stage of a run: every mart of SPEC §4 for asOf, each replaced in one transaction. */
final class KpiStage {
  private KpiStage() {}

  static void setup(Pipeline p, RunContext ctx) {
    Marts.computeAndReplace(p, ctx.pg(), ctx.asOf(), ctx.zone(), ctx.categories());
  }
}
