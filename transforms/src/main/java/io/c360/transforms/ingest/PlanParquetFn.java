package io.c360.transforms.ingest;

import io.c360.transforms.model.EntitySpec;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.Row;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per Parquet file: reads the footer, matches field names to the entity's columns like a CSV
 * header, refuses fields that are not scalar (a group, a repeated field, INT96), reports unknown
 * fields once, and emits one {@link ParquetSlice} per row group so row groups are read in parallel.
 *
 * <p>Why not {@code ParquetIO.parseFilesGenericRecords}: its parse function sees a record but not
 * the file or row index, and lineage needs both. This uses the same parquet-avro reader ParquetIO
 * uses, split by row group as ParquetIO's splittable read does, over Beam file systems.
 */
class PlanParquetFn extends DoFn<MatchResult.Metadata, ParquetSlice> {
  private static final Logger LOG = LoggerFactory.getLogger(PlanParquetFn.class);

  private final EntitySpec entity;
  private final Counter files;
  private final Counter rowGroups;
  private final Counter unknownColumnFiles;

  PlanParquetFn(EntitySpec entity) {
    this.entity = entity;
    String ns = ReadEntity.metricsNamespace(entity);
    this.files = Metrics.counter(ns, "parquet_files");
    this.rowGroups = Metrics.counter(ns, "parquet_row_groups");
    this.unknownColumnFiles = Metrics.counter(ns, "files_with_unknown_columns");
  }

  @ProcessElement
  public void process(@Element MatchResult.Metadata file, MultiOutputReceiver out) {
    String path = file.resourceId().toString();
    ParquetMetadata footer;
    try (ParquetFileReader reader =
        ParquetFileReader.open(new BeamInputFile(file.resourceId(), file.sizeBytes()))) {
      footer = reader.getFooter();
    } catch (Exception e) {
      throw new IngestException(path + ": not a readable Parquet file (" + e.getMessage() + ")", e);
    }
    MessageType schema = footer.getFileMetaData().getSchema();
    List<String> names = new ArrayList<>();
    for (Type t : schema.getFields()) {
      names.add(t.getName());
    }
    HeaderMatch match = HeaderMatch.resolve(path, entity, names, "Parquet file");
    List<String> fieldOfColumn = new ArrayList<>();
    List<Type> projected = new ArrayList<>();
    List<String> columns = entity.columnNames();
    for (int c = 0; c < columns.size(); c++) {
      int idx = match.indexOfColumn[c];
      if (idx < 0) {
        fieldOfColumn.add("");
        continue;
      }
      Type t = schema.getType(idx);
      boolean scalar =
          t.isPrimitive()
              && !t.isRepetition(Type.Repetition.REPEATED)
              && t.asPrimitiveType().getPrimitiveTypeName()
                  != PrimitiveType.PrimitiveTypeName.INT96;
      if (!scalar) {
        throw new IngestException(
            path
                + ": column "
                + columns.get(c)
                + " has Parquet type '"
                + t.toString().trim()
                + "', expected a scalar (string, number, boolean, date, timestamp or decimal)");
      }
      fieldOfColumn.add(t.getName());
      projected.add(t);
    }
    files.inc();
    if (!match.unknown.isEmpty()) {
      Row notice = ReadEntity.notice(entity, path, match.unknown);
      LOG.warn(ReadEntity.noticeText(notice));
      unknownColumnFiles.inc();
      out.get(ReadEntity.NOTICES).output(notice);
    }
    String projection =
        new AvroSchemaConverter(new Configuration(false))
            .convert(new MessageType(schema.getName(), projected))
            .toString();
    long firstRow = 0;
    for (BlockMetaData block : footer.getBlocks()) {
      long start = block.getStartingPos();
      out.get(ReadEntity.PARQUET_SLICES)
          .output(
              ParquetSlice.create(
                  path,
                  file.sizeBytes(),
                  start,
                  start + block.getCompressedSize(),
                  firstRow,
                  block.getRowCount(),
                  fieldOfColumn,
                  projection));
      rowGroups.inc();
      firstRow += block.getRowCount();
    }
  }
}
