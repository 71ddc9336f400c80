package io.c360.transforms.jdbc;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;

import io.c360.transforms.quality.Quarantine;
import io.c360.transforms.testing.TestDatabase;
import java.io.Serializable;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * COPY writes round-trip every value exactly, and a repeated write (a retried bundle) adds nothing.
 */
class PgCopyWriteIT implements Serializable {
  @RegisterExtension static final TestDatabase DB = new TestDatabase();

  @Test
  void valuesRoundTripAndRewritesAreIdempotent() throws Exception {
    List<Row> rows =
        List.of(
            Quarantine.reject(
                "sales", "f.csv", 2, "type:amount", "has \"quotes\", commas", "{\"a\":\"x\\ny\"}"),
            Quarantine.reject("sales", "f.csv", 3, "not_null:customer_id", "", "{\"a\":null}"),
            Quarantine.reject("sales", "f.csv", 3, "type:quantity", "naïve ✓ 日本\nnext line", "{}"));
    for (int attempt = 0; attempt < 2; attempt++) {
      Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
      p.apply("Rows", Create.of(rows).withRowSchema(Quarantine.SCHEMA))
          .apply(
              "Write",
              PgCopyWrite.into("dq.rejected_rows")
                  .withConnection(DB.connection())
                  .withConstant("run_id", 7L)
                  .withConflictColumns("run_id", "source_file", "line_no", "rule")
                  .withBatchSize(2));
      p.run().waitUntilFinish();
    }
    assertThat(
        DB.column(
            "SELECT run_id || '|' || line_no || '|' || rule || '|' || message || '|' || record::text FROM dq.rejected_rows"),
        containsInAnyOrder(
            "7|2|type:amount|has \"quotes\", commas|{\"a\": \"x\\ny\"}",
            "7|3|not_null:customer_id||{\"a\": null}",
            "7|3|type:quantity|naïve ✓ 日本\nnext line|{}"));
  }
}
