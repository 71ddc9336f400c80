package io.c360.pipelines.testing;

import io.c360.transforms.common.LocalOutputFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;

/** Writes small local Parquet files for tests, without a Hadoop file system. */
public final class ParquetFiles {
  private ParquetFiles() {}

  public static Path write(Path file, Schema schema, List<GenericRecord> records)
      throws IOException {
    Files.createDirectories(file.getParent());
    try (ParquetWriter<GenericRecord> w =
        AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(file))
            .withSchema(schema)
            .build()) {
      for (GenericRecord r : records) {
        w.write(r);
      }
    }
    return file;
  }
}
