package io.c360.pipelines.daily;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneId;

/**
 * Loads a run's staged facts into {@code dw} in one transaction per entity, set-based.
 *
 * <p>Candidates are the run's staged rows plus rows still waiting in {@code dq.pending_rows}. Each
 * gets the surrogate keys of the dimension versions valid at its time (a fact older than its
 * member's first version takes the first version). A candidate whose customer, product or channel
 * is in no dimension version waits in {@code dq.pending_rows} (rule {@code relationships:<column>},
 * attempts counted); the others are upserted on their natural key, and only rows whose content
 * changed are rewritten, so a re-run leaves the facts as they were.
 */
public final class FactLoader {
  private FactLoader() {}

  /**
   * ANALYZE of a staging table through the owner's {@code staging.analyze_table} (sql/V60): only a
   * table's owner may analyze it before PostgreSQL 17, and the run works as the writer role.
   */
  static final String ANALYZE_STAGING = "SELECT staging.analyze_table(?)";

  /** Fresh planner statistics for {@code staging.<table>}. */
  static void analyzeStaging(Connection c, String table) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(ANALYZE_STAGING)) {
      ps.setString(1, table);
      ps.execute();
    }
  }

  /**
   * The natural key of a staged traffic row {@code t} as one text, the key of its {@code
   * dq.pending_rows} entry: {@code send_date|account_id|customer_id|channel_id}. Each id part has a
   * backslash and {@code |} escaped with a backslash, so ids holding a {@code |} cannot make two
   * keys one (account "A|B" of customer "C" and account "A" of customer "B|C" used to collide and
   * fail the whole load); ids without either character keep the spelling of earlier runs.
   */
  static final String TRAFFIC_KEY =
      "(t.send_date::text || '|' || "
          + keyPart("coalesce(t.account_id, '')")
          + " || '|' || "
          + keyPart("t.customer_id")
          + " || '|' || "
          + keyPart("t.channel_id")
          + ")";

  private static String keyPart(String expr) {
    return "replace(replace(" + expr + ", '\\', '\\\\'), '|', '\\|')";
  }

  /** Counts of one fact load. */
  public record Result(long loaded, long pending, long resolved, long stillPending) {}

  /** Type 1 upsert of the run's staged channels into dw.dim_channel. */
  public static long upsertChannels(Connection c, long runId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO dw.dim_channel AS d (channel_id, channel_name, channel_type, unit_price_eur,"
                + " run_id) SELECT channel_id, channel_name, channel_type, unit_price_eur, run_id"
                + " FROM staging.channels WHERE run_id = ? ON CONFLICT (channel_id) DO UPDATE SET"
                + " channel_name = excluded.channel_name, channel_type = excluded.channel_type,"
                + " unit_price_eur = excluded.unit_price_eur, run_id = excluded.run_id,"
                + " updated_at = now() WHERE (d.channel_name, d.channel_type, d.unit_price_eur) IS"
                + " DISTINCT FROM (excluded.channel_name, excluded.channel_type,"
                + " excluded.unit_price_eur)")) {
      ps.setLong(1, runId);
      return ps.executeUpdate();
    }
  }

  public static Result loadSales(Connection c, long runId, ZoneId zone) throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try (Statement st = c.createStatement()) {
      String tz = quote(zone.getId());
      String run = Long.toString(runId);
      // Fresh statistics: staging was just rewritten and temp tables are never auto-analyzed;
      // with stale ones the planner loops over what it thinks is one row.
      analyzeStaging(c, "sales");
      st.execute("DROP TABLE IF EXISTS c360_sales_cand");
      // This run's rows, plus pending rows that were not re-delivered in this run.
      st.execute(
          "CREATE TEMP TABLE c360_sales_cand ON COMMIT DROP AS"
              + " SELECT s.*, false AS from_pending FROM staging.sales s WHERE s.run_id = "
              + run
              + " UNION ALL SELECT (jsonb_populate_record(NULL::staging.sales, p.record)).*, true"
              + " FROM dq.pending_rows p WHERE p.entity = 'sales' AND NOT EXISTS (SELECT 1 FROM"
              + " staging.sales s WHERE s.run_id = "
              + run
              + " AND s.transaction_id = p.natural_key)");
      st.execute("ANALYZE c360_sales_cand");
      st.execute("DROP TABLE IF EXISTS c360_sales_keyed");
      st.execute(
          "CREATE TEMP TABLE c360_sales_keyed ON COMMIT DROP AS SELECT c.*,"
              + " coalesce(cv.customer_sk, cf.customer_sk) AS customer_sk,"
              + " CASE WHEN c.product_id IS NULL THEN NULL"
              + "      ELSE coalesce(pv.product_sk, pf.product_sk) END AS product_sk,"
              + " (c.transaction_ts AT TIME ZONE "
              + tz
              + ")::date AS sales_date FROM c360_sales_cand c"
              + " LEFT JOIN LATERAL (SELECT d.customer_sk FROM dw.dim_customer d WHERE"
              + "   d.customer_id = c.customer_id AND d.valid_from <= c.transaction_ts"
              + "   ORDER BY d.valid_from DESC LIMIT 1) cv ON true"
              + " LEFT JOIN LATERAL (SELECT d.customer_sk FROM dw.dim_customer d WHERE"
              + "   d.customer_id = c.customer_id ORDER BY d.valid_from LIMIT 1) cf ON true"
              + " LEFT JOIN LATERAL (SELECT d.product_sk FROM dw.dim_product d WHERE"
              + "   d.product_id = c.product_id AND d.valid_from <= c.transaction_ts"
              + "   ORDER BY d.valid_from DESC LIMIT 1) pv ON true"
              + " LEFT JOIN LATERAL (SELECT d.product_sk FROM dw.dim_product d WHERE"
              + "   d.product_id = c.product_id ORDER BY d.valid_from LIMIT 1) pf ON true");
      st.execute("ANALYZE c360_sales_keyed");
      st.execute(
          "SELECT dw.ensure_sales_partition(d) FROM (SELECT DISTINCT sales_date AS d FROM"
              + " c360_sales_keyed WHERE customer_sk IS NOT NULL AND (product_id IS NULL OR"
              + " product_sk IS NOT NULL)) x");
      String ready =
          " FROM c360_sales_keyed WHERE customer_sk IS NOT NULL AND (product_id IS NULL OR"
              + " product_sk IS NOT NULL)";
      // A re-delivered transaction whose date moved leaves its old partition.
      st.execute(
          "DELETE FROM dw.fact_sales f USING dw.sales_keys k, c360_sales_keyed r WHERE"
              + " k.transaction_id = r.transaction_id AND f.transaction_id = k.transaction_id AND"
              + " f.sales_date = k.sales_date AND k.sales_date <> r.sales_date AND r.customer_sk"
              + " IS NOT NULL AND (r.product_id IS NULL OR r.product_sk IS NOT NULL)");
      st.execute(
          "INSERT INTO dw.sales_keys AS k (transaction_id, sales_date) SELECT transaction_id,"
              + " sales_date"
              + ready
              + " ON CONFLICT (transaction_id) DO UPDATE SET sales_date = excluded.sales_date"
              + " WHERE k.sales_date <> excluded.sales_date");
      st.execute(
          "INSERT INTO dw.fact_sales AS f (transaction_id, order_id, customer_id, product_id,"
              + " shop_id, customer_sk, product_sk, date_key, sales_date, transaction_ts, quantity,"
              + " unit_price, amount, status, amount_imputed, industry_at_sale, category_at_sale,"
              + " run_id) SELECT transaction_id, order_id, customer_id, product_id, shop_id,"
              + " customer_sk, product_sk, to_char(sales_date, 'YYYYMMDD')::int, sales_date,"
              + " transaction_ts, quantity, unit_price, amount, status, amount_imputed,"
              // the attributes the KPI state counts the sale under (sql/V50)
              + " (SELECT d.industry FROM dw.dim_customer d WHERE d.customer_sk ="
              + " c360_sales_keyed.customer_sk), (SELECT d.category FROM dw.dim_product d WHERE"
              + " d.product_sk = c360_sales_keyed.product_sk), "
              + run
              + ready
              + " ON CONFLICT (sales_date, transaction_id) DO UPDATE SET order_id ="
              + " excluded.order_id, customer_id = excluded.customer_id, product_id ="
              + " excluded.product_id, shop_id = excluded.shop_id, customer_sk ="
              + " excluded.customer_sk, product_sk = excluded.product_sk, transaction_ts ="
              + " excluded.transaction_ts, quantity = excluded.quantity, unit_price ="
              + " excluded.unit_price, amount = excluded.amount, status = excluded.status,"
              + " amount_imputed = excluded.amount_imputed, industry_at_sale ="
              + " excluded.industry_at_sale, category_at_sale = excluded.category_at_sale,"
              + " run_id = excluded.run_id WHERE"
              + " (f.order_id, f.customer_id, f.product_id, f.shop_id, f.customer_sk,"
              + " f.product_sk, f.transaction_ts, f.quantity, f.unit_price, f.amount, f.status,"
              + " f.amount_imputed, f.industry_at_sale, f.category_at_sale) IS DISTINCT FROM"
              + " (excluded.order_id, excluded.customer_id,"
              + " excluded.product_id, excluded.shop_id, excluded.customer_sk,"
              + " excluded.product_sk, excluded.transaction_ts, excluded.quantity,"
              + " excluded.unit_price, excluded.amount, excluded.status,"
              + " excluded.amount_imputed, excluded.industry_at_sale, excluded.category_at_sale)");
      insertDates(st, "SELECT DISTINCT sales_date" + ready);
      Result r =
          settlePending(
              st,
              runId,
              "sales",
              "transaction_id",
              "c360_sales_keyed",
              "customer_sk IS NOT NULL AND (product_id IS NULL OR product_sk IS NOT NULL)",
              "CASE WHEN customer_sk IS NULL THEN 'relationships:customer_id' ELSE"
                  + " 'relationships:product_id' END",
              "CASE WHEN customer_sk IS NULL THEN 'customer_id ' || customer_id || ' is in no"
                  + " version of dw.dim_customer' ELSE 'product_id ' || product_id || ' is in no"
                  + " version of dw.dim_product' END",
              "staging.sales");
      c.commit();
      return r;
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(auto);
    }
  }

  public static Result loadTraffic(Connection c, long runId, ZoneId zone) throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try (Statement st = c.createStatement()) {
      String tz = quote(zone.getId());
      String run = Long.toString(runId);
      String key = TRAFFIC_KEY;
      // Fresh statistics: staging was just rewritten and temp tables are never auto-analyzed;
      // with stale ones the planner loops over what it thinks is one row.
      analyzeStaging(c, "traffic");
      st.execute("DROP TABLE IF EXISTS c360_traffic_cand");
      st.execute(
          "CREATE TEMP TABLE c360_traffic_cand ON COMMIT DROP AS"
              + " SELECT t.*, "
              + key
              + " AS natural_key, false AS from_pending FROM staging.traffic t WHERE t.run_id = "
              + run
              + " UNION ALL SELECT t.*, p.natural_key, true FROM dq.pending_rows p CROSS JOIN"
              + " LATERAL jsonb_populate_record(NULL::staging.traffic, p.record) t WHERE p.entity"
              + " = 'traffic' AND NOT EXISTS (SELECT 1 FROM staging.traffic t WHERE t.run_id = "
              + run
              + " AND "
              + key
              + " = p.natural_key)");
      st.execute("ANALYZE c360_traffic_cand");
      st.execute("DROP TABLE IF EXISTS c360_traffic_keyed");
      st.execute(
          "CREATE TEMP TABLE c360_traffic_keyed ON COMMIT DROP AS SELECT c.*,"
              + " coalesce(cv.customer_sk, cf.customer_sk) AS customer_sk,"
              + " EXISTS (SELECT 1 FROM dw.dim_channel ch WHERE ch.channel_id = c.channel_id) AS"
              + " channel_known FROM c360_traffic_cand c"
              + " LEFT JOIN LATERAL (SELECT d.customer_sk FROM dw.dim_customer d WHERE"
              + "   d.customer_id = c.customer_id AND d.valid_from <= (c.send_date::timestamp AT"
              + "   TIME ZONE "
              + tz
              + ") ORDER BY d.valid_from DESC LIMIT 1) cv ON true"
              + " LEFT JOIN LATERAL (SELECT d.customer_sk FROM dw.dim_customer d WHERE"
              + "   d.customer_id = c.customer_id ORDER BY d.valid_from LIMIT 1) cf ON true");
      st.execute("ANALYZE c360_traffic_keyed");
      String readyCond = "customer_sk IS NOT NULL AND channel_known";
      st.execute(
          "INSERT INTO dw.fact_traffic AS f (send_date, account_id, customer_id, channel_id,"
              + " customer_sk, date_key, interactions_count, revenue_eur, run_id) SELECT"
              + " send_date, coalesce(account_id, ''), customer_id, channel_id, customer_sk,"
              + " to_char(send_date, 'YYYYMMDD')::int, interactions_count, revenue_eur, "
              + run
              + " FROM c360_traffic_keyed WHERE "
              + readyCond
              + " ON CONFLICT (send_date, account_id, customer_id, channel_id) DO UPDATE SET"
              + " customer_sk = excluded.customer_sk, interactions_count ="
              + " excluded.interactions_count, revenue_eur = excluded.revenue_eur, run_id ="
              + " excluded.run_id WHERE (f.customer_sk, f.interactions_count, f.revenue_eur) IS"
              + " DISTINCT FROM (excluded.customer_sk, excluded.interactions_count,"
              + " excluded.revenue_eur)");
      insertDates(st, "SELECT DISTINCT send_date FROM c360_traffic_keyed WHERE " + readyCond);
      Result r =
          settlePending(
              st,
              runId,
              "traffic",
              "natural_key",
              "c360_traffic_keyed",
              readyCond,
              "CASE WHEN customer_sk IS NULL THEN 'relationships:customer_id' ELSE"
                  + " 'relationships:channel_id' END",
              "CASE WHEN customer_sk IS NULL THEN 'customer_id ' || customer_id || ' is in no"
                  + " version of dw.dim_customer' ELSE 'channel_id ' || channel_id || ' is not in"
                  + " dw.dim_channel' END",
              "staging.traffic");
      c.commit();
      return r;
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(auto);
    }
  }

  /**
   * Deletes pending rows that loaded, records (or re-records) those still waiting, and counts: this
   * run's rows loaded / pending, earlier pending rows resolved / still waiting.
   */
  private static Result settlePending(
      Statement st,
      long runId,
      String entity,
      String keyExpr,
      String keyed,
      String readyCond,
      String ruleExpr,
      String messageExpr,
      String stagingTable)
      throws SQLException {
    long loaded, pending, resolved, stillPending;
    try (ResultSet rs =
        st.executeQuery(
            "SELECT count(*) FILTER (WHERE NOT from_pending AND ("
                + readyCond
                + ")), count(*) FILTER (WHERE NOT from_pending AND NOT ("
                + readyCond
                + ")), count(*) FILTER (WHERE from_pending AND ("
                + readyCond
                + ")), count(*) FILTER (WHERE from_pending AND NOT ("
                + readyCond
                + ")) FROM "
                + keyed)) {
      rs.next();
      loaded = rs.getLong(1);
      pending = rs.getLong(2);
      resolved = rs.getLong(3);
      stillPending = rs.getLong(4);
    }
    String e = quote(entity);
    st.executeUpdate(
        "DELETE FROM dq.pending_rows p USING "
            + keyed
            + " k WHERE p.entity = "
            + e
            + " AND p.natural_key = k."
            + keyExpr
            + " AND ("
            + readyCond
            + ")");
    // The record keeps the typed row so a retry needs neither the file nor the cleaning again.
    String[] cols = stagingColumns(st, stagingTable);
    String rec =
        "jsonb_build_object("
            + String.join(
                ", ", java.util.Arrays.stream(cols).map(x -> "'" + x + "', " + x).toList())
            + ")";
    st.executeUpdate(
        "INSERT INTO dq.pending_rows AS p (entity, natural_key, rule, message, first_run_id,"
            + " last_run_id, attempts, source_file, line_no, record) SELECT "
            + e
            + ", "
            + keyExpr
            + ", "
            + ruleExpr
            + ", "
            + messageExpr
            + ", "
            + runId
            + ", "
            + runId
            + ", 1, source_file, line_no, "
            + rec
            + " FROM "
            + keyed
            + " WHERE NOT ("
            + readyCond
            + ") ON CONFLICT (entity, natural_key) DO UPDATE SET rule = excluded.rule, message ="
            + " excluded.message, last_run_id = excluded.last_run_id, attempts = p.attempts + 1,"
            + " source_file = excluded.source_file, line_no = excluded.line_no, record ="
            + " excluded.record WHERE p.last_run_id <> excluded.last_run_id");
    return new Result(loaded, pending, resolved, stillPending);
  }

  private static String[] stagingColumns(Statement st, String stagingTable) throws SQLException {
    String[] parts = stagingTable.split("\\.");
    java.util.List<String> cols = new java.util.ArrayList<>();
    try (ResultSet rs =
        st.executeQuery(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = "
                + quote(parts[0])
                + " AND table_name = "
                + quote(parts[1])
                + " ORDER BY ordinal_position")) {
      while (rs.next()) {
        cols.add(rs.getString(1));
      }
    }
    return cols.toArray(new String[0]);
  }

  private static void insertDates(Statement st, String datesQuery) throws SQLException {
    st.execute(
        "INSERT INTO dw.dim_date (date_key, date, year, quarter, month, day, iso_week,"
            + " day_of_week, month_start, quarter_start, is_weekend) SELECT"
            + " to_char(d, 'YYYYMMDD')::int, d, extract(year FROM d), extract(quarter FROM d),"
            + " extract(month FROM d), extract(day FROM d), extract(week FROM d),"
            + " extract(isodow FROM d), date_trunc('month', d)::date, date_trunc('quarter',"
            + " d)::date, extract(isodow FROM d) >= 6 FROM ("
            + datesQuery
            + ") x(d) ON CONFLICT (date_key) DO NOTHING");
  }

  /** A SQL string literal; used only for values c360 itself produced (zone ids, entity names). */
  static String quote(String s) {
    return "'" + s.replace("'", "''") + "'";
  }
}
