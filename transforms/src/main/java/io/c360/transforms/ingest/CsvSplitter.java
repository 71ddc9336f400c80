package io.c360.transforms.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds record boundaries in an uncompressed CSV without parsing values: one pass over the bytes
 * that follows RFC 4180 quoting as commons-csv does (a quote opens a quoted field only as the first
 * character of a field; {@code ""} inside it is an escaped quote) and counts physical lines ({@code
 * \n}, {@code \r\n} and a lone {@code \r} each end one line, as commons-csv counts them).
 *
 * <p>Bytes are safe to scan for {@code "}, the delimiter and line ends because UTF-8 never uses
 * ASCII bytes inside a multi-byte character; hence the delimiter must be ASCII.
 */
final class CsvSplitter {
  /**
   * A boundary: the record starting at byte {@code offset} starts on physical line {@code line}.
   */
  record Boundary(long offset, long line) {}

  private CsvSplitter() {}

  /**
   * Record starts after the header record, at least {@code splitBytes} apart, each right after a
   * {@code \n} outside quotes; never offset 0 nor the end of the input.
   */
  static List<Boundary> boundaries(InputStream in, char delimiter, long splitBytes)
      throws IOException {
    List<Boundary> out = new ArrayList<>();
    byte[] buf = new byte[1 << 16];
    long pos = 0;
    long lines = 0; // line terminators seen before pos
    long lastSplit = 0;
    boolean inQuotes = false;
    boolean pendingQuote = false; // saw a quote inside a quoted field; decided by the next byte
    boolean fieldStart = true;
    boolean prevCr = false;
    int bomLeft = 3;
    final byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    final byte delim = (byte) delimiter;
    int n;
    while ((n = in.read(buf)) > 0) {
      for (int i = 0; i < n; i++, pos++) {
        byte b = buf[i];
        if (bomLeft > 0) {
          // Skip a UTF-8 BOM at the very start so a quoted first header field is seen as quoted.
          if (pos < 3 && b == bom[(int) pos]) {
            bomLeft--;
            continue;
          }
          bomLeft = 0;
        }
        boolean cr = b == '\r';
        boolean lineEnd = cr || (b == '\n' && !prevCr);
        if (lineEnd) {
          lines++;
        }
        prevCr = cr;
        if (inQuotes) {
          if (pendingQuote) {
            pendingQuote = false;
            if (b == '"') {
              continue;
            }
            inQuotes = false; // closed; this byte is handled as outside quotes below
          } else {
            if (b == '"') {
              pendingQuote = true;
            }
            continue;
          }
        }
        if (b == '"' && fieldStart) {
          inQuotes = true;
          fieldStart = false;
        } else if (b == delim) {
          fieldStart = true;
        } else if (b == '\n' || cr) {
          fieldStart = true;
          // The first record ends the header, so the earliest cut is right after the header.
          if (b == '\n' && pos + 1 - lastSplit >= splitBytes) {
            out.add(new Boundary(pos + 1, lines + 1));
            lastSplit = pos + 1;
          }
        } else {
          fieldStart = false;
        }
      }
    }
    if (!out.isEmpty() && out.get(out.size() - 1).offset() == pos) {
      out.remove(out.size() - 1); // a cut at the very end would be an empty range
    }
    return out;
  }
}
