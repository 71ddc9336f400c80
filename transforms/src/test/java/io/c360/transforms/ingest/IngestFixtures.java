package io.c360.transforms.ingest;

import io.c360.transforms.common.LocalOutputFile;
import io.c360.transforms.model.EntitySpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.values.Row;
import org.apache.commons.csv.CSVFormat;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;

/** Writes landing-zone fixtures (CSV, CSV.gz, Parquet) and knows where each record starts. */
final class IngestFixtures {
  static final LocalDate DT = LocalDate.of(2026, 3, 14);
  static final String NULL = "\u2400";

  private IngestFixtures() {}

  /** The partition folder for {@code entity} under {@code root}, created. */
  static Path folder(Path root, EntitySpec entity) throws IOException {
    return Files.createDirectories(root.resolve(entity.name()).resolve("dt=" + DT));
  }

  /** CSV text built record by record; remembers each record's first physical line and offset. */
  static final class Csv {
    private final CSVFormat format;
    private final String eol;
    private final StringBuilder text = new StringBuilder();
    private long line = 1;
    private long byteLength;
    final List<Long> recordLines = new ArrayList<>();
    final List<Long> recordOffsets = new ArrayList<>();

    Csv(char delimiter, String eol, boolean bom, List<String> header) {
      this.format = CSVFormat.RFC4180.builder().setDelimiter(delimiter).build();
      this.eol = eol;
      if (bom) {
        text.append('\uFEFF');
        byteLength = 3;
      }
      record(header);
      recordLines.clear();
      recordOffsets.clear();
    }

    Csv record(List<String> values) {
      String rec = format.format(values.toArray()) + eol;
      recordLines.add(line);
      recordOffsets.add(byteLength);
      byteLength += rec.getBytes(StandardCharsets.UTF_8).length;
      text.append(rec);
      line += lineBreaks(rec);
      return this;
    }

    Csv raw(String physicalLines) {
      text.append(physicalLines);
      byteLength += physicalLines.getBytes(StandardCharsets.UTF_8).length;
      line += lineBreaks(physicalLines);
      return this;
    }

    String text() {
      return text.toString();
    }

    byte[] bytes() {
      return text().getBytes(StandardCharsets.UTF_8);
    }
  }

  static long lineBreaks(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\r' || (c == '\n' && (i == 0 || s.charAt(i - 1) != '\r'))) {
        n++;
      }
    }
    return n;
  }

  static Path write(Path file, byte[] bytes) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.write(file, bytes);
  }

  static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }

  /**
   * A deterministic "day" of sales as text values in SALES column order, with values that stress a
   * CSV reader: delimiters, quotes, line breaks, non-ASCII text, empty and blank values.
   */
  static List<List<String>> salesDay(int n, long seed) {
    Random r = new Random(seed);
    String[] statuses = {"completed", "cancelled", "returned", "", " Completed "};
    String[] shops = {"S1", "shop, \"north\"", "Zürich\nHB", "  ", "東京"};
    List<List<String>> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int q = 1 + r.nextInt(5);
      String price = (1 + r.nextInt(9999)) / 100 + "." + String.format("%02d", r.nextInt(100));
      rows.add(
          List.of(
              "T" + seed + "-" + i,
              "O" + (i / 3),
              "C" + r.nextInt(1000),
              r.nextInt(10) == 0 ? "" : "P" + r.nextInt(100),
              shops[r.nextInt(shops.length)],
              Integer.toString(q),
              price,
              r.nextBoolean() ? "" : price,
              statuses[r.nextInt(statuses.length)],
              "2026-03-14 " + String.format("%02d:%02d:00", r.nextInt(24), r.nextInt(60))));
    }
    return rows;
  }

  /** Non-lineage values of a raw row, for comparing content across formats. */
  static String content(Row row) {
    StringBuilder sb = new StringBuilder();
    for (int i = 2; i < row.getFieldCount(); i++) {
      Object v = row.getValue(i);
      sb.append(i > 2 ? "\u241F" : "").append(v == null ? NULL : v.toString());
    }
    return sb.toString();
  }

  static String content(List<String> values) {
    return String.join("\u241F", values.stream().map(v -> v == null ? NULL : v).toList());
  }

  /** {@code line_no|content}. */
  static String lineAndContent(Row row) {
    return row.getInt64(EntitySpec.LINE_NO) + "|" + content(row);
  }

  static String rule(Row failure) {
    return failure.getString("rule") + "@" + failure.getInt64(EntitySpec.LINE_NO);
  }

  /** An Avro record schema with one optional string field per name. */
  static Schema stringSchema(List<String> fieldNames) {
    SchemaBuilder.FieldAssembler<Schema> f = SchemaBuilder.record("landed").fields();
    for (String n : fieldNames) {
      f = f.optionalString(n);
    }
    return f.endRecord();
  }

  static GenericRecord record(Schema schema, List<?> values) {
    GenericData.Record rec = new GenericData.Record(schema);
    for (int i = 0; i < values.size(); i++) {
      rec.put(i, values.get(i));
    }
    return rec;
  }

  /** Writes records as Parquet; a small {@code rowGroupBytes} yields several row groups. */
  static Path parquet(Path file, Schema schema, List<GenericRecord> records, long rowGroupBytes)
      throws IOException {
    Files.createDirectories(file.getParent());
    Files.deleteIfExists(file);
    try (ParquetWriter<GenericRecord> w =
        AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(file))
            .withSchema(schema)
            .withConf(new Configuration(false))
            .withRowGroupSize(rowGroupBytes)
            .withPageSize(1024)
            .build()) {
      for (GenericRecord rec : records) {
        w.write(rec);
      }
    }
    return file;
  }
}
