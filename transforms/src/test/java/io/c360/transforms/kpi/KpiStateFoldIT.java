package io.c360.transforms.kpi;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.c360.transforms.testing.TestDatabase;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The incremental KPI state ({@code sql/V50}) equals a plain model recomputed from all facts, after
 * any sequence of fact writes — inserts, upserts that change amount, status or quantity, moves to
 * another date, deletes, SCD2 re-pointing to a version with another industry or category, traffic
 * upserts — with folds at arbitrary points in between (a fold may see any prefix of the writes).
 * The model is a few lines of Java over the facts as they stand, written from SPEC §4's
 * definitions, not from the fold's SQL.
 */
class KpiStateFoldIT {
  static final TestDatabase DB = new TestDatabase();
  static final LocalDate DAY0 = LocalDate.of(2025, 1, 28);
  static final String[] CUSTOMERS = {"C1", "C2", "C3"};
  static final String[] PRODUCTS = {"P1", "P2"};
  static final String[] STATUSES = {"completed", "completed", "cancelled", "returned"};

  @BeforeContainer
  static void start() throws Exception {
    DB.beforeAll(null);
    try (Connection c = DB.open();
        Statement st = c.createStatement()) {
      // two versions per key, with another industry / category, so re-pointing moves revenue
      for (int i = 0; i < CUSTOMERS.length; i++) {
        for (int v = 0; v < 2; v++) {
          st.execute(
              String.format(
                  "INSERT INTO dw.dim_customer (customer_sk, customer_id, name, industry, row_hash,"
                      + " valid_from, valid_to, is_current, run_id) VALUES (%d, '%s', 'n', '%s',"
                      + " 'h', '%s', '%s', %s, 1)",
                  10 * i + v + 1,
                  CUSTOMERS[i],
                  v == 0 ? "Retail" : "Tech",
                  v == 0 ? "2000-01-01" : "2025-02-01",
                  v == 0 ? "2025-02-01" : "9999-12-31",
                  v == 1));
        }
      }
      for (int i = 0; i < PRODUCTS.length; i++) {
        for (int v = 0; v < 2; v++) {
          st.execute(
              String.format(
                  "INSERT INTO dw.dim_product (product_sk, product_id, product_name, category,"
                      + " row_hash, valid_from, valid_to, is_current, run_id) VALUES (%d, '%s',"
                      + " 'n', '%s', 'h', '%s', '%s', %s, 1)",
                  10 * i + v + 1,
                  PRODUCTS[i],
                  v == 0 ? "Books" : "Kitchen",
                  v == 0 ? "2000-01-01" : "2025-02-01",
                  v == 0 ? "2025-02-01" : "9999-12-31",
                  v == 1));
        }
      }
    }
  }

  @AfterContainer
  static void stop() throws Exception {
    DB.afterAll(null);
  }

  /** The kind of {@link Op} that folds. */
  static final int FOLD = 7;

  /** One write to the facts, or a fold (kind 7). */
  record Op(int kind, int tx, int customer, int product, int day, int status, int qty, int cents) {}

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<Op> op =
        Combinators.combine(
                Arbitraries.integers().between(0, 7),
                Arbitraries.integers().between(1, 12),
                Arbitraries.integers().between(0, CUSTOMERS.length - 1),
                Arbitraries.integers().between(-1, PRODUCTS.length - 1),
                // half of the writes on one date, so lines of one order meet in one bucket
                Arbitraries.frequencyOf(
                    Tuple.of(1, Arbitraries.just(4)),
                    Tuple.of(1, Arbitraries.integers().between(0, 9))),
                Arbitraries.integers().between(0, STATUSES.length - 1),
                Arbitraries.integers().between(1, 4),
                Arbitraries.integers().between(1, 5))
            .as(Op::new);
    return op.list().ofMinSize(1).ofMaxSize(40);
  }

  @Property(tries = 40)
  void foldedStateEqualsTheModelOfTheFacts(@ForAll("ops") List<Op> ops) throws Exception {
    try (Connection c = DB.open();
        Statement st = c.createStatement()) {
      // emptying the facts empties the state (the TRUNCATE triggers of sql/V50)
      st.execute("TRUNCATE dw.fact_sales, dw.fact_traffic");
      for (Op o : ops) {
        apply(c, o);
        if (o.kind() == FOLD) {
          assertStateEqualsTheModel(c); // each fold's state, not only the last
        }
      }
      st.execute("SELECT kpi.fold()");
      assertStateEqualsTheModel(c);
    }
  }

  /**
   * Lines of one order that come and go over several folds: the distinct-order counts move only
   * when an order's first line arrives or its last one leaves (sql/V68's order line counts).
   */
  @Example
  void linesOfOneOrderComeAndGoAcrossFolds() throws Exception {
    Op fold = new Op(FOLD, 1, 0, 0, 0, 0, 1, 1);
    foldedStateEqualsTheModelOfTheFacts(
        List.of(
            new Op(0, 1, 0, 0, 4, 0, 1, 1), // T1 of O1: P1, completed
            fold,
            new Op(0, 2, 0, 0, 4, 0, 2, 2), // T2 of O1: same customer, product and date
            fold,
            new Op(0, 1, 0, 0, 4, 2, 1, 1), // T1 cancelled: O1 still counts through T2
            fold,
            new Op(0, 4, 1, 0, 4, 0, 1, 3), // T4 of O1 for another customer
            fold,
            new Op(5, 2, 0, 0, 4, 0, 1, 1), // T2 deleted
            fold,
            new Op(0, 4, 1, 0, 5, 0, 1, 3), // T4 moves to the next date
            fold,
            new Op(5, 4, 0, 0, 0, 0, 1, 1))); // O1's last completed line goes
  }

  private static void assertStateEqualsTheModel(Connection c) throws SQLException {
    Model m = Model.of(c);
    assertThat(
        rows(
            c,
            "SELECT customer_id, sales, completed, rev_sales, revenue, units, orders,"
                + " categories::text, first_completed, last_completed FROM kpi.customer_total"),
        equalTo(m.customerTotals()));
    assertThat(
        rows(
            c,
            "SELECT sales_date, customer_id, sales, completed, rev_sales, revenue, units, orders,"
                + " categories::text FROM kpi.customer_day"),
        equalTo(m.customerDays()));
    assertThat(
        rows(c, "SELECT month, customer_id, sales, revenue, orders FROM kpi.customer_month"),
        equalTo(m.customerMonths()));
    // the compact order state the fold counts distinct orders from (sql/V68)
    assertThat(
        rows(c, "SELECT sales_date, customer_id, order_key, n FROM kpi.customer_order"),
        equalTo(m.orderLines(f -> f.date + "|" + f.customer + "|" + f.orderKey())));
    assertThat(
        rows(c, "SELECT sales_date, product_id, category, order_key, n FROM kpi.product_order"),
        equalTo(
            m.orderLines(
                f ->
                    f.product == null
                        ? null
                        : f.date
                            + "|"
                            + f.product
                            + "|"
                            + (f.category == null ? "" : f.category)
                            + "|"
                            + f.orderKey())));
    assertThat(
        rows(c, "SELECT sales_date, sales, revenue, orders, customers, units FROM kpi.sales_day"),
        equalTo(m.salesDays()));
    assertThat(
        rows(c, "SELECT sales_date, industry, revenue FROM kpi.industry_day"),
        equalTo(m.industryDays()));
    assertThat(
        rows(
            c,
            "SELECT sales_date, product_id, category, sales, revenue, units, orders, rev_n,"
                + " rev_sum, rev_sumsq FROM kpi.product_day"),
        equalTo(m.productDays()));
    assertThat(rows(c, "SELECT sales_date, amount, n FROM kpi.amount_day"), equalTo(m.amounts()));
    assertThat(
        rows(c, "SELECT sales_date, quantity, n FROM kpi.quantity_day"), equalTo(m.quantities()));
    assertThat(
        rows(c, "SELECT month, customer_id, channel_id, rows, revenue FROM kpi.traffic_month"),
        equalTo(m.trafficMonths()));
    assertThat(
        rows(c, "SELECT customer_id, channel_id, first_send_date FROM kpi.traffic_pair"),
        equalTo(m.trafficPairs()));
    assertThat(
        rows(c, "SELECT order_key, first_date, last_date FROM kpi.order_span"),
        equalTo(m.orderSpans()));
  }

  private static void apply(Connection c, Op o) throws SQLException {
    String tx = "T" + o.tx();
    String customer = CUSTOMERS[o.customer()];
    LocalDate day = DAY0.plusDays(o.day());
    switch (o.kind()) {
      case 0, 1, 2 -> { // upsert: insert, or change amount, status, quantity, product, order
        String product = o.product() < 0 ? null : PRODUCTS[o.product()];
        // the version valid at the sale's date: the second one from 2025-02-01
        int v = day.isBefore(LocalDate.of(2025, 2, 1)) ? 1 : 2;
        String status = STATUSES[o.status()];
        BigDecimal amount = BigDecimal.valueOf(o.cents() * 125L, 2);
        if (status.equals("returned")) {
          amount = amount.negate();
        }
        try (PreparedStatement del =
                c.prepareStatement(
                    "DELETE FROM dw.fact_sales WHERE transaction_id = ? AND sales_date <> ?");
            PreparedStatement ps =
                c.prepareStatement(
                    "INSERT INTO dw.fact_sales (transaction_id, order_id, customer_id, product_id,"
                        + " customer_sk, product_sk, date_key, sales_date, transaction_ts,"
                        + " quantity, amount, status, run_id, industry_at_sale, category_at_sale)"
                        + " SELECT ?, ?, ?, ?, c.customer_sk, p.product_sk, 0, ?, ?, ?, ?, ?, 1,"
                        + " c.industry, p.category FROM dw.dim_customer c LEFT JOIN"
                        + " dw.dim_product p ON p.product_id = ? AND p.product_sk % 10 = ?"
                        + " WHERE c.customer_id = ? AND c.customer_sk % 10 = ?"
                        + " ON CONFLICT (sales_date, transaction_id) DO UPDATE SET"
                        + " order_id = excluded.order_id, customer_id = excluded.customer_id,"
                        + " product_id = excluded.product_id, customer_sk = excluded.customer_sk,"
                        + " product_sk = excluded.product_sk, quantity = excluded.quantity,"
                        + " amount = excluded.amount, status = excluded.status,"
                        + " industry_at_sale = excluded.industry_at_sale,"
                        + " category_at_sale = excluded.category_at_sale")) {
          // a transaction lives on one date: a re-delivery with another date moves it
          del.setString(1, tx);
          del.setObject(2, day);
          del.executeUpdate();
          ps.setString(1, tx);
          // orders of up to four lines: T1, T2, T4 share O1, …; every third has none
          ps.setString(2, o.tx() % 3 == 0 ? null : "O" + (o.tx() + 3) / 4);
          ps.setString(3, customer);
          ps.setString(4, product);
          ps.setObject(5, day);
          ps.setObject(6, day.atTime(12, 0).atOffset(ZoneOffset.UTC));
          ps.setLong(7, o.qty());
          ps.setBigDecimal(8, amount);
          ps.setString(9, status);
          ps.setString(10, product);
          ps.setInt(11, v);
          ps.setString(12, customer);
          ps.setInt(13, v);
          ps.executeUpdate();
        }
      }
      case 3 -> { // SCD2 re-pointing: every fact of the customer to its other version
        try (PreparedStatement ps =
            c.prepareStatement(
                "UPDATE dw.fact_sales f SET customer_sk = d.customer_sk,"
                    + " industry_at_sale = d.industry FROM dw.dim_customer d"
                    + " WHERE f.customer_id = ? AND d.customer_id = f.customer_id"
                    + " AND d.customer_sk <> f.customer_sk")) {
          ps.setString(1, customer);
          ps.executeUpdate();
        }
      }
      case 4 -> { // re-pointing of a product's facts to its other version
        try (PreparedStatement ps =
            c.prepareStatement(
                "UPDATE dw.fact_sales f SET product_sk = d.product_sk,"
                    + " category_at_sale = d.category FROM dw.dim_product d"
                    + " WHERE f.product_id = ? AND d.product_id = f.product_id"
                    + " AND d.product_sk <> f.product_sk")) {
          ps.setString(1, PRODUCTS[Math.max(0, o.product())]);
          ps.executeUpdate();
        }
      }
      case 5 -> {
        try (PreparedStatement ps =
            c.prepareStatement("DELETE FROM dw.fact_sales WHERE transaction_id = ?")) {
          ps.setString(1, tx);
          ps.executeUpdate();
        }
      }
      case 6 -> { // traffic upsert
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO dw.fact_traffic (send_date, account_id, customer_id, channel_id,"
                    + " customer_sk, date_key, interactions_count, revenue_eur, run_id)"
                    + " VALUES (?, '', ?, ?, 1, 0, 1, ?, 1) ON CONFLICT (send_date, account_id,"
                    + " customer_id, channel_id) DO UPDATE SET revenue_eur = excluded.revenue_eur")) {
          ps.setObject(1, day.plusDays(o.tx() * 3L));
          ps.setString(2, customer);
          ps.setString(3, "ch" + o.status() % 2);
          ps.setBigDecimal(4, BigDecimal.valueOf(o.cents() * 10L, 2));
          ps.executeUpdate();
        }
      }
      default -> {
        try (Statement st = c.createStatement()) {
          st.execute("SELECT kpi.fold()");
        }
      }
    }
  }

  /** Rows as sorted text, numbers normalised (1.50 = 1.5). */
  static List<String> rows(Connection c, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> cells = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          Object v = rs.getObject(i);
          cells.add(cell(v instanceof String s && s.startsWith("{") ? json(s) : v));
        }
        out.add(String.join("|", cells));
      }
    }
    out.sort(null);
    return out;
  }

  static String cell(Object v) {
    if (v instanceof BigDecimal b) {
      return b.signum() == 0 ? "0" : b.stripTrailingZeros().toPlainString();
    }
    if (v instanceof Number x) {
      return new BigDecimal(x.toString()).stripTrailingZeros().toPlainString();
    }
    if (v instanceof java.sql.Date d) {
      return d.toLocalDate().toString();
    }
    return String.valueOf(v);
  }

  /** A jsonb map of numbers as "k=v;…" sorted by key. */
  static String json(String s) {
    Map<String, BigDecimal> m = new TreeMap<>();
    String body = s.substring(1, s.length() - 1).trim();
    if (!body.isEmpty()) {
      for (String kv : body.split(", ")) {
        String[] p = kv.split(": ");
        m.put(p[0].replace("\"", ""), new BigDecimal(p[1]));
      }
    }
    StringBuilder b = new StringBuilder();
    m.forEach((k, v) -> b.append(k).append('=').append(cell(v)).append(';'));
    return b.toString();
  }

  /** The state as SPEC §4's aggregates of the facts as they stand, computed in Java. */
  record Fact(
      String tx,
      String order,
      String customer,
      String product,
      LocalDate date,
      String status,
      long qty,
      BigDecimal amount,
      String industry,
      String category) {
    boolean completed() {
      return status.equals("completed");
    }

    boolean revenue() {
      return !status.equals("cancelled");
    }

    String orderKey() {
      return order == null ? tx : order;
    }
  }

  record Traffic(LocalDate date, String customer, String channel, BigDecimal revenue) {}

  static final class Model {
    final List<Fact> facts = new ArrayList<>();
    final List<Traffic> traffic = new ArrayList<>();

    static Model of(Connection c) throws SQLException {
      Model m = new Model();
      try (Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT transaction_id, order_id, customer_id, product_id, sales_date, status,"
                      + " quantity, amount, industry_at_sale, category_at_sale FROM"
                      + " dw.fact_sales")) {
        while (rs.next()) {
          m.facts.add(
              new Fact(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getObject(5, LocalDate.class),
                  rs.getString(6),
                  rs.getLong(7),
                  rs.getBigDecimal(8),
                  rs.getString(9),
                  rs.getString(10)));
        }
      }
      try (Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT send_date, customer_id, channel_id, revenue_eur FROM dw.fact_traffic")) {
        while (rs.next()) {
          m.traffic.add(
              new Traffic(
                  rs.getObject(1, LocalDate.class),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getBigDecimal(4)));
        }
      }
      return m;
    }

    /** Distinct completed orders of one customer on one date, summed over dates. */
    long orders(List<Fact> fs) {
      Set<String> keys = new HashSet<>();
      fs.stream().filter(Fact::completed).forEach(f -> keys.add(f.date + "/" + f.orderKey()));
      return keys.size();
    }

    List<String> customerTotals() {
      List<String> out = new ArrayList<>();
      for (String cust : customers()) {
        List<Fact> fs = facts.stream().filter(f -> f.customer.equals(cust)).toList();
        TreeSet<LocalDate> completed = new TreeSet<>();
        fs.stream().filter(Fact::completed).forEach(f -> completed.add(f.date));
        out.add(
            String.join(
                "|",
                cust,
                cell(fs.size()),
                cell(fs.stream().filter(Fact::completed).count()),
                cell(fs.stream().filter(Fact::revenue).count()),
                cell(revenue(fs)),
                cell(fs.stream().filter(Fact::completed).mapToLong(Fact::qty).sum()),
                cell(orders(fs)),
                categories(fs),
                completed.isEmpty() ? "null" : completed.first().toString(),
                completed.isEmpty() ? "null" : completed.last().toString()));
      }
      out.sort(null);
      return out;
    }

    List<String> customerDays() {
      Map<String, List<Fact>> groups = new TreeMap<>();
      facts.forEach(
          f -> groups.computeIfAbsent(f.date + "|" + f.customer, k -> new ArrayList<>()).add(f));
      List<String> out = new ArrayList<>();
      groups.forEach(
          (k, fs) ->
              out.add(
                  String.join(
                      "|",
                      k,
                      cell(fs.size()),
                      cell(fs.stream().filter(Fact::completed).count()),
                      cell(fs.stream().filter(Fact::revenue).count()),
                      cell(revenue(fs)),
                      cell(fs.stream().filter(Fact::completed).mapToLong(Fact::qty).sum()),
                      cell(orders(fs)),
                      categories(fs))));
      out.sort(null);
      return out;
    }

    /** Completed lines per key (null: not counted), as "key|n". */
    List<String> orderLines(java.util.function.Function<Fact, String> key) {
      Map<String, Long> n = new TreeMap<>();
      facts.stream()
          .filter(Fact::completed)
          .forEach(
              f -> {
                String k = key.apply(f);
                if (k != null) {
                  n.merge(k, 1L, Long::sum);
                }
              });
      List<String> out = new ArrayList<>();
      n.forEach((k, v) -> out.add(k + "|" + v));
      out.sort(null);
      return out;
    }

    /** Revenue by category at sale time, zero sums left out, as "k=v;…". */
    static String categories(List<Fact> fs) {
      Map<String, BigDecimal> cats = new TreeMap<>();
      fs.stream()
          .filter(f -> f.revenue() && f.category != null)
          .forEach(f -> cats.merge(f.category, f.amount, BigDecimal::add));
      cats.values().removeIf(v -> v.signum() == 0);
      StringBuilder cb = new StringBuilder();
      cats.forEach((k, v) -> cb.append(k).append('=').append(cell(v)).append(';'));
      return cb.toString();
    }

    List<String> customerMonths() {
      Map<String, List<Fact>> groups = new TreeMap<>();
      facts.forEach(
          f ->
              groups
                  .computeIfAbsent(
                      f.date.withDayOfMonth(1) + "|" + f.customer, k -> new ArrayList<>())
                  .add(f));
      List<String> out = new ArrayList<>();
      groups.forEach(
          (k, fs) ->
              out.add(
                  k + "|" + cell(fs.size()) + "|" + cell(revenue(fs)) + "|" + cell(orders(fs))));
      out.sort(null);
      return out;
    }

    List<String> salesDays() {
      Map<LocalDate, List<Fact>> groups = new TreeMap<>();
      facts.forEach(f -> groups.computeIfAbsent(f.date, k -> new ArrayList<>()).add(f));
      List<String> out = new ArrayList<>();
      groups.forEach(
          (d, fs) -> {
            // orders are counted per customer and date; the reads take off shared orders
            Set<String> orders = new HashSet<>();
            Set<String> customers = new HashSet<>();
            fs.stream()
                .filter(Fact::completed)
                .forEach(f -> orders.add(f.customer + "/" + f.orderKey()));
            fs.stream().filter(Fact::completed).forEach(f -> customers.add(f.customer));
            out.add(
                String.join(
                    "|",
                    d.toString(),
                    cell(fs.size()),
                    cell(revenue(fs)),
                    cell(orders.size()),
                    cell(customers.size()),
                    cell(fs.stream().filter(Fact::completed).mapToLong(Fact::qty).sum())));
          });
      out.sort(null);
      return out;
    }

    List<String> industryDays() {
      Map<String, BigDecimal> m = new TreeMap<>();
      Map<String, Integer> n = new HashMap<>();
      facts.stream()
          .filter(Fact::revenue)
          .forEach(
              f -> {
                String k = f.date + "|" + (f.industry == null ? "Unknown" : f.industry);
                m.merge(k, f.amount, BigDecimal::add);
                n.merge(k, 1, Integer::sum);
              });
      List<String> out = new ArrayList<>();
      m.forEach((k, v) -> out.add(k + "|" + cell(v)));
      out.sort(null);
      return out;
    }

    List<String> productDays() {
      Map<String, List<Fact>> groups = new TreeMap<>();
      facts.stream()
          .filter(f -> f.product != null)
          .forEach(
              f ->
                  groups
                      .computeIfAbsent(
                          f.date + "|" + f.product + "|" + (f.category == null ? "" : f.category),
                          k -> new ArrayList<>())
                      .add(f));
      List<String> out = new ArrayList<>();
      groups.forEach(
          (k, fs) -> {
            Set<String> orders = new HashSet<>();
            fs.stream().filter(Fact::completed).forEach(f -> orders.add(f.orderKey()));
            List<BigDecimal> rev = fs.stream().filter(Fact::revenue).map(f -> f.amount).toList();
            out.add(
                String.join(
                    "|",
                    k,
                    cell(fs.size()),
                    cell(revenue(fs)),
                    cell(fs.stream().filter(Fact::completed).mapToLong(Fact::qty).sum()),
                    cell(orders.size()),
                    cell(rev.size()),
                    cell(rev.stream().reduce(BigDecimal.ZERO, BigDecimal::add)),
                    cell(
                        rev.stream()
                            .map(a -> a.multiply(a))
                            .reduce(BigDecimal.ZERO, BigDecimal::add))));
          });
      out.sort(null);
      return out;
    }

    List<String> amounts() {
      return histogram(f -> f.amount);
    }

    List<String> quantities() {
      return histogram(f -> BigDecimal.valueOf(f.qty));
    }

    List<String> histogram(java.util.function.Function<Fact, BigDecimal> value) {
      Map<String, Long> m = new TreeMap<>();
      facts.stream()
          .filter(Fact::revenue)
          .forEach(f -> m.merge(f.date + "|" + cell(value.apply(f)), 1L, Long::sum));
      List<String> out = new ArrayList<>();
      m.forEach((k, v) -> out.add(k + "|" + v));
      out.sort(null);
      return out;
    }

    List<String> trafficMonths() {
      Map<String, BigDecimal> rev = new TreeMap<>();
      Map<String, Long> rows = new HashMap<>();
      traffic.forEach(
          t -> {
            String k = t.date.withDayOfMonth(1) + "|" + t.customer + "|" + t.channel;
            rev.merge(k, t.revenue, BigDecimal::add);
            rows.merge(k, 1L, Long::sum);
          });
      List<String> out = new ArrayList<>();
      rev.forEach((k, v) -> out.add(k + "|" + rows.get(k) + "|" + cell(v)));
      out.sort(null);
      return out;
    }

    List<String> orderSpans() {
      Map<String, TreeSet<LocalDate>> dates = new TreeMap<>();
      Map<String, Set<String>> buyers = new HashMap<>();
      facts.stream()
          .filter(Fact::completed)
          .forEach(
              f -> {
                dates.computeIfAbsent(f.orderKey(), k -> new TreeSet<>()).add(f.date);
                buyers.computeIfAbsent(f.orderKey(), k -> new HashSet<>()).add(f.customer);
              });
      List<String> out = new ArrayList<>();
      dates.forEach(
          (k, d) -> {
            if (d.size() > 1 || buyers.get(k).size() > 1) {
              out.add(k + "|" + d.first() + "|" + d.last());
            }
          });
      out.sort(null);
      return out;
    }

    List<String> trafficPairs() {
      Map<String, LocalDate> first = new TreeMap<>();
      traffic.forEach(
          t -> first.merge(t.customer + "|" + t.channel, t.date, (a, b) -> a.isBefore(b) ? a : b));
      List<String> out = new ArrayList<>();
      first.forEach((k, v) -> out.add(k + "|" + v));
      out.sort(null);
      return out;
    }

    private Set<String> customers() {
      Set<String> s = new TreeSet<>();
      facts.forEach(f -> s.add(f.customer));
      return s;
    }

    private static BigDecimal revenue(List<Fact> fs) {
      return fs.stream()
          .filter(Fact::revenue)
          .map(f -> f.amount)
          .reduce(BigDecimal.ZERO, BigDecimal::add);
    }
  }
}
