package io.c360.pipelines.generate;

import io.c360.transforms.model.EntitySpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.avro.generic.GenericRecord;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/** Reads a generated landing folder back with independent readers (commons-csv, parquet-avro). */
final class Landing {
  static final Pattern LAYOUT =
      Pattern.compile("([a-z_]+)/dt=(\\d{4}-\\d{2}-\\d{2})/[^/]+\\.(csv|csv\\.gz|parquet)");

  /** One landed file as read back. */
  record LandedFile(
      String path,
      String entity,
      LocalDate date,
      boolean bom,
      boolean gzip,
      List<String> header,
      List<Map<String, String>> rows,
      Map<String, String> physicalTypes) {}

  final Path root;
  final List<LandedFile> files = new ArrayList<>();

  Landing(Path root) throws IOException {
    this.root = root;
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
        String rel = root.relativize(p).toString().replace('\\', '/');
        if (rel.equals(GenerationReport.FILE_NAME)) {
          continue;
        }
        Matcher m = LAYOUT.matcher(rel);
        if (!m.matches()) {
          throw new AssertionError("file outside the landing layout: " + rel);
        }
        files.add(read(p, rel, m.group(1), LocalDate.parse(m.group(2))));
      }
    }
  }

  private static LandedFile read(Path p, String rel, String entity, LocalDate dt)
      throws IOException {
    if (rel.endsWith(".parquet")) {
      return readParquet(p, rel, entity, dt);
    }
    boolean gzip = rel.endsWith(".gz");
    byte[] bytes;
    try (InputStream in =
        gzip ? new GZIPInputStream(Files.newInputStream(p)) : Files.newInputStream(p)) {
      bytes = in.readAllBytes();
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    boolean bom = text.startsWith("\uFEFF");
    if (bom) {
      text = text.substring(1);
    }
    List<Map<String, String>> rows = new ArrayList<>();
    List<String> header;
    try (CSVParser parser = CSVParser.parse(text, CSVFormat.RFC4180)) {
      List<CSVRecord> records = parser.getRecords();
      header = records.get(0).toList();
      for (CSVRecord r : records.subList(1, records.size())) {
        if (r.size() != header.size()) {
          throw new AssertionError(rel + " record " + r.getRecordNumber() + " has wrong width");
        }
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
          row.put(key(header.get(i)), r.get(i));
        }
        rows.add(row);
      }
    }
    return new LandedFile(rel, entity, dt, bom, gzip, header, rows, Map.of());
  }

  private static LandedFile readParquet(Path p, String rel, String entity, LocalDate dt)
      throws IOException {
    List<Map<String, String>> rows = new ArrayList<>();
    List<String> header = null;
    Map<String, String> types = new TreeMap<>();
    try (ParquetReader<GenericRecord> reader =
        AvroParquetReader.<GenericRecord>builder(
                HadoopInputFile.fromPath(
                    new org.apache.hadoop.fs.Path(p.toUri()), new Configuration()))
            .build()) {
      GenericRecord r;
      while ((r = reader.read()) != null) {
        if (header == null) {
          header = r.getSchema().getFields().stream().map(f -> f.name()).toList();
          for (org.apache.avro.Schema.Field f : r.getSchema().getFields()) {
            types.put(
                key(f.name()),
                f.schema().getTypes().stream()
                    .filter(t -> t.getType() != org.apache.avro.Schema.Type.NULL)
                    .findFirst()
                    .orElseThrow()
                    .getType()
                    .name());
          }
        }
        Map<String, String> row = new LinkedHashMap<>();
        for (String h : header) {
          Object v = r.get(h);
          row.put(key(h), v == null ? "" : v.toString());
        }
        rows.add(row);
      }
    }
    return new LandedFile(rel, entity, dt, false, false, header, rows, types);
  }

  /** Header matching as SPEC §1: case-insensitive after trimming. */
  static String key(String header) {
    return header.trim().toLowerCase(Locale.ROOT);
  }

  List<LandedFile> files(String entity) {
    return files.stream().filter(f -> f.entity().equals(entity)).toList();
  }

  /** Rows of an entity on a date, in file then line order. */
  List<Map<String, String>> rows(String entity, LocalDate dt) {
    List<Map<String, String>> out = new ArrayList<>();
    for (LandedFile f : files(entity)) {
      if (f.date().equals(dt)) {
        out.addAll(f.rows());
      }
    }
    return out;
  }

  static EntitySpec spec(String entity) {
    return GeneratedEntities.byName(entity);
  }

  /** Relative path → SHA-256 of every file, report included. */
  /**
   * One SHA-256 over every file's relative path and content digest, in path order; a {@code .gz}
   * file counts with its decompressed content (its compressed bytes belong to the JDK's zlib).
   */
  static String contentDigest(Path root) throws IOException {
    try {
      MessageDigest all = MessageDigest.getInstance("SHA-256");
      List<Path> files;
      try (Stream<Path> s = Files.walk(root)) {
        files = s.filter(Files::isRegularFile).toList();
      }
      Map<String, Path> byName = new TreeMap<>();
      files.forEach(p -> byName.put(root.relativize(p).toString().replace('\\', '/'), p));
      for (Map.Entry<String, Path> e : byName.entrySet()) {
        byte[] content;
        try (InputStream in =
            e.getKey().endsWith(".gz")
                ? new GZIPInputStream(Files.newInputStream(e.getValue()))
                : Files.newInputStream(e.getValue())) {
          content = in.readAllBytes();
        }
        String line =
            e.getKey()
                + "\t"
                + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content))
                + "\n";
        all.update(line.getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(all.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<String, String> digests(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        try {
          MessageDigest md = MessageDigest.getInstance("SHA-256");
          out.put(
              root.relativize(p).toString().replace('\\', '/'),
              HexFormat.of().formatHex(md.digest(Files.readAllBytes(p))));
        } catch (java.security.NoSuchAlgorithmException e) {
          throw new IllegalStateException(e);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return out;
  }
}
