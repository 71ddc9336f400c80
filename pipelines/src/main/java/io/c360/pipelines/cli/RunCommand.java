package io.c360.pipelines.cli;

import io.c360.pipelines.daily.C360Options;
import io.c360.pipelines.daily.DailyRun;
import io.c360.pipelines.daily.InvalidOptionsException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** {@code c360 run --runDate=… --input=…}: one daily run. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run the daily pipeline for one date: ingest, clean, quarantine, dedup, SCD2 dimensions,"
          + " facts, checks and KPI marts.",
      "Any Beam runner option passes through (--runner=FlinkRunner --flinkMaster=host:8081,"
          + " --runner=DataflowRunner --project=…).",
      "The database password comes from --passwordFile, else C360_DB_PASSWORD, else the Secret"
          + " Manager version named by --jdbcPasswordSecret; never from the command line.",
      "A command line that starts with an option (c360 --runDate=... --input=...) is a run: the"
          + " Dataflow flex template launcher passes its parameters that way, without a"
          + " sub-command."
    },
    footerHeading = "%nOptions of a daily run:%n")
public final class RunCommand implements Callable<Integer> {
  @Unmatched List<String> args = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    C360Options options = parse(args);
    return DailyRun.execute(options, System.out).exitCode();
  }

  /**
   * The run options from {@code args}: Beam's parser and its validation.
   *
   * @throws InvalidOptionsException for an unknown option or a value Beam cannot read
   */
  static C360Options parse(List<String> args) {
    PipelineOptionsFactory.register(C360Options.class);
    List<String> all = new ArrayList<>(args);
    // The Direct runner's per-element immutability/encodability checks are test aids that cost
    // ~10x in speed and a copy of every bundle in memory; a user's run turns them off unless asked.
    for (String check : new String[] {"--enforceImmutability", "--enforceEncodability"}) {
      if (all.stream().noneMatch(a -> a.startsWith(check))) {
        all.add(check + "=false");
      }
    }
    try {
      return PipelineOptionsFactory.fromArgs(all.toArray(new String[0]))
          .withValidation()
          .as(C360Options.class);
    } catch (IllegalArgumentException e) {
      throw new InvalidOptionsException(e.getMessage(), e);
    }
  }
}
