package io.c360.transforms.ingest;

import com.google.auto.value.AutoValue;
import java.util.List;

/**
 * A slice of one CSV file that starts at a record boundary: bytes {@code [startByte, endByte)}
 * ({@code endByte} = -1: to the end), whose first physical line is {@code firstLine}. The range at
 * byte 0 still holds the header record, which the parser skips. {@code header} is the file's header
 * as read by the planner.
 */
@AutoValue
abstract class CsvRange implements java.io.Serializable {
  abstract String file();

  abstract boolean gzip();

  abstract long startByte();

  abstract long endByte();

  abstract long firstLine();

  abstract List<String> header();

  static CsvRange create(
      String file,
      boolean gzip,
      long startByte,
      long endByte,
      long firstLine,
      List<String> header) {
    return new AutoValue_CsvRange(file, gzip, startByte, endByte, firstLine, header);
  }
}
