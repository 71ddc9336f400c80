package io.c360.pipelines.testing;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.c360.transforms.jdbc.PgConnection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Supplier;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;

/** Runs {@link PipelineUnderTest#DAILY} for consecutive days on one runner, timing each run. */
public final class RunnerComparison {
  /** Schemas whose tables must be equal, row for row, across runners. */
  public static final String[] COMPARED_SCHEMAS = {"dw", "mart", "dq"};

  private RunnerComparison() {}

  /** Runs each day in order and fails unless every run ends DONE; returns millis per run. */
  public static long[] runDays(
      String runner,
      Supplier<? extends PipelineOptions> options,
      String input,
      List<LocalDate> days,
      PgConnection pg)
      throws IOException {
    long[] millis = new long[days.size()];
    for (int i = 0; i < days.size(); i++) {
      LocalDate day = days.get(i);
      Pipeline p = PipelineUnderTest.DAILY.create(options.get(), input, day, pg);
      long start = System.nanoTime();
      PipelineResult.State state = p.run().waitUntilFinish();
      millis[i] = (System.nanoTime() - start) / 1_000_000;
      assertThat(runner + " run of " + day, state, equalTo(PipelineResult.State.DONE));
      record(runner, "run " + day, millis[i]);
    }
    return millis;
  }

  /** Appends a timing to target/runner-timings.csv (read by bench/RESULTS.md's figures). */
  public static void record(String runner, String what, long millis) throws IOException {
    Path out = Path.of("target", "runner-timings.csv");
    Files.writeString(
        out,
        runner + "," + what + "," + millis + "\n",
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }
}
