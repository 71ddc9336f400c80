package io.c360.pipelines.cli;

import io.c360.pipelines.daily.C360Options;
import io.c360.pipelines.generate.GenerateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one entry point: {@code c360 <command>}. */
@Command(
    name = "c360",
    mixinStandardHelpOptions = true,
    version = "c360 0.1.0",
    description = {
      "Daily landing files (customers, products, channels, sales, traffic) into a historised"
          + " PostgreSQL warehouse and customer KPIs, on Apache Beam (Direct, Flink, Dataflow)."
    },
    subcommands = {
      DemoCommand.class,
      RunCommand.class,
      BackfillCommand.class,
      GenerateCommand.class,
      MigrateCommand.class,
      QueryCommand.class,
      CommandLine.HelpCommand.class
    })
public final class C360 implements Runnable {
  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line (also used by tests). */
  public static CommandLine commandLine() {
    CommandLine cmd = new CommandLine(new C360());
    String runOptions = BeamOptionsHelp.describe(C360Options.class);
    for (String name : new String[] {"run", "backfill", "demo"}) {
      cmd.getSubcommands().get(name).getCommandSpec().usageMessage().footer(runOptions);
    }
    cmd.setExecutionExceptionHandler(
        (ex, line, parsed) -> {
          line.getErr().println(line.getCommandName() + ": " + Errors.describe(ex));
          if (System.getenv("C360_DEBUG") != null) {
            ex.printStackTrace(line.getErr());
          }
          return 1;
        });
    return cmd;
  }
}
