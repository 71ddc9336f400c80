package io.c360.pipelines.daily;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class JobNameTest {
  /** Dataflow's rule for job names; Flink takes any string. */
  private static final String DATAFLOW_JOB_NAME = "[a-z]([-a-z0-9]*[a-z0-9])?";

  @Test
  void namesStageDateAndRunInTheFormDataflowAccepts() {
    String load = Stages.jobName("load", LocalDate.of(2026, 3, 30), 12);
    assertThat(load, equalTo("c360-load-20260330-run12"));
    assertThat(load, matchesPattern(DATAFLOW_JOB_NAME));
    assertThat(
        Stages.jobName("marts", LocalDate.of(2025, 12, 31), 7), matchesPattern(DATAFLOW_JOB_NAME));
  }

  @Test
  void stagesAndRunsGetDistinctNames() {
    LocalDate d = LocalDate.of(2026, 3, 30);
    assertThat(Stages.jobName("load", d, 1), not(equalTo(Stages.jobName("marts", d, 1))));
    assertThat(Stages.jobName("load", d, 1), not(equalTo(Stages.jobName("load", d, 2))));
  }
}
