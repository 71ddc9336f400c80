package io.c360.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code c360 demo} end to end on the embedded PostgreSQL (its own data folder and port), then
 * {@code c360 query} against the same folder, as the README's first screen promises.
 */
class DemoIT {
  @TempDir Path tmp;

  @Test
  void demoRunsEveryDayAndQuerySeesTheFacts() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String[] db = {"--dataDir=" + tmp.resolve("pg"), "--pgPort=" + port};
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream old = System.out;
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    int demo;
    int query;
    try {
      demo =
          C360.commandLine()
              .execute(
                  concat(
                      new String[] {
                        "demo", "--days=2", "--scale=0.002", "--landing=" + tmp.resolve("landing")
                      },
                      db));
      query =
          C360.commandLine()
              .execute(
                  concat(
                      new String[] {"query", "--csv", "select count(*) as n from dw.fact_sales"},
                      db));
    } finally {
      System.setOut(old);
    }
    String out = buf.toString(StandardCharsets.UTF_8);
    System.out.println(out);
    assertThat(out, demo, is(0));
    assertThat(out, containsString("SUCCEEDED"));
    assertThat(out, containsString("rejects by rule"));
    assertThat(query, is(0));
    String count =
        out.substring(out.lastIndexOf("n\n") + 2).strip().lines().findFirst().orElse("0");
    assertThat(Long.parseLong(count), greaterThan(0L));
  }

  private static String[] concat(String[] a, String[] b) {
    String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
