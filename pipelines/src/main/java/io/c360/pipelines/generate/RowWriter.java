package io.c360.pipelines.generate;

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
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

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
   * Parquet with every field an optional UTF-8 string, so bad values travel as landed. Written
   * through parquet-avro to a plain local file; the footer holds only the schema and a fixed writer
   * version, so the bytes are deterministic.
   */
  final class Parquet implements RowWriter {
    private final ParquetWriter<GenericRecord> writer;
    private final Schema schema;
    private final int fields;

    Parquet(Path file, String entity, String[] header) throws IOException {
      SchemaBuilder.FieldAssembler<Schema> f = SchemaBuilder.record(entity).fields();
      for (String h : header) {
        f = f.optionalString(h);
      }
      this.schema = f.endRecord();
      this.fields = header.length;
      Files.deleteIfExists(file);
      this.writer =
          AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(file))
              .withSchema(schema)
              .withCompressionCodec(CompressionCodecName.SNAPPY)
              .withDictionaryEncoding(true)
              .build();
    }

    @Override
    public void write(String[] values) throws IOException {
      GenericData.Record r = new GenericData.Record(schema);
      for (int i = 0; i < fields; i++) {
        String v = values[i];
        r.put(i, v == null || v.isEmpty() ? null : v);
      }
      writer.write(r);
    }

    @Override
    public void close() throws IOException {
      writer.close();
    }
  }

  /** parquet 1.13 has no local-file OutputFile; this one writes through a buffered stream. */
  final class LocalOutputFile implements OutputFile {
    private final Path path;

    LocalOutputFile(Path path) {
      this.path = path;
    }

    @Override
    public PositionOutputStream create(long blockSizeHint) throws IOException {
      return createOrOverwrite(blockSizeHint);
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
      OutputStream os = new BufferedOutputStream(Files.newOutputStream(path), 1 << 16);
      return new PositionOutputStream() {
        private long pos;

        @Override
        public long getPos() {
          return pos;
        }

        @Override
        public void write(int b) throws IOException {
          os.write(b);
          pos++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          os.write(b, off, len);
          pos += len;
        }

        @Override
        public void flush() throws IOException {
          os.flush();
        }

        @Override
        public void close() throws IOException {
          os.close();
        }
      };
    }

    @Override
    public boolean supportsBlockSize() {
      return false;
    }

    @Override
    public long defaultBlockSize() {
      return 0;
    }

    @Override
    public String getPath() {
      return path.toString();
    }
  }
}
