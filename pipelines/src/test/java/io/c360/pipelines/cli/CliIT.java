package io.c360.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import io.c360.transforms.testing.TestDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** The command line as a user meets it: help, query output, errors without stack traces. */
class CliIT {
  @RegisterExtension static final TestDatabase DB = new TestDatabase();

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    CommandLine cmd = C360.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int code = cmd.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void helpListsEverySubCommand() {
    Result r = run("--help");
    assertThat(r.code(), is(0));
    for (String sub :
        new String[] {"demo", "run", "backfill", "generate", "migrate", "query", "report"}) {
      assertThat(r.out(), containsString(sub));
    }
  }

  @Test
  void runHelpDocumentsTheRunOptions() {
    Result r = run("run", "--help");
    assertThat(r.code(), is(0));
    for (String opt :
        new String[] {
          "--runDate",
          "--asOf",
          "--input",
          "--jdbcUrl",
          "--timezone",
          "--customersMode",
          "--csvDelimiter",
          "--dbUser",
          "--jdbcPasswordSecret",
          "--reportDir"
        }) {
      assertThat(r.out(), containsString(opt));
    }
    assertThat(r.out(), containsString("C360_DB_PASSWORD"));
  }

  @Test
  void queryPrintsAnAlignedTableAndCsv() throws Exception {
    java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
    java.io.PrintStream old = System.out;
    System.setOut(new java.io.PrintStream(buf, true));
    try {
      int code =
          C360.commandLine()
              .execute("query", "--jdbcUrl=" + DB.jdbcUrl(), "select 1 as n, 'a,b' as s");
      assertThat(code, is(0));
      code =
          C360.commandLine()
              .execute("query", "--csv", "--jdbcUrl=" + DB.jdbcUrl(), "select 2 as n, 'a,b' as s");
      assertThat(code, is(0));
    } finally {
      System.setOut(old);
    }
    String out = buf.toString();
    assertThat(out, containsString("n | s"));
    assertThat(out, containsString("1 | a,b"));
    assertThat(out, containsString("(1 row)"));
    assertThat(out, containsString("2,\"a,b\""));
  }

  @Test
  void queryRefusesToWrite() {
    Result r = run("query", "--jdbcUrl=" + DB.jdbcUrl(), "delete from ops.pipeline_runs");
    assertThat(r.code(), is(1));
    assertThat(r.err(), containsString("read-only"));
    assertThat(r.err(), not(containsString("\tat ")));
  }

  @Test
  void aPasswordInTheJdbcUrlIsRefused() {
    Result r = run("migrate", "--jdbcUrl=jdbc:postgresql://localhost/x?password=hunter2");
    assertThat(r.code(), is(1));
    assertThat(r.err(), containsString("C360_DB_PASSWORD"));
    assertThat(r.err(), not(containsString("hunter2")));
  }

  static Stream<Arguments> badArguments() {
    return Stream.of(
        Arguments.of("an unknown command", List.of("nope"), "nope"),
        Arguments.of("run without --runDate", List.of("run", "--input=/landing"), "--runDate"),
        Arguments.of("run without --input", List.of("run", "--runDate=2025-03-30"), "--input"),
        Arguments.of(
            "run with a bad --runDate",
            List.of("run", "--runDate=2025-13-01", "--input=/landing"),
            "--runDate=2025-13-01"),
        Arguments.of(
            "run with a bad --asOf",
            List.of("run", "--runDate=2025-03-30", "--asOf=yesterday", "--input=/landing"),
            "--asOf=yesterday"),
        Arguments.of(
            "run with a two-character --csvDelimiter",
            List.of("run", "--runDate=2025-03-30", "--input=/landing", "--csvDelimiter=;;"),
            "--csvDelimiter"),
        Arguments.of(
            "run with a quote as --csvDelimiter",
            List.of("run", "--runDate=2025-03-30", "--input=/landing", "--csvDelimiter=\""),
            "csvDelimiter"),
        Arguments.of(
            "run with a bad --timezone",
            List.of("run", "--runDate=2025-03-30", "--input=/landing", "--timezone=Mars/Base"),
            "--timezone=Mars/Base"),
        Arguments.of(
            "run with an unknown option",
            List.of("run", "--runDate=2025-03-30", "--input=/landing", "--inptu=/x"),
            "inptu"),
        Arguments.of(
            "run with a bad --customersMode",
            List.of("run", "--runDate=2025-03-30", "--input=/landing", "--customersMode=weekly"),
            "weekly"),
        Arguments.of(
            "an option-first (flex template) run without --runDate",
            List.of("--input=/landing"),
            "--runDate"),
        Arguments.of("backfill without --from", List.of("backfill", "--to=2025-03-31"), "--from"),
        Arguments.of(
            "backfill with --to before --from",
            List.of("backfill", "--from=2025-03-31", "--to=2025-03-30", "--input=/landing"),
            "before"),
        Arguments.of(
            "backfill with a bad date",
            List.of("backfill", "--from=2025-03-32", "--to=2025-04-01"),
            "2025-03-32"),
        Arguments.of(
            "backfill without --input",
            List.of("backfill", "--from=2025-03-30", "--to=2025-03-31"),
            "--input"),
        Arguments.of("demo with a bad --days", List.of("demo", "--days=three"), "three"),
        Arguments.of("demo with an unknown run option", List.of("demo", "--runnr=Flink"), "runnr"),
        Arguments.of("generate without --output", List.of("generate"), "--output"),
        Arguments.of(
            "generate with a bad --format",
            List.of("generate", "--output=/tmp/x", "--format=xml"),
            "--format"),
        Arguments.of("migrate with a bad --pgPort", List.of("migrate", "--pgPort=abc"), "abc"),
        Arguments.of("migrate with an unknown option", List.of("migrate", "--force"), "--force"),
        Arguments.of("query without SQL", List.of("query"), "SQL"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badArguments")
  void badOrMissingArgumentsExitWith2NamingTheArgument(
      String name, List<String> args, String named) {
    Result r = run(C360.arguments(args.toArray(new String[0])));
    assertThat(r.err(), r.code(), is(2));
    assertThat(r.err(), containsString(named));
    assertThat(r.err(), not(containsString("\tat ")));
  }

  @Test
  void aRunWhoseInputRootDoesNotExistFailsWithExitCode1NamingIt() throws Exception {
    String root = "/nonexistent/c360-landing-" + System.nanoTime();
    java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
    java.io.PrintStream old = System.out;
    System.setOut(new java.io.PrintStream(buf, true));
    Result r;
    try {
      r = run("run", "--runDate=2025-03-30", "--input=" + root, "--jdbcUrl=" + DB.jdbcUrl());
    } finally {
      System.setOut(old);
    }
    assertThat(r.code(), is(1));
    assertThat(buf.toString(), containsString("input root " + root + " does not exist"));
    assertThat(buf.toString(), containsString(root + "/sales/dt=2025-03-30/"));
  }
}
