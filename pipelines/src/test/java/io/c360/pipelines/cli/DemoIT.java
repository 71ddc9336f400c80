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

  /**
   * The fewest rows among the facts and every table of SPEC §8 and §9: the demo's warehouse has all
   * of them filled.
   */
  private static final String LEAST_FILLED =
      "select least("
          + String.join(
              ", ",
              java.util.stream.Stream.of(
                      "dw.fact_sales",
                      "dw.dim_campaign",
                      "dw.fact_web_events",
                      "dw.fact_inventory",
                      "mart.funnel_daily",
                      "mart.campaign_performance",
                      "mart.inventory_health",
                      "mart.next_best_category")
                  .map(t -> "(select count(*) from " + t + ")")
                  .toList())
          + ") as n";

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
      query = C360.commandLine().execute(concat(new String[] {"query", "--csv", LEAST_FILLED}, db));
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
