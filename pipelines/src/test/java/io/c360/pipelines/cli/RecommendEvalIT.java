package io.c360.pipelines.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import io.c360.transforms.model.Entities;
import io.c360.transforms.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code c360 recommend-eval} on a planted warehouse (SPEC §9): customers who buy a category tend
 * to buy its partner later (Books → Kitchen, Beauty → Clothing, …), while a large crowd buys the
 * three most popular categories (Movies, Apps, Sports) together. As of D − 30 days the partner is
 * each customer's best lift; the popularity baseline offers the crowd's categories. Over (D − 30,
 * D] the customers who had only the first of a pair buy its partner with probability 0.6 and a
 * random category with 0.1, so hit rate@3 must beat the baseline; both land in
 * mart.recommender_eval, one row per as_of, replaced on a re-run.
 */
class RecommendEvalIT {
  @RegisterExtension static final TestDatabase DB = new TestDatabase();

  static final LocalDate D = LocalDate.of(2025, 6, 30);
  static final LocalDate E = D.minusDays(30);
  static final List<String> CATS = Entities.CATEGORIES;
  // partner pairs: 0 Apps & Games, 1 Beauty, 2 Books, 3 Clothing, 4 Kitchen, 5 Movies, 6 Sports
  static final int[][] PAIRS = {{2, 4}, {1, 3}};
  static final int[] CROWD = {5, 0, 6};

  static long customers;
  static long expectedHits;
  static long expectedBaselineHits;

  @BeforeAll
  static void plant() throws Exception {
    Random rnd = new Random(9L);
    try (Connection c = DB.open()) {
      try (Statement st = c.createStatement()) {
        for (int i = 0; i < CATS.size(); i++) {
          st.executeUpdate(
              "INSERT INTO dw.dim_product (product_sk, product_id, product_name, category,"
                  + " row_hash, valid_from, is_current, run_id) VALUES ("
                  + (i + 1)
                  + ", 'P"
                  + i
                  + "', 'P"
                  + i
                  + "', '"
                  + CATS.get(i).replace("'", "''")
                  + "', 'h', '2020-01-01', true, 1)");
        }
      }
      List<Object[]> sales = new ArrayList<>();
      int n = 0;
      // the crowd: buys the three popular categories, sometimes one pair too
      for (int k = 0; k < 300; k++) {
        String id = "CR" + k;
        for (int cat : CROWD) {
          sales.add(new Object[] {id, cat, E.minusDays(1 + rnd.nextInt(300))});
        }
        n++;
      }
      // pair buyers: half bought both (the signal), half only the first (the ones measured)
      for (int[] pair : PAIRS) {
        for (int k = 0; k < 200; k++) {
          String id = "PB" + pair[0] + "_" + k;
          sales.add(new Object[] {id, pair[0], E.minusDays(1 + rnd.nextInt(300))});
          if (k % 2 == 0) {
            sales.add(new Object[] {id, pair[1], E.minusDays(1 + rnd.nextInt(300))});
          } else {
            double r = rnd.nextDouble();
            if (r < 0.6) {
              sales.add(new Object[] {id, pair[1], E.plusDays(1 + rnd.nextInt(30))});
            } else if (r < 0.7) {
              sales.add(
                  new Object[] {id, rnd.nextInt(CATS.size()), E.plusDays(1 + rnd.nextInt(30))});
            }
          }
          n++;
        }
      }
      // a sale just outside each window: before the 12 months, after D, cancelled
      sales.add(new Object[] {"OLD", 4, E.minusMonths(12)});
      sales.add(new Object[] {"PB2_1", 3, D.plusDays(1)});
      customers = n;
      insert(c, sales);
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO dw.fact_sales (transaction_id, customer_id, product_id, customer_sk,"
                  + " product_sk, date_key, sales_date, transaction_ts, quantity, amount, status,"
                  + " category_at_sale, run_id) VALUES ('TC', 'PB2_3', 'P4', 1, 5, 1, ?, ?, 1,"
                  + " 10, 'cancelled', 'Kitchen', 1)")) {
        ps.setObject(1, E.plusDays(2));
        ps.setObject(2, OffsetDateTime.of(E.plusDays(2).atTime(12, 0), ZoneOffset.UTC));
        ps.executeUpdate();
      }
    }
  }

  private static void insert(Connection c, List<Object[]> sales) throws Exception {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO dw.fact_sales (transaction_id, customer_id, product_id, customer_sk,"
                + " product_sk, date_key, sales_date, transaction_ts, quantity, amount, status,"
                + " category_at_sale, run_id) VALUES (?, ?, ?, 1, ?, ?, ?, ?, 1, 10, 'completed',"
                + " ?, 1)")) {
      int t = 0;
      for (Object[] s : sales) {
        int cat = (Integer) s[1];
        LocalDate day = (LocalDate) s[2];
        ps.setString(1, "T" + (++t));
        ps.setString(2, (String) s[0]);
        ps.setString(3, "P" + cat);
        ps.setLong(4, cat + 1);
        ps.setInt(5, day.getYear() * 10000 + day.getMonthValue() * 100 + day.getDayOfMonth());
        ps.setObject(6, day);
        ps.setObject(7, OffsetDateTime.of(day.atTime(12, 0), ZoneOffset.UTC));
        ps.setString(8, CATS.get(cat));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static String run(String... args) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream old = System.out;
    System.setOut(new PrintStream(buf, true));
    try {
      assertThat(C360.commandLine().execute(args), is(0));
    } finally {
      System.setOut(old);
    }
    return buf.toString();
  }

  @Test
  void hitRateBeatsThePopularityBaselineAndIsWritten() throws Exception {
    String out = run("recommend-eval", "--asOf=" + D, "--jdbcUrl=" + DB.jdbcUrl());
    run("recommend-eval", "--asOf=" + D, "--jdbcUrl=" + DB.jdbcUrl()); // a re-run replaces
    System.out.print(out);
    assertThat(out, containsString("mart.recommender_eval"));
    try (Connection c = DB.open();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*) OVER (), customers, hit_rate_at_3, baseline_hit_rate_at_3"
                    + " FROM mart.recommender_eval WHERE as_of = '"
                    + D
                    + "'")) {
      assertThat(rs.next(), is(true));
      assertThat("one row per as_of", rs.getLong(1), equalTo(1L));
      // every planted customer bought some category and none bought all seven
      assertThat(rs.getLong(2), equalTo(customers));
      BigDecimal hit = rs.getBigDecimal(3);
      BigDecimal baseline = rs.getBigDecimal(4);
      assertThat(
          "hit rate " + hit + " vs baseline " + baseline, hit.compareTo(baseline), greaterThan(0));
      // planted: of the 200 single-category buyers (of 700 customers), 0.6 buy the partner (their
      // rank 1) and 0.1 a random category (3 of 7 recommended); nobody else buys after E
      assertThat(hit.doubleValue(), closeTo((0.6 + 0.1 * 3 / 7) * 200 / 700, 0.05));
      assertThat(baseline.doubleValue(), closeTo(0.0, 0.05));
    }
  }
}
