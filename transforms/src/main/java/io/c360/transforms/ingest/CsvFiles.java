package io.c360.transforms.ingest;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.io.ByteStreams;
import org.apache.commons.csv.CSVFormat;

/** Byte and text streams over landed CSV files, through Beam {@link FileSystems}. */
final class CsvFiles {
  private static final int BUFFER = 1 << 16;

  /** Raw text kept in a quarantine record; longer text is cut and marked. */
  static final int MAX_RAW_CHARS = 64 * 1024;

  private CsvFiles() {}

  /** RFC 4180 with our delimiter; empty lines are kept as records so line numbers stay exact. */
  static CSVFormat format(char delimiter) {
    return CSVFormat.RFC4180
        .builder()
        .setDelimiter(delimiter)
        .setQuote('"')
        .setIgnoreEmptyLines(false)
        .setIgnoreSurroundingSpaces(false)
        .setTrim(false)
        .build();
  }

  /** Decompressed bytes of a range, BOM removed when the range starts the file. */
  static InputStream open(CsvRange r) throws IOException {
    ReadableByteChannel ch = FileSystems.open(FileSystems.matchNewResource(r.file(), false));
    InputStream in;
    if (r.gzip()) {
      try {
        in = new GZIPInputStream(Channels.newInputStream(ch), BUFFER);
      } catch (ZipException | java.io.EOFException e) {
        ch.close();
        throw new IngestException(r.file() + ": not a valid gzip file (" + e.getMessage() + ")", e);
      }
    } else {
      if (r.startByte() > 0) {
        ((SeekableByteChannel) ch).position(r.startByte());
      }
      in = Channels.newInputStream(ch);
      if (r.endByte() >= 0) {
        in = ByteStreams.limit(in, r.endByte() - r.startByte());
      }
    }
    in = new BufferedInputStream(in, BUFFER);
    return r.startByte() == 0 ? skipBom(in) : in;
  }

  /** Skips a UTF-8 BOM; {@code in} must support mark/reset. */
  static InputStream skipBom(InputStream in) throws IOException {
    in.mark(3);
    byte[] b = new byte[3];
    int n = in.readNBytes(b, 0, 3);
    boolean bom = n == 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF;
    if (!bom) {
      in.reset();
    }
    return in;
  }

  /** UTF-8 text; undecodable bytes become U+FFFD, which the parser reports as parse:encoding. */
  static Reader reader(InputStream in) {
    return new InputStreamReader(in, StandardCharsets.UTF_8);
  }

  /**
   * Skips {@code skip} physical lines, then reads {@code keep} more and returns them as text
   * (capped at {@link #MAX_RAW_CHARS}); the stream is left at the line after them.
   */
  static String skipLines(InputStream in, long skip, long keep) throws IOException {
    for (long i = 0; i < skip; i++) {
      if (!readLine(in, null)) {
        return "";
      }
    }
    java.io.ByteArrayOutputStream kept = new java.io.ByteArrayOutputStream();
    for (long i = 0; i < keep; i++) {
      if (!readLine(in, kept)) {
        break;
      }
    }
    String text = new String(kept.toByteArray(), StandardCharsets.UTF_8);
    return truncate(text.endsWith("\n") ? text.substring(0, text.length() - 1) : text);
  }

  /** Reads one physical line ({@code \n}, {@code \r\n} or {@code \r}); false at end of stream. */
  private static boolean readLine(InputStream in, java.io.ByteArrayOutputStream sink)
      throws IOException {
    int b = in.read();
    if (b < 0) {
      return false;
    }
    for (; b >= 0; b = in.read()) {
      if (b == '\n' || b == '\r') {
        if (b == '\r') {
          in.mark(1);
          if (in.read() != '\n') {
            in.reset();
          }
        }
        if (sink != null) {
          sink.write('\n');
        }
        return true;
      }
      if (sink != null && sink.size() < MAX_RAW_CHARS * 4) {
        sink.write(b);
      }
    }
    return true;
  }

  static String truncate(String s) {
    if (s.length() <= MAX_RAW_CHARS) {
      return s;
    }
    return s.substring(0, MAX_RAW_CHARS) + "…[truncated, " + s.length() + " chars]";
  }
}
