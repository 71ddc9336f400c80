package io.c360.transforms.ingest;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/** A Parquet {@link InputFile} over a Beam file (local, s3://, gs://), so no Hadoop FileSystem. */
final class BeamInputFile implements InputFile {
  private final ResourceId id;
  private final long length;

  BeamInputFile(ResourceId id, long length) {
    this.id = id;
    this.length = length;
  }

  @Override
  public long getLength() {
    return length;
  }

  @Override
  public SeekableInputStream newStream() throws IOException {
    SeekableByteChannel ch = (SeekableByteChannel) FileSystems.open(id);
    return new DelegatingSeekableInputStream(Channels.newInputStream(ch)) {
      @Override
      public long getPos() throws IOException {
        return ch.position();
      }

      @Override
      public void seek(long newPos) throws IOException {
        ch.position(newPos);
      }
    };
  }

  @Override
  public String toString() {
    return id.toString();
  }
}
