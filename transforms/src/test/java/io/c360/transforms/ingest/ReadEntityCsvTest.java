package io.c360.transforms.ingest;

import static io.c360.transforms.ingest.IngestFixtures.folder;
import static io.c360.transforms.ingest.IngestFixtures.write;
import static io.c360.transforms.model.Entities.SALES;

import io.c360.transforms.model.EntitySpec;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC §1 CSV: header mapping, quoting, BOM, CRLF, delimiter, lineage, ignored files. */
class ReadEntityCsvTest implements Serializable {
  @TempDir transient Path root;

  /** Expected {@code line|content} of a record written under {@code header}. */
  static String expected(long line, List<String> header, List<String> values) {
    List<String> out = new ArrayList<>();
    for (String column : SALES.columnNames()) {
      int i = -1;
      for (int h = 0; h < header.size(); h++) {
        if (header.get(h).trim().toLowerCase(Locale.ROOT).equals(column)) {
          i = h;
        }
      }
      out.add(i < 0 ? null : values.get(i));
    }
    return line + "|" + IngestFixtures.content(out);
  }

  @Test
  void mapsHeaderByTrimmedCaseInsensitiveNameInAnyOrderWithBomCrlfAndSemicolon() throws Exception {
    List<String> header =
        List.of(" Transaction_ID ", "QUANTITY", "customer_id", "Transaction_TS", "Status", "promo");
    List<String> r1 = List.of("T1", "2", "C1", "2026-03-14 10:00:00", "completed", "x");
    List<String> r2 = List.of("T2", "1", "C;2", "2026-03-14T11:00:00Z", " ", "say \"hi\"");
    List<String> r3 = List.of("T3", "", "C3", "2026-03-14", "returned", "two\r\nlines");
    IngestFixtures.Csv csv =
        new IngestFixtures.Csv(';', "\r\n", true, header).record(r1).record(r2).record(r3);
    Path file = write(folder(root, SALES).resolve("part-1.csv"), csv.bytes());

    Pipeline p = IngestTesting.pipeline();
    PCollectionTuple out =
        p.apply(
            "ReadSales",
            ReadEntity.of(SALES)
                .from(root.toString())
                .forDate(IngestFixtures.DT)
                .withCsvDelimiter(';'));
    PAssert.that(IngestTesting.lineAndContent(out.get(ReadEntity.ROWS), "Project"))
        .containsInAnyOrder(
            expected(2, header, r1), expected(3, header, r2), expected(4, header, r3));
    String path = file.toAbsolutePath().toString();
    PAssert.that(out.get(ReadEntity.ROWS)).satisfies(rows -> checkSourceFile(rows, path));
    PAssert.that(out.get(ReadEntity.FAILURES)).empty();
    PAssert.that(out.get(ReadEntity.NOTICES))
        .containsInAnyOrder(
            Row.withSchema(ReadEntity.NOTICE_SCHEMA)
                .addValues("sales", file.toAbsolutePath().toString(), List.of("promo"))
                .build());
    p.run().waitUntilFinish();
  }

  static Void checkSourceFile(Iterable<org.apache.beam.sdk.values.Row> rows, String file) {
    for (org.apache.beam.sdk.values.Row r : rows) {
      if (!r.getString(EntitySpec.SOURCE_FILE).equals(file)) {
        throw new AssertionError("source_file " + r.getString(EntitySpec.SOURCE_FILE));
      }
    }
    return null;
  }

  @Test
  void quotedDelimitersQuotesAndNewlinesKeepExactStartLinesAcrossFiles() throws Exception {
    List<String> header = SALES.columnNames();
    List<List<String>> day = IngestFixtures.salesDay(60, 7);
    IngestFixtures.Csv a = new IngestFixtures.Csv(',', "\n", false, header);
    IngestFixtures.Csv b = new IngestFixtures.Csv(',', "\n", false, header);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < day.size(); i++) {
      IngestFixtures.Csv target = i % 2 == 0 ? a : b;
      if (i == 10) {
        target.raw("\n"); // a blank line carries no record but counts as a line
      }
      target.record(day.get(i));
      expected.add(
          expected(target.recordLines.get(target.recordLines.size() - 1), header, day.get(i)));
    }
    Path dir = folder(root, SALES);
    write(dir.resolve("a.CSV"), a.bytes());
    write(dir.resolve("b.csv"), b.bytes());
    write(dir.resolve("_SUCCESS"), new byte[0]);
    write(dir.resolve("notes.txt"), "not data".getBytes());
    write(dir.resolve(".a.csv.crc"), new byte[] {1, 2, 3});

    Pipeline p = IngestTesting.pipeline();
    PCollectionTuple out = IngestTesting.read(p, "ReadSales", root, SALES);
    PAssert.that(IngestTesting.lineAndContent(out.get(ReadEntity.ROWS), "Project"))
        .containsInAnyOrder(expected);
    PAssert.that(out.get(ReadEntity.FAILURES)).empty();
    PAssert.that(out.get(ReadEntity.NOTICES)).empty();
    p.run().waitUntilFinish();
  }
}
