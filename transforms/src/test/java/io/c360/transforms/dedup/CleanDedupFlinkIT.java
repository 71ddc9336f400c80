package io.c360.transforms.dedup;

import static io.c360.transforms.clean.Fixtures.PARIS;
import static io.c360.transforms.clean.Fixtures.RUN_DATE;
import static io.c360.transforms.clean.Fixtures.raw;
import static io.c360.transforms.clean.Fixtures.with;

import io.c360.transforms.clean.CleanRows;
import io.c360.transforms.model.Entities;
import io.c360.transforms.model.EntitySpec;
import java.io.Serializable;
import java.util.List;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;

/** CleanRows + Dedup give the same outcome on an embedded Flink cluster, with parallelism 2. */
class CleanDedupFlinkIT implements Serializable {
  private static final String A = "s3://landing/sales/dt=2024-06-10/a.csv";
  private static final String B = "s3://landing/sales/dt=2024-06-10/b.csv";

  static final class Outcome implements SerializableFunction<Row, String> {
    private final String outcome;

    Outcome(String outcome) {
      this.outcome = outcome;
    }

    @Override
    public String apply(Row r) {
      String f = r.getString(EntitySpec.SOURCE_FILE);
      String o = outcome != null ? outcome : r.getString(Dedup.REASON);
      return f.substring(f.lastIndexOf('/') + 1) + ":" + r.getInt64(EntitySpec.LINE_NO) + " " + o;
    }
  }

  @Test
  void sameOutcomeOnFlink() {
    FlinkPipelineOptions options = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    options.setRunner(FlinkRunner.class);
    options.setFlinkMaster("[local]");
    options.setParallelism(2);
    Pipeline p = Pipeline.create(options);
    EntitySpec sales = Entities.SALES;
    List<Row> landed =
        List.of(
            raw(sales, A, 2, with("transaction_id", "T1")),
            raw(sales, B, 2, with("transaction_id", " T1 ")),
            raw(sales, A, 3, with("transaction_id", "T2", "shop_id", "S1")),
            raw(sales, A, 4, with("transaction_id", "T2", "shop_id", "S2")),
            raw(sales, A, 5, with("transaction_id", "T3", "quantity", "1.5")),
            raw(sales, B, 1, with("transaction_id", "T4", "amount", "", "unit_price", "3")));
    PCollectionTuple cleaned =
        p.apply("Landed", Create.of(landed).withRowSchema(sales.rawSchema()))
            .apply("CleanSales", CleanRows.of(sales).withRunDate(RUN_DATE).withTimezone(PARIS));
    PCollectionTuple deduped = cleaned.get(CleanRows.CLEAN).apply("DedupSales", Dedup.of(sales));
    PAssert.that(
            PCollectionList.of(
                    cleaned.get(CleanRows.REJECTED).apply("Rejected", outcome("quarantined")))
                .and(deduped.get(Dedup.KEPT).apply("Kept", outcome("kept")))
                .and(deduped.get(Dedup.DROPPED).apply("Dropped", outcome(null)))
                .apply("All", Flatten.pCollections()))
        .containsInAnyOrder(
            "a.csv:2 kept",
            "b.csv:2 exact_duplicate",
            "a.csv:3 superseded",
            "a.csv:4 kept",
            "a.csv:5 quarantined",
            "b.csv:1 kept");
    p.run().waitUntilFinish();
  }

  private static MapElements<Row, String> outcome(String o) {
    return MapElements.into(TypeDescriptors.strings()).via(new Outcome(o));
  }
}
