package io.c360.transforms.kpi;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Deterministic campaigns, web events and inventory snapshots of SPEC §8 on top of {@link
 * KpiFixture}'s customers, products and sales (call after it), with the edge cases the marts must
 * get right: sessions spanning midnight, anonymous sessions, touches planted before completed sales
 * (ties at one instant between two campaigns, the 7-day boundary on both sides, touches just after
 * the sale), campaigns without budget, with budget 0, open-ended, ended before or starting after a
 * window, products with snapshots and no sales (P21) and with sales and no snapshots (P16–P20),
 * shops whose latest snapshot is old, stock-outs, snapshots after D. event_date is the date of
 * event_ts in {@link KpiFixture#TZ}, as the loader writes it.
 */
final class WebFixture {
  static final String[] TYPES = {
    "page_view", "product_view", "add_to_cart", "checkout", "purchase"
  };

  /** (id, start, end or null, budget or null): K01 ends before every window, K12 is future. */
  static final Object[][] CAMPAIGNS = {
    {"K01", "2023-01-01", "2023-06-30", "1000.00"},
    {"K02", "2023-10-01", null, "5000.00"},
    {"K03", "2024-01-01", "2024-03-31", null},
    {"K04", "2024-03-01", "2024-12-31", "0"},
    {"K05", "2024-05-15", "2025-01-02", "2500.50"},
    {"K06", "2024-09-01", null, "800.00"},
    {"K07", "2025-01-03", "2025-04-01", "1200.00"},
    {"K08", "2025-03-01", "2025-05-15", "3000.00"},
    {"K09", "2023-11-01", "2024-04-01", "750.00"}, // ends on 2025-04-01 − 12 months: no overlap
    {"K10", "2023-10-01", null, null},
    {"K11", "2025-04-02", "2025-05-31", "100.00"},
    {"K12", "2025-06-01", null, "100.00"}
  };

  static final String[] ACTIVE_FOR_TOUCHES = {"K02", "K04", "K05", "K06", "K07", "K08", "K10"};

  private final Random rnd = new Random(16L);
  private long eventNo;

  void populate(Connection c) throws SQLException {
    insertCampaigns(c);
    insertEvents(c);
    insertInventory(c);
  }

  private void insertCampaigns(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO dw.dim_campaign (campaign_id, campaign_name, channel_id, start_date,"
                + " end_date, budget_eur, run_id) VALUES (?, ?, 'CH1', ?, ?, ?, 1)")) {
      for (Object[] k : CAMPAIGNS) {
        ps.setString(1, (String) k[0]);
        ps.setString(2, "Campaign " + k[0]);
        ps.setObject(3, LocalDate.parse((String) k[1]));
        ps.setObject(4, k[2] == null ? null : LocalDate.parse((String) k[2]), java.sql.Types.DATE);
        ps.setObject(
            5, k[3] == null ? null : new BigDecimal((String) k[3]), java.sql.Types.NUMERIC);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private void insertEvents(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO dw.fact_web_events (event_id, session_id, customer_id, event_type,"
                + " product_id, campaign_id, event_ts, event_date, date_key, run_id)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)")) {
      int session = 0;
      for (LocalDate d = KpiFixture.START; !d.isAfter(KpiFixture.END); d = d.plusDays(1)) {
        int sessions = 4 + rnd.nextInt(6);
        for (int s = 0; s < sessions; s++) {
          String sid = "S" + (++session);
          // anonymous visitors, loyal buyers (C0001–C0010 buy every few days), anyone
          String customer =
              rnd.nextInt(4) == 0
                  ? null
                  : String.format(
                      "C%04d", rnd.nextBoolean() ? 1 + rnd.nextInt(10) : 1 + rnd.nextInt(240));
          String campaign =
              rnd.nextInt(3) == 0
                  ? null
                  : ACTIVE_FOR_TOUCHES[rnd.nextInt(ACTIVE_FOR_TOUCHES.length)];
          // one session in eight starts just before midnight and goes on after it
          Instant t =
              rnd.nextInt(8) == 0
                  ? KpiFixture.local(d, 23, 40 + rnd.nextInt(15))
                  : KpiFixture.local(d, rnd.nextInt(23), rnd.nextInt(60));
          int depth = 1 + rnd.nextInt(TYPES.length);
          for (int e = 0; e < depth; e++) {
            String product = e == 0 ? null : String.format("P%02d", 1 + rnd.nextInt(20));
            add(ps, sid, customer, TYPES[e], product, e == 0 ? campaign : null, t);
            if (rnd.nextInt(3) == 0) { // a repeated event type in the same session
              add(ps, sid, customer, TYPES[e], product, null, t.plusSeconds(30));
            }
            t = t.plusSeconds(60 + rnd.nextInt(600));
          }
        }
      }
      plantTouches(c, ps);
      ps.executeBatch();
    }
  }

  /**
   * Touches placed relative to completed sales, so attribution and its edge cases are exercised.
   */
  private void plantTouches(Connection c, PreparedStatement ps) throws SQLException {
    List<Object[]> sales = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT customer_id, transaction_ts FROM dw.fact_sales WHERE status = 'completed'"
                    + " ORDER BY transaction_id")) {
      while (rs.next()) {
        sales.add(
            new Object[] {rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant()});
      }
    }
    long week = 7L * 24 * 3600;
    for (int i = 0; i < sales.size(); i++) {
      String customer = (String) sales.get(i)[0];
      Instant ts = (Instant) sales.get(i)[1];
      String sid = "T" + i;
      switch (i % 12) {
        case 0 -> add(ps, sid, customer, "page_view", null, "K06", ts.minusSeconds(3600));
        case 1 -> { // a tie at one instant: the smaller campaign_id wins
          add(ps, sid, customer, "page_view", null, "K08", ts.minusSeconds(7200));
          add(ps, sid + "b", customer, "page_view", null, "K05", ts.minusSeconds(7200));
        }
        case 2 -> add(ps, sid, customer, "page_view", null, "K07", ts.minusSeconds(week)); // in
        case 3 ->
            add(ps, sid, customer, "page_view", null, "K04", ts.minusSeconds(week + 1)); // out
        case 4 -> add(ps, sid, customer, "page_view", null, "K02", ts.plusSeconds(1)); // after
        case 5 -> add(ps, sid, customer, "page_view", null, "K10", ts); // at the sale's instant
        case 6 -> add(ps, sid, customer, "page_view", null, "K11", ts.minusSeconds(86400 * 2));
        default -> {}
      }
    }
  }

  private void add(
      PreparedStatement ps,
      String session,
      String customer,
      String type,
      String product,
      String campaign,
      Instant ts)
      throws SQLException {
    LocalDate day = LocalDate.ofInstant(ts, KpiFixture.TZ);
    ps.setString(1, "E" + (++eventNo));
    ps.setString(2, session);
    ps.setString(3, customer);
    ps.setString(4, type);
    ps.setString(5, product);
    ps.setString(6, campaign);
    ps.setObject(7, OffsetDateTime.ofInstant(ts, ZoneOffset.UTC));
    ps.setObject(8, day);
    ps.setInt(9, day.getYear() * 10000 + day.getMonthValue() * 100 + day.getDayOfMonth());
    ps.addBatch();
  }

  private void insertInventory(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      // P21: stocked, never sold
      st.executeUpdate(
          "INSERT INTO dw.dim_product (product_sk, product_id, product_name, category, brand,"
              + " list_price, row_hash, valid_from, valid_to, is_current, is_deleted, run_id)"
              + " VALUES (900001, 'P21', 'Product P21', 'Beauty', 'Brand', 9.99, 'h900001',"
              + " '2023-01-01 00:00+01', '9999-12-31 00:00+00', true, false, 1)");
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO dw.fact_inventory (snapshot_date, product_id, shop_id, on_hand, on_order,"
                + " unit_cost, product_sk, date_key, run_id) VALUES (?, ?, ?, ?, ?, 1.50,"
                + " (SELECT min(product_sk) FROM dw.dim_product WHERE product_id = ?), ?, 1)")) {
      LocalDate from = LocalDate.of(2024, 1, 1);
      for (int p = 1; p <= 21; p++) {
        if (p >= 16 && p <= 20) {
          continue; // sold, never stocked
        }
        String product = String.format("P%02d", p);
        for (int shop = 1; shop <= 3; shop++) {
          long stock = 20 + rnd.nextInt(80);
          // shop 3 of P03 stops reporting early: its latest snapshot is old for every D
          LocalDate last = p == 3 && shop == 3 ? LocalDate.of(2024, 2, 10) : KpiFixture.END;
          for (LocalDate d = from; !d.isAfter(last); d = d.plusDays(1)) {
            if (shop == 2 && rnd.nextInt(4) == 0) {
              continue; // shop 2 skips days
            }
            stock = Math.max(0, stock - rnd.nextInt(12));
            if (stock == 0 && rnd.nextInt(3) == 0) {
              stock = 40 + rnd.nextInt(60); // restocked
            }
            ps.setObject(1, d);
            ps.setString(2, product);
            ps.setString(3, "S" + shop);
            ps.setLong(4, stock);
            ps.setObject(
                5, rnd.nextBoolean() ? null : (long) rnd.nextInt(50), java.sql.Types.BIGINT);
            ps.setString(6, product);
            ps.setInt(7, d.getYear() * 10000 + d.getMonthValue() * 100 + d.getDayOfMonth());
            ps.addBatch();
          }
        }
      }
      ps.executeBatch();
    }
    // P15 is out of stock in every shop from 2025-05-01: its mean over the window stays positive
    try (Statement st = c.createStatement()) {
      st.executeUpdate(
          "UPDATE dw.fact_inventory SET on_hand = 0 WHERE product_id = 'P15'"
              + " AND snapshot_date >= '2025-05-01'");
    }
  }
}
