package io.c360.pipelines.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.GZIPOutputStream;

/**
 * A landed CSV file built record by record, each record written together with the fate SPEC §2
 * gives it, so a test derives every expected count and reject from what it wrote. Tracks the
 * physical line each record starts on (header = line 1; a quoted CR, LF or CRLF inside a field
 * starts a new line, as the reader counts them).
 */
public final class HostileCsv {
  /** What becomes of one record. */
  public enum Fate {
    LOADED,
    PENDING,
    DEDUPLICATED,
    REJECTED,
    /** A generated record whose fate the test leaves to the cleaning: only that it has one. */
    ANY
  }

  /** One written record: its first physical line, fate and the rules it must be rejected by. */
  public record Written(long line, Fate fate, Set<String> rules) {}

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final String eol;
  private final List<Written> written = new ArrayList<>();
  private long nextLine = 2;

  /** A file with {@code header}, an optional UTF-8 BOM and {@code eol} ("\r\n" or "\n"). */
  public HostileCsv(List<String> header, boolean bom, String eol) {
    this.eol = eol;
    if (bom) {
      out.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
    }
    out.writeBytes(String.join(",", header).getBytes(StandardCharsets.UTF_8));
    out.writeBytes(eol.getBytes(StandardCharsets.UTF_8));
  }

  /** A record of {@code values}, quoted where RFC 4180 needs it, that loads. */
  public HostileCsv loaded(List<String> values) {
    return record(values, Fate.LOADED, Set.of());
  }

  /** A record that waits in dq.pending_rows with {@code rule}. */
  public HostileCsv pending(List<String> values) {
    return record(values, Fate.PENDING, Set.of());
  }

  /** A record dropped by dedup (an exact copy or superseded by a later line). */
  public HostileCsv duplicate(List<String> values) {
    return record(values, Fate.DEDUPLICATED, Set.of());
  }

  /** A record quarantined by exactly {@code rules}. */
  public HostileCsv rejected(List<String> values, String... rules) {
    return record(values, Fate.REJECTED, Set.of(rules));
  }

  /** Raw bytes of one record (no line end), quarantined by exactly {@code rules}. */
  public HostileCsv rawRejected(byte[] record, boolean lineEnd, String... rules) {
    return raw(record, lineEnd, Fate.REJECTED, Set.of(rules));
  }

  /** A generated record of {@code values} with a fate the test does not predict. */
  public HostileCsv any(List<String> values) {
    return record(values, Fate.ANY, Set.of());
  }

  /** Raw bytes of one generated single-line record (no line end), fate not predicted. */
  public HostileCsv rawAny(byte[] record) {
    return raw(record, true, Fate.ANY, Set.of());
  }

  /** Raw bytes of one record (no line end) that loads. */
  public HostileCsv rawLoaded(byte[] record) {
    return raw(record, true, Fate.LOADED, Set.of());
  }

  private HostileCsv record(List<String> values, Fate fate, Set<String> rules) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      String v = values.get(i);
      if (v.contains(",") || v.contains("\"") || v.contains("\r") || v.contains("\n")) {
        b.append('"').append(v.replace("\"", "\"\"")).append('"');
      } else {
        b.append(v);
      }
    }
    return raw(b.toString().getBytes(StandardCharsets.UTF_8), true, fate, rules);
  }

  private HostileCsv raw(byte[] record, boolean lineEnd, Fate fate, Set<String> rules) {
    written.add(new Written(nextLine, fate, new TreeSet<>(rules)));
    out.writeBytes(record);
    nextLine += lineBreaks(record) + 1;
    if (lineEnd) {
      out.writeBytes(eol.getBytes(StandardCharsets.UTF_8));
    }
    return this;
  }

  /** Line terminators in {@code b}: CRLF, a lone CR and a lone LF count one each. */
  static long lineBreaks(byte[] b) {
    long n = 0;
    for (int i = 0; i < b.length; i++) {
      if (b[i] == '\r') {
        n++;
        if (i + 1 < b.length && b[i + 1] == '\n') {
          i++;
        }
      } else if (b[i] == '\n') {
        n++;
      }
    }
    return n;
  }

  public List<Written> written() {
    return List.copyOf(written);
  }

  public long count(Fate fate) {
    return written.stream().filter(w -> w.fate() == fate).count();
  }

  public byte[] bytes() {
    return out.toByteArray();
  }

  /** Writes the file, gzip-compressed when its name ends in {@code .gz}; returns its path. */
  public Path writeTo(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    byte[] b = bytes();
    if (file.getFileName().toString().endsWith(".gz")) {
      ByteArrayOutputStream z = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(z)) {
        gz.write(b);
      }
      b = z.toByteArray();
    }
    return Files.write(file, b);
  }
}
