package io.c360.pipelines.report;

import static io.c360.pipelines.report.Html.esc;

import io.c360.pipelines.report.ReportData.CheckRow;
import io.c360.pipelines.report.ReportData.EntityRow;
import io.c360.pipelines.report.ReportData.RunPoint;
import io.c360.pipelines.report.Svg.Bar;
import io.c360.pipelines.report.Svg.Series;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report of one run as one self-contained HTML page: inline CSS, inline SVG charts and one
 * inline script that only measures the layout; a Content-Security-Policy forbids any fetch. Every
 * number shown carries its exact value in {@code data-key}/{@code data-value}, so a test (or a
 * scraper) can compare the page with the warehouse. Laid out with CSS grid: two or three cards a
 * row on a laptop, one on a phone, where tables turn into labelled lines.
 */
final class ReportPage {
  private ReportPage() {}

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xxx", Locale.ROOT);

  static String render(ReportData d) {
    ReportData.Run r = d.run();
    StringBuilder b = new StringBuilder(64 * 1024);
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';")
        .append(" style-src 'unsafe-inline'; script-src 'unsafe-inline'\">")
        .append("<title>c360 run ")
        .append(r.id())
        .append(" · ")
        .append(esc(r.runDate()))
        .append("</title><style>")
        .append(CSS)
        .append("</style></head><body>\n");
    header(b, r);
    b.append("<main>\n");

    b.append("<h2 id=\"run\">Run</h2><div class=\"grid\">");
    // counts and rows waiting stacked beside the (long) rejects, then the checks across
    b.append("<div class=\"stack wide\">");
    card(b, "Counts per stage and entity", "", counts(d.entities()));
    card(b, "Rows waiting for a dimension member, by age", "", pending(d));
    b.append("</div>");
    card(b, "Rejects by rule", "", rejects(d));
    card(b, "Checks", "full", checks(d.checks()));
    b.append("</div>\n");

    b.append("<h2 id=\"trends\">Last ").append(d.history().size()).append(" runs</h2>");
    b.append("<div class=\"grid\">");
    card(b, "Daily revenue, " + ReportData.REVENUE_DAYS + " days to " + r.asOf(), "", revenue(d));
    card(b, "Loaded vs quarantined rows per run", "", loadedVsQuarantined(d.history()));
    card(b, "Check failures per run", "", checkFailures(d.history()));
    b.append("</div>\n");

    b.append("<h2 id=\"kpis\">KPIs as of ").append(esc(r.asOf())).append("</h2>");
    b.append("<div class=\"grid\">");
    card(b, "Monthly sales", "", monthly(d));
    card(b, "Top customers, 12 months", "", top(d));
    card(b, "Segment share of customers", "", segments(d));
    card(b, "Industry exposure, 12 months", "", industries(d));
    card(b, "Web funnel, 30 days", "full", funnel(d));
    card(b, "Campaigns, 12 months (7-day last touch)", "full", campaigns(d));
    b.append("</div>\n</main>\n");
    // Measures the layout as the browser laid it out (read by the browser test, which also frames
    // the page at phone width): a page wider than its window scrolls sideways.
    b.append("<script>(function(){var e=document.documentElement,m={scrollWidth:e.scrollWidth,")
        .append("clientWidth:e.clientWidth,scrollHeight:e.scrollHeight};")
        .append("e.setAttribute('data-scroll-width',String(m.scrollWidth));")
        .append("e.setAttribute('data-client-width',String(m.clientWidth));")
        .append("e.setAttribute('data-scroll-height',String(m.scrollHeight));")
        .append("if(window.parent!==window){window.parent.postMessage(m,'*');}})();</script>\n");
    return b.append("</body></html>\n").toString();
  }

  private static void header(StringBuilder b, ReportData.Run r) {
    b.append("<header><div class=\"head\"><h1>c360 run ")
        .append(r.id())
        .append(" <span class=\"badge ")
        .append(esc(r.status()))
        .append("\" data-key=\"run.status\" data-value=\"")
        .append(esc(r.status()))
        .append("\">")
        .append(esc(r.status()))
        .append("</span></h1><dl>");
    term(b, "runDate", r.runDate().toString());
    term(b, "asOf", r.asOf().toString());
    term(b, "runner", r.runner());
    term(b, "started", r.started() == null ? "" : TIME.format(r.started()));
    term(b, "ended", r.ended() == null ? "not recorded" : TIME.format(r.ended()));
    if (r.started() != null && r.ended() != null) {
      Duration took = Duration.between(r.started(), r.ended());
      term(b, "took", String.format(Locale.ROOT, "%.1f s", took.toMillis() / 1000.0));
    }
    b.append("</dl>");
    if (r.message() != null) {
      b.append("<p class=\"message\">").append(esc(r.message())).append("</p>");
    }
    b.append("<nav><a href=\"#run\">Run</a><a href=\"#trends\">Trends</a>")
        .append("<a href=\"#kpis\">KPIs</a></nav></div></header>\n");
  }

  private static void term(StringBuilder b, String name, String value) {
    b.append("<div><dt>")
        .append(esc(name))
        .append("</dt><dd>")
        .append(esc(value))
        .append("</dd></div>");
  }

  private static void card(StringBuilder b, String title, String cssClass, String body) {
    b.append("<section class=\"card ")
        .append(cssClass)
        .append("\"><h3>")
        .append(esc(title))
        .append("</h3>")
        .append(body)
        .append("</section>\n");
  }

  // ---- run ----

  private static String counts(List<EntityRow> rows) {
    Table t =
        new Table(
            "entity",
            "status",
            "read",
            "loaded",
            "quarantined",
            "deduplicated",
            "pending",
            "resolved");
    for (EntityRow e : rows) {
      String k = "entity." + e.entity() + ".";
      t.row(
          Table.text(e.entity()),
          Table.text(e.status()),
          Table.count(k + "read", e.read()),
          Table.count(k + "loaded", e.loaded()),
          Table.count(k + "quarantined", e.quarantined()),
          Table.count(k + "deduplicated", e.deduplicated()),
          Table.count(k + "pending", e.pending()),
          Table.count(k + "resolved", e.resolved()));
    }
    return t.html("no entity counts recorded (the run ended before its load)");
  }

  private static String rejects(ReportData d) {
    Table t = new Table("entity", "rule", "rows");
    for (ReportData.RejectRow x : d.rejects()) {
      t.row(
          Table.text(x.entity()),
          Table.code(x.rule()),
          Table.count("reject." + x.entity() + "." + x.rule(), x.rows()));
    }
    return t.html("no row quarantined");
  }

  private static String checks(List<CheckRow> rows) {
    Table t =
        new Table(
            "check",
            "entity",
            "column",
            "severity",
            "status",
            "failing rows",
            "threshold",
            "sample keys");
    for (CheckRow c : rows) {
      // a checks file may declare one kind twice for a column, e.g. a warn and an error threshold
      String k =
          "check."
              + c.name()
              + "|"
              + c.entity()
              + "|"
              + (c.column() == null ? "" : c.column())
              + "|"
              + c.severity();
      t.row(
          Table.code(c.name()),
          Table.text(c.entity()),
          Table.text(c.column()),
          Table.text(c.severity()),
          Table.badge(k + ".status", c.status()),
          Table.count(k + ".failing", c.failingRows()),
          Table.text(c.threshold()),
          Table.keys(String.join(", ", c.sampleKeys())));
    }
    return t.html("no check recorded for this run");
  }

  private static String pending(ReportData d) {
    Table t = new Table("entity", "rule", "arrived (before runDate)", "rows");
    for (ReportData.PendingRow p : d.pending()) {
      t.row(
          Table.text(p.entity()),
          Table.code(p.rule()),
          Table.text(p.age()),
          Table.count("pending." + p.entity() + "." + p.rule() + "." + p.age(), p.rows()));
    }
    return t.html("no row waiting")
        + "<p class=\"note\">What waits now: a row leaves dq.pending_rows when it loads.</p>";
  }

  // ---- trends ----

  private static String revenue(ReportData d) {
    // every day of the window, so the axis is time; a day without sales is an empty slot
    Map<LocalDate, ReportData.DayRevenue> byDate = new HashMap<>();
    d.dailyRevenue().forEach(x -> byDate.put(x.date(), x));
    List<Bar> bars = new ArrayList<>();
    LocalDate asOf = d.run().asOf();
    for (int i = ReportData.REVENUE_DAYS - 1; i >= 0; i--) {
      LocalDate day = asOf.minusDays(i);
      ReportData.DayRevenue x = byDate.get(day);
      bars.add(
          x == null
              ? new Bar(day.toString(), 0, "0", null, "no sales")
              : new Bar(
                  day.toString(),
                  x.revenue().doubleValue(),
                  Html.exact(x.revenue()),
                  "daily." + day + ".revenue",
                  Html.money(x.revenue())));
    }
    return Svg.columns(
        "Daily revenue", List.of(new Series("revenue", "s0", bars)), ReportPage::shortNumber);
  }

  private static String loadedVsQuarantined(List<RunPoint> runs) {
    List<Bar> loaded = new ArrayList<>();
    List<Bar> quarantined = new ArrayList<>();
    for (RunPoint p : runs) {
      String label = "run " + p.id() + " " + p.runDate();
      loaded.add(count(label, "runs." + p.id() + ".loaded", p.loaded()));
      quarantined.add(count(label, "runs." + p.id() + ".quarantined", p.quarantined()));
    }
    return Svg.columns(
        "Loaded vs quarantined rows",
        List.of(new Series("loaded", "s0", loaded), new Series("quarantined", "s2", quarantined)),
        ReportPage::shortNumber);
  }

  private static String checkFailures(List<RunPoint> runs) {
    List<Bar> failed = new ArrayList<>();
    List<Bar> warned = new ArrayList<>();
    for (RunPoint p : runs) {
      String label = "run " + p.id() + " " + p.runDate();
      failed.add(count(label, "runs." + p.id() + ".checks_failed", p.checksFailed()));
      warned.add(count(label, "runs." + p.id() + ".checks_warned", p.checksWarned()));
    }
    return Svg.columns(
        "Check failures",
        List.of(new Series("failed", "s2", failed), new Series("warned", "s1", warned)),
        ReportPage::shortNumber);
  }

  private static Bar count(String label, String key, long n) {
    return new Bar(label, n, Long.toString(n), key, Html.count(n));
  }

  // ---- KPIs ----

  private static String monthly(ReportData d) {
    List<Bar> bars = new ArrayList<>();
    Table t = new Table("month", "revenue", "orders", "customers", "units");
    for (ReportData.MonthSales m : d.monthlySales()) {
      String month = m.month().toString().substring(0, 7);
      String k = "monthly." + month + ".";
      bars.add(
          new Bar(
              month,
              m.revenue().doubleValue(),
              Html.exact(m.revenue()),
              k + "revenue",
              Html.money(m.revenue())));
      t.row(
          Table.text(month),
          Table.money(k + "revenue.table", m.revenue()),
          Table.count(k + "orders", m.orders()),
          Table.count(k + "customers", m.customers()),
          Table.count(k + "units", m.units()));
    }
    return Svg.columns(
            "Monthly revenue", List.of(new Series("revenue", "s0", bars)), ReportPage::shortNumber)
        + t.html("no monthly sales for this asOf");
  }

  private static String top(ReportData d) {
    List<Bar> bars = new ArrayList<>();
    for (ReportData.TopCustomer c : d.topCustomers()) {
      String who = c.name() == null ? c.customerId() : c.name() + " (" + c.customerId() + ")";
      bars.add(
          new Bar(
              c.rank() + ". " + who,
              c.revenue().doubleValue(),
              Html.exact(c.revenue()),
              "top." + c.rank() + ".revenue",
              Html.money(c.revenue())));
    }
    return Svg.rows("Top customers by revenue", "s0", bars);
  }

  private static String segments(ReportData d) {
    List<Bar> bars = new ArrayList<>();
    for (ReportData.SegmentShare s : d.segments()) {
      bars.add(
          new Bar(
              s.segment() + " · " + Html.count(s.customers()) + " customers",
              s.sharePct().doubleValue(),
              Html.exact(s.sharePct()),
              "segment." + s.segment() + ".share_pct",
              Html.pct(s.sharePct())));
    }
    return Svg.rows("Segment share", "s1", bars);
  }

  private static String industries(ReportData d) {
    List<Bar> bars = new ArrayList<>();
    for (ReportData.IndustryExposure x : d.industries()) {
      BigDecimal pct = x.share() == null ? null : x.share().movePointRight(2);
      bars.add(
          new Bar(
              x.rank()
                  + ". "
                  + (x.industry() == null ? "(none)" : x.industry())
                  + " · "
                  + Html.pct(pct),
              x.revenue().doubleValue(),
              Html.exact(x.revenue()),
              "industry." + x.industry() + ".revenue",
              Html.money(x.revenue())));
    }
    return Svg.rows("Industry exposure", "s3", bars);
  }

  private static String funnel(ReportData d) {
    Table t =
        new Table(
            "date",
            "sessions",
            "product views",
            "add to cart",
            "checkouts",
            "purchases",
            "view → cart",
            "cart → purchase");
    for (ReportData.FunnelDay f : d.funnel()) {
      String k = "funnel." + f.date() + ".";
      t.row(
          Table.text(f.date().toString()),
          Table.count(k + "sessions", f.sessions()),
          Table.count(k + "product_views", f.productViews()),
          Table.count(k + "add_to_cart", f.addToCart()),
          Table.count(k + "checkouts", f.checkouts()),
          Table.count(k + "purchases", f.purchases()),
          Table.text(Html.pct(f.viewToCartPct())),
          Table.text(Html.pct(f.cartToPurchasePct())));
    }
    return t.html("no web events in the 30 days to this asOf");
  }

  private static String campaigns(ReportData d) {
    Table t =
        new Table(
            "campaign",
            "sessions",
            "customers reached",
            "attributed orders",
            "attributed revenue",
            "budget",
            "ROAS");
    for (ReportData.CampaignRow x : d.campaigns()) {
      String k = "campaign." + x.campaignId() + ".";
      t.row(
          Table.text(x.name() + " (" + x.campaignId() + ")"),
          Table.count(k + "sessions", x.sessions()),
          Table.count(k + "customers_reached", x.customersReached()),
          Table.count(k + "attributed_orders", x.attributedOrders()),
          Table.money(k + "attributed_revenue", x.attributedRevenue()),
          Table.text(Html.money(x.budgetEur())),
          Table.text(x.roas() == null ? "" : x.roas().setScale(2, RoundingMode.HALF_UP) + "×"));
    }
    return t.html("no campaign overlaps the 12 months to this asOf");
  }

  /** Axis labels: 1.2k, 3.4M. */
  static String shortNumber(double v) {
    double a = Math.abs(v);
    if (a >= 1e9) {
      return String.format(Locale.ROOT, "%.1fG", v / 1e9);
    } else if (a >= 1e6) {
      return String.format(Locale.ROOT, "%.1fM", v / 1e6);
    } else if (a >= 1e4) {
      return String.format(Locale.ROOT, "%.0fk", v / 1e3);
    } else if (a >= 1e3) {
      return String.format(Locale.ROOT, "%.1fk", v / 1e3);
    } else if (a == Math.rint(a)) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    return String.format(Locale.ROOT, "%.1f", v);
  }

  /**
   * Cards flow in a grid (auto-fit columns of at least 380px, one column on a phone); wide cards
   * span two. Under 640px a table becomes one block per row with each cell's column as its label,
   * and long values wrap anywhere: the page never scrolls sideways.
   */
  private static final String CSS =
      """
      *{box-sizing:border-box}
      html{-webkit-text-size-adjust:100%}
      body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;\
      color:#1f2933;background:#eef1f5;overflow-wrap:break-word}
      header{background:#1f2933;color:#fff}
      .head{max-width:1320px;margin:0 auto;padding:14px 16px}
      h1{margin:0 0 8px;font-size:22px;display:flex;gap:10px;align-items:center;flex-wrap:wrap}
      h2{font-size:18px;margin:22px 4px 10px}
      h3{font-size:15px;margin:0 0 10px}
      dl{display:flex;flex-wrap:wrap;gap:4px 20px;margin:0}
      dl div{display:flex;gap:6px}
      dt{color:#9aa5b1}dd{margin:0}
      nav{display:flex;gap:16px;margin-top:10px}
      nav a{color:#9fd3ff}
      .message{background:#611a15;color:#fff;padding:8px 10px;border-radius:6px;margin:10px 0 0}
      main{max-width:1320px;margin:0 auto;padding:4px 12px 24px}
      .grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,380px),1fr));gap:12px}
      .card{background:#fff;border-radius:8px;padding:12px 14px;box-shadow:0 1px 2px rgba(0,0,0,.12);min-width:0}
      .stack{display:flex;flex-direction:column;gap:12px;min-width:0}
      @media (min-width:900px){.wide{grid-column:span 2}.full{grid-column:1/-1}}
      .grid{align-items:start}
      table{width:100%;border-collapse:collapse;font-size:13px}
      th,td{padding:5px 6px;border-bottom:1px solid #e4e7eb;text-align:left;vertical-align:top}
      th{font-weight:600;color:#52606d;background:#f5f7fa}
      td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
      td.keys code{word-break:break-all}
      code{font-size:12px;background:#f0f4f8;padding:1px 4px;border-radius:3px}
      .badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;\
      background:#e4e7eb;color:#1f2933}
      .badge.pass,.badge.succeeded{background:#c1eac5;color:#0e5814}
      .badge.warn,.badge.running{background:#fce588;color:#5c4813}
      .badge.fail,.badge.failed{background:#facdcd;color:#780a0a}
      .empty,.note{color:#7b8794;margin:6px 0 0}
      svg.chart{display:block;width:100%;height:auto;margin-bottom:8px}
      svg .label{font-size:13px;fill:#52606d}
      svg .axis{stroke:#7b8794;stroke-width:1}
      svg .gridline{stroke:#e4e7eb;stroke-width:1}
      svg .s0{fill:#2186eb}svg .s1{fill:#f0b429}svg .s2{fill:#e12d39}svg .s3{fill:#27ab83}
      @media (max-width:640px){
      h1{font-size:19px}
      table,thead,tbody,tr,td{display:block;width:100%}
      thead{display:none}
      tr{border-bottom:1px solid #cbd2d9;padding:4px 0}
      td{border:0;padding:2px 0;display:flex;justify-content:space-between;gap:12px;text-align:right}
      td.num{text-align:right}
      td::before{content:attr(data-label);color:#7b8794;text-align:left;flex:none}
      svg .label{font-size:16px}
      }
      """;
}
