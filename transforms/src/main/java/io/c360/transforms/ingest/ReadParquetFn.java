package io.c360.transforms.ingest;

import io.c360.transforms.common.BusyTime;
import io.c360.transforms.model.EntitySpec;
import io.c360.transforms.quality.Quarantine;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.Row;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroReadSupport;
import org.apache.parquet.hadoop.ParquetReader;

/**
 * Reads one Parquet row group into raw rows: every scalar becomes its text spelling (dates {@code
 * YYYY-MM-DD}, timestamps ISO 8601 in UTC, decimals and floats in plain notation), so cleaning sees
 * the same text a CSV would carry. {@code line_no} is the 0-based row index in the file. A binary
 * value without a string annotation that is not UTF-8 is quarantined as {@code parse:encoding}.
 */
class ReadParquetFn extends DoFn<ParquetSlice, Row> {
  private final EntitySpec entity;
  private final Counter rows;
  private final Counter encodingFailures;
  private final BusyTime busy = BusyTime.of(BusyTime.Part.READ_PARSE);
  private transient long clock;
  private transient org.apache.beam.sdk.schemas.Schema schema;

  ReadParquetFn(EntitySpec entity) {
    this.entity = entity;
    String ns = ReadEntity.metricsNamespace(entity);
    this.rows = Metrics.counter(ns, ReadEntity.ROWS_PARSED);
    this.encodingFailures = Metrics.counter(ns, ReadEntity.FAILURES_PARSE_ENCODING);
  }

  @Setup
  public void setup() {
    schema = entity.rawSchema();
  }

  @ProcessElement
  public void process(@Element ParquetSlice slice, MultiOutputReceiver out) {
    Configuration conf = new Configuration(false);
    AvroReadSupport.setRequestedProjection(conf, new Schema.Parser().parse(slice.projection()));
    BeamInputFile input =
        new BeamInputFile(FileSystems.matchNewResource(slice.file(), false), slice.fileSize());
    long index = slice.firstRow();
    clock = System.nanoTime();
    try (ParquetReader<GenericRecord> reader =
        AvroParquetReader.<GenericRecord>builder(input)
            .withDataModel(GenericData.get())
            .withConf(conf)
            .withFileRange(slice.startByte(), slice.endByte())
            .build()) {
      GenericRecord rec;
      while ((rec = reader.read()) != null) {
        emit(slice, rec, index++, out);
      }
    } catch (IngestException e) {
      throw e;
    } catch (Exception e) {
      throw new IngestException(
          slice.file() + ": cannot read Parquet row " + index + " (" + e.getMessage() + ")", e);
    }
    long read = index - slice.firstRow();
    if (read != slice.rowCount()) {
      throw new IngestException(
          slice.file()
              + ": row group at byte "
              + slice.startByte()
              + " gave "
              + read
              + " rows, its footer declares "
              + slice.rowCount());
    }
  }

  private void emit(ParquetSlice slice, GenericRecord rec, long index, MultiOutputReceiver out) {
    List<String> fields = slice.fieldOfColumn();
    Row.Builder row = Row.withSchema(schema).addValue(slice.file()).addValue(index);
    Map<String, String> asText = new LinkedHashMap<>();
    String badField = null;
    for (String field : fields) {
      String text = null;
      if (!field.isEmpty()) {
        Schema.Field f = rec.getSchema().getField(field);
        try {
          text = toText(rec.get(field), f.schema());
        } catch (CharacterCodingException e) {
          badField = field;
          text =
              StandardCharsets.UTF_8.decode(((ByteBuffer) rec.get(field)).duplicate()).toString();
        }
        asText.put(field, text == null ? null : CsvFiles.truncate(text));
      }
      row.addValue(text);
    }
    if (badField != null) {
      encodingFailures.inc();
      Row reject =
          Quarantine.reject(
              entity.name(),
              slice.file(),
              index,
              ParseCsvFn.RULE_ENCODING,
              "invalid UTF-8 bytes in column " + HeaderMatch.normalize(badField),
              Quarantine.toJson(asText));
      busy.addSince(clock);
      out.get(ReadEntity.FAILURES).output(reject);
      clock = System.nanoTime();
      return;
    }
    rows.inc();
    Row parsed = row.build();
    busy.addSince(clock); // the output runs chained steps on Flink: not read time
    out.get(ReadEntity.ROWS).output(parsed);
    clock = System.nanoTime();
  }

  /** The text spelling of one Avro value read from Parquet. */
  static String toText(Object v, Schema s) throws CharacterCodingException {
    if (v == null) {
      return null;
    }
    s = nonNull(s);
    LogicalType lt = s.getLogicalType();
    if (lt instanceof LogicalTypes.Decimal) {
      int scale = ((LogicalTypes.Decimal) lt).getScale();
      byte[] bytes;
      if (v instanceof ByteBuffer) {
        ByteBuffer b = ((ByteBuffer) v).duplicate();
        bytes = new byte[b.remaining()];
        b.get(bytes);
      } else if (v instanceof GenericFixed) {
        bytes = ((GenericFixed) v).bytes();
      } else {
        return new BigDecimal(v.toString()).movePointLeft(scale).toPlainString();
      }
      return new BigDecimal(new BigInteger(bytes), scale).toPlainString();
    }
    if (lt instanceof LogicalTypes.Date) {
      return LocalDate.ofEpochDay(((Number) v).longValue()).toString();
    }
    if (lt instanceof LogicalTypes.TimestampMillis) {
      return Instant.ofEpochMilli(((Number) v).longValue()).toString();
    }
    if (lt instanceof LogicalTypes.TimestampMicros) {
      return Instant.EPOCH.plus(((Number) v).longValue(), ChronoUnit.MICROS).toString();
    }
    if (lt instanceof LogicalTypes.LocalTimestampMillis) {
      return LocalDateTime.ofEpochSecond(0, 0, ZoneOffset.UTC)
          .plus(((Number) v).longValue(), ChronoUnit.MILLIS)
          .toString();
    }
    if (lt instanceof LogicalTypes.LocalTimestampMicros) {
      return LocalDateTime.ofEpochSecond(0, 0, ZoneOffset.UTC)
          .plus(((Number) v).longValue(), ChronoUnit.MICROS)
          .toString();
    }
    if (lt instanceof LogicalTypes.TimeMillis) {
      return LocalTime.ofNanoOfDay(((Number) v).longValue() * 1_000_000L).toString();
    }
    if (lt instanceof LogicalTypes.TimeMicros) {
      return LocalTime.ofNanoOfDay(((Number) v).longValue() * 1_000L).toString();
    }
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        return Double.toString(d);
      }
      // Float via its own shortest spelling, or 19.99f would print as 19.989999771118164.
      return new BigDecimal(v.toString()).toPlainString();
    }
    if (v instanceof ByteBuffer) {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(((ByteBuffer) v).duplicate())
          .toString();
    }
    if (v instanceof GenericFixed) {
      return toText(ByteBuffer.wrap(((GenericFixed) v).bytes()), Schema.create(Schema.Type.BYTES));
    }
    return v.toString();
  }

  private static Schema nonNull(Schema s) {
    if (s.getType() == Schema.Type.UNION) {
      for (Schema t : s.getTypes()) {
        if (t.getType() != Schema.Type.NULL) {
          return t;
        }
      }
    }
    return s;
  }
}
