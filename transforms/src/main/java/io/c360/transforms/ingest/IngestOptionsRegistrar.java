package io.c360.transforms.ingest;

import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsRegistrar;

/** Registers {@link C360S3Options} so {@code --s3PathStyle} parses with any options interface. */
public class IngestOptionsRegistrar implements PipelineOptionsRegistrar {
  @Override
  public Iterable<Class<? extends PipelineOptions>> getPipelineOptions() {
    return List.of(C360S3Options.class);
  }
}
