package io.c360.transforms.kpi;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.c360.transforms.testing.KpiReference;
import io.c360.transforms.testing.TestDatabase;
import java.sql.Connection;
import java.time.LocalDate;
import java.util.Map;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The KPI pipeline gives the same marts on Flink (batch, parallelism 2) as on the Direct runner,
 * over KpiMartsIT's fixture, in which every mart has rows (SPEC §8/§9's funnel, campaign, inventory
 * and next-best-category marts too, from its WebFixture). Flink batch hands a grouped Iterable out
 * once only, which the Direct runner does not enforce: this is the test that catches a transform
 * reading one twice.
 */
class KpiMartsFlinkIT {
  @RegisterExtension static final TestDatabase DB = new TestDatabase();

  static final LocalDate AS_OF = LocalDate.of(2025, 5, 15);

  @Test
  void flinkMartsEqualDirectMarts() throws Exception {
    try (Connection c = DB.open()) {
      new KpiFixture().populate(c);
    }
    PipelineOptions direct = PipelineOptionsFactory.create();
    direct.setRunner(DirectRunner.class);
    run(direct);
    Map<MartTable, String> onDirect = dump();

    FlinkPipelineOptions flink = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    flink.setRunner(FlinkRunner.class);
    flink.setFlinkMaster("[local]");
    flink.setParallelism(2);
    run(flink);
    Map<MartTable, String> onFlink = dump();

    for (MartTable t : MartTable.values()) {
      assertThat(t + " has rows", onDirect.get(t), not(emptyString()));
      assertThat(t + " on Flink", onFlink.get(t), equalTo(onDirect.get(t)));
    }
    assertThat(onFlink.get(MartTable.ANOMALIES), containsString("zscore_amount"));
  }

  private static void run(PipelineOptions options) {
    Pipeline p = Pipeline.create(options);
    Marts.computeAndReplace(p, DB.connection(), AS_OF, KpiFixture.TZ);
    p.run().waitUntilFinish();
  }

  private static Map<MartTable, String> dump() throws Exception {
    try (Connection c = DB.open()) {
      return KpiReference.dumpMarts(c, AS_OF);
    }
  }
}
