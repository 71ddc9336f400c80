package io.c360.transforms.ingest;

import static io.c360.transforms.ingest.IngestFixtures.folder;
import static io.c360.transforms.ingest.IngestFixtures.write;
import static io.c360.transforms.model.Entities.CUSTOMERS;
import static io.c360.transforms.model.Entities.SALES;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;

import io.c360.transforms.model.EntitySpec;
import java.io.ByteArrayOutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input (issue 3): each case ends in quarantined rows with a rule, or a failure whose
 * message names the file; no row is lost silently.
 */
class ReadEntityHostileTest implements Serializable {
  private static final List<String> HEADER = SALES.columnNames();

  @TempDir transient Path root;

  private static List<String> sale(String id) {
    return List.of(id, "O1", "C1", "P1", "S1", "1", "2.50", "2.50", "completed", "2026-03-14");
  }

  private static String expected(long line, List<String> values) {
    return ReadEntityCsvTest.expected(line, HEADER, values);
  }

  private Path dir() throws Exception {
    return folder(root, SALES);
  }

  private IngestException failureOf(Path file) {
    Pipeline p = IngestTesting.pipeline();
    IngestTesting.read(p, "ReadSales", root, SALES);
    IngestException e = IngestTesting.runExpectingFailure(p);
    assertThat(e.getMessage(), containsString(file.toAbsolutePath().toString()));
    return e;
  }

  @Test
  void emptyFileFailsNamingFileAndExpectedColumns() throws Exception {
    Path file = write(dir().resolve("empty.csv"), new byte[0]);
    IngestException e = failureOf(file);
    assertThat(
        e.getMessage(), allOf(containsString("empty file"), containsString("transaction_id")));
  }

  @Test
  void headerOnlyFileYieldsNoRowsAndNoFailures() throws Exception {
    write(dir().resolve("header.csv"), (String.join(",", HEADER) + "\r\n").getBytes());
    Pipeline p = IngestTesting.pipeline();
    PCollectionTuple out = IngestTesting.read(p, "ReadSales", root, SALES);
    PAssert.that(out.get(ReadEntity.ROWS)).empty();
    PAssert.that(out.get(ReadEntity.FAILURES)).empty();
    p.run().waitUntilFinish();
  }

  @Test
  void wrongHeaderFailsNamingFileMissingAndExpectedColumns() throws Exception {
    IngestFixtures.Csv csv =
        new IngestFixtures.Csv(',', "\n", false, CUSTOMERS.columnNames())
            .record(List.of("C1", "A1", "Ann", "", "", "", "", "", "", ""));
    Path file = write(dir().resolve("customers-by-mistake.csv"), csv.bytes());
    IngestException e = failureOf(file);
    assertThat(
        e.getMessage(),
        allOf(
            containsString("missing required columns [transaction_id, quantity, transaction_ts]"),
            containsString("expected columns " + SALES.columnNames())));
  }

  @Test
  void unterminatedQuoteQuarantinesOneRecordAndKeepsTheRest() throws Exception {
    IngestFixtures.Csv csv =
        new IngestFixtures.Csv(',', "\n", false, HEADER)
            .record(sale("T1"))
            .raw("T2,O1,C1,P1,\"S1 never closed,1,2.50,2.50,completed,2026-03-14\n")
            .record(sale("T3"))
            .raw("T4,O1,C1,P1,\"S1\"junk,1,2.50,2.50,completed,2026-03-14\n")
            .record(sale("T5"))
            .record(sale("T6"));
    write(dir().resolve("quotes.csv"), csv.bytes());
    Pipeline p = IngestTesting.pipeline();
    PCollectionTuple out = IngestTesting.read(p, "ReadSales", root, SALES);
    PAssert.that(IngestTesting.lineAndContent(out.get(ReadEntity.ROWS), "Project"))
        .containsInAnyOrder(
            expected(2, sale("T1")),
            expected(4, sale("T3")),
            expected(6, sale("T5")),
            expected(7, sale("T6")));
    PAssert.that(IngestTesting.rules(out.get(ReadEntity.FAILURES), "Rules"))
        .containsInAnyOrder("parse:csv@3", "parse:csv@5");
    PAssert.that(out.get(ReadEntity.FAILURES))
        .satisfies(ReadEntityHostileTest::failuresCarryRawText);
    p.run().waitUntilFinish();
  }

  static Void failuresCarryRawText(Iterable<Row> failures) {
    for (Row f : failures) {
      String expected = f.getInt64("line_no") == 3 ? "S1 never closed" : "\\\"S1\\\"junk";
      assertThat(f.getString("record"), containsString(expected));
      assertThat(f.getString("entity"), containsString("sales"));
    }
    return null;
  }

  @Test
  void recordsWithWrongFieldCountAreQuarantined() throws Exception {
    IngestFixtures.Csv csv =
        new IngestFixtures.Csv(',', "\n", false, HEADER)
            .record(sale("T1"))
            .raw("T2,O1,C1\n")
            .raw("T3,O1,C1,P1,S1,1,2.50,2.50,completed,2026-03-14,surplus\n")
            .raw("T4,O1,C1,P1,S1,1,2.50,2.50,completed,2026-03-14,,\n");
    write(dir().resolve("widths.csv"), csv.bytes());
    Pipeline p = IngestTesting.pipeline();
    PCollectionTuple out = IngestTesting.read(p, "ReadSales", root, SALES);
    PAssert.that(IngestTesting.lineAndContent(out.get(ReadEntity.ROWS), "Project"))
        .containsInAnyOrder(expected(2, sale("T1")), expected(5, sale("T4")));
    PAssert.that(IngestTesting.rules(out.get(ReadEntity.FAILURES), "Rules"))
        .containsInAnyOrder("parse:csv@3", "parse:csv@4");
    p.run().waitUntilFinish();
  }

  @Test
  void invalidUtf8QuarantinesTheAffectedRecordAsEncoding() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(new IngestFixtures.Csv(',', "\n", false, HEADER).record(sale("T1")).bytes());
    bytes.write("T2,O1,C1,P1,S".getBytes(StandardCharsets.UTF_8));
    bytes.write(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF});
    bytes.write(",1,2.50,2.50,completed,2026-03-14\n".getBytes(StandardCharsets.UTF_8));
    bytes.write(String.join(",", sale("T3")).getBytes(StandardCharsets.UTF_8));
    write(dir().resolve("latin.csv"), bytes.toByteArray());
    Pipeline p = IngestTesting.pipeline();
    PCollectionTuple out = IngestTesting.read(p, "ReadSales", root, SALES);
    PAssert.that(IngestTesting.lineAndContent(out.get(ReadEntity.ROWS), "Project"))
        .containsInAnyOrder(expected(2, sale("T1")), expected(4, sale("T3")));
    PAssert.that(IngestTesting.rules(out.get(ReadEntity.FAILURES), "Rules"))
        .containsInAnyOrder("parse:encoding@3");
    p.run().waitUntilFinish();
  }

  @Test
  void truncatedGzipFailsNamingTheFile() throws Exception {
    IngestFixtures.Csv csv = new IngestFixtures.Csv(',', "\n", false, HEADER);
    IngestFixtures.salesDay(2000, 3).forEach(csv::record);
    byte[] gz = IngestFixtures.gzip(csv.bytes());
    Path file = write(dir().resolve("cut.csv.gz"), Arrays.copyOf(gz, gz.length / 2));
    assertThat(failureOf(file).getMessage(), containsString("truncated or corrupt gzip"));
  }

  @Test
  void tenMegabyteFieldIsReadWhole() throws Exception {
    char[] big = new char[10 * 1024 * 1024];
    Arrays.fill(big, 'x');
    big[5_000_000] = ',';
    big[6_000_000] = '\n';
    big[7_000_000] = '"';
    List<String> huge = new ArrayList<>(sale("T2"));
    huge.set(4, new String(big));
    IngestFixtures.Csv csv =
        new IngestFixtures.Csv(',', "\n", false, HEADER)
            .record(sale("T1"))
            .record(huge)
            .record(sale("T3"));
    write(dir().resolve("huge.csv"), csv.bytes());
    Pipeline p = IngestTesting.pipeline();
    PCollectionTuple out = IngestTesting.read(p, "ReadSales", root, SALES);
    PAssert.that(IngestTesting.lineAndContent(out.get(ReadEntity.ROWS), "Project"))
        .containsInAnyOrder(expected(2, sale("T1")), expected(3, huge), expected(5, sale("T3")));
    PAssert.that(out.get(ReadEntity.FAILURES)).empty();
    p.run().waitUntilFinish();
  }

  @Test
  void binaryFileNamedCsvFailsNamingTheFile() throws Exception {
    byte[] png = new byte[4096];
    new Random(1).nextBytes(png);
    byte[] magic = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 0x0D};
    System.arraycopy(magic, 0, png, 0, magic.length);
    Path file = write(dir().resolve("photo.csv"), png);
    assertThat(failureOf(file).getMessage(), containsString("not a UTF-8 CSV file"));
  }

  @Test
  void parquetWithMissingRequiredColumnFailsNamingFileAndColumns() throws Exception {
    List<String> fields = new ArrayList<>(HEADER);
    fields.remove("quantity");
    Schema schema = IngestFixtures.stringSchema(fields);
    List<String> values = new ArrayList<>(sale("T1"));
    values.remove(5);
    Path file =
        IngestFixtures.parquet(
            dir().resolve("noqty.parquet"),
            schema,
            List.of(IngestFixtures.record(schema, values)),
            1 << 20);
    assertThat(
        failureOf(file).getMessage(),
        allOf(
            containsString("missing required columns [quantity]"),
            containsString("expected columns")));
  }

  @Test
  void parquetWithNestedColumnFailsNamingFileAndColumn() throws Exception {
    SchemaBuilder.FieldAssembler<Schema> f = SchemaBuilder.record("landed").fields();
    for (String n : HEADER) {
      f =
          n.equals("quantity")
              ? f.name(n).type().array().items().intType().noDefault()
              : f.optionalString(n);
    }
    Schema schema = f.endRecord();
    List<Object> values = new ArrayList<>(sale("T1"));
    values.set(5, List.of(1, 2));
    Path file =
        IngestFixtures.parquet(
            dir().resolve("nested.parquet"),
            schema,
            List.of(IngestFixtures.record(schema, values)),
            1 << 20);
    assertThat(
        failureOf(file).getMessage(),
        allOf(containsString("column quantity has Parquet type"), containsString("scalar")));
  }

  @Test
  void parquetWithOtherScalarTypeKeepsItsTextForCleaningToJudge() throws Exception {
    SchemaBuilder.FieldAssembler<Schema> f = SchemaBuilder.record("landed").fields();
    for (String n : HEADER) {
      f = n.equals("quantity") ? f.optionalBoolean(n) : f.optionalString(n);
    }
    Schema schema = f.endRecord();
    List<Object> values = new ArrayList<>(sale("T1"));
    values.set(5, true);
    IngestFixtures.parquet(
        dir().resolve("boolqty.parquet"),
        schema,
        List.of(IngestFixtures.record(schema, values)),
        1 << 20);
    List<String> expectedValues = new ArrayList<>(sale("T1"));
    expectedValues.set(5, "true");
    Pipeline p = IngestTesting.pipeline();
    PCollectionTuple out = IngestTesting.read(p, "ReadSales", root, SALES);
    PAssert.that(IngestTesting.lineAndContent(out.get(ReadEntity.ROWS), "Project"))
        .containsInAnyOrder(expected(0, expectedValues));
    p.run().waitUntilFinish();
  }

  @Test
  void corruptParquetFailsNamingTheFile() throws Exception {
    Path file = write(dir().resolve("broken.parquet"), "PAR1 but not really".getBytes());
    assertThat(failureOf(file).getMessage(), containsString("not a readable Parquet file"));
  }

  static EntitySpec sales() {
    return SALES;
  }
}
