package io.c360.transforms.ingest;

import com.google.auto.value.AutoValue;
import java.util.List;

/**
 * One row group of a Parquet file: bytes {@code [startByte, endByte)}, whose first row has the
 * 0-based index {@code firstRow} in the file. {@code fieldOfColumn} gives, per declared column, the
 * field name in the file ("" when absent); {@code projection} is the Avro schema to read.
 */
@AutoValue
abstract class ParquetSlice implements java.io.Serializable {
  abstract String file();

  abstract long fileSize();

  abstract long startByte();

  abstract long endByte();

  abstract long firstRow();

  abstract long rowCount();

  abstract List<String> fieldOfColumn();

  abstract String projection();

  static ParquetSlice create(
      String file,
      long fileSize,
      long startByte,
      long endByte,
      long firstRow,
      long rowCount,
      List<String> fieldOfColumn,
      String projection) {
    return new AutoValue_ParquetSlice(
        file, fileSize, startByte, endByte, firstRow, rowCount, fieldOfColumn, projection);
  }
}
