package io.c360.transforms.ingest;

import io.c360.transforms.common.BusyTime;
import io.c360.transforms.model.EntitySpec;
import io.c360.transforms.quality.Quarantine;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.Row;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Parses one {@link CsvRange} with commons-csv into raw rows carrying {@code source_file} and the
 * physical line where each record starts.
 *
 * <p>Failures, each one quarantined row: {@code parse:csv} (a syntax error such as an unterminated
 * quote or text after a closing quote, or a record with more or fewer fields than the header; the
 * record holds the raw text of its first line) and {@code parse:encoding} (a record with bytes that
 * are not UTF-8, shown as U+FFFD). After a syntax error the record's first physical line is
 * quarantined and parsing resumes on the next line, so a stray quote costs one line, not the rest
 * of the file; if that line was the start of a genuine multi-line record, its remaining lines are
 * parsed on their own and end up quarantined too (more rejects, never a silent loss). Blank lines
 * hold no data and are skipped (counted). Invalid UTF-8 is a per-record reject rather than a file
 * failure so one mis-encoded name does not stop a day; a literal U+FFFD in the input cannot be told
 * apart and is rejected too. A read error of the file itself (a truncated gzip, an I/O error) fails
 * the file with an {@link IngestException}.
 */
class ParseCsvFn extends DoFn<CsvRange, Row> {
  static final String RULE_CSV = "parse:csv";
  static final String RULE_ENCODING = "parse:encoding";

  private final EntitySpec entity;
  private final char delimiter;
  private final Counter rows;
  private final Counter csvFailures;
  private final Counter encodingFailures;
  private final Counter blankLines;
  private final BusyTime busy = BusyTime.of(BusyTime.Part.READ_PARSE);
  private transient long clock;
  private transient CSVFormat format;
  private transient Schema schema;

  ParseCsvFn(EntitySpec entity, char delimiter) {
    this.entity = entity;
    String ns = ReadEntity.metricsNamespace(entity);
    this.rows = Metrics.counter(ns, ReadEntity.ROWS_PARSED);
    this.csvFailures = Metrics.counter(ns, ReadEntity.FAILURES_PARSE_CSV);
    this.encodingFailures = Metrics.counter(ns, ReadEntity.FAILURES_PARSE_ENCODING);
    this.blankLines = Metrics.counter(ns, "blank_lines");
    this.delimiter = delimiter;
  }

  @Setup
  public void setup() {
    format = CsvFiles.format(delimiter);
    schema = entity.rawSchema();
  }

  /** A syntax error: lines [start, next) are one failed record; parsing resumes at next. */
  private record SyntaxError(long start, long next, String message) {}

  @ProcessElement
  public void process(@Element CsvRange range, MultiOutputReceiver out) throws IOException {
    HeaderMatch match = HeaderMatch.resolve(range.file(), entity, range.header(), "CSV file");
    long resumeLine = range.firstLine();
    boolean skipHeader = range.startByte() == 0;
    InputStream in = CsvFiles.open(range);
    try {
      while (true) {
        SyntaxError error = parse(range, match, in, resumeLine, skipHeader, out);
        if (error == null) {
          return;
        }
        skipHeader = false;
        in.close();
        in = CsvFiles.open(range);
        String raw =
            CsvFiles.skipLines(in, error.start() - range.firstLine(), error.next() - error.start());
        fail(out, range.file(), error.start(), RULE_CSV, error.message(), rawJson(raw));
        csvFailures.inc();
        resumeLine = error.next();
      }
    } finally {
      in.close();
    }
  }

  private SyntaxError parse(
      CsvRange range,
      HeaderMatch match,
      InputStream in,
      long firstLine,
      boolean skipHeader,
      MultiOutputReceiver out)
      throws IOException {
    // Not closed here: closing the parser would close the stream the caller re-opens on errors.
    CSVParser parser = new CSVParser(CsvFiles.reader(in), format);
    Iterator<CSVRecord> it = parser.iterator();
    int width = range.header().size();
    clock = System.nanoTime();
    while (true) {
      long start = firstLine + parser.getCurrentLineNumber();
      CSVRecord rec;
      try {
        if (!it.hasNext()) {
          return null;
        }
        rec = it.next();
      } catch (UncheckedIOException e) {
        IOException cause = e.getCause();
        if (!(cause instanceof CSVException)) {
          throw new IngestException(
              range.file()
                  + ": cannot read past line "
                  + start
                  + (range.gzip() ? " (truncated or corrupt gzip?)" : "")
                  + ": "
                  + cause,
              cause);
        }
        String msg = cause.getMessage();
        boolean openQuoteAtEof = msg != null && msg.contains("EOF reached before encapsulated");
        return new SyntaxError(
            start,
            start + 1,
            (openQuoteAtEof ? "quote opened on line " + start + " is never closed" : "bad CSV")
                + " ("
                + msg
                + ")");
      }
      if (skipHeader) {
        skipHeader = false;
        continue;
      }
      List<String> values = rec.toList();
      if (values.size() == 1 && values.get(0).isEmpty()) {
        blankLines.inc();
        continue;
      }
      if (values.size() != width && !(values.size() > width && blankBeyond(values, width))) {
        csvFailures.inc();
        fail(
            out,
            range.file(),
            start,
            RULE_CSV,
            "record has " + values.size() + " fields, the header has " + width,
            rawJson(format.format(values.toArray())));
        continue;
      }
      String badColumn = firstUndecodable(values, range.header());
      if (badColumn != null) {
        encodingFailures.inc();
        fail(
            out,
            range.file(),
            start,
            RULE_ENCODING,
            "invalid UTF-8 bytes in column " + badColumn + " (shown as U+FFFD)",
            recordJson(range.header(), values));
        continue;
      }
      Row.Builder row = Row.withSchema(schema).addValue(range.file()).addValue(start);
      for (int idx : match.indexOfColumn) {
        row.addValue(idx < 0 ? null : values.get(idx));
      }
      rows.inc();
      Row parsed = row.build();
      busy.addSince(clock); // the output runs chained steps on Flink: not parse time
      out.get(ReadEntity.ROWS).output(parsed);
      clock = System.nanoTime();
    }
  }

  private static boolean blankBeyond(List<String> values, int width) {
    for (int i = width; i < values.size(); i++) {
      if (!values.get(i).isBlank()) {
        return false;
      }
    }
    return true;
  }

  private static String firstUndecodable(List<String> values, List<String> header) {
    for (int i = 0; i < values.size(); i++) {
      if (values.get(i).indexOf('\uFFFD') >= 0) {
        return i < header.size() ? HeaderMatch.normalize(header.get(i)) : "#" + (i + 1);
      }
    }
    return null;
  }

  private void fail(
      MultiOutputReceiver out, String file, long line, String rule, String message, String json) {
    Row reject = Quarantine.reject(entity.name(), file, line, rule, message, json);
    busy.addSince(clock);
    out.get(ReadEntity.FAILURES).output(reject);
    clock = System.nanoTime();
  }

  static String rawJson(String raw) {
    return Quarantine.toJson(Map.of("raw_text", CsvFiles.truncate(raw)));
  }

  static String recordJson(List<String> header, List<String> values) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < values.size(); i++) {
      String key = i < header.size() ? header.get(i) : "#" + (i + 1);
      m.put(key, CsvFiles.truncate(values.get(i)));
    }
    return Quarantine.toJson(m);
  }
}
