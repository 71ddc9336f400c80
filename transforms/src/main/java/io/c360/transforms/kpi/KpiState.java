package io.c360.transforms.kpi;

import io.c360.transforms.jdbc.PgConnection;
import java.io.Serializable;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.io.jdbc.JdbcIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The KPI stage's reads of the incremental KPI state ({@code sql/V50}): what each query reads, the
 * calendar bounds it takes, and how its rows become mart rows. Every read is bounded by customers
 * (or products, industries, dates) × the buckets of the windows of SPEC §4, never by the facts of
 * the whole history. Of the anomalies, only the z-score candidates (the tails of each product's
 * amounts, by index) are read; the IQR outliers are selected into the mart by the replace itself
 * ({@link SalesMarts#IQR_INSERT_SQL}).
 */
final class KpiState {
  private KpiState() {}

  /** A calendar bound of D that a state query takes as a parameter (from {@link Periods}). */
  enum Bound {
    /** D. */
    AS_OF,
    /** 1st of month(D). */
    MONTH,
    /** 1st of the month after month(D). */
    NEXT_MONTH,
    /** 1st of month(D) − 12 months: the oldest month the per-customer figures need. */
    OLDEST_MONTH,
    /** D − 12 months: the exclusive start of the 12-month window. */
    WINDOW_START,
    /** 1st of month(D) − 11 months: the first of monthly_sales' 12 calendar months. */
    MONTHLY_START,
    /** The earliest month traffic_revenue_by_period needs (year start or the quarter before). */
    TRAFFIC_START;

    LocalDate of(LocalDate asOf) {
      Periods p = Periods.of(asOf);
      switch (this) {
        case AS_OF:
          return asOf;
        case MONTH:
          return p.monthStart();
        case NEXT_MONTH:
          return p.monthStart().plusMonths(1);
        case OLDEST_MONTH:
          return p.monthStart().minusMonths(12);
        case WINDOW_START:
          return p.window12mExclusiveStart();
        case MONTHLY_START:
          return p.monthStart().minusMonths(11);
        case TRAFFIC_START:
          LocalDate y = p.yearStart();
          LocalDate q = p.quarterBeforeStart();
          return y.isBefore(q) ? y : q;
      }
      throw new AssertionError(this);
    }
  }

  /** Sets the bounds of D, in order, as the query's parameters; the element is D (ISO). */
  static final class BoundsSetter implements JdbcIO.PreparedStatementSetter<String> {
    private final Bound[] bounds;

    BoundsSetter(Bound... bounds) {
      this.bounds = bounds.clone();
    }

    @Override
    public void setParameters(String asOf, PreparedStatement ps) throws Exception {
      LocalDate d = LocalDate.parse(asOf);
      for (int i = 0; i < bounds.length; i++) {
        ps.setObject(i + 1, bounds[i].of(d));
      }
    }
  }

  /** Per customer with a sale &lt;= D: lifetime figures to D and revenue by month (see below). */
  static final String CUSTOMER_FIGURES_SQL =
      "WITH extra AS (SELECT customer_id, sum(n - 1) AS orders FROM ("
          + "   SELECT o.customer_id, s.order_key, count(*) AS n"
          + "   FROM kpi.order_span s JOIN kpi.customer_order o ON o.order_key = s.order_key"
          + "   WHERE s.first_date <= ? AND o.sales_date <= ?"
          + "   GROUP BY 1, 2) x GROUP BY 1),"
          + " tail AS (SELECT customer_id, sum(sales) AS sales, sum(revenue) AS revenue,"
          + "   sum(rev_sales) AS rev_sales, sum(orders) AS orders,"
          + "   kpi.jsonb_sum(categories) AS categories"
          + " FROM kpi.customer_day WHERE sales_date > ? AND sales_date < ? GROUP BY customer_id),"
          + " later AS (SELECT customer_id, sum(sales) AS sales, sum(revenue) AS revenue,"
          + "   sum(orders) AS orders, kpi.jsonb_sum(categories) AS categories"
          + " FROM kpi.customer_month WHERE month > ? GROUP BY customer_id),"
          + " head AS (SELECT customer_id, sum(revenue) AS revenue, sum(rev_sales) AS rev_sales"
          + " FROM kpi.customer_day WHERE sales_date >= ? AND sales_date <= ? GROUP BY customer_id),"
          + " months AS (SELECT customer_id, array_agg(month ORDER BY month) AS months,"
          + "   array_agg(revenue ORDER BY month) AS revenues,"
          + "   array_agg(rev_sales ORDER BY month) AS rev_sales"
          + " FROM kpi.customer_month WHERE month >= ? AND month <= ? GROUP BY customer_id)"
          + " SELECT t.customer_id,"
          + "   t.sales - coalesce(tl.sales, 0) - coalesce(l.sales, 0),"
          + "   t.revenue - coalesce(tl.revenue, 0) - coalesce(l.revenue, 0),"
          + "   t.orders - coalesce(tl.orders, 0) - coalesce(l.orders, 0) - coalesce(e.orders, 0),"
          + "   ARRAY(SELECT key FROM jsonb_each_text(c.cats) ORDER BY key),"
          + "   ARRAY(SELECT value::numeric FROM jsonb_each_text(c.cats) ORDER BY key),"
          + "   CASE WHEN t.first_completed <= ? THEN t.first_completed END,"
          + "   CASE WHEN t.last_completed <= ? THEN t.last_completed"
          + "        WHEN t.first_completed <= ? THEN (SELECT max(x.sales_date)"
          + "          FROM kpi.customer_day x WHERE x.customer_id = t.customer_id"
          + "          AND x.completed > 0 AND x.sales_date <= ?) END,"
          + "   m.months, m.revenues, m.rev_sales, coalesce(tl.revenue, 0),"
          + "   coalesce(tl.rev_sales, 0), coalesce(h.revenue, 0), coalesce(h.rev_sales, 0)"
          + " FROM kpi.customer_total t"
          + " LEFT JOIN extra e ON e.customer_id = t.customer_id"
          + " LEFT JOIN tail tl ON tl.customer_id = t.customer_id"
          + " LEFT JOIN later l ON l.customer_id = t.customer_id"
          + " LEFT JOIN head h ON h.customer_id = t.customer_id"
          + " LEFT JOIN months m ON m.customer_id = t.customer_id"
          + " CROSS JOIN LATERAL (SELECT kpi.jsonb_add(t.categories, kpi.jsonb_neg("
          + "   kpi.jsonb_add(tl.categories, l.categories))) AS cats) c"
          + " WHERE t.sales - coalesce(tl.sales, 0) - coalesce(l.sales, 0) > 0";

  static final Bound[] CUSTOMER_FIGURES_BOUNDS = {
    Bound.AS_OF,
    Bound.AS_OF, // extra: the dates an order spans beyond its first, up to D
    Bound.AS_OF,
    Bound.NEXT_MONTH, // tail: days of month(D) after D
    Bound.MONTH, // later: months after month(D)
    Bound.OLDEST_MONTH,
    Bound.WINDOW_START, // head
    Bound.OLDEST_MONTH,
    Bound.MONTH, // months
    Bound.AS_OF,
    Bound.AS_OF,
    Bound.AS_OF,
    Bound.AS_OF // first, last completed
  };

  static final class CustomerFiguresMapper implements JdbcIO.RowMapper<CustomerFigures> {
    @Override
    public CustomerFigures mapRow(ResultSet rs) throws Exception {
      String[] keys = (String[]) rs.getArray(5).getArray();
      BigDecimal[] values = (BigDecimal[]) rs.getArray(6).getArray();
      Map<String, BigDecimal> categories = new LinkedHashMap<>();
      for (int i = 0; i < keys.length; i++) {
        categories.put(keys[i], values[i]);
      }
      List<LocalDate> months = new ArrayList<>();
      List<BigDecimal> revenue = new ArrayList<>();
      List<Long> revenueSales = new ArrayList<>();
      Array m = rs.getArray(9);
      if (m != null) {
        for (Object o : (Object[]) m.getArray()) {
          months.add(((java.sql.Date) o).toLocalDate());
        }
        revenue.addAll(Arrays.asList((BigDecimal[]) rs.getArray(10).getArray()));
        for (Object o : (Object[]) rs.getArray(11).getArray()) {
          revenueSales.add(((Number) o).longValue());
        }
      }
      // month(D) counts up to D only: its days after D (tail) come off the last month
      BigDecimal tailRevenue = rs.getBigDecimal(12);
      long tailSales = rs.getLong(13);
      int last = months.size() - 1;
      if (last >= 0 && (tailRevenue.signum() != 0 || tailSales != 0)) {
        revenue.set(last, revenue.get(last).subtract(tailRevenue));
        revenueSales.set(last, revenueSales.get(last) - tailSales);
      }
      return new CustomerFigures(
          rs.getString(1),
          rs.getLong(2),
          rs.getBigDecimal(3),
          rs.getLong(4),
          categories,
          rs.getObject(7, LocalDate.class),
          rs.getObject(8, LocalDate.class),
          months,
          revenue,
          revenueSales,
          rs.getBigDecimal(14),
          rs.getLong(15));
    }
  }

  /** Customer versions that can matter for D: valid at some instant after D − 12 months. */
  static final String CUSTOMER_VERSIONS_SQL =
      "SELECT customer_id, account_id, name, email, city, country, segment, industry,"
          + " created_date, valid_from, valid_to, is_deleted FROM dw.dim_customer"
          + " WHERE valid_to > ?::date - 1"; // a day early: the bound is a date in any timezone

  static final Bound[] CUSTOMER_VERSIONS_BOUNDS = {Bound.WINDOW_START};

  /** daily_sales: a row per date in (D − 12 months, D] with any sale. */
  static final String DAILY_SQL =
      "WITH extra AS (SELECT sales_date, sum(n - 1) AS orders FROM ("
          + "   SELECT o.sales_date, s.order_key, count(*) AS n"
          + "   FROM kpi.order_span s JOIN kpi.customer_order o ON o.order_key = s.order_key"
          + "   WHERE s.last_date > ? AND s.first_date <= ?"
          + "   AND o.sales_date > ? AND o.sales_date <= ? GROUP BY 1, 2) x GROUP BY 1)"
          + " SELECT d.sales_date, d.revenue, d.orders - coalesce(e.orders, 0), d.customers,"
          + " d.units FROM kpi.sales_day d LEFT JOIN extra e ON e.sales_date = d.sales_date"
          + " WHERE d.sales_date > ? AND d.sales_date <= ? AND d.sales > 0";

  static final Bound[] DAILY_BOUNDS = {
    Bound.WINDOW_START,
    Bound.AS_OF,
    Bound.WINDOW_START,
    Bound.AS_OF, // extra
    Bound.WINDOW_START,
    Bound.AS_OF
  };

  /** monthly_sales: the 12 calendar months ending with month(D), up to D. */
  static final String MONTHLY_SQL =
      "WITH extra AS (SELECT month, sum(n - 1) AS orders FROM ("
          + "   SELECT date_trunc('month', o.sales_date)::date AS month, s.order_key,"
          + "   count(*) AS n"
          + "   FROM kpi.order_span s JOIN kpi.customer_order o ON o.order_key = s.order_key"
          + "   WHERE s.last_date >= ? AND s.first_date <= ?"
          + "   AND o.sales_date >= ? AND o.sales_date <= ? GROUP BY 1, 2) x GROUP BY 1),"
          + " tail AS (SELECT customer_id, sum(completed) AS completed FROM kpi.customer_day"
          + "   WHERE sales_date > ? AND sales_date < ? GROUP BY customer_id),"
          + " cust AS (SELECT m.month, count(*) FILTER (WHERE m.completed"
          + "   - CASE WHEN m.month = ? THEN coalesce(tl.completed, 0) ELSE 0 END > 0) AS customers"
          + "   FROM kpi.customer_month m LEFT JOIN tail tl ON tl.customer_id = m.customer_id"
          + "   WHERE m.month >= ? AND m.month <= ? GROUP BY m.month),"
          + " days AS (SELECT date_trunc('month', sales_date)::date AS month, sum(sales) AS sales,"
          + "   sum(revenue) AS revenue, sum(orders) AS orders, sum(units) AS units"
          + "   FROM kpi.sales_day WHERE sales_date >= ? AND sales_date <= ? GROUP BY 1)"
          + " SELECT d.month, d.revenue, d.orders - coalesce(e.orders, 0),"
          + " coalesce(c.customers, 0), d.units FROM days d"
          + " LEFT JOIN cust c ON c.month = d.month LEFT JOIN extra e ON e.month = d.month"
          + " WHERE d.sales > 0";

  static final Bound[] MONTHLY_BOUNDS = {
    Bound.MONTHLY_START,
    Bound.AS_OF,
    Bound.MONTHLY_START,
    Bound.AS_OF, // extra
    Bound.AS_OF,
    Bound.NEXT_MONTH,
    Bound.MONTH,
    Bound.MONTHLY_START,
    Bound.MONTH,
    Bound.MONTHLY_START,
    Bound.AS_OF
  };

  /** product_performance over (D − 12 months, D]. */
  static final String PRODUCTS_SQL =
      "WITH extra AS (SELECT product_id, category, sum(n - 1) AS orders FROM ("
          + "   SELECT o.product_id, o.category, s.order_key, count(*) AS n"
          + "   FROM kpi.order_span s JOIN kpi.product_order o ON o.order_key = s.order_key"
          + "   WHERE s.last_date > ? AND s.first_date <= ?"
          + "   AND o.sales_date > ? AND o.sales_date <= ?"
          + "   GROUP BY 1, 2, 3) x GROUP BY 1, 2),"
          + " p AS (SELECT product_id, category, sum(revenue) AS revenue, sum(units) AS units,"
          + "   sum(orders) AS orders FROM kpi.product_day WHERE sales_date > ? AND sales_date <= ?"
          + "   GROUP BY product_id, category)"
          + " SELECT p.product_id, p.category, p.revenue, p.units, p.orders - coalesce(e.orders, 0)"
          + " FROM p LEFT JOIN extra e ON e.product_id = p.product_id AND e.category = p.category";

  static final Bound[] PRODUCTS_BOUNDS = {
    Bound.WINDOW_START,
    Bound.AS_OF,
    Bound.WINDOW_START,
    Bound.AS_OF, // extra
    Bound.WINDOW_START,
    Bound.AS_OF
  };

  static final Bound[] WINDOW_BOUNDS = {Bound.WINDOW_START, Bound.AS_OF};

  /** Revenue by industry at sale time over (D − 12 months, D]. */
  static final String INDUSTRIES_SQL =
      "SELECT industry, sum(revenue) FROM kpi.industry_day WHERE sales_date > ? AND sales_date <= ?"
          + " GROUP BY industry HAVING sum(rev_sales) > 0";

  /** The amount ('a') and quantity ('q') histograms of the revenue sales of the window. */
  static final String HISTOGRAMS_SQL =
      "SELECT 'a', amount, sum(n) FROM kpi.amount_day WHERE sales_date > ? AND sales_date <= ?"
          + " GROUP BY amount HAVING sum(n) > 0"
          + " UNION ALL SELECT 'q', quantity::numeric, sum(n) FROM kpi.quantity_day"
          + " WHERE sales_date > ? AND sales_date <= ? GROUP BY quantity HAVING sum(n) > 0";

  /** The 12-month window twice: for queries that read two sources over it. */
  static final Bound[] WINDOW_TWICE = {
    Bound.WINDOW_START, Bound.AS_OF, Bound.WINDOW_START, Bound.AS_OF
  };

  /**
   * z-score candidates: per product with at least 10 revenue sales in the window, its moments from
   * the state and the sales whose amount is at least 2.99 standard deviations from the mean; the
   * exact test (|z| ≥ 3) is done in Java. Each tail is its own range scan of the (product_id,
   * amount) index (a UNION ALL per product of the 99 products at scale 0.1): with one OR of both
   * tails PostgreSQL hash-joined the whole window's sales instead (3.3 M rows, 8.3 s against 0.27 s
   * with a year of history, bench/RESULTS.md).
   */
  static final String ZSCORE_CANDIDATES_SQL =
      "WITH m AS (SELECT product_id, sum(rev_n) AS n, sum(rev_sum) AS s, sum(rev_sumsq) AS ss"
          + "   FROM kpi.product_day WHERE sales_date > ? AND sales_date <= ?"
          + "   GROUP BY product_id HAVING sum(rev_n) >= 10),"
          + " b AS MATERIALIZED (SELECT product_id, n, s, ss, s / n - 2.99 * sd AS lo,"
          + "   s / n + 2.99 * sd AS hi FROM (SELECT product_id, n, s, ss,"
          + "   sqrt(greatest((ss - s * s / n) / (n - 1), 0)) AS sd FROM m) y WHERE sd > 0)"
          + " SELECT f.transaction_id, f.product_id, f.customer_id, f.amount, b.n, b.s, b.ss"
          + " FROM b CROSS JOIN LATERAL ("
          + "   SELECT x.transaction_id, x.product_id, x.customer_id, x.amount FROM dw.fact_sales x"
          + "   WHERE x.product_id = b.product_id AND x.amount <= b.lo"
          + "   AND x.sales_date > ? AND x.sales_date <= ? AND x.status IN ('completed', 'returned')"
          + "   UNION ALL"
          + "   SELECT x.transaction_id, x.product_id, x.customer_id, x.amount FROM dw.fact_sales x"
          + "   WHERE x.product_id = b.product_id AND x.amount >= b.hi"
          + "   AND x.sales_date > ? AND x.sales_date <= ? AND x.status IN ('completed', 'returned')"
          + " ) f";

  /** The 12-month window three times: the state's moments and the two tails. */
  static final Bound[] WINDOW_THRICE = {
    Bound.WINDOW_START,
    Bound.AS_OF,
    Bound.WINDOW_START,
    Bound.AS_OF,
    Bound.WINDOW_START,
    Bound.AS_OF
  };

  /** Per customer × channel with traffic on or before D: revenue by month, month(D) to D. */
  static final String TRAFFIC_SQL =
      "WITH tail AS (SELECT customer_id, channel_id, sum(revenue_eur) AS revenue"
          + "   FROM dw.fact_traffic WHERE send_date > ? AND send_date < ? GROUP BY 1, 2),"
          + " m AS (SELECT customer_id, channel_id, array_agg(month ORDER BY month) AS months,"
          + "   array_agg(revenue ORDER BY month) AS revenues FROM kpi.traffic_month"
          + "   WHERE month >= ? AND month <= ? GROUP BY 1, 2)"
          + " SELECT p.customer_id, p.channel_id, m.months, m.revenues, coalesce(tl.revenue, 0)"
          + " FROM kpi.traffic_pair p"
          + " LEFT JOIN m ON m.customer_id = p.customer_id AND m.channel_id = p.channel_id"
          + " LEFT JOIN tail tl ON tl.customer_id = p.customer_id AND tl.channel_id = p.channel_id"
          + " WHERE p.first_send_date <= ?";

  static final Bound[] TRAFFIC_BOUNDS = {
    Bound.AS_OF, Bound.NEXT_MONTH, Bound.TRAFFIC_START, Bound.MONTH, Bound.AS_OF
  };

  /** Folds the logged fact changes into the state (sql/V50 kpi.fold); passes D on. */
  static final class FoldFn extends DoFn<String, String> {
    private final PgConnection pg;
    private final Counter folded = Metrics.counter("c360.kpi", "factChangesFolded");

    FoldFn(PgConnection pg) {
      this.pg = pg;
    }

    @ProcessElement
    public void process(@Element String asOf, OutputReceiver<String> out) throws SQLException {
      try (Connection c = pg.open();
          PreparedStatement ps = c.prepareStatement("SELECT kpi.fold()");
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        folded.inc(rs.getLong(1));
      }
      out.output(asOf);
    }
  }

  static final class IndustryMapper implements JdbcIO.RowMapper<KV<String, BigDecimal>> {
    @Override
    public KV<String, BigDecimal> mapRow(ResultSet rs) throws Exception {
      return KV.of(rs.getString(1), rs.getBigDecimal(2));
    }
  }

  /** ("a" amounts | "q" quantities, value, count). */
  static final class HistogramMapper implements JdbcIO.RowMapper<KV<String, KV<BigDecimal, Long>>> {
    @Override
    public KV<String, KV<BigDecimal, Long>> mapRow(ResultSet rs) throws Exception {
      return KV.of(rs.getString(1), KV.of(rs.getBigDecimal(2), rs.getLong(3)));
    }
  }

  /** A sale of the window with the moments of its product: a z-score outlier if |z| ≥ 3. */
  @DefaultCoder(KpiCoders.ZCandidateCoder.class)
  static final class ZCandidate implements Serializable {
    final String transactionId;
    final String productId;
    final String customerId;
    final BigDecimal amount;
    final long n;
    final BigDecimal sum;
    final BigDecimal sumSq;

    ZCandidate(
        String transactionId,
        String productId,
        String customerId,
        BigDecimal amount,
        long n,
        BigDecimal sum,
        BigDecimal sumSq) {
      this.transactionId = transactionId;
      this.productId = productId;
      this.customerId = customerId;
      this.amount = amount;
      this.n = n;
      this.sum = sum;
      this.sumSq = sumSq;
    }

    @Override
    public boolean equals(@Nullable Object other) {
      return other instanceof ZCandidate o
          && transactionId.equals(o.transactionId)
          && java.util.Objects.equals(productId, o.productId)
          && java.util.Objects.equals(customerId, o.customerId)
          && amount.equals(o.amount)
          && n == o.n
          && sum.equals(o.sum)
          && sumSq.equals(o.sumSq);
    }

    @Override
    public int hashCode() {
      return transactionId.hashCode();
    }
  }

  static final class ZCandidateMapper implements JdbcIO.RowMapper<ZCandidate> {
    @Override
    public ZCandidate mapRow(ResultSet rs) throws Exception {
      return new ZCandidate(
          rs.getString(1),
          rs.getString(2),
          rs.getString(3),
          rs.getBigDecimal(4),
          rs.getLong(5),
          rs.getBigDecimal(6),
          rs.getBigDecimal(7));
    }
  }

  abstract static class AsOfMapper<T> implements JdbcIO.RowMapper<T> {
    final LocalDate asOf;

    AsOfMapper(LocalDate asOf) {
      this.asOf = asOf;
    }
  }
}
