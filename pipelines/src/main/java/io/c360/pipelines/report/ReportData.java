package io.c360.pipelines.report;

import io.c360.transforms.jdbc.NamedSql;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the report of one run shows, read from the warehouse: the run record and its per-entity
 * reconciliation ({@code ops.pipeline_runs}), rejects ({@code dq.rejected_rows}), checks ({@code
 * dq.check_results}), rows waiting ({@code dq.pending_rows}), the 30 runs up to it, and the KPI
 * marts for its asOf. Every query binds the run id or date as a parameter.
 */
public record ReportData(
    Run run,
    List<EntityRow> entities,
    List<RejectRow> rejects,
    List<CheckRow> checks,
    List<PendingRow> pending,
    List<RunPoint> history,
    List<DayRevenue> dailyRevenue,
    List<MonthSales> monthlySales,
    List<TopCustomer> topCustomers,
    List<SegmentShare> segments,
    List<IndustryExposure> industries,
    List<FunnelDay> funnel,
    List<CampaignRow> campaigns) {

  /** The run the report is about. */
  public record Run(
      long id,
      String pipeline,
      LocalDate runDate,
      LocalDate asOf,
      String runner,
      OffsetDateTime started,
      OffsetDateTime ended,
      String status,
      String message) {}

  /** One entity's reconciliation in the run (SPEC §2); skipped entities have zero counts. */
  public record EntityRow(
      String entity,
      String status,
      long read,
      long loaded,
      long quarantined,
      long deduplicated,
      long pending,
      long resolved) {}

  public record RejectRow(String entity, String rule, long rows) {}

  public record CheckRow(
      String name,
      String entity,
      String column,
      String severity,
      String status,
      long failingRows,
      String threshold,
      List<String> sampleKeys,
      String message) {}

  /** Rows waiting for a dimension member, by how many days ago (in runDate) they first arrived. */
  public record PendingRow(String entity, String rule, String age, long rows) {}

  /** One of the last 30 runs up to the report's run. */
  public record RunPoint(
      long id,
      LocalDate runDate,
      String status,
      long loaded,
      long quarantined,
      long checksFailed,
      long checksWarned) {}

  public record DayRevenue(LocalDate date, BigDecimal revenue, long orders) {}

  public record MonthSales(
      LocalDate month, BigDecimal revenue, long orders, long customers, long units) {}

  public record TopCustomer(int rank, String customerId, String name, BigDecimal revenue) {}

  public record SegmentShare(String segment, long customers, BigDecimal sharePct) {}

  public record IndustryExposure(String industry, BigDecimal revenue, BigDecimal share, int rank) {}

  /** A date of mart.funnel_daily (SPEC §8). */
  public record FunnelDay(
      LocalDate date,
      long sessions,
      long productViews,
      long addToCart,
      long checkouts,
      long purchases,
      BigDecimal viewToCartPct,
      BigDecimal cartToPurchasePct) {}

  /** A campaign of mart.campaign_performance (SPEC §8). */
  public record CampaignRow(
      String campaignId,
      String name,
      long sessions,
      long customersReached,
      long attributedOrders,
      BigDecimal attributedRevenue,
      BigDecimal budgetEur,
      BigDecimal roas) {}

  /** How many runs the history charts cover. */
  public static final int HISTORY_RUNS = 30;

  /** How many days of daily revenue the chart shows, ending with asOf. */
  public static final int REVENUE_DAYS = 30;

  static final NamedSql LATEST_RUN = NamedSql.parse("SELECT max(run_id) FROM ops.pipeline_runs");

  static final NamedSql RUN =
      NamedSql.parse(
          "SELECT run_id, pipeline, run_date, as_of, runner, started_at, ended_at, status, message"
              + " FROM ops.pipeline_runs WHERE run_id = :run");

  // entity_counts: {"sales": {"status": "present", "read": n, "loaded": n, ...}, ...} (V1)
  static final NamedSql ENTITIES =
      NamedSql.parse(
          "SELECT e.key, coalesce(e.value->>'status', 'present'),"
              + " coalesce((e.value->>'read')::bigint, 0), coalesce((e.value->>'loaded')::bigint, 0),"
              + " coalesce((e.value->>'quarantined')::bigint, 0),"
              + " coalesce((e.value->>'deduplicated')::bigint, 0),"
              + " coalesce((e.value->>'pending')::bigint, 0),"
              + " coalesce((e.value->>'pending_resolved')::bigint, 0)"
              + " FROM ops.pipeline_runs r CROSS JOIN LATERAL jsonb_each(r.entity_counts) e"
              + " WHERE r.run_id = :run AND jsonb_typeof(e.value) = 'object'");

  static final NamedSql REJECTS =
      NamedSql.parse(
          "SELECT entity, rule, count(*) FROM dq.rejected_rows WHERE run_id = :run"
              + " GROUP BY entity, rule ORDER BY 3 DESC, 1, 2");

  static final NamedSql CHECKS =
      NamedSql.parse(
          "SELECT check_name, entity, column_name, severity, status, failing_rows, threshold,"
              + " sample_keys, message FROM dq.check_results WHERE run_id = :run ORDER BY id");

  // dq.pending_rows holds what waits now (a row is deleted when it loads): the rows that first
  // arrived at or before the run, aged in days of runDate.
  static final NamedSql PENDING =
      NamedSql.parse(
          "SELECT p.entity, p.rule, CASE WHEN :runDate::date - f.run_date <= 0 THEN '0 days'"
              + " WHEN :runDate::date - f.run_date <= 7 THEN '1-7 days'"
              + " WHEN :runDate::date - f.run_date <= 30 THEN '8-30 days' ELSE 'over 30 days' END,"
              + " count(*) FROM dq.pending_rows p JOIN ops.pipeline_runs f ON f.run_id = p.first_run_id"
              + " WHERE p.first_run_id <= :run GROUP BY 1, 2, 3 ORDER BY 1, 2, min(f.run_date) DESC");

  static final NamedSql HISTORY =
      NamedSql.parse(
          "SELECT r.run_id, r.run_date, r.status,"
              + " (SELECT coalesce(sum((e.value->>'loaded')::bigint), 0) FROM"
              + " jsonb_each(r.entity_counts) e WHERE jsonb_typeof(e.value) = 'object'),"
              + " (SELECT coalesce(sum((e.value->>'quarantined')::bigint), 0) FROM"
              + " jsonb_each(r.entity_counts) e WHERE jsonb_typeof(e.value) = 'object'),"
              + " (SELECT count(*) FROM dq.check_results k WHERE k.run_id = r.run_id AND k.status = 'fail'),"
              + " (SELECT count(*) FROM dq.check_results k WHERE k.run_id = r.run_id AND k.status = 'warn')"
              + " FROM ops.pipeline_runs r WHERE r.run_id <= :run AND r.pipeline = :pipeline"
              + " ORDER BY r.run_id DESC LIMIT :limit");

  static final NamedSql DAILY_REVENUE =
      NamedSql.parse(
          "SELECT sales_date, revenue, orders FROM mart.daily_sales WHERE as_of = :asOf"
              + " AND sales_date > :asOf::date - :days::int ORDER BY sales_date");

  static final NamedSql MONTHLY_SALES =
      NamedSql.parse(
          "SELECT month, revenue, orders, customers, units FROM mart.monthly_sales"
              + " WHERE as_of = :asOf ORDER BY month");

  static final NamedSql TOP_CUSTOMERS =
      NamedSql.parse(
          "SELECT t.rank, t.customer_id, c.name, t.revenue FROM mart.top_customers t"
              + " LEFT JOIN mart.customer_360 c ON c.as_of = t.as_of AND c.customer_id = t.customer_id"
              + " WHERE t.as_of = :asOf ORDER BY t.rank");

  static final NamedSql SEGMENTS =
      NamedSql.parse(
          "SELECT segment, customers, share_pct FROM mart.segment_share WHERE as_of = :asOf"
              + " ORDER BY share_pct DESC, segment");

  static final NamedSql INDUSTRIES =
      NamedSql.parse(
          "SELECT industry, revenue, share, rank FROM mart.industry_exposure WHERE as_of = :asOf"
              + " ORDER BY rank, industry");

  static final NamedSql FUNNEL =
      NamedSql.parse(
          "SELECT event_date, sessions, product_views, add_to_cart, checkouts, purchases,"
              + " view_to_cart_pct, cart_to_purchase_pct FROM mart.funnel_daily"
              + " WHERE as_of = :asOf ORDER BY event_date");

  static final NamedSql CAMPAIGNS =
      NamedSql.parse(
          "SELECT campaign_id, campaign_name, sessions, customers_reached, attributed_orders,"
              + " attributed_revenue, budget_eur, roas FROM mart.campaign_performance"
              + " WHERE as_of = :asOf ORDER BY attributed_revenue DESC, campaign_id");

  /** The latest run's id, if any run was recorded. */
  public static Optional<Long> latestRun(Connection c) throws SQLException {
    try (PreparedStatement ps = LATEST_RUN.prepare(c, Map.of());
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      long id = rs.getLong(1);
      return rs.wasNull() ? Optional.empty() : Optional.of(id);
    }
  }

  /**
   * Reads everything the report of {@code runId} shows, in one read-only snapshot.
   *
   * @throws IllegalArgumentException when no such run is recorded
   */
  public static ReportData load(Connection c, long runId) throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      try (Statement st = c.createStatement()) {
        st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
      }
      Run run = run(c, runId);
      Map<String, Object> byRun = Map.of("run", runId);
      Map<String, Object> byAsOf = Map.of("asOf", Date.valueOf(run.asOf()));
      List<EntityRow> entities =
          rows(
              c,
              ENTITIES,
              byRun,
              rs ->
                  new EntityRow(
                      rs.getString(1),
                      rs.getString(2),
                      rs.getLong(3),
                      rs.getLong(4),
                      rs.getLong(5),
                      rs.getLong(6),
                      rs.getLong(7),
                      rs.getLong(8)));
      List<RejectRow> rejects =
          rows(
              c,
              REJECTS,
              byRun,
              rs -> new RejectRow(rs.getString(1), rs.getString(2), rs.getLong(3)));
      List<CheckRow> checks =
          rows(
              c,
              CHECKS,
              byRun,
              rs ->
                  new CheckRow(
                      rs.getString(1),
                      rs.getString(2),
                      rs.getString(3),
                      rs.getString(4),
                      rs.getString(5),
                      rs.getLong(6),
                      rs.getString(7),
                      textArray(rs.getArray(8)),
                      rs.getString(9)));
      List<PendingRow> pending =
          rows(
              c,
              PENDING,
              Map.of("run", runId, "runDate", Date.valueOf(run.runDate())),
              rs ->
                  new PendingRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
      List<RunPoint> history =
          new ArrayList<>(
              rows(
                  c,
                  HISTORY,
                  Map.of("run", runId, "pipeline", run.pipeline(), "limit", HISTORY_RUNS),
                  rs ->
                      new RunPoint(
                          rs.getLong(1),
                          rs.getDate(2).toLocalDate(),
                          rs.getString(3),
                          rs.getLong(4),
                          rs.getLong(5),
                          rs.getLong(6),
                          rs.getLong(7))));
      Collections.reverse(history); // oldest first, as the charts read
      List<DayRevenue> daily =
          rows(
              c,
              DAILY_REVENUE,
              Map.of("asOf", Date.valueOf(run.asOf()), "days", REVENUE_DAYS),
              rs ->
                  new DayRevenue(rs.getDate(1).toLocalDate(), rs.getBigDecimal(2), rs.getLong(3)));
      List<MonthSales> monthly =
          rows(
              c,
              MONTHLY_SALES,
              byAsOf,
              rs ->
                  new MonthSales(
                      rs.getDate(1).toLocalDate(),
                      rs.getBigDecimal(2),
                      rs.getLong(3),
                      rs.getLong(4),
                      rs.getLong(5)));
      List<TopCustomer> top =
          rows(
              c,
              TOP_CUSTOMERS,
              byAsOf,
              rs ->
                  new TopCustomer(
                      rs.getInt(1), rs.getString(2), rs.getString(3), rs.getBigDecimal(4)));
      List<SegmentShare> segments =
          rows(
              c,
              SEGMENTS,
              byAsOf,
              rs -> new SegmentShare(rs.getString(1), rs.getLong(2), rs.getBigDecimal(3)));
      List<IndustryExposure> industries =
          rows(
              c,
              INDUSTRIES,
              byAsOf,
              rs ->
                  new IndustryExposure(
                      rs.getString(1), rs.getBigDecimal(2), rs.getBigDecimal(3), rs.getInt(4)));
      List<FunnelDay> funnel =
          rows(
              c,
              FUNNEL,
              byAsOf,
              rs ->
                  new FunnelDay(
                      rs.getDate(1).toLocalDate(),
                      rs.getLong(2),
                      rs.getLong(3),
                      rs.getLong(4),
                      rs.getLong(5),
                      rs.getLong(6),
                      rs.getBigDecimal(7),
                      rs.getBigDecimal(8)));
      List<CampaignRow> campaigns =
          rows(
              c,
              CAMPAIGNS,
              byAsOf,
              rs ->
                  new CampaignRow(
                      rs.getString(1),
                      rs.getString(2),
                      rs.getLong(3),
                      rs.getLong(4),
                      rs.getLong(5),
                      rs.getBigDecimal(6),
                      rs.getBigDecimal(7),
                      rs.getBigDecimal(8)));
      return new ReportData(
          run,
          entities,
          rejects,
          checks,
          pending,
          history,
          daily,
          monthly,
          top,
          segments,
          industries,
          funnel,
          campaigns);
    } finally {
      c.rollback();
      c.setAutoCommit(auto);
    }
  }

  private static Run run(Connection c, long runId) throws SQLException {
    List<Run> runs =
        rows(
            c,
            RUN,
            Map.of("run", runId),
            rs ->
                new Run(
                    rs.getLong(1),
                    rs.getString(2),
                    rs.getDate(3).toLocalDate(),
                    rs.getDate(4).toLocalDate(),
                    rs.getString(5),
                    rs.getObject(6, OffsetDateTime.class),
                    rs.getObject(7, OffsetDateTime.class),
                    rs.getString(8),
                    rs.getString(9)));
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("no run " + runId + " in ops.pipeline_runs");
    }
    return runs.get(0);
  }

  private interface RowReader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  private static <T> List<T> rows(
      Connection c, NamedSql q, Map<String, ?> params, RowReader<T> reader) throws SQLException {
    List<T> out = new ArrayList<>();
    try (PreparedStatement ps = q.prepare(c, params);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(reader.read(rs));
      }
    }
    return out;
  }

  private static List<String> textArray(Array a) throws SQLException {
    if (a == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (Object o : (Object[]) a.getArray()) {
      out.add(String.valueOf(o));
    }
    return out;
  }
}
