package io.c360.pipelines.testing;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import io.c360.pipelines.daily.C360Options;
import io.c360.pipelines.daily.DailyRun;
import io.c360.pipelines.daily.RunSummary;
import io.c360.transforms.common.BusyTime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Supplier;
import org.apache.beam.sdk.options.PipelineOptions;

/** Runs the daily run ({@link DailyRun}) for consecutive days on one runner, timing each run. */
public final class RunnerComparison {
  /** Schemas whose tables must be equal, row for row, across runners. */
  public static final String[] COMPARED_SCHEMAS = {"dw", "mart", "dq"};

  private RunnerComparison() {}

  /**
   * Runs each day in order into the warehouse at {@code jdbcUrl} and fails unless every run
   * succeeds; returns millis per run (both pipelines, checks and bookkeeping included).
   */
  public static long[] runDays(
      String runner,
      Supplier<? extends PipelineOptions> options,
      String input,
      List<LocalDate> days,
      String jdbcUrl)
      throws Exception {
    long[] millis = new long[days.size()];
    for (int i = 0; i < days.size(); i++) {
      LocalDate day = days.get(i);
      C360Options o = options.get().as(C360Options.class);
      o.setRunDate(day.toString());
      o.setInput(input);
      o.setJdbcUrl(jdbcUrl);
      long start = System.nanoTime();
      RunSummary s = DailyRun.execute(o, System.out);
      millis[i] = (System.nanoTime() - start) / 1_000_000;
      assertThat(runner + " run of " + day + ": " + s.message(), s.status(), is("succeeded"));
      // The load's split into read+parse, transform and write reaches the summary on every runner.
      for (BusyTime.Part part : BusyTime.Part.values()) {
        assertThat(
            runner + " " + day + " load busy " + part,
            s.busy("load").getOrDefault(part, Duration.ZERO),
            greaterThan(Duration.ZERO));
      }
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
