package io.c360.pipelines.cli;

import io.c360.pipelines.daily.C360Options;
import io.c360.pipelines.daily.DailyRun;
import io.c360.pipelines.daily.RunOptions;
import io.c360.pipelines.daily.RunSummary;
import io.c360.pipelines.db.Warehouse;
import io.c360.pipelines.generate.GenerateCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * {@code c360 demo}: generates a small landing zone, starts the embedded PostgreSQL, runs the daily
 * pipeline for a few consecutive dates and prints how to look at the result.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Generate a sample landing zone, start the embedded PostgreSQL, run the daily pipeline for a"
          + " few consecutive dates and print the summary and how to connect.",
      "Beam options pass through (e.g. --runner=FlinkRunner --flinkMaster=[local])."
    },
    footerHeading = "%nOptions passed to each daily run:%n")
public final class DemoCommand implements Callable<Integer> {
  @Option(
      names = "--days",
      defaultValue = "3",
      description = "Days to generate and run (default: ${DEFAULT-VALUE}).")
  int days;

  @Option(
      names = "--scale",
      defaultValue = "0.02",
      description = "Generator scale; 0.02 = 20,000 sales a day (default: ${DEFAULT-VALUE}).")
  double scale;

  @Option(
      names = "--start",
      defaultValue = "2025-03-30",
      description =
          "First date (default: ${DEFAULT-VALUE}: the days cross a month and a quarter end).")
  LocalDate start;

  @Option(
      names = "--landing",
      defaultValue = ".c360/demo/landing",
      description = "Where the sample files go (default: ${DEFAULT-VALUE}).")
  Path landing;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Generator seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Mixin DbOptions db;

  @Unmatched List<String> beamArgs = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    // bad run options are a usage error before anything is generated or started
    RunOptions.check(RunCommand.parse(runArgs(start)));
    deleteTree(landing);
    System.out.printf(
        "Generating %d day(s) at scale %s from %s into %s ...%n", days, scale, start, landing);
    int gen =
        new CommandLine(new GenerateCommand())
            .execute(
                "--scale", Double.toString(scale),
                "--days", Integer.toString(days),
                "--start", start.toString(),
                "--output", landing.toString(),
                "--seed", Long.toString(seed));
    if (gen != 0) {
      return gen;
    }
    int failures = 0;
    try (Warehouse wh = db.open(System.out)) {
      for (int i = 0; i < days; i++) {
        C360Options options = RunCommand.parse(runArgs(start.plusDays(i)));
        RunSummary s = DailyRun.execute(options, wh, System.out);
        if (s.exitCode() != 0) {
          failures++;
        }
      }
      System.out.println();
      System.out.println(
          "Demo finished. While this command ran, the warehouse was at " + wh.describe() + ".");
      System.out.println("Look at it with, for example:");
      System.out.println("  ./c360 query \"select count(*) from dw.fact_sales\"");
      System.out.println(
          "  ./c360 query \"select * from mart.top_customers order by as_of desc, rank limit 10\"");
      System.out.println(
          "  ./c360 query \"select run_id, run_date, status, entity_counts from ops.pipeline_runs order by run_id\"");
      System.out.println(
          "  ./c360 query \"select entity, rule, count(*) from dq.rejected_rows group by 1, 2 order by 3 desc\"");
    }
    return failures == 0 ? 0 : 1;
  }

  private List<String> runArgs(LocalDate d) {
    List<String> args = new ArrayList<>(beamArgs);
    args.add("--runDate=" + d);
    args.add("--input=" + landing.toAbsolutePath());
    return args;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
