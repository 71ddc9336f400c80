package io.c360.pipelines.cli;

import io.c360.pipelines.daily.C360Options;
import io.c360.pipelines.daily.DailyRun;
import io.c360.pipelines.daily.RunOptions;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/** {@code c360 backfill --from=… --to=…}: every date in order, stopping at the first failure. */
@Command(
    name = "backfill",
    mixinStandardHelpOptions = true,
    description = {
      "Run the daily pipeline for every date from --from to --to (inclusive), in order; stops at"
          + " the first failed date. KPIs are computed for each date (asOf = that date) unless"
          + " --asOf is given.",
    },
    footerHeading = "%nOptions of each daily run:%n")
public final class BackfillCommand implements Callable<Integer> {
  @Option(names = "--from", required = true, description = "First date, YYYY-MM-DD.")
  LocalDate from;

  @Option(names = "--to", required = true, description = "Last date, YYYY-MM-DD (inclusive).")
  LocalDate to;

  @Unmatched List<String> args = new ArrayList<>();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (to.isBefore(from)) {
      throw new ParameterException(
          spec.commandLine(), "--to (" + to + ") is before --from (" + from + ")");
    }
    C360Options options = RunCommand.parse(args);
    String fixedAsOf = options.getAsOf();
    options.setRunDate(from.toString());
    RunOptions.check(options); // bad options fail the backfill before its first date
    for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
      options.setRunDate(d.toString());
      options.setAsOf(fixedAsOf);
      int code = DailyRun.execute(options, System.out).exitCode();
      if (code != 0) {
        System.err.printf("backfill stopped at %s; dates from %s on were not run%n", d, d);
        return code;
      }
    }
    return 0;
  }
}
