package io.c360.pipelines.daily;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import io.c360.pipelines.generate.Generator;
import io.c360.pipelines.generate.GeneratorConfig;
import io.c360.transforms.kpi.MartTable;
import io.c360.transforms.testing.KpiReference;
import io.c360.transforms.testing.TestDatabase;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The marts derived from the incremental KPI state agree with the independent SQL references after
 * every day of a run sequence that changes the past: re-delivered sales with another amount, status
 * or date (one moved into the previous month), a late customer change that re-cuts SCD2 history and
 * re-points older facts to a version with another industry and segment, and a sale that waits for
 * its customer in {@code dq.pending_rows} and loads a day later. Generated days with their own
 * backdated history slices and defects run around those changes.
 */
class KpiIncrementalIT {
  @RegisterExtension static final TestDatabase DB = new TestDatabase();

  static final ZoneId TZ = ZoneId.of("UTC");
  static final LocalDate START = LocalDate.of(2026, 1, 30); // the runs cross a month end
  static final int DAYS = 4;

  @TempDir static Path landing;

  @Test
  void everyMartMatchesItsReferenceAfterEveryDay() throws Exception {
    Generator.generate(
        GeneratorConfig.builder(landing)
            .scale(0.001)
            .days(DAYS)
            .historyDays(45)
            .start(START)
            .seed(5)
            .build());
    Map<String, Long> changed = new LinkedHashMap<>();
    for (int i = 0; i < DAYS; i++) {
      LocalDate day = START.plusDays(i);
      if (i == 1) {
        // a sale whose customer arrives only tomorrow
        write(
            day,
            "sales",
            "transaction_id,customer_id,product_id,quantity,unit_price,amount,status,transaction_ts",
            "TLATE1,CLATE1," + anyProduct() + ",2,5.00,10.00,completed," + day + "T09:00:00Z");
      }
      if (i == 2) {
        changed.putAll(changeThePast(day));
      }
      RunSummary s =
          DailyRun.execute(
              DailyRun.options(
                  "--runDate=" + day,
                  "--input=" + landing,
                  "--jdbcUrl=" + DB.jdbcUrl(),
                  "--dbUser=postgres",
                  "--timezone=" + TZ.getId(),
                  "--targetParallelism=2"),
              System.out);
      assertThat(day + ": " + s.message(), s.status(), is("succeeded"));
      try (Connection c = DB.open()) {
        for (MartTable mart : MartTable.values()) {
          KpiReference.assertMatches(c, mart, day, TZ);
        }
        // the state took in every change: nothing is left in the log after the KPI stage
        assertThat(scalar(c, "SELECT count(*) FROM kpi.sales_changes"), equalTo(0L));
      }
    }
    try (Connection c = DB.open()) {
      assertThat("pending sale loaded", scalar(c, count("transaction_id = 'TLATE1'")), is(1L));
      assertThat(
          "re-delivered sales took their new amounts",
          scalar(c, count("transaction_id IN (" + quoted(changed.keySet()) + ") AND amount < 0")),
          equalTo((long) changed.size()));
      assertThat(
          "the late version re-cut history",
          scalar(c, "SELECT count(*) FROM dw.dim_customer WHERE industry = 'Late Industry'"),
          equalTo(1L));
      assertThat(
          "every fact inside the late version's interval counts under its industry",
          scalar(
              c,
              "SELECT count(*) FROM dw.fact_sales f JOIN dw.dim_customer d ON d.customer_id ="
                  + " f.customer_id AND d.industry = 'Late Industry' AND f.transaction_ts >="
                  + " d.valid_from AND f.transaction_ts < d.valid_to WHERE f.industry_at_sale IS"
                  + " DISTINCT FROM 'Late Industry' OR f.customer_sk <> d.customer_sk"),
          equalTo(0L));
    }
  }

  /**
   * On the third day: re-deliver three sales of the first day as returns (one moved into the
   * previous month), a late customer version before that customer's first sales, and the missing
   * customer of yesterday's pending sale.
   */
  private static Map<String, Long> changeThePast(LocalDate day) throws SQLException, IOException {
    Map<String, Long> redelivered = new LinkedHashMap<>();
    List<String> sales = new ArrayList<>();
    String lateCustomer;
    LocalDate lateFrom;
    try (Connection c = DB.open();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT transaction_id, customer_id, product_id, quantity, amount, sales_date"
                    + " FROM dw.fact_sales WHERE sales_date = '"
                    + START
                    + "' AND status = 'completed' AND product_id IS NOT NULL"
                    + " ORDER BY transaction_id LIMIT 3")) {
      int n = 0;
      while (rs.next()) {
        String tx = rs.getString(1);
        BigDecimal amount = rs.getBigDecimal(5).negate();
        LocalDate date = n == 0 ? START.minusDays(2) : START; // the first one moves to January
        sales.add(
            String.join(
                ",",
                tx,
                rs.getString(2),
                rs.getString(3),
                String.valueOf(rs.getLong(4)),
                "",
                amount.toPlainString(),
                "returned",
                date + "T10:00:00Z"));
        redelivered.put(tx, rs.getLong(4));
        n++;
      }
    }
    try (Connection c = DB.open();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT customer_id, min(sales_date) FROM dw.fact_sales GROUP BY 1"
                    + " HAVING count(*) > 3 ORDER BY 1 LIMIT 1")) {
      rs.next();
      lateCustomer = rs.getString(1);
      lateFrom = rs.getObject(2, LocalDate.class).plusDays(1);
    }
    write(
        day,
        "sales",
        "transaction_id,customer_id,product_id,quantity,unit_price,amount,status,transaction_ts",
        sales.toArray(new String[0]));
    write(
        day,
        "customers",
        "customer_id,name,segment,industry,updated_at",
        lateCustomer + ",Late Name,Enterprise,Late Industry," + lateFrom + "T00:00:00Z",
        "CLATE1,Late Arrival,SMB,Retail," + day.minusDays(5) + "T00:00:00Z");
    return redelivered;
  }

  private static void write(LocalDate day, String entity, String header, String... rows)
      throws IOException {
    Path dir = landing.resolve(entity).resolve("dt=" + day);
    Files.createDirectories(dir);
    List<String> lines = new ArrayList<>(List.of(header));
    lines.addAll(List.of(rows));
    Files.write(dir.resolve("zz-extra.csv"), lines);
  }

  private static String anyProduct() throws SQLException {
    try (Connection c = DB.open()) {
      return TestDatabase.column(c, "SELECT min(product_id) FROM dw.dim_product").get(0);
    }
  }

  private static String count(String where) {
    return "SELECT count(*) FROM dw.fact_sales WHERE " + where;
  }

  private static String quoted(java.util.Collection<String> ids) {
    return String.join(",", ids.stream().map(s -> "'" + s + "'").toList());
  }

  private static long scalar(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
