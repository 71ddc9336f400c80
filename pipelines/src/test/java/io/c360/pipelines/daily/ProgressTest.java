package io.c360.pipelines.daily;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import io.c360.transforms.facts.FactSpec;
import io.c360.transforms.facts.LoadFacts;
import io.c360.transforms.ingest.ReadEntity;
import io.c360.transforms.model.Entities;
import io.c360.transforms.model.EntitySpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;

class ProgressTest {
  @Test
  void reportsElapsedTimeAndTheRowsReadPerEntity() throws Exception {
    PipelineOptions options = PipelineOptionsFactory.create();
    options.setRunner(DirectRunner.class);
    RunnerDefaults.apply(options);
    assertThat(
        "the Direct runner returns from run() at once",
        options.as(RunnerDefaults.class).isBlockOnRun(),
        equalTo(false));

    Pipeline p = Pipeline.create(options);
    PCollection<Integer> sales =
        p.apply("Sales", Create.of(IntStream.range(0, 1500).boxed().collect(Collectors.toList())));
    PCollection<Integer> traffic = p.apply("Traffic", Create.of(1, 2, 3));
    // the counters ReadEntity and LoadFacts keep: rows parsed and unreadable are read, loaded not
    sales.apply("CountSales", ParDo.of(new Count(ingest(Entities.SALES), ReadEntity.ROWS_PARSED)));
    traffic
        .apply("TwoOfThree", Filter.by(i -> i < 3))
        .apply(
            "CountTraffic", ParDo.of(new Count(ingest(Entities.TRAFFIC), ReadEntity.ROWS_PARSED)));
    traffic
        .apply("OneOfThree", Filter.by(i -> i == 3))
        .apply(
            "CountUnreadable",
            ParDo.of(new Count(ingest(Entities.TRAFFIC), ReadEntity.FAILURES_PARSE_CSV)));
    traffic.apply(
        "CountLoaded",
        ParDo.of(new Count(LoadFacts.metricsNamespace(FactSpec.TRAFFIC), LoadFacts.LOADED)));

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    try (Progress progress = Progress.start(out, "load", Duration.ofMillis(20))) {
      assertThat(progress.line(), matchesPattern("  load running, \\d+ s"));
      PipelineResult r = p.run();
      progress.attach(r);
      r.waitUntilFinish();
      assertThat(
          progress.line(),
          matchesPattern("  load running, \\d+ s, rows read 1,503 \\(sales 1,500, traffic 3\\)"));
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!bytes.toString(StandardCharsets.UTF_8).contains("rows read 1,503")
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
    }
    String printed = bytes.toString(StandardCharsets.UTF_8);
    assertThat(printed, containsString("  load running, "));
    assertThat(printed, containsString("rows read 1,503 (sales 1,500, traffic 3)"));
    assertThat("only rows read are reported", printed, not(containsString("loaded")));
  }

  @Test
  void refusesANonPositiveInterval() {
    PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> Progress.start(out, "load", Duration.ZERO));
    assertThat(e.getMessage(), containsString("positive"));
  }

  private static String ingest(EntitySpec e) {
    return ReadEntity.metricsNamespace(e);
  }

  /** Counts every element into one counter, as the transforms' own DoFns do. */
  static final class Count extends DoFn<Integer, Void> {
    private final Counter counter;

    Count(String namespace, String name) {
      this.counter = Metrics.counter(namespace, name);
    }

    @ProcessElement
    public void process() {
      counter.inc();
    }
  }
}
