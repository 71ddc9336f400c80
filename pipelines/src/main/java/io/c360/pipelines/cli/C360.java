package io.c360.pipelines.cli;

import io.c360.pipelines.daily.C360Options;
import io.c360.pipelines.daily.InvalidOptionsException;
import io.c360.pipelines.generate.GenerateCommand;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The one entry point: {@code c360 <command>}.
 *
 * <p>A command line whose first argument is an option ({@code --name=value}, other than {@code
 * --help} or {@code --version}) is a {@code run}: the Dataflow flex template launcher calls this
 * class with the template parameters and its own options ({@code --runner}, {@code --project},
 * {@code --region}, {@code --stagingLocation}, {@code --tempLocation}, {@code --jobName}, ...) as
 * {@code --name=value} arguments and cannot name a sub-command. So {@code c360 --runDate=2026-03-31
 * --input=gs://b/landing} is {@code c360 run --runDate=2026-03-31 --input=gs://b/landing}.
 */
@Command(
    name = "c360",
    mixinStandardHelpOptions = true,
    version = "c360 0.1.0",
    description = {
      "Daily landing files (customers, products, channels, sales, traffic) into a historised"
          + " PostgreSQL warehouse and customer KPIs, on Apache Beam (Direct, Flink, Dataflow).",
      "A command line that starts with an option and names no command (c360 --runDate=..."
          + " --input=...) is a run, as the Dataflow flex template launcher calls it."
    },
    subcommands = {
      DemoCommand.class,
      RunCommand.class,
      BackfillCommand.class,
      GenerateCommand.class,
      MigrateCommand.class,
      QueryCommand.class,
      ReportCommand.class,
      RecommendEvalCommand.class,
      CommandLine.HelpCommand.class
    })
public final class C360 implements Runnable {
  /** Exit code of a command that failed (a failed run, an unreachable database). */
  public static final int EXIT_FAILED = 1;

  /**
   * Exit code of a command given bad or missing arguments: picocli's own parameter errors and a
   * run's {@link InvalidOptionsException} alike.
   */
  public static final int EXIT_BAD_ARGUMENTS = CommandLine.ExitCode.USAGE;

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(arguments(args)));
  }

  /**
   * The arguments to execute: {@code args} itself, or {@code run} followed by {@code args} when the
   * first argument is an option other than help or version (flex template launch, see above).
   */
  public static String[] arguments(String... args) {
    if (args.length == 0 || !args[0].startsWith("--") || HELP_OR_VERSION.contains(args[0])) {
      return args;
    }
    String[] run = new String[args.length + 1];
    run[0] = "run";
    System.arraycopy(args, 0, run, 1, args.length);
    return run;
  }

  private static final Set<String> HELP_OR_VERSION = Set.of("--help", "--version");

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
          if (ex instanceof InvalidOptionsException) {
            // the options of a run were wrong: a usage error, like picocli's own (README)
            line.getErr().printf("Try 'c360 %s --help' for the options.%n", line.getCommandName());
            return EXIT_BAD_ARGUMENTS;
          }
          return EXIT_FAILED;
        });
    return cmd;
  }
}
