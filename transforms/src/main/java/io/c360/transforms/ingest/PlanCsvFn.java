package io.c360.transforms.ingest;

import io.c360.transforms.model.EntitySpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.Row;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per CSV file: reads and checks the header (fails the file on missing required columns), reports
 * unknown columns once, and cuts an uncompressed file above the split threshold into ranges at
 * record boundaries ({@link CsvSplitter}) so that several workers parse it. A gzip file is one
 * range: gzip cannot be entered in the middle.
 */
class PlanCsvFn extends DoFn<MatchResult.Metadata, CsvRange> {
  private static final Logger LOG = LoggerFactory.getLogger(PlanCsvFn.class);

  private final EntitySpec entity;
  private final char delimiter;
  private final long splitThresholdBytes;
  private final long splitBytes;
  private final Counter files;
  private final Counter ranges;
  private final Counter unknownColumnFiles;

  PlanCsvFn(EntitySpec entity, char delimiter, long splitThresholdBytes, long splitBytes) {
    this.entity = entity;
    String ns = ReadEntity.metricsNamespace(entity);
    this.files = Metrics.counter(ns, "csv_files");
    this.ranges = Metrics.counter(ns, "csv_ranges");
    this.unknownColumnFiles = Metrics.counter(ns, "files_with_unknown_columns");
    this.delimiter = delimiter;
    this.splitThresholdBytes = splitThresholdBytes;
    this.splitBytes = splitBytes;
  }

  @ProcessElement
  public void process(@Element MatchResult.Metadata file, MultiOutputReceiver out)
      throws IOException {
    String path = file.resourceId().toString();
    boolean gzip = DataFiles.kindOf(file.resourceId().getFilename()) == DataFiles.Kind.CSV_GZ;
    CsvRange whole = CsvRange.create(path, gzip, 0, -1, 1, List.of());
    List<String> header = readHeader(whole);
    HeaderMatch match = HeaderMatch.resolve(path, entity, header, "CSV file");
    files.inc();
    if (!match.unknown.isEmpty()) {
      Row notice = ReadEntity.notice(entity, path, match.unknown);
      LOG.warn(ReadEntity.noticeText(notice));
      unknownColumnFiles.inc();
      out.get(ReadEntity.NOTICES).output(notice);
    }
    List<CsvSplitter.Boundary> cuts = List.of();
    if (!gzip && file.sizeBytes() > splitThresholdBytes) {
      try (InputStream in =
          new java.io.BufferedInputStream(
              Channels.newInputStream(FileSystems.open(file.resourceId())), 1 << 16)) {
        cuts = CsvSplitter.boundaries(in, delimiter, splitBytes);
      }
    }
    List<CsvRange> out1 = new ArrayList<>();
    long start = 0;
    long line = 1;
    for (CsvSplitter.Boundary b : cuts) {
      out1.add(CsvRange.create(path, gzip, start, b.offset(), line, header));
      start = b.offset();
      line = b.line();
    }
    out1.add(CsvRange.create(path, gzip, start, gzip ? -1 : file.sizeBytes(), line, header));
    for (CsvRange r : out1) {
      ranges.inc();
      out.get(ReadEntity.CSV_RANGES).output(r);
    }
  }

  private List<String> readHeader(CsvRange whole) throws IOException {
    try (InputStream in = CsvFiles.open(whole);
        CSVParser p = new CSVParser(CsvFiles.reader(in), CsvFiles.format(delimiter))) {
      Iterator<CSVRecord> it = p.iterator();
      if (!it.hasNext()) {
        throw new IngestException(
            whole.file()
                + ": empty file, a header row is required; expected columns "
                + entity.columnNames());
      }
      return it.next().toList();
    } catch (UncheckedIOException e) {
      throw new IngestException(
          whole.file() + ": cannot read the header row: " + e.getCause().getMessage(), e);
    }
  }
}
