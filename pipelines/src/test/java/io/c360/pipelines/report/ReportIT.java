package io.c360.pipelines.report;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;

import io.c360.pipelines.cli.C360;
import io.c360.pipelines.daily.DailyRun;
import io.c360.pipelines.daily.EntityCounts;
import io.c360.pipelines.daily.RunSummary;
import io.c360.pipelines.generate.Generator;
import io.c360.pipelines.generate.GeneratorConfig;
import io.c360.transforms.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report of real daily runs, opened in a real browser (headless Chromium, Debian's {@code
 * chromium}; {@code .ci/run} installs it): every chart is drawn, every number carried by the page
 * equals the warehouse's (or the run's own counters), nothing is fetched from the network, a
 * hostile customer name and industry stay text, and the page fits a laptop and a phone without
 * sideways scrolling. Screenshots go to {@code target/report-*.png}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReportIT {
  @RegisterExtension static final TestDatabase DB = new TestDatabase();

  @TempDir static Path tmp;

  static final LocalDate START = LocalDate.of(2025, 3, 30);
  static final int DAYS = 3;

  /** Markup, quotes and an ampersand in a name: it must reach the page as text. */
  static final String HOSTILE_NAME =
      "<script>document.title='pwned'</script><img src=x onerror=alert(1)> \"Bobby\" 'Tables' & Co";

  static final String HOSTILE_INDUSTRY = "<b>Heavy & \"Metal\"</b>";

  static final List<RunSummary> RUNS = new ArrayList<>();

  static final Path TARGET = Path.of("target").toAbsolutePath();

  @Test
  @Order(1)
  void everyRunWritesItsReportAndPrintsThePath() throws Exception {
    Path landing = tmp.resolve("landing");
    Generator.generate(
        GeneratorConfig.builder(landing).scale(0.002).days(DAYS).start(START).seed(11).build());
    addHostileCustomer(landing);
    Path reports = tmp.resolve("reports");
    for (int i = 0; i < DAYS; i++) {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
      RunSummary s =
          DailyRun.execute(
              DailyRun.options(
                  "--runDate=" + START.plusDays(i),
                  "--input=" + landing,
                  "--jdbcUrl=" + DB.jdbcUrl(),
                  "--reportDir=" + reports),
              out);
      String printed = buf.toString(StandardCharsets.UTF_8);
      System.out.print(printed);
      assertThat(s.message(), s.status(), is("succeeded"));
      assertThat(s.report(), not(equalTo(null)));
      assertThat(printed, containsString("report: " + s.report()));
      assertThat(Files.isRegularFile(s.report()), is(true));
      assertThat(
          s.report().getFileName().toString(),
          equalTo("c360-run-" + s.runId() + "-" + START.plusDays(i) + ".html"));
      RUNS.add(s);
    }
    assertThat(
        Files.readString(reports.resolve("latest.html")),
        equalTo(Files.readString(RUNS.get(DAYS - 1).report())));
  }

  @Test
  @Order(2)
  void theBrowserDrawsEveryChartAndShowsTheWarehousesNumbers() throws Exception {
    RunSummary last = RUNS.get(RUNS.size() - 1);
    Path page = last.report();
    String html = Files.readString(page);

    // self-contained: no URL at all, nothing to fetch, no external stylesheet or script
    assertThat(
        findAll(Pattern.compile("(?i)(src|href)\\s*=\\s*[\"']?\\s*(https?:|//)"), html), empty());
    assertThat(findAll(Pattern.compile("(?i)https?://|<link|@import|url\\("), html), empty());

    String dom = chromium("--dump-dom", "--window-size=1366,900", page);
    screenshot(page, "report-laptop.png", 1366, 900);
    screenshot(page, "report-phone.png", 390, 844);
    int fullHeight = Integer.parseInt(attr(dom, "html", "data-scroll-height"));
    screenshot(page, "report-laptop-full.png", 1366, fullHeight);

    // hostile input stayed text: the page's one script is ours, no img element, the name is shown
    assertThat(findAll(Pattern.compile("<script"), dom).size(), is(1));
    assertThat(findAll(Pattern.compile("<img|<b>"), dom), empty());
    assertThat(html, not(containsString(HOSTILE_NAME)));
    // as the browser serialises text: only &, < and > escaped
    String name = storedName().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    assertThat(dom, containsString(hostileRank() + ". " + name + " (HX1)"));
    assertThat(dom, containsString("<title>c360 run " + last.runId()));

    charts(dom);
    numbers(dom, last);
    shownValues(dom);

    // fits a laptop and a phone: the page is never wider than the window. Chromium keeps a window
    // at least 500px wide, so the page is framed at each width and reports its layout upwards.
    Path harness = tmp.resolve("layout.html");
    Files.writeString(harness, LAYOUT.replace("PAGE", page.toUri().toString()));
    String layout = chromium("--dump-dom", "--window-size=1400,1000", harness);
    for (String width : new String[] {"1366", "390"}) {
      Matcher m =
          Pattern.compile(
                  "data-frame=\""
                      + width
                      + "\" data-scroll-width=\"(\\d+)\" data-client-width=\"(\\d+)\"")
              .matcher(layout);
      assertThat(width + "px: the framed page reported its layout", m.find(), is(true));
      int scroll = Integer.parseInt(m.group(1));
      int client = Integer.parseInt(m.group(2));
      assertThat(width + "px: laid out at that width", client, is(Integer.parseInt(width)));
      assertThat(width + "px: no sideways scrolling", scroll, lessThanOrEqualTo(client));
    }
  }

  /** Frames the page at laptop and phone widths; the page's script posts its layout here. */
  private static final String LAYOUT =
      """
      <!DOCTYPE html><html><body><div id="out"></div><script>
      addEventListener('message', function (e) {
        var f = document.querySelectorAll('iframe');
        for (var i = 0; i < f.length; i++) {
          if (f[i].contentWindow === e.source) {
            var p = document.createElement('p');
            p.setAttribute('data-frame', f[i].width);
            p.setAttribute('data-scroll-width', e.data.scrollWidth);
            p.setAttribute('data-client-width', e.data.clientWidth);
            document.getElementById('out').appendChild(p);
          }
        }
      });
      </script>
      <iframe width="1366" height="900" src="PAGE"></iframe>
      <iframe width="390" height="844" src="PAGE"></iframe>
      </body></html>
      """;

  @Test
  @Order(3)
  void reportCommandWritesAnyRunAgain() throws Exception {
    RunSummary first = RUNS.get(0);
    Path out = tmp.resolve("again.html");
    int code =
        C360.commandLine()
            .execute(
                "report", "--jdbcUrl=" + DB.jdbcUrl(), "--run=" + first.runId(), "--output=" + out);
    assertThat(code, is(0));
    String html = Files.readString(out);
    assertThat(html, containsString("<title>c360 run " + first.runId() + " · " + START));
    // the same run, the same numbers; only what waits now (dq.pending_rows) has moved on since
    Map<String, String> again = dataValues(html);
    Map<String, String> then = dataValues(Files.readString(first.report()));
    again.keySet().removeIf(k -> k.startsWith("pending."));
    then.keySet().removeIf(k -> k.startsWith("pending."));
    assertThat(again, equalTo(then));
    assertThat(again.size(), greaterThan(20));

    Path dir = tmp.resolve("latest-dir");
    assertThat(
        C360.commandLine().execute("report", "--jdbcUrl=" + DB.jdbcUrl(), "--reportDir=" + dir),
        is(0));
    RunSummary last = RUNS.get(RUNS.size() - 1);
    assertThat(
        Files.readString(
            dir.resolve("c360-run-" + last.runId() + "-" + START.plusDays(DAYS - 1) + ".html")),
        containsString("<title>c360 run " + last.runId()));
    assertThat(
        C360.commandLine().execute("report", "--jdbcUrl=" + DB.jdbcUrl(), "--run=999"), is(1));
  }

  @Test
  @Order(4)
  void aFailedRunWritesItsReportToo() throws Exception {
    LocalDate absent = START.plusDays(40);
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    RunSummary s =
        DailyRun.execute(
            DailyRun.options(
                "--runDate=" + absent,
                "--input=" + tmp.resolve("landing"),
                "--jdbcUrl=" + DB.jdbcUrl(),
                "--reportDir=" + tmp.resolve("reports")),
            new PrintStream(buf, true, StandardCharsets.UTF_8));
    assertThat(s.status(), is("failed"));
    assertThat(buf.toString(StandardCharsets.UTF_8), containsString("report: " + s.report()));
    String html = Files.readString(s.report());
    Map<String, String> values = dataValues(html);
    assertThat(values.get("run.status"), is("failed"));
    // the error is on the page, as text
    assertThat(html, containsString("<p class=\"message\">" + Html.esc(s.message()) + "</p>"));
    assertThat(html, containsString("no entity counts recorded"));
  }

  /** Seven charts, each an SVG with bars whose drawn size follows the value they carry. */
  private static void charts(String dom) {
    List<String> svgs = findAll(Pattern.compile("(?s)<svg class=\"chart\".*?</svg>"), dom);
    assertThat(svgs.size(), is(7));
    for (String svg : svgs) {
      String name = attrIn(svg, "aria-label");
      List<String> bars = findAll(Pattern.compile("<rect [^>]*data-key=[^>]*>"), svg);
      assertThat(name + ": bars", bars.size(), greaterThan(0));
      int drawn = 0;
      for (String bar : bars) {
        double v = Double.parseDouble(attrIn(bar, "data-value"));
        double size = Math.min(num(attrIn(bar, "height")), num(attrIn(bar, "width")));
        assertThat(name + " " + bar, size > 0, is(v != 0));
        drawn += size > 0 ? 1 : 0;
      }
      if (!name.equals("Check failures")) {
        assertThat(name + ": bars drawn", drawn, greaterThan(0));
      }
    }
  }

  /** Every number the page carries, against the warehouse (and the run's own counters). */
  private static void numbers(String dom, RunSummary last) throws Exception {
    Map<String, String> page = dataValues(dom);
    Map<String, String> expected = new TreeMap<>();
    for (EntityCounts c : last.entities().values()) {
      String k = "entity." + c.entity() + ".";
      expected.put(k + "read", "" + c.read());
      expected.put(k + "loaded", "" + c.loaded());
      expected.put(k + "quarantined", "" + c.quarantined());
      expected.put(k + "deduplicated", "" + c.deduplicated());
      expected.put(k + "pending", "" + c.pending());
      expected.put(k + "resolved", "" + c.resolved());
    }
    for (RunSummary r : RUNS) {
      long loaded = 0;
      long quarantined = 0;
      for (EntityCounts c : r.entities().values()) {
        loaded += c.loaded();
        quarantined += c.quarantined();
      }
      expected.put("runs." + r.runId() + ".loaded", "" + loaded);
      expected.put("runs." + r.runId() + ".quarantined", "" + quarantined);
    }
    LocalDate asOf = START.plusDays(DAYS - 1);
    try (Connection c = DB.open()) {
      Map<String, Object> run = Map.of("run", last.runId());
      Map<String, Object> d = Map.of("asOf", Date.valueOf(asOf));
      query(
          c,
          expected,
          "SELECT 'reject.' || entity || '.' || rule, count(*) FROM dq.rejected_rows"
              + " WHERE run_id = :run GROUP BY entity, rule",
          run);
      query(
          c,
          expected,
          "SELECT 'check.' || check_name || '|' || entity || '|' ||"
              + " coalesce(column_name, '') || '|' || severity || '.failing', failing_rows FROM dq.check_results WHERE run_id = :run",
          run);
      query(
          c,
          expected,
          "SELECT 'check.' || check_name || '|' || entity || '|' ||"
              + " coalesce(column_name, '') || '|' || severity || '.status', status FROM dq.check_results WHERE run_id = :run",
          run);
      query(
          c,
          expected,
          "SELECT 'runs.' || r.run_id || '.checks_' || s.st, (SELECT count(*) FROM"
              + " dq.check_results k WHERE k.run_id = r.run_id AND k.status = s.k) FROM ops.pipeline_runs r,"
              + " (VALUES ('failed', 'fail'), ('warned', 'warn')) s(st, k)",
          Map.of());
      query(
          c,
          expected,
          "SELECT 'daily.' || sales_date || '.revenue', revenue FROM mart.daily_sales"
              + " WHERE as_of = :asOf AND sales_date > :asOf::date - 30",
          d);
      query(
          c,
          expected,
          "SELECT 'monthly.' || to_char(month, 'YYYY-MM') || '.' || k, v FROM"
              + " mart.monthly_sales, LATERAL (VALUES ('revenue', revenue), ('revenue.table', revenue),"
              + " ('orders', orders), ('customers', customers), ('units', units)) x(k, v) WHERE as_of = :asOf",
          d);
      query(
          c,
          expected,
          "SELECT 'top.' || rank || '.revenue', revenue FROM mart.top_customers"
              + " WHERE as_of = :asOf",
          d);
      query(
          c,
          expected,
          "SELECT 'segment.' || segment || '.share_pct', share_pct FROM mart.segment_share"
              + " WHERE as_of = :asOf",
          d);
      query(
          c,
          expected,
          "SELECT 'industry.' || industry || '.revenue', revenue FROM"
              + " mart.industry_exposure WHERE as_of = :asOf",
          d);
      query(
          c,
          expected,
          "SELECT 'funnel.' || event_date || '.' || k, v FROM mart.funnel_daily, LATERAL (VALUES"
              + " ('sessions', sessions), ('product_views', product_views), ('add_to_cart',"
              + " add_to_cart), ('checkouts', checkouts), ('purchases', purchases)) x(k, v)"
              + " WHERE as_of = :asOf",
          d);
      query(
          c,
          expected,
          "SELECT 'campaign.' || campaign_id || '.' || k, v FROM mart.campaign_performance,"
              + " LATERAL (VALUES ('sessions', sessions::numeric), ('customers_reached',"
              + " customers_reached), ('attributed_orders', attributed_orders),"
              + " ('attributed_revenue', attributed_revenue)) x(k, v) WHERE as_of = :asOf",
          d);
      assertThat(
          "a hostile industry reached the marts",
          scalar(
              c,
              "SELECT count(*) FROM mart.industry_exposure WHERE as_of = :asOf AND industry = :i",
              Map.of("asOf", Date.valueOf(asOf), "i", HOSTILE_INDUSTRY)),
          is("1"));

      // rows waiting: by entity and rule (the page splits them further by age)
      Map<String, String> waiting = new TreeMap<>();
      query(
          c,
          waiting,
          "SELECT entity || '.' || rule, count(*) FROM dq.pending_rows"
              + " WHERE first_run_id <= :run GROUP BY 1",
          run);
      Map<String, String> shown = new TreeMap<>();
      page.forEach(
          (k, v) -> {
            if (k.startsWith("pending.")) {
              String er = k.substring("pending.".length(), k.lastIndexOf('.'));
              shown.merge(er, v, (a, b) -> "" + (Long.parseLong(a) + Long.parseLong(b)));
            }
          });
      assertThat("rows waiting", shown, equalTo(waiting));
      assertThat(waiting.isEmpty(), is(false));
    }
    // every expected number is on the page with the same value, and the page has no other
    Map<String, String> onPage = new TreeMap<>();
    page.forEach(
        (k, v) -> {
          if (!k.startsWith("pending.") && !k.equals("run.status")) {
            onPage.put(k, normal(v));
          }
        });
    Map<String, String> want = new TreeMap<>();
    expected.forEach((k, v) -> want.put(k, normal(v)));
    assertThat(onPage, equalTo(want));
    assertThat(page.get("run.status"), is("succeeded"));
    assertThat(
        expected.keySet().stream().filter(k -> k.startsWith("reject.")).count(), greaterThan(0L));
    assertThat(
        expected.keySet().stream().filter(k -> k.startsWith("check.")).count(), greaterThan(0L));
  }

  /** What a reader sees in a table cell is its exact value, formatted (grouping, 2 decimals). */
  private static void shownValues(String dom) {
    Matcher m =
        Pattern.compile(
                "<td [^>]*class=\"num\" data-key=\"([^\"]*)\" data-value=\"([^\"]*)\">([^<]*)</td>")
            .matcher(dom);
    int n = 0;
    while (m.find()) {
      BigDecimal exact = new BigDecimal(m.group(2));
      BigDecimal shown = new BigDecimal(m.group(3).replace(",", ""));
      assertThat(m.group(1), shown, equalTo(exact.setScale(shown.scale(), RoundingMode.HALF_UP)));
      n++;
    }
    assertThat(n, greaterThan(20));
  }

  // ---- the landing: a customer whose name and industry are markup, and the top sale ----

  private static void addHostileCustomer(Path landing) throws IOException {
    String dt = "dt=" + START;
    write(
        landing.resolve("customers").resolve(dt).resolve("zz-hostile.csv"),
        "customer_id,name,email,segment,industry,country\n"
            + "HX1,"
            + csv(HOSTILE_NAME)
            + ",bobby@example.com,Enterprise,"
            + csv(HOSTILE_INDUSTRY)
            + ",fr\n");
    write(
        landing.resolve("products").resolve(dt).resolve("zz-hostile.csv"),
        "product_id,product_name,category,brand,list_price\nPX1,Big Book,Books,ACME,25000\n");
    write(
        landing.resolve("sales").resolve(dt).resolve("zz-hostile.csv"),
        "transaction_id,order_id,customer_id,product_id,quantity,unit_price,amount,status,transaction_ts\n"
            + "HX-T1,HX-O1,HX1,PX1,2,25000,50000,completed,"
            + START
            + "T10:00:00Z\n");
  }

  private static String csv(String s) {
    return "\"" + s.replace("\"", "\"\"") + "\"";
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  /** The hostile customer's rank among the top customers (its one sale puts it there). */
  private static String hostileRank() throws Exception {
    try (Connection c = DB.open()) {
      String rank =
          scalar(
              c,
              "SELECT rank FROM mart.top_customers WHERE as_of = :asOf AND customer_id = 'HX1'",
              Map.of("asOf", Date.valueOf(START.plusDays(DAYS - 1))));
      assertThat("the hostile customer is a top customer", rank, not(equalTo(null)));
      return rank;
    }
  }

  private static String storedName() throws Exception {
    try (Connection c = DB.open()) {
      return scalar(
          c, "SELECT name FROM dw.dim_customer WHERE customer_id = 'HX1' AND is_current", Map.of());
    }
  }

  // ---- the browser ----

  private static String chromium(String mode, String size, Path page) throws Exception {
    Path profile = Files.createTempDirectory(tmp, "chromium-");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                browser(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--virtual-time-budget=5000",
                "--user-data-dir=" + profile,
                "--hide-scrollbars",
                size,
                mode,
                page.toUri().toString()));
    Process p = new ProcessBuilder(cmd).redirectError(tmp.resolve("chromium.log").toFile()).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat("chromium finished", p.waitFor(120, TimeUnit.SECONDS), is(true));
    assertThat("chromium exit code, see " + tmp.resolve("chromium.log"), p.exitValue(), is(0));
    return new String(out, StandardCharsets.UTF_8);
  }

  private static void screenshot(Path page, String name, int width, int height) throws Exception {
    Files.createDirectories(TARGET);
    Path png = TARGET.resolve(name);
    Files.deleteIfExists(png);
    chromium("--screenshot=" + png, "--window-size=" + width + "," + height, page);
    byte[] head = Files.readAllBytes(png);
    assertThat(
        name + " is a PNG", head.length > 1000 && head[1] == 'P' && head[2] == 'N', is(true));
  }

  /**
   * The browser: $C360_CHROMIUM, else chromium on the PATH (Debian's package), else the test
   * installs Debian's package itself (apt-get, as root or through {@code sudo -n}), as the other
   * ITs start their PostgreSQL, S3 server and Flink cluster: {@code mvn -B verify} needs nothing
   * set up beforehand.
   */
  private static synchronized String browser() throws Exception {
    String configured = System.getenv("C360_CHROMIUM");
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    Optional<String> found = onPath();
    if (found.isEmpty()) {
      boolean root = "root".equals(System.getProperty("user.name"));
      List<String> sudo = root ? List.of() : List.of("sudo", "-n");
      Path log = tmp.resolve("apt-get.log");
      for (List<String> step :
          List.of(List.of("apt-get", "update"), List.of("apt-get", "install", "-y", "chromium"))) {
        List<String> cmd = new ArrayList<>(sudo);
        cmd.addAll(step);
        Process p =
            new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        assertThat(
            "no chromium on the PATH and `"
                + String.join(" ", cmd)
                + "` failed, see "
                + log
                + " (install Debian's chromium, or set C360_CHROMIUM)",
            p.waitFor(15, TimeUnit.MINUTES) && p.exitValue() == 0,
            is(true));
      }
      found = onPath();
    }
    return found.orElseThrow(
        () -> new AssertionError("apt-get installed chromium, but it is not on the PATH"));
  }

  private static Optional<String> onPath() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      for (String name : new String[] {"chromium", "chromium-browser"}) {
        if (Files.isExecutable(Path.of(dir, name))) {
          return Optional.of(Path.of(dir, name).toString());
        }
      }
    }
    return Optional.empty();
  }

  // ---- reading the dumped DOM and the warehouse ----

  private static Map<String, String> dataValues(String dom) {
    Map<String, String> m = new LinkedHashMap<>();
    Matcher x = Pattern.compile("data-key=\"([^\"]*)\" data-value=\"([^\"]*)\"").matcher(dom);
    while (x.find()) {
      String key = unescape(x.group(1));
      String prev = m.put(key, unescape(x.group(2)));
      // a key shown twice (a chart and its table) must show the same value
      if (prev != null) {
        assertThat(key, unescape(x.group(2)), equalTo(prev));
      }
    }
    return m;
  }

  private static void query(
      Connection c, Map<String, String> into, String sql, Map<String, ?> params) throws Exception {
    try (PreparedStatement ps = io.c360.transforms.jdbc.NamedSql.parse(sql).prepare(c, params);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        into.put(rs.getString(1), rs.getString(2));
      }
    }
  }

  private static String scalar(Connection c, String sql, Map<String, ?> params) throws Exception {
    try (PreparedStatement ps = io.c360.transforms.jdbc.NamedSql.parse(sql).prepare(c, params);
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private static String normal(String v) {
    try {
      return new BigDecimal(v).stripTrailingZeros().toPlainString();
    } catch (NumberFormatException e) {
      return v;
    }
  }

  private static String unescape(String s) {
    return s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
  }

  private static String attr(String dom, String element, String name) {
    Matcher m = Pattern.compile("<" + element + "\\b[^>]*>").matcher(dom);
    assertThat("<" + element + "> in the page", m.find(), is(true));
    return attrIn(m.group(), name);
  }

  private static String attrIn(String tag, String name) {
    Matcher m = Pattern.compile("\\s" + Pattern.quote(name) + "=\"([^\"]*)\"").matcher(tag);
    assertThat(name + " in " + tag.substring(0, Math.min(200, tag.length())), m.find(), is(true));
    return m.group(1);
  }

  private static double num(String s) {
    return Double.parseDouble(s);
  }

  private static List<String> findAll(Pattern p, String s) {
    List<String> out = new ArrayList<>();
    Matcher m = p.matcher(s);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }
}
