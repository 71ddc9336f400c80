package io.c360.transforms.ingest;

import org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Beam's default S3 client (endpoint, region, credentials, HTTP settings from {@link S3Options})
 * with path-style access turned on, for S3-compatible stores that do not serve virtual-host bucket
 * names. Selected by {@link S3Setup#configure} when {@code --s3PathStyle=true}, or directly with
 * {@code --s3ClientFactoryClass=io.c360.transforms.ingest.PathStyleS3ClientBuilderFactory}.
 */
public class PathStyleS3ClientBuilderFactory implements S3ClientBuilderFactory {
  private final DefaultS3ClientBuilderFactory delegate = new DefaultS3ClientBuilderFactory();

  @Override
  public S3ClientBuilder createBuilder(S3Options options) {
    return delegate.createBuilder(options).forcePathStyle(true);
  }
}
