package io.c360.transforms.ingest;

import static io.c360.transforms.common.Args.checkArgument;
import static io.c360.transforms.common.Args.checkState;

import com.google.auto.value.AutoValue;
import io.c360.transforms.common.Counters;
import io.c360.transforms.model.EntitySpec;
import io.c360.transforms.quality.Quarantine;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Reads one entity's landing partition {@code <inputRoot>/<entity>/dt=<date>/} (SPEC §1) into rows
 * of {@link EntitySpec#rawSchema()}: lineage ({@code source_file} = full path or URI, {@code
 * line_no} = 1-based physical line where a CSV record starts, the header being line 1, or the
 * 0-based Parquet row index) and every declared column as landed text, or null when the file lacks
 * that column. Values are not cleaned: empty and whitespace-only strings stay as they are.
 *
 * <pre>{@code
 * Partition p = ReadEntity.partition(input, Entities.SALES, runDate); // driver-side, first
 * PCollectionTuple sales = pipeline.apply("ReadSales",
 *     ReadEntity.of(Entities.SALES).from(input).forDate(runDate).withCsvDelimiter(';'));
 * sales.get(ReadEntity.ROWS);     // Rows of SALES.rawSchema()
 * sales.get(ReadEntity.FAILURES); // Quarantine.SCHEMA, rules parse:csv, parse:encoding
 * sales.get(ReadEntity.NOTICES);  // NOTICE_SCHEMA: (sales, …/part-1.csv, [foo]) per such file
 * }</pre>
 *
 * <p>Files: {@code *.csv}, {@code *.csv.gz} and {@code *.parquet} directly in the folder
 * (case-insensitive); everything else ({@code _SUCCESS}, names starting with {@code _} or {@code
 * .}, other extensions, sub-folders) is ignored. Roots: local folders, {@code s3://} (see {@link
 * S3Setup}) and {@code gs://}.
 *
 * <p>CSV: RFC 4180 via commons-csv, UTF-8 with an optional BOM, CRLF or LF, header mapped by name
 * (trimmed, case-insensitive, any order). An uncompressed file larger than {@link
 * #withSplitThresholdBytes} is cut at record boundaries into ranges of about {@link
 * #withSplitBytes} that are parsed in parallel with exact line numbers; a gzip file is read by one
 * worker. Parquet: same field names, any scalar physical type, read row group by row group.
 *
 * <p>Failures: records that cannot be parsed go to {@link #FAILURES} (one row each, see {@link
 * ParseCsvFn}); a whole file that cannot be read (empty, missing required column, binary, truncated
 * gzip, not Parquet, nested Parquet column) fails the pipeline with an {@link IngestException}
 * naming the file, wrapped by the runner.
 */
@AutoValue
public abstract class ReadEntity extends PTransform<PBegin, PCollectionTuple> {
  private static final long serialVersionUID = 1L;

  /** Raw rows with lineage, schema {@link EntitySpec#rawSchema()}. */
  public static final TupleTag<Row> ROWS = new TupleTag<Row>("rows") {};

  /** Unparseable records, schema {@link Quarantine#SCHEMA}; each counts as one row read. */
  public static final TupleTag<Row> FAILURES = new TupleTag<Row>("failures") {};

  /**
   * One row per file with unknown columns (SPEC §1: ignored and reported once per file), schema
   * {@link #NOTICE_SCHEMA}.
   */
  public static final TupleTag<Row> NOTICES = new TupleTag<Row>("notices") {};

  /** A file's unknown columns, as landed, in the order of its header or Parquet schema. */
  public static final Schema NOTICE_SCHEMA =
      Schema.builder()
          .addStringField("entity")
          .addStringField(EntitySpec.SOURCE_FILE)
          .addArrayField("unknown_columns", Schema.FieldType.STRING)
          .build();

  /**
   * Prefix of the ingest counters' namespaces: one namespace per entity, {@code
   * c360.ingest.<entity>}.
   */
  public static final String METRICS = "c360.ingest";

  /** Rows read into {@link #ROWS}, and rows that went to {@link #FAILURES} (counter names). */
  public static final String ROWS_PARSED = "rows_parsed";

  public static final String FAILURES_PARSE_CSV = "failures_parse_csv";
  public static final String FAILURES_PARSE_ENCODING = "failures_parse_encoding";

  /** The Beam metrics namespace of this entity's ingest counters. */
  public static String metricsNamespace(EntitySpec entity) {
    return METRICS + "." + entity.name();
  }

  /**
   * This entity's ingest counters from a run: {@value #ROWS_PARSED}, the failures ({@value
   * #FAILURES_PARSE_CSV}, {@value #FAILURES_PARSE_ENCODING}: one per record, so rows read = parsed
   * + failures), {@code blank_lines} and the planning counters ({@code csv_files}, {@code
   * csv_ranges}, {@code parquet_files}, {@code parquet_row_groups}, {@code
   * files_with_unknown_columns}).
   */
  public static Map<String, Long> counters(MetricResults metrics, EntitySpec entity) {
    return Counters.byName(
        metrics,
        metricsNamespace(entity),
        ROWS_PARSED,
        FAILURES_PARSE_CSV,
        FAILURES_PARSE_ENCODING);
  }

  /**
   * Split defaults: ranges of ~8 MiB (~100k sales rows) keep one bundle small enough for the Direct
   * runner's immutability checks (32 MiB ranges ran a 3 GB heap out of memory on 1M rows) and give
   * Flink workers several ranges each.
   */
  public static final long DEFAULT_SPLIT_THRESHOLD_BYTES = 16L << 20;

  public static final long DEFAULT_SPLIT_BYTES = 8L << 20;

  static final TupleTag<CsvRange> CSV_RANGES = new TupleTag<CsvRange>("csvRanges") {};
  static final TupleTag<ParquetSlice> PARQUET_SLICES =
      new TupleTag<ParquetSlice>("parquetSlices") {};

  abstract EntitySpec entity();

  abstract @Nullable String inputRoot();

  abstract @Nullable LocalDate date();

  abstract char csvDelimiter();

  abstract long splitThresholdBytes();

  abstract long splitBytes();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setEntity(EntitySpec e);

    abstract Builder setInputRoot(String root);

    abstract Builder setDate(LocalDate dt);

    abstract Builder setCsvDelimiter(char d);

    abstract Builder setSplitThresholdBytes(long n);

    abstract Builder setSplitBytes(long n);

    abstract ReadEntity build();
  }

  /** Reads {@code entity}; set {@link #from} and {@link #forDate} before applying. */
  public static ReadEntity of(EntitySpec entity) {
    checkArgument(entity != null, "entity must not be null");
    return new AutoValue_ReadEntity.Builder()
        .setEntity(entity)
        .setCsvDelimiter(',')
        .setSplitThresholdBytes(DEFAULT_SPLIT_THRESHOLD_BYTES)
        .setSplitBytes(DEFAULT_SPLIT_BYTES)
        .build();
  }

  /**
   * Driver-side look at the partition: absent, present without data files, or its files. Call
   * {@code FileSystems.setDefaultPipelineOptions(options)} (or {@link S3Setup#configure}) first.
   */
  public static Partition partition(String inputRoot, EntitySpec entity, LocalDate dt) {
    checkArgument(inputRoot != null && !inputRoot.isBlank(), "inputRoot must be set");
    checkArgument(entity != null, "entity must not be null");
    checkArgument(dt != null, "dt must not be null");
    return Partition.of(inputRoot, entity, dt);
  }

  /** The landing root: a local folder, {@code s3://bucket/prefix} or {@code gs://bucket/prefix}. */
  public ReadEntity from(String inputRoot) {
    checkArgument(inputRoot != null && !inputRoot.isBlank(), "inputRoot must not be blank");
    return toBuilder().setInputRoot(inputRoot).build();
  }

  /** The {@code dt=} partition to read. */
  public ReadEntity forDate(LocalDate dt) {
    checkArgument(dt != null, "dt must not be null");
    return toBuilder().setDate(dt).build();
  }

  /** CSV field delimiter (default {@code ,}); an ASCII character other than quote and line ends. */
  public ReadEntity withCsvDelimiter(char delimiter) {
    checkArgument(
        delimiter > 0
            && delimiter < 128
            && delimiter != '"'
            && delimiter != '\r'
            && delimiter != '\n',
        "csvDelimiter must be an ASCII character other than '\"', CR and LF, got %s",
        delimiter);
    return toBuilder().setCsvDelimiter(delimiter).build();
  }

  /** Uncompressed CSV files larger than this are split for parallel parsing (default 16 MiB). */
  public ReadEntity withSplitThresholdBytes(long bytes) {
    checkArgument(bytes >= 0, "splitThresholdBytes must be >= 0, got %s", bytes);
    return toBuilder().setSplitThresholdBytes(bytes).build();
  }

  /** Target size of one CSV range when splitting (default 8 MiB). */
  public ReadEntity withSplitBytes(long bytes) {
    checkArgument(bytes > 0, "splitBytes must be > 0, got %s", bytes);
    return toBuilder().setSplitBytes(bytes).build();
  }

  @Override
  public PCollectionTuple expand(PBegin input) {
    checkState(inputRoot() != null, "ReadEntity: call from(inputRoot) before applying");
    checkState(date() != null, "ReadEntity: call forDate(dt) before applying");
    String folder = DataFiles.partitionFolder(inputRoot(), entity().name(), date());

    PCollection<MatchResult.Metadata> files =
        input.apply(
            "MatchFiles",
            FileIO.match()
                .filepattern(folder + "*")
                .withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW));

    PCollectionTuple csvPlan =
        files
            .apply("KeepCsvFiles", Filter.by(ReadEntity::isCsv))
            .apply(
                "PlanCsvRanges",
                ParDo.of(
                        new PlanCsvFn(
                            entity(), csvDelimiter(), splitThresholdBytes(), splitBytes()))
                    .withOutputTags(CSV_RANGES, TupleTagList.of(NOTICES)));
    PCollectionTuple csv =
        csvPlan
            .get(CSV_RANGES)
            .setCoder(CsvRange.CODER)
            .apply("SpreadCsvRanges", Reshuffle.viaRandomKey())
            .apply(
                "ParseCsv",
                ParDo.of(new ParseCsvFn(entity(), csvDelimiter()))
                    .withOutputTags(ROWS, TupleTagList.of(FAILURES)));

    PCollectionTuple parquetPlan =
        files
            .apply("KeepParquetFiles", Filter.by(ReadEntity::isParquet))
            .apply(
                "PlanParquetRowGroups",
                ParDo.of(new PlanParquetFn(entity()))
                    .withOutputTags(PARQUET_SLICES, TupleTagList.of(NOTICES)));
    PCollectionTuple parquet =
        parquetPlan
            .get(PARQUET_SLICES)
            .setCoder(ParquetSlice.CODER)
            .apply("SpreadRowGroups", Reshuffle.viaRandomKey())
            .apply(
                "ReadParquet",
                ParDo.of(new ReadParquetFn(entity()))
                    .withOutputTags(ROWS, TupleTagList.of(FAILURES)));

    PCollection<Row> rows =
        PCollectionList.of(csv.get(ROWS).setRowSchema(entity().rawSchema()))
            .and(parquet.get(ROWS).setRowSchema(entity().rawSchema()))
            .apply("FlattenRows", Flatten.pCollections())
            .setRowSchema(entity().rawSchema());
    PCollection<Row> failures =
        PCollectionList.of(csv.get(FAILURES).setRowSchema(Quarantine.SCHEMA))
            .and(parquet.get(FAILURES).setRowSchema(Quarantine.SCHEMA))
            .apply("FlattenFailures", Flatten.pCollections())
            .setRowSchema(Quarantine.SCHEMA);
    PCollection<Row> notices =
        PCollectionList.of(csvPlan.get(NOTICES).setRowSchema(NOTICE_SCHEMA))
            .and(parquetPlan.get(NOTICES).setRowSchema(NOTICE_SCHEMA))
            .apply("FlattenNotices", Flatten.pCollections())
            .setRowSchema(NOTICE_SCHEMA);
    return PCollectionTuple.of(ROWS, rows).and(FAILURES, failures).and(NOTICES, notices);
  }

  /** The notice of {@code file}, whose {@code unknown} columns no declaration of {@code e} has. */
  static Row notice(EntitySpec e, String file, List<String> unknown) {
    return Row.withSchema(NOTICE_SCHEMA).addValues(e.name(), file, unknown).build();
  }

  /** The notice as one log line: {@code …/part-1.csv: unknown columns [foo] ignored}. */
  public static String noticeText(Row notice) {
    return notice.getString(EntitySpec.SOURCE_FILE)
        + ": unknown columns "
        + notice.getArray("unknown_columns")
        + " ignored";
  }

  private static boolean isCsv(MatchResult.Metadata m) {
    return !m.resourceId().isDirectory() && DataFiles.isCsv(m.resourceId().getFilename());
  }

  private static boolean isParquet(MatchResult.Metadata m) {
    return !m.resourceId().isDirectory() && DataFiles.isParquet(m.resourceId().getFilename());
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("entity", entity().name()))
        .addIfNotNull(DisplayData.item("inputRoot", inputRoot()))
        .addIfNotNull(DisplayData.item("date", date() == null ? null : date().toString()))
        .add(DisplayData.item("csvDelimiter", String.valueOf(csvDelimiter())))
        .add(DisplayData.item("splitThresholdBytes", splitThresholdBytes()))
        .add(DisplayData.item("splitBytes", splitBytes()));
  }
}
