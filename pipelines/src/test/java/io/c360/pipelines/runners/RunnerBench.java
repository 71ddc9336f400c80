package io.c360.pipelines.runners;

import io.c360.pipelines.generate.Generator;
import io.c360.pipelines.generate.GeneratorConfig;
import io.c360.pipelines.testing.FlinkCluster;
import io.c360.pipelines.testing.RunnerComparison;
import io.c360.pipelines.testing.RunnerOptions;
import io.c360.transforms.testing.TestDatabase;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.apache.beam.sdk.options.PipelineOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runner timings for bench/RESULTS.md, not part of the normal build (no *Test/*IT suffix): run with
 * {@code mvn -B -pl pipelines -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=RunnerBench}. For Direct, Flink [local] and the Flink session cluster, the daily run
 * (both pipelines, checks and bookkeeping) of one generated day without defects: "startup" that of
 * a day of one sale (runner overhead), "end-to-end" that of a day of 2,000 sales; each is run three
 * times and the median reported, in target/runner-bench.md.
 */
class RunnerBench implements Serializable {
  private static final int REPEATS = 3;

  @TempDir static Path landing;
  @TempDir static Path tiny;

  @RegisterExtension static final TestDatabase DB = new TestDatabase();

  @Test
  void timeEachRunner() throws Exception {
    LocalDate day = LocalDate.of(2026, 3, 31);
    generate(landing, day, 0.002);
    generate(tiny, day, 0.000001);
    StringBuilder out = new StringBuilder();
    out.append(
        "| runner | startup (1-sale day), median of 3 | end-to-end (2,000-sale day), median of 3"
            + " |\n");
    out.append("|---|---|---|\n");
    out.append(row("Direct", RunnerOptions::direct, day));
    out.append(row("Flink [local], parallelism 2", () -> RunnerOptions.flinkLocal(2), day));
    FlinkCluster cluster = new FlinkCluster();
    long start = System.nanoTime();
    cluster.start();
    long clusterStart = (System.nanoTime() - start) / 1_000_000;
    try {
      String master = cluster.restAddress();
      out.append(
          row(
              "Flink session cluster, parallelism 2",
              () -> RunnerOptions.flinkCluster(master, 2),
              day));
    } finally {
      cluster.stop();
    }
    out.append("\nSession cluster start (cluster.sh start, cached classpath): ")
        .append(seconds(clusterStart))
        .append("\n");
    Files.writeString(Path.of("target", "runner-bench.md"), out.toString());
    System.out.println(out);
  }

  private static void generate(Path out, LocalDate day, double scale) throws Exception {
    Generator.generate(
        GeneratorConfig.builder(out).scale(scale).days(1).start(day).noDefects().build());
  }

  private String row(String name, Supplier<? extends PipelineOptions> options, LocalDate day)
      throws Exception {
    long[] startup = new long[REPEATS];
    long[] full = new long[REPEATS];
    for (int i = 0; i < REPEATS; i++) {
      startup[i] = time(name, options, tiny, day);
      full[i] = time(name, options, landing, day);
    }
    return "| " + name + " | " + median(startup) + " | " + median(full) + " |\n";
  }

  private long time(
      String name, Supplier<? extends PipelineOptions> options, Path input, LocalDate day)
      throws Exception {
    return RunnerComparison.runDays(
        "bench " + name, options, input.toString(), List.of(day), DB.jdbcUrl())[0];
  }

  private static String median(long[] millis) {
    long[] s = millis.clone();
    Arrays.sort(s);
    StringBuilder all = new StringBuilder();
    for (long m : millis) {
      all.append(all.length() == 0 ? "" : ", ").append(seconds(m));
    }
    return seconds(s[s.length / 2]) + " (" + all + ")";
  }

  private static String seconds(long millis) {
    return String.format("%.1f s", millis / 1000.0);
  }
}
