package io.c360.transforms.ingest;

import static io.c360.transforms.ingest.IngestFixtures.folder;
import static io.c360.transforms.ingest.IngestFixtures.write;
import static io.c360.transforms.model.Entities.SALES;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A file forced into hundreds of ranges yields every record once, with its exact line. */
class ReadEntitySplitTest implements Serializable {
  @TempDir transient Path root;

  @ParameterizedTest
  @ValueSource(strings = {"\n", "\r\n"})
  void everyRecordIsReadOnceWithItsLineWhenSplitIntoManyRanges(String eol) throws Exception {
    List<String> header = SALES.columnNames();
    // salesDay puts quoted commas, quotes and line breaks in shop_id, so many cuts fall near them.
    List<List<String>> day = IngestFixtures.salesDay(1500, 11);
    IngestFixtures.Csv csv = new IngestFixtures.Csv(',', eol, true, header);
    List<String> expected = new ArrayList<>();
    for (List<String> rec : day) {
      csv.record(rec);
      expected.add(
          ReadEntityCsvTest.expected(csv.recordLines.get(csv.recordLines.size() - 1), header, rec));
    }
    write(folder(root, SALES).resolve("big.csv"), csv.bytes());

    Pipeline p = IngestTesting.pipeline();
    PCollectionTuple out =
        p.apply(
            "ReadSales",
            ReadEntity.of(SALES)
                .from(root.toString())
                .forDate(IngestFixtures.DT)
                .withSplitThresholdBytes(0)
                .withSplitBytes(1200));
    PAssert.that(IngestTesting.lineAndContent(out.get(ReadEntity.ROWS), "Project"))
        .containsInAnyOrder(expected);
    PAssert.that(out.get(ReadEntity.FAILURES)).empty();
    PipelineResult result = p.run();
    result.waitUntilFinish();

    long ranges = ReadEntity.counters(result.metrics(), SALES).get("csv_ranges");
    assertThat(ranges, greaterThan(60L));
  }
}
