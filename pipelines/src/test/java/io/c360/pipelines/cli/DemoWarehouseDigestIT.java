package io.c360.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import io.c360.pipelines.testing.RunnerComparison;
import io.c360.pipelines.testing.WarehouseSnapshot;
import io.c360.transforms.testing.TestDatabase;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A refactoring changes no result: the demo's three days (scale 0.005, its seed and dates) leave
 * every {@code dw}, {@code mart} and {@code dq} table exactly as the code before the architecture
 * work left them (main at ede4dbe, before LoadFacts, the generator package and the SCD2 split).
 *
 * <p>The expected digests ({@code demo-warehouse.digest}) were recorded by running that commit's
 * {@code c360 demo --scale=0.005 --jdbcUrl=…} and then {@link #main} of this class on its
 * warehouse: one line per table, its row count and the MD5 of its rows in canonical order, with the
 * landing folder written as {@code <landing>} and the surrogate keys left out (their order of
 * assignment is the runner's, as in {@code DailyRunOnRunnersIT}). A change that is meant to change
 * results records the digests again, and says so in its commit.
 */
class DemoWarehouseDigestIT {
  @RegisterExtension static final TestDatabase DB = new TestDatabase();

  private static final Set<String> SURROGATES = Set.of("customer_sk", "product_sk");

  /** Tables added since the digests were recorded, each with what added it. */
  private static final Set<String> ADDED =
      Set.of(
          "dq.file_notices", // V62: unknown-column notices per file (issue 13, point 4)
          // V65: SPEC §8's entities (issue 16)
          "dw.dim_campaign",
          "dw.fact_web_events",
          "dw.web_event_keys",
          "dw.fact_inventory",
          // V67: SPEC §8 and §9's marts (issue 16)
          "mart.funnel_daily",
          "mart.campaign_performance",
          "mart.inventory_health",
          "mart.next_best_category",
          "mart.recommender_eval");

  @TempDir Path tmp;

  @Test
  void theDemosThreeDaysLeaveTheWarehouseAsBeforeTheRefactoring() throws Exception {
    Path landing = tmp.resolve("landing");
    int exit =
        C360.commandLine()
            .execute(
                "demo",
                "--days=3",
                "--scale=0.005",
                "--landing=" + landing,
                "--jdbcUrl=" + DB.jdbcUrl(),
                "--dbUser=postgres");
    assertThat(exit, is(0));
    List<String> expected = expected();
    Set<String> recorded =
        expected.stream().map(l -> l.split(" ")[0]).collect(java.util.stream.Collectors.toSet());
    List<String> actual;
    try (Connection c = DB.open()) {
      actual = digests(c, landing.toAbsolutePath().toString());
    }
    for (String line : actual) {
      String table = line.split(" ")[0];
      assertThat(
          table + " is recorded or listed as added",
          recorded.contains(table) || ADDED.contains(table),
          is(true));
    }
    assertThat(
        actual.stream().filter(l -> recorded.contains(l.split(" ")[0])).toList(),
        equalTo(expected));
  }

  /** Table → "rows md5", every table of dw, mart and dq. */
  static List<String> digests(Connection c, String landingRoot) throws Exception {
    Map<String, List<List<String>>> snapshot =
        WarehouseSnapshot.of(c, SURROGATES, RunnerComparison.COMPARED_SCHEMAS);
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, List<List<String>>> t : snapshot.entrySet()) {
      List<String> rows = new ArrayList<>();
      for (List<String> row : t.getValue()) {
        rows.add(String.join("\u0001", row).replace(landingRoot, "<landing>"));
      }
      rows.sort(null);
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      for (String r : rows) {
        md5.update(r.getBytes(StandardCharsets.UTF_8));
        md5.update((byte) '\n');
      }
      out.add(t.getKey() + " " + rows.size() + " " + HexFormat.of().formatHex(md5.digest()));
    }
    return out;
  }

  private static List<String> expected() throws Exception {
    try (InputStream in =
        DemoWarehouseDigestIT.class.getResourceAsStream("demo-warehouse.digest")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .filter(l -> !l.isBlank() && !l.startsWith("#"))
          .toList();
    }
  }

  /** Prints the digests of a warehouse: {@code <jdbcUrl> <user> <landing root>}. */
  public static void main(String[] args) throws Exception {
    try (Connection c = DriverManager.getConnection(args[0], args[1], "")) {
      digests(c, args[2]).forEach(System.out::println);
    }
  }
}
