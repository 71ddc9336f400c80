package io.c360.transforms.common;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * A Parquet {@link OutputFile} on a local path, written through a buffered stream without Hadoop's
 * FileSystem (parquet 1.13 has no local one): the generator's Parquet parts and the tests' Parquet
 * fixtures are written with it.
 *
 * <pre>{@code
 * AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(file)).withSchema(schema).build();
 * }</pre>
 */
public final class LocalOutputFile implements OutputFile {
  private final Path path;

  public LocalOutputFile(Path path) {
    Args.checkArgument(path != null, "path can not be null");
    this.path = path;
  }

  @Override
  public PositionOutputStream create(long blockSizeHint) throws IOException {
    return createOrOverwrite(blockSizeHint);
  }

  @Override
  public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
    OutputStream os = new BufferedOutputStream(Files.newOutputStream(path), 1 << 16);
    return new PositionOutputStream() {
      private long pos;

      @Override
      public long getPos() {
        return pos;
      }

      @Override
      public void write(int b) throws IOException {
        os.write(b);
        pos++;
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        os.write(b, off, len);
        pos += len;
      }

      @Override
      public void flush() throws IOException {
        os.flush();
      }

      @Override
      public void close() throws IOException {
        os.close();
      }
    };
  }

  @Override
  public boolean supportsBlockSize() {
    return false;
  }

  @Override
  public long defaultBlockSize() {
    return 0;
  }

  @Override
  public String getPath() {
    return path.toString();
  }
}
