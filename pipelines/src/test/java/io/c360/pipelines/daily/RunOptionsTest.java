package io.c360.pipelines.daily;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** SPEC §5: the run record holds the options used, Beam's included, secrets masked. */
class RunOptionsTest {
  /** A value that must never be recorded (built at run time: no literal secret in the tests). */
  private static final String SECRET = "sk-" + Long.toHexString(System.nanoTime());

  private static Map<String, Object> recorded(String... args) {
    return RunRecorder.masked(RunOptions.recorded(DailyRun.options(args)));
  }

  @Test
  void everyOptionSetIsRecordedWhateverInterfaceDeclaresIt() {
    Map<String, Object> m =
        recorded(
            "--runDate=2025-03-30",
            "--input=/landing",
            "--runner=FlinkRunner",
            "--flinkMaster=flink.example:8081",
            "--parallelism=4",
            "--project=acme-data",
            "--region=europe-west1",
            "--endpoint=http://127.0.0.1:9000",
            "--awsRegion=eu-west-3",
            "--customersMode=snapshot");
    assertThat(m, hasEntry("runner", "org.apache.beam.runners.flink.FlinkRunner"));
    assertThat(m, hasEntry("flinkMaster", "flink.example:8081"));
    assertThat(m, hasEntry("parallelism", "4"));
    assertThat(m, hasEntry("project", "acme-data"));
    assertThat(m, hasEntry("region", "europe-west1"));
    assertThat(m, hasEntry("endpoint", "http://127.0.0.1:9000"));
    assertThat(m, hasEntry("awsRegion", "eu-west-3"));
    assertThat(m, hasEntry("runDate", "2025-03-30"));
    assertThat(m, hasEntry("input", "/landing"));
    assertThat(m, hasEntry("customersMode", "snapshot"));
    // defaults nobody set are not "used options"
    assertThat(m, not(hasKey("timezone")));
    assertThat(m, not(hasKey("dbUser")));
  }

  @Test
  void theRunnerIsRecordedEvenWhenItIsTheDefault() {
    assertThat(
        recorded("--runDate=2025-03-30", "--input=/landing"),
        hasEntry("runner", "org.apache.beam.runners.direct.DirectRunner"));
  }

  @Test
  void secretLookingOptionsAreMasked() {
    Map<String, Object> m =
        recorded(
            "--runDate=2025-03-30",
            "--input=/landing",
            "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\","
                + "\"accessKeyId\":\"AKIDC360TEST\",\"secretAccessKey\":\""
                + SECRET
                + "\"}",
            "--jdbcPasswordSecret=projects/p/secrets/" + SECRET + "/versions/1",
            "--passwordFile=/run/secrets/pg");
    assertThat(m, hasEntry("awsCredentialsProvider", "***"));
    assertThat(m, hasEntry("jdbcPasswordSecret", "***"));
    assertThat(m, hasEntry("passwordFile", "/run/secrets/pg"));
    assertThat(m.toString().contains(SECRET), equalTo(false));
    assertThat(m.toString().contains("AKIDC360TEST"), equalTo(false));
  }
}
