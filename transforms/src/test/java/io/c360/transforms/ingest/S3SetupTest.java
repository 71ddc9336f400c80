package io.c360.transforms.ingest;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/** --s3PathStyle selects the path-style client factory; without it Beam's default stays. */
class S3SetupTest {
  @Test
  void pathStyleSelectsOurFactory() {
    C360S3Options o =
        S3Setup.configure(
            PipelineOptionsFactory.fromArgs("--s3PathStyle=true", "--awsRegion=eu-west-1")
                .create());
    assertThat(o.getS3ClientFactoryClass(), equalTo(PathStyleS3ClientBuilderFactory.class));
    assertThat(o.getAwsRegion().id(), equalTo("eu-west-1"));
  }

  @Test
  void withoutPathStyleBeamDefaultStays() {
    C360S3Options o = S3Setup.configure(PipelineOptionsFactory.create());
    assertThat(o.getS3ClientFactoryClass(), not(equalTo(PathStyleS3ClientBuilderFactory.class)));
    assertThat(o.getS3ClientFactoryClass(), equalTo(DefaultS3ClientBuilderFactory.class));
  }

  @Test
  void anExplicitFactoryIsKept() {
    C360S3Options o =
        S3Setup.configure(
            PipelineOptionsFactory.fromArgs(
                    "--s3PathStyle=true", "--s3ClientFactoryClass=" + CustomFactory.class.getName())
                .create());
    assertThat(o.getS3ClientFactoryClass(), equalTo(CustomFactory.class));
  }

  /** Stands for a user's own factory. */
  public static class CustomFactory extends PathStyleS3ClientBuilderFactory {}
}
