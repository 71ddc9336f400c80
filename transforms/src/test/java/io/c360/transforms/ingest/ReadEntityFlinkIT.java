package io.c360.transforms.ingest;

import static io.c360.transforms.ingest.IngestFixtures.folder;
import static io.c360.transforms.ingest.IngestFixtures.write;
import static io.c360.transforms.model.Entities.SALES;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same transform on Flink local: split ranges read exactly once; header errors surface. */
class ReadEntityFlinkIT implements Serializable {
  @TempDir transient Path root;

  private static Pipeline flink() {
    return Pipeline.create(
        PipelineOptionsFactory.fromArgs(
                "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2")
            .create());
  }

  @Test
  void splitFileReadsEveryRecordOnceOnFlink() throws Exception {
    List<String> header = SALES.columnNames();
    IngestFixtures.Csv csv = new IngestFixtures.Csv(',', "\r\n", true, header);
    List<String> expected = new ArrayList<>();
    for (List<String> rec : IngestFixtures.salesDay(500, 9)) {
      csv.record(rec);
      expected.add(
          ReadEntityCsvTest.expected(csv.recordLines.get(csv.recordLines.size() - 1), header, rec));
    }
    write(folder(root, SALES).resolve("day.csv"), csv.bytes());
    Pipeline p = flink();
    PCollectionTuple out =
        p.apply(
            "ReadSales",
            ReadEntity.of(SALES)
                .from(root.toString())
                .forDate(IngestFixtures.DT)
                .withSplitThresholdBytes(0)
                .withSplitBytes(2000));
    PAssert.that(IngestTesting.lineAndContent(out.get(ReadEntity.ROWS), "Project"))
        .containsInAnyOrder(expected);
    PAssert.that(out.get(ReadEntity.FAILURES)).empty();
    p.run().waitUntilFinish();
  }

  @Test
  void missingColumnFailureNamesTheFileOnFlink() throws Exception {
    Path file =
        write(
            folder(root, SALES).resolve("bad.csv"),
            "transaction_id,customer_id\nT1,C1\n".getBytes());
    Pipeline p = flink();
    IngestTesting.read(p, "ReadSales", root, SALES);
    RuntimeException e = assertThrows(RuntimeException.class, () -> p.run().waitUntilFinish());
    IngestException ie = IngestException.findIn(e);
    assertThat("IngestException in the cause chain of " + e, ie, notNullValue());
    assertThat(
        ie.getMessage(),
        allOf(
            containsString(file.toAbsolutePath().toString()),
            containsString("missing required columns [quantity, transaction_ts]")));
  }
}
