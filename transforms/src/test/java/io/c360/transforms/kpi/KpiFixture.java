package io.c360.transforms.kpi;

import io.c360.transforms.model.Entities;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Deterministic synthetic dw history for the KPI tests, respecting the loaders' invariants: SCD2
 * versions without gaps or overlaps (valid_from inclusive, valid_to exclusive, tombstones), sales
 * keyed to the versions valid at transaction time (or the first version), sales_date = date of
 * transaction_ts in the timezone. About 600 days, 240 customers, 20 products, ~14k sales.
 */
final class KpiFixture {
  static final ZoneId TZ = ZoneId.of("Europe/Berlin");
  static final LocalDate START = LocalDate.of(2023, 10, 1);
  static final LocalDate END = LocalDate.of(2025, 5, 31);
  static final Instant OPEN = Instant.parse("9999-12-31T00:00:00Z");
  static final String[] SEGMENTS = {"SMB", "Mid-Market", "Enterprise", null};
  static final String[] INDUSTRIES = {"Retail", "Finance", "Tech", "Health", "Energy", null};
  static final String[] CITIES = {"Berlin", "Paris", "Madrid", "Rome", "Vienna"};
  static final int CUSTOMERS = 240;
  static final int PRODUCTS = 20;

  private final Random rnd = new Random(20250101L);
  private final List<Version> customers = new ArrayList<>();
  private final List<Product> products = new ArrayList<>();
  private long sk = 1;

  record Version(
      long sk,
      String id,
      String segment,
      String industry,
      String city,
      Instant from,
      Instant to,
      boolean deleted,
      boolean current) {}

  record Product(long sk, String id, String category, BigDecimal price, Instant from, Instant to) {}

  static Instant local(LocalDate d, int hour, int minute) {
    return LocalDateTime.of(d, LocalTime.of(hour, minute)).atZone(TZ).toInstant();
  }

  static Instant midnight(LocalDate d) {
    return d.atStartOfDay(TZ).toInstant();
  }

  void populate(Connection c) throws SQLException {
    buildCustomers();
    buildProducts();
    insertCustomers(c);
    insertProducts(c);
    insertSales(c);
    insertTraffic(c);
    new WebFixture().populate(c); // SPEC §8: campaigns, web events, inventory
  }

  private void buildCustomers() {
    for (int i = 1; i <= CUSTOMERS; i++) {
      String id = String.format("C%04d", i);
      List<Instant> starts = new ArrayList<>();
      Instant first = local(LocalDate.of(2023, 6, 1).plusDays(rnd.nextInt(300)), 9, 15);
      if (i % 40 == 7) {
        first = midnight(LocalDate.of(2024, 9, 15)); // late first version: sales come earlier
      }
      starts.add(first);
      int changes = rnd.nextInt(4);
      for (int k = 0; k < changes; k++) {
        LocalDate d = START.plusDays(rnd.nextInt((int) (END.toEpochDay() - START.toEpochDay())));
        Instant t = rnd.nextInt(3) == 0 ? midnight(d) : local(d, rnd.nextInt(24), rnd.nextInt(60));
        if (t.isAfter(first) && !starts.contains(t)) {
          starts.add(t);
        }
      }
      // boundary versions around the as_of dates of the test (valid at D vs. from D + 1)
      if (i == 11) {
        starts.add(midnight(LocalDate.of(2025, 4, 1)));
      }
      if (i == 12) {
        starts.add(midnight(LocalDate.of(2025, 4, 2)));
      }
      if (i == 13) {
        starts.add(midnight(LocalDate.of(2024, 4, 1)).plusSeconds(3600 * 23 + 59 * 60));
        starts.add(local(LocalDate.of(2024, 4, 2), 0, 30));
      }
      starts.sort(null);
      String segment = SEGMENTS[rnd.nextInt(SEGMENTS.length)];
      String industry = INDUSTRIES[rnd.nextInt(INDUSTRIES.length)];
      String city = CITIES[rnd.nextInt(CITIES.length)];
      boolean tombstone = i == 5 || i == 77 || i == 150;
      if (tombstone) {
        starts.add(midnight(LocalDate.of(2024, 11, 10)).plusSeconds(3600 * (i % 5)));
        starts.sort(null);
      }
      for (int k = 0; k < starts.size(); k++) {
        boolean deleted = tombstone && starts.get(k).equals(tombstoneStart(i));
        if (k > 0 && !deleted) {
          switch (rnd.nextInt(3)) {
            case 0 -> segment = SEGMENTS[rnd.nextInt(SEGMENTS.length)];
            case 1 -> industry = INDUSTRIES[rnd.nextInt(INDUSTRIES.length)];
            default -> city = CITIES[rnd.nextInt(CITIES.length)];
          }
        }
        if (i == 11 || i == 12) {
          segment = k % 2 == 0 ? "SMB" : "Enterprise"; // each version changes the segment
        }
        Instant to = k + 1 < starts.size() ? starts.get(k + 1) : OPEN;
        customers.add(
            new Version(
                sk++,
                id,
                segment,
                industry,
                city,
                starts.get(k),
                to,
                deleted,
                k + 1 == starts.size()));
      }
    }
  }

  private static Instant tombstoneStart(int i) {
    return midnight(LocalDate.of(2024, 11, 10)).plusSeconds(3600 * (i % 5));
  }

  private void buildProducts() {
    for (int i = 1; i <= PRODUCTS; i++) {
      String id = String.format("P%02d", i);
      String category = Entities.CATEGORIES.get(i % Entities.CATEGORIES.size());
      BigDecimal price = BigDecimal.valueOf(500 + rnd.nextInt(20000), 2);
      Instant first = midnight(LocalDate.of(2023, 1, 1));
      if (i == 5) { // category change mid-history
        Instant change = midnight(LocalDate.of(2024, 8, 1));
        products.add(new Product(sk++, id, "Books", price, first, change));
        products.add(new Product(sk++, id, "Kitchen", price, change, OPEN));
      } else {
        products.add(new Product(sk++, id, category, price, first, OPEN));
      }
    }
  }

  private void insertCustomers(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO dw.dim_customer (customer_sk, customer_id, account_id, name, email, city,"
                + " country, segment, industry, created_date, row_hash, valid_from, valid_to,"
                + " is_current, is_deleted, run_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1)")) {
      for (Version v : customers) {
        int n = Integer.parseInt(v.id.substring(1));
        ps.setLong(1, v.sk);
        ps.setString(2, v.id);
        ps.setString(3, n % 9 == 0 ? null : "A" + (n % 50));
        ps.setString(4, "Customer " + n);
        ps.setString(5, n % 13 == 0 ? null : "c" + n + "@example.com");
        ps.setString(6, v.city);
        ps.setString(7, "DE");
        ps.setString(8, v.segment);
        ps.setString(9, v.industry);
        ps.setObject(10, n % 17 == 0 ? null : LocalDate.of(2020, 1, 1).plusDays(n));
        ps.setString(11, "h" + v.sk);
        ps.setObject(12, OffsetDateTime.ofInstant(v.from, ZoneOffset.UTC));
        ps.setObject(13, OffsetDateTime.ofInstant(v.to, ZoneOffset.UTC));
        ps.setBoolean(14, v.current);
        ps.setBoolean(15, v.deleted);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private void insertProducts(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO dw.dim_product (product_sk, product_id, product_name, category, brand,"
                + " list_price, row_hash, valid_from, valid_to, is_current, is_deleted, run_id)"
                + " VALUES (?,?,?,?,?,?,?,?,?,?,false,1)")) {
      for (Product p : products) {
        ps.setLong(1, p.sk);
        ps.setString(2, p.id);
        ps.setString(3, "Product " + p.id);
        ps.setString(4, p.category);
        ps.setString(5, "Brand");
        ps.setBigDecimal(6, p.price);
        ps.setString(7, "h" + p.sk);
        ps.setObject(8, OffsetDateTime.ofInstant(p.from, ZoneOffset.UTC));
        ps.setObject(9, OffsetDateTime.ofInstant(p.to, ZoneOffset.UTC));
        ps.setBoolean(10, p.to.equals(OPEN));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private long customerSkAt(String id, Instant ts) {
    Version first = null;
    for (Version v : customers) {
      if (v.id.equals(id)) {
        if (first == null) {
          first = v;
        }
        if (!ts.isBefore(v.from) && ts.isBefore(v.to)) {
          return v.sk;
        }
      }
    }
    return first.sk;
  }

  private Product productAt(String id, Instant ts) {
    for (Product p : products) {
      if (p.id.equals(id) && !ts.isBefore(p.from) && ts.isBefore(p.to)) {
        return p;
      }
    }
    throw new IllegalStateException(id + " at " + ts);
  }

  private boolean deletedBefore(String id, Instant ts) {
    for (Version v : customers) {
      if (v.id.equals(id) && v.deleted && !ts.isBefore(v.from)) {
        return true;
      }
    }
    return false;
  }

  private void insertSales(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO dw.fact_sales (transaction_id, order_id, customer_id, product_id,"
                + " shop_id, customer_sk, product_sk, date_key, sales_date, transaction_ts,"
                + " quantity, unit_price, amount, status, amount_imputed, run_id)"
                + " VALUES (?,?,?,?,'S1',?,?,?,?,?,?,?,?,?,false,1)")) {
      int tx = 0;
      int order = 0;
      // orders split over dates and customers (order ids recur, as in real feeds): a separate
      // stream, so the rest of the fixture stays what it was
      Random splits = new Random(99);
      List<String> earlierOrders = new ArrayList<>();
      for (LocalDate d = START; !d.isAfter(END); d = d.plusDays(1)) {
        List<String> buyers = new ArrayList<>();
        // loyal customers buy every few days so some are consistent top customers
        for (int i = 1; i <= 10; i++) {
          if ((d.getDayOfMonth() + i) % 5 == 0) {
            buyers.add(String.format("C%04d", i));
          }
        }
        int k = 8 + rnd.nextInt(10);
        for (int j = 0; j < k; j++) {
          // customers above 220 never buy; their rows come from the dimension alone
          buyers.add(String.format("C%04d", 1 + rnd.nextInt(220)));
        }
        for (String customer : buyers) {
          Instant ts = local(d, rnd.nextInt(24), rnd.nextInt(60));
          if (deletedBefore(customer, ts)) {
            continue;
          }
          int lines = rnd.nextInt(5) == 0 ? 2 + rnd.nextInt(2) : 1;
          String orderId = rnd.nextInt(5) == 0 ? null : "O" + (++order);
          if (orderId == null) {
            lines = 1;
          } else if (splits.nextInt(20) == 0 && !earlierOrders.isEmpty()) {
            // a line of an order of an earlier date, often another customer's
            orderId = earlierOrders.get(splits.nextInt(earlierOrders.size()));
          } else {
            earlierOrders.add(orderId);
            if (earlierOrders.size() > 300) {
              earlierOrders.remove(0);
            }
          }
          for (int l = 0; l < lines; l++) {
            String tid = String.format("T%06d", ++tx);
            String productId =
                rnd.nextInt(30) == 0 ? null : String.format("P%02d", 1 + rnd.nextInt(PRODUCTS));
            Product product = productId == null ? null : productAt(productId, ts);
            long quantity = rnd.nextInt(120) == 0 ? 30 + rnd.nextInt(50) : 1 + rnd.nextInt(5);
            BigDecimal unit = product == null ? BigDecimal.valueOf(1999, 2) : product.price;
            if ("P07".equals(productId) && rnd.nextInt(40) == 0) {
              unit = unit.multiply(BigDecimal.valueOf(60)); // z-score outlier
            }
            int r = rnd.nextInt(100);
            String status = r < 84 ? "completed" : r < 92 ? "cancelled" : "returned";
            BigDecimal amount =
                unit.multiply(BigDecimal.valueOf(quantity)).setScale(4, RoundingMode.HALF_UP);
            if (status.equals("returned")) {
              amount = amount.negate();
            }
            ps.setString(1, tid);
            ps.setString(2, orderId);
            ps.setString(3, customer);
            ps.setString(4, productId);
            ps.setLong(5, customerSkAt(customer, ts));
            ps.setObject(6, product == null ? null : product.sk, java.sql.Types.BIGINT);
            ps.setInt(7, d.getYear() * 10000 + d.getMonthValue() * 100 + d.getDayOfMonth());
            ps.setObject(8, LocalDate.ofInstant(ts, TZ));
            ps.setObject(9, OffsetDateTime.ofInstant(ts, ZoneOffset.UTC));
            ps.setLong(10, quantity);
            ps.setBigDecimal(11, unit);
            ps.setBigDecimal(12, amount);
            ps.setString(13, status);
            ps.addBatch();
          }
        }
      }
      ps.executeBatch();
    }
    // as the fact loader does: the version's industry and category at sale travel with the fact
    try (java.sql.Statement st = c.createStatement()) {
      st.executeUpdate(
          "UPDATE dw.fact_sales f SET industry_at_sale = d.industry FROM dw.dim_customer d"
              + " WHERE d.customer_sk = f.customer_sk");
      st.executeUpdate(
          "UPDATE dw.fact_sales f SET category_at_sale = d.category FROM dw.dim_product d"
              + " WHERE d.product_sk = f.product_sk");
    }
  }

  private void insertTraffic(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO dw.fact_traffic (send_date, account_id, customer_id, channel_id,"
                + " customer_sk, date_key, interactions_count, revenue_eur, run_id)"
                + " VALUES (?,'',?,?,?,?,?,?,1)")) {
      Set<String> seen = new HashSet<>();
      for (LocalDate d = START; !d.isAfter(END); d = d.plusDays(1)) {
        for (int j = 0; j < 6; j++) {
          String customer = String.format("C%04d", 1 + rnd.nextInt(60));
          String channel = "CH" + (1 + rnd.nextInt(4));
          if (!seen.add(d + customer + channel)) {
            continue;
          }
          ps.setObject(1, d);
          ps.setString(2, customer);
          ps.setString(3, channel);
          ps.setLong(4, customerSkAt(customer, midnight(d)));
          ps.setInt(5, d.getYear() * 10000 + d.getMonthValue() * 100 + d.getDayOfMonth());
          ps.setLong(6, 1 + rnd.nextInt(20));
          ps.setBigDecimal(7, BigDecimal.valueOf(rnd.nextInt(50000) - 5000, 4));
          ps.addBatch();
        }
      }
      ps.executeBatch();
    }
  }
}
