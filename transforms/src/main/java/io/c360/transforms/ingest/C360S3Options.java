package io.c360.transforms.ingest;

import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * S3 settings of c360 on top of Beam's {@link S3Options} (which brings {@code --endpoint}, {@code
 * --awsRegion}, {@code --awsCredentialsProvider} and {@code --s3ClientFactoryClass}).
 *
 * <p>Credentials come from the standard AWS SDK v2 chain unless {@code --awsCredentialsProvider} is
 * given: environment ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}, {@code
 * AWS_SESSION_TOKEN}), Java system properties, the profile files ({@code ~/.aws/credentials},
 * {@code ~/.aws/config}, {@code AWS_PROFILE}), web identity and container/instance roles. Keep keys
 * out of the command line: use the environment or a profile.
 */
public interface C360S3Options extends S3Options {
  @Description(
      "Address S3 buckets path-style (http://host/bucket/key) instead of virtual-host style; "
          + "needed for MinIO, s3proxy and most S3-compatible stores on a plain host name or IP.")
  @Default.Boolean(false)
  boolean getS3PathStyle();

  void setS3PathStyle(boolean pathStyle);
}
