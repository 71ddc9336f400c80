package io.c360.transforms.ingest;

import static io.c360.transforms.ingest.IngestFixtures.folder;
import static io.c360.transforms.ingest.IngestFixtures.write;
import static io.c360.transforms.model.Entities.SALES;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import io.c360.transforms.model.EntitySpec;
import java.io.Serializable;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same day written as CSV, CSV.gz and Parquet reads to the same rows. Line numbers: a CSV row
 * carries the physical line where its record starts; a Parquet row its 0-based row index in the
 * file; contents are equal.
 */
class ReadEntityFormatsTest implements Serializable {
  private static final List<String> HEADER = SALES.columnNames();

  @TempDir transient Path tmp;

  /** {@code <file stem>|<line or row index>|<content>}: the same across CSV and CSV.gz. */
  static String stemLineContent(Row r) {
    String file = r.getString(EntitySpec.SOURCE_FILE);
    String stem =
        file.substring(file.lastIndexOf('/') + 1).replaceFirst("\\.(csv\\.gz|csv|parquet)$", "");
    return stem + "|" + IngestFixtures.lineAndContent(r);
  }

  static PCollection<String> stemLineContent(PCollection<Row> rows, String name) {
    return rows.apply(
        name,
        MapElements.into(TypeDescriptors.strings()).via(ReadEntityFormatsTest::stemLineContent));
  }

  @Test
  void csvCsvGzAndParquetOfTheSameDayYieldTheSameRows() throws Exception {
    List<List<String>> day = IngestFixtures.salesDay(400, 5);
    Path csvRoot = tmp.resolve("csv");
    Path gzRoot = tmp.resolve("gz");
    Path parquetRoot = tmp.resolve("parquet");
    List<String> csvExpected = new ArrayList<>();
    List<String> parquetExpected = new ArrayList<>();
    List<String> content = new ArrayList<>();
    // Parquet field order and spelling differ from the declaration: mapping is by name.
    List<String> parquetFields = new ArrayList<>(HEADER);
    Collections.reverse(parquetFields);
    parquetFields.replaceAll(n -> n.toUpperCase(Locale.ROOT));
    Schema schema = IngestFixtures.stringSchema(parquetFields);
    for (int part = 0; part < 2; part++) {
      IngestFixtures.Csv csv = new IngestFixtures.Csv(',', "\n", part == 1, HEADER);
      List<GenericRecord> records = new ArrayList<>();
      for (int i = part * 200; i < part * 200 + 200; i++) {
        List<String> rec = day.get(i);
        csv.record(rec);
        long line = csv.recordLines.get(csv.recordLines.size() - 1);
        csvExpected.add("part-" + part + "|" + ReadEntityCsvTest.expected(line, HEADER, rec));
        parquetExpected.add(
            "part-" + part + "|" + ReadEntityCsvTest.expected(i - part * 200, HEADER, rec));
        content.add(IngestFixtures.content(rec));
        List<String> reversed = new ArrayList<>(rec);
        Collections.reverse(reversed);
        records.add(IngestFixtures.record(schema, reversed));
      }
      write(folder(csvRoot, SALES).resolve("part-" + part + ".csv"), csv.bytes());
      write(
          folder(gzRoot, SALES).resolve("part-" + part + ".csv.gz"),
          IngestFixtures.gzip(csv.bytes()));
      IngestFixtures.parquet(
          folder(parquetRoot, SALES).resolve("part-" + part + ".parquet"), schema, records, 4096);
    }

    Pipeline p = IngestTesting.pipeline();
    PCollectionTuple fromCsv = IngestTesting.read(p, "ReadCsv", csvRoot, SALES);
    PCollectionTuple fromGz = IngestTesting.read(p, "ReadGz", gzRoot, SALES);
    PCollectionTuple fromParquet = IngestTesting.read(p, "ReadParquet", parquetRoot, SALES);
    PAssert.that(stemLineContent(fromCsv.get(ReadEntity.ROWS), "CsvLines"))
        .containsInAnyOrder(csvExpected);
    PAssert.that(stemLineContent(fromGz.get(ReadEntity.ROWS), "GzLines"))
        .containsInAnyOrder(csvExpected);
    PAssert.that(stemLineContent(fromParquet.get(ReadEntity.ROWS), "ParquetLines"))
        .containsInAnyOrder(parquetExpected);
    PAssert.that(IngestTesting.content(fromParquet.get(ReadEntity.ROWS), "ParquetContent"))
        .containsInAnyOrder(content);
    PAssert.that(IngestTesting.content(fromCsv.get(ReadEntity.ROWS), "CsvContent"))
        .containsInAnyOrder(content);
    for (PCollectionTuple t : List.of(fromCsv, fromGz, fromParquet)) {
      PAssert.that(t.get(ReadEntity.FAILURES)).empty();
    }
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertThat(counter(result, "parquet_row_groups"), greaterThan(2L));
  }

  static long counter(PipelineResult result, String name) {
    return ReadEntity.counters(result.metrics(), SALES).getOrDefault(name, 0L);
  }

  @Test
  void typedParquetValuesBecomeTheirUsualTextSpelling() throws Exception {
    Schema decimal = LogicalTypes.decimal(10, 2).addToSchema(Schema.create(Schema.Type.BYTES));
    Schema tsMillis = LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
    Schema schema =
        SchemaBuilder.record("sale")
            .fields()
            .requiredString("transaction_id")
            .requiredLong("order_id")
            .requiredString("customer_id")
            .optionalDouble("product_id")
            .requiredInt("quantity")
            .name("unit_price")
            .type(decimal)
            .noDefault()
            .requiredFloat("amount")
            .name("transaction_ts")
            .type(tsMillis)
            .noDefault()
            .endRecord();
    ByteBuffer price =
        new Conversions.DecimalConversion()
            .toBytes(new BigDecimal("12.50"), decimal, decimal.getLogicalType());
    GenericRecord rec =
        IngestFixtures.record(
            schema, List.of("T1", 12472L, "C1", 1.0E7, 3, price, 19.99f, 1_773_482_400_000L));
    GenericRecord withNull =
        IngestFixtures.record(
            schema, java.util.Arrays.asList("T2", 1L, "C2", null, 1, price, 0.5f, 0L));
    IngestFixtures.parquet(
        folder(tmp, SALES).resolve("typed.parquet"), schema, List.of(rec, withNull), 1 << 20);

    Pipeline p = IngestTesting.pipeline();
    PCollectionTuple out = IngestTesting.read(p, "ReadSales", tmp, SALES);
    List<String> first =
        java.util.Arrays.asList(
            "T1",
            "12472",
            "C1",
            "10000000",
            null,
            "3",
            "12.50",
            "19.99",
            null,
            "2026-03-14T10:00:00Z");
    List<String> second =
        java.util.Arrays.asList(
            "T2", "1", "C2", null, null, "1", "12.50", "0.5", null, "1970-01-01T00:00:00Z");
    PAssert.that(IngestTesting.lineAndContent(out.get(ReadEntity.ROWS), "Project"))
        .containsInAnyOrder(
            "0|" + IngestFixtures.content(first), "1|" + IngestFixtures.content(second));
    p.run().waitUntilFinish();
  }

  @Test
  void parquetDateAndMicrosTimestampsSpellAsIso() throws Exception {
    Schema date = LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
    Schema micros = LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
    assertThat(ReadParquetFn.toText(20_526, date), equalTo("2026-03-14"));
    assertThat(
        ReadParquetFn.toText(1_773_482_400_000_001L, micros),
        equalTo("2026-03-14T10:00:00.000001Z"));
    assertThat(ReadParquetFn.toText(2.5d, Schema.create(Schema.Type.DOUBLE)), equalTo("2.5"));
  }
}
