package io.c360.pipelines.generate;

import io.c360.transforms.common.LocalOutputFile;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/** Writes the rows of one landing file; values arrive in the file's column order, null = empty. */
interface RowWriter extends Closeable {
  void write(String[] values) throws IOException;

  /** RFC 4180 CSV: quotes only fields holding a comma, quote, CR or LF. */
  final class Csv implements RowWriter {
    private final Writer out;
    private final String lineEnd;
    private final StringBuilder line = new StringBuilder(256);

    Csv(Path file, String[] header, boolean gzip, boolean bom, boolean crlf) throws IOException {
      OutputStream os = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
      if (gzip) {
        // GZIPOutputStream writes a zero mtime and no file name: the bytes stay deterministic.
        os = new GZIPOutputStream(os, 1 << 16);
      }
      this.out = new OutputStreamWriter(os, StandardCharsets.UTF_8);
      this.lineEnd = crlf ? "\r\n" : "\n";
      if (bom) {
        out.write('\uFEFF');
      }
      write(header);
    }

    @Override
    public void write(String[] values) throws IOException {
      StringBuilder b = line;
      b.setLength(0);
      for (int i = 0; i < values.length; i++) {
        if (i > 0) {
          b.append(',');
        }
        String v = values[i];
        if (v != null && !v.isEmpty()) {
          if (needsQuotes(v)) {
            b.append('"');
            for (int j = 0; j < v.length(); j++) {
              char c = v.charAt(j);
              if (c == '"') {
                b.append('"');
              }
              b.append(c);
            }
            b.append('"');
          } else {
            b.append(v);
          }
        }
      }
      b.append(lineEnd);
      out.append(b);
    }

    private static boolean needsQuotes(String v) {
      for (int j = 0; j < v.length(); j++) {
        char c = v.charAt(j);
        if (c == ',' || c == '"' || c == '\n' || c == '\r') {
          return true;
        }
      }
      return false;
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }

  /**
   * Parquet through parquet-avro to a plain local file. Rows are buffered so each column's physical
   * type can follow its content: an integer column whose values all parse is INT64, a decimal
   * column DOUBLE, and a column holding a bad value (a type defect) stays an optional UTF-8 string,
   * as does every id, date and timestamp. The footer holds only the schema and a fixed writer
   * version, so the bytes are deterministic.
   */
  final class Parquet implements RowWriter {
    /** Physical type of one field. */
    enum Kind {
      STRING,
      LONG,
      DOUBLE
    }

    private static final java.util.regex.Pattern INTEGER =
        java.util.regex.Pattern.compile("-?\\d{1,18}");
    private static final java.util.regex.Pattern DECIMAL =
        java.util.regex.Pattern.compile("-?\\d{1,15}(\\.\\d{1,2})?");

    private final Path file;
    private final String entity;
    private final String[] header;
    private final Kind[] wanted;
    private final java.util.List<String[]> rows = new java.util.ArrayList<>();

    /**
     * @param wanted per field, the type it takes when every value allows it
     */
    Parquet(Path file, String entity, String[] header, Kind[] wanted) {
      this.file = file;
      this.entity = entity;
      this.header = header.clone();
      this.wanted = wanted.clone();
    }

    @Override
    public void write(String[] values) {
      rows.add(values.clone());
    }

    @Override
    public void close() throws IOException {
      Kind[] kinds = new Kind[header.length];
      for (int i = 0; i < header.length; i++) {
        kinds[i] = wanted[i];
        for (String[] r : rows) {
          String v = r[i];
          if (kinds[i] == Kind.STRING) {
            break;
          }
          if (v != null && !v.isBlank()) {
            java.util.regex.Pattern p = kinds[i] == Kind.LONG ? INTEGER : DECIMAL;
            if (!p.matcher(v).matches()) {
              kinds[i] = Kind.STRING;
            }
          }
        }
      }
      SchemaBuilder.FieldAssembler<Schema> f = SchemaBuilder.record(entity).fields();
      for (int i = 0; i < header.length; i++) {
        f =
            switch (kinds[i]) {
              case LONG -> f.optionalLong(header[i]);
              case DOUBLE -> f.optionalDouble(header[i]);
              default -> f.optionalString(header[i]);
            };
      }
      Schema schema = f.endRecord();
      Files.deleteIfExists(file);
      try (ParquetWriter<GenericRecord> writer =
          AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(file))
              .withSchema(schema)
              .withCompressionCodec(CompressionCodecName.SNAPPY)
              .withDictionaryEncoding(true)
              .build()) {
        for (String[] values : rows) {
          GenericData.Record r = new GenericData.Record(schema);
          for (int i = 0; i < header.length; i++) {
            String v = values[i];
            if (v == null || v.isEmpty() || (kinds[i] != Kind.STRING && v.isBlank())) {
              r.put(i, null);
            } else {
              r.put(
                  i,
                  switch (kinds[i]) {
                    case LONG -> (Object) Long.parseLong(v);
                    case DOUBLE -> (Object) Double.parseDouble(v);
                    default -> v;
                  });
            }
          }
          writer.write(r);
        }
      }
      rows.clear();
    }
  }
}
