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
   * Boundaries after the header record, at least {@code splitBytes} apart, each right after a
   * {@code \n} outside quotes. The boundary list never includes offset 0.
   */
  static List<Boundary> boundaries(InputStream in, char delimiter, long splitBytes)
      throws IOException {
    List<Boundary> out = new ArrayList<>();
    byte[] buf = new byte[1 << 16];
    long pos = 0;
    long lines = 0; // line terminators seen before pos
    long lastSplit = 0;
    boolean headerDone = false;
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
          if (b == '\n') {
            if (headerDone && pos + 1 - lastSplit >= splitBytes) {
              out.add(new Boundary(pos + 1, lines + 1));
              lastSplit = pos + 1;
            }
            headerDone = true;
          }
        } else {
          fieldStart = false;
        }
      }
    }
    return out;
  }
}
