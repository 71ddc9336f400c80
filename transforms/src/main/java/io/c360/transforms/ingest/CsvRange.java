package io.c360.transforms.ingest;

import com.google.auto.value.AutoValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * A slice of one CSV file that starts at a record boundary: bytes {@code [startByte, endByte)}
 * ({@code endByte} = -1: to the end), whose first physical line is {@code firstLine}. The range at
 * byte 0 still holds the header record, which the parser skips. {@code header} is the file's header
 * as read by the planner.
 */
@AutoValue
abstract class CsvRange {
  /**
   * Its coder: every field in order. Not {@code SerializableCoder}, which cannot see the equals
   * that AutoValue generates in a subclass and warns on every run.
   */
  static final Coder<CsvRange> CODER = new RangeCoder();

  abstract String file();

  abstract boolean gzip();

  abstract long startByte();

  abstract long endByte();

  abstract long firstLine();

  abstract List<String> header();

  static CsvRange create(
      String file,
      boolean gzip,
      long startByte,
      long endByte,
      long firstLine,
      List<String> header) {
    return new AutoValue_CsvRange(file, gzip, startByte, endByte, firstLine, header);
  }

  private static final class RangeCoder extends AtomicCoder<CsvRange> {
    private static final Coder<String> STRING = StringUtf8Coder.of();
    private static final Coder<Long> LONG = VarLongCoder.of();
    private static final Coder<List<String>> STRINGS = ListCoder.of(StringUtf8Coder.of());

    @Override
    public void encode(CsvRange r, OutputStream out) throws IOException {
      STRING.encode(r.file(), out);
      BooleanCoder.of().encode(r.gzip(), out);
      LONG.encode(r.startByte(), out);
      LONG.encode(r.endByte(), out);
      LONG.encode(r.firstLine(), out);
      STRINGS.encode(r.header(), out);
    }

    @Override
    public CsvRange decode(InputStream in) throws IOException {
      return create(
          STRING.decode(in),
          BooleanCoder.of().decode(in),
          LONG.decode(in),
          LONG.decode(in),
          LONG.decode(in),
          STRINGS.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
