package io.c360.transforms.ingest;

import com.google.auto.value.AutoValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * One row group of a Parquet file: bytes {@code [startByte, endByte)}, whose first row has the
 * 0-based index {@code firstRow} in the file. {@code fieldOfColumn} gives, per declared column, the
 * field name in the file ("" when absent); {@code projection} is the Avro schema to read.
 */
@AutoValue
abstract class ParquetSlice {
  /**
   * Its coder: every field in order. Not {@code SerializableCoder}, which cannot see the equals
   * that AutoValue generates in a subclass and warns on every run.
   */
  static final Coder<ParquetSlice> CODER = new SliceCoder();

  abstract String file();

  abstract long fileSize();

  abstract long startByte();

  abstract long endByte();

  abstract long firstRow();

  abstract long rowCount();

  abstract List<String> fieldOfColumn();

  abstract String projection();

  static ParquetSlice create(
      String file,
      long fileSize,
      long startByte,
      long endByte,
      long firstRow,
      long rowCount,
      List<String> fieldOfColumn,
      String projection) {
    return new AutoValue_ParquetSlice(
        file, fileSize, startByte, endByte, firstRow, rowCount, fieldOfColumn, projection);
  }

  private static final class SliceCoder extends AtomicCoder<ParquetSlice> {
    private static final Coder<String> STRING = StringUtf8Coder.of();
    private static final Coder<Long> LONG = VarLongCoder.of();
    private static final Coder<List<String>> STRINGS = ListCoder.of(StringUtf8Coder.of());

    @Override
    public void encode(ParquetSlice s, OutputStream out) throws IOException {
      STRING.encode(s.file(), out);
      LONG.encode(s.fileSize(), out);
      LONG.encode(s.startByte(), out);
      LONG.encode(s.endByte(), out);
      LONG.encode(s.firstRow(), out);
      LONG.encode(s.rowCount(), out);
      STRINGS.encode(s.fieldOfColumn(), out);
      STRING.encode(s.projection(), out);
    }

    @Override
    public ParquetSlice decode(InputStream in) throws IOException {
      return create(
          STRING.decode(in),
          LONG.decode(in),
          LONG.decode(in),
          LONG.decode(in),
          LONG.decode(in),
          LONG.decode(in),
          STRINGS.decode(in),
          STRING.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
