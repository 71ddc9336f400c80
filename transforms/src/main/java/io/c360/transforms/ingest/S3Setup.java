package io.c360.transforms.ingest;

import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepares pipeline options for object storage; the CLI calls {@link #configure} once after parsing
 * options and before {@link ReadEntity#partition} or building the pipeline.
 *
 * <p>{@code --s3PathStyle=true} selects {@link PathStyleS3ClientBuilderFactory} unless another
 * {@code --s3ClientFactoryClass} was given. Endpoint ({@code --endpoint=http://127.0.0.1:9000}),
 * region ({@code --awsRegion}) and credentials are Beam's {@code AwsOptions}; see {@link
 * C360S3Options} for the credential chain. Only endpoint, region and path style are logged, never
 * credentials.
 */
public final class S3Setup {
  private static final Logger LOG = LoggerFactory.getLogger(S3Setup.class);

  private S3Setup() {}

  /**
   * Applies the S3 settings and registers Beam file systems ({@code file}, {@code s3}, {@code gs}).
   */
  public static C360S3Options configure(PipelineOptions options) {
    C360S3Options s3 = options.as(C360S3Options.class);
    if (s3.getS3PathStyle()
        && (s3.getS3ClientFactoryClass() == null
            || s3.getS3ClientFactoryClass()
                == org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory.class)) {
      s3.setS3ClientFactoryClass(PathStyleS3ClientBuilderFactory.class);
    }
    FileSystems.setDefaultPipelineOptions(options);
    if (s3.getEndpoint() != null || s3.getS3PathStyle()) {
      LOG.info(
          "S3: endpoint={} region={} pathStyle={}",
          s3.getEndpoint(),
          s3.getAwsRegion(),
          s3.getS3PathStyle());
    }
    return s3;
  }
}
