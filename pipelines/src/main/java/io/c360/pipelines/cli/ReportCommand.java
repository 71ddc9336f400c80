package io.c360.pipelines.cli;

import io.c360.pipelines.db.Warehouse;
import io.c360.pipelines.report.RunReport;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code c360 report [--run=N]}: the HTML report of a run, written again from the warehouse. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Write the HTML report of a run (default: the latest) and print its path: counts per stage"
          + " and entity, rejects by rule, checks, rows waiting, charts of the last 30 runs and"
          + " the KPIs for the run's asOf.",
      "One self-contained file: it opens offline, in any browser, on a laptop or a phone. Every"
          + " run writes one too (--reportDir of run, backfill and demo)."
    })
public final class ReportCommand implements Callable<Integer> {
  @Mixin DbOptions db;

  @Option(names = "--run", paramLabel = "N", description = "Run id (default: the latest run).")
  Long run;

  @Option(
      names = "--reportDir",
      defaultValue = RunReport.DEFAULT_DIR,
      description =
          "Folder of the page, c360-run-<id>-<runDate>.html, and of latest.html (default:"
              + " ${DEFAULT-VALUE}).")
  Path reportDir;

  @Option(
      names = "--output",
      paramLabel = "FILE",
      description = "Write the page to this file instead (latest.html is left alone).")
  Path output;

  @Override
  public Integer call() throws Exception {
    try (Warehouse wh = db.open(new PrintStream(PrintStream.nullOutputStream()));
        Connection c = wh.open()) {
      long id = run != null ? run : RunReport.latestRun(c);
      Path page =
          output != null ? RunReport.writeFile(c, id, output) : RunReport.write(c, id, reportDir);
      System.out.println(page);
    }
    return 0;
  }
}
