package io.c360.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import io.c360.transforms.testing.TestDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
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
    for (String sub : new String[] {"demo", "run", "backfill", "generate", "migrate", "query"}) {
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
          "--jdbcPasswordSecret"
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
}
