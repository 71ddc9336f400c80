package io.c360.pipelines.daily;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

import io.c360.transforms.testing.TestDatabase;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: a sale's quantity is valid up to 2^63 − 1 (SPEC §2, "an integer beyond 64 bits" is
 * {@code type:quantity}), so the units of one product and day can pass 64 bits. Before sql/V63 the
 * KPI state's bigint units overflowed and the KPI stage failed after the load had committed.
 */
class UnitsBeyond64BitsIT {
  @RegisterExtension static final TestDatabase DB = new TestDatabase();

  @TempDir static Path tmp;

  static final String MAX = String.valueOf(Long.MAX_VALUE); // the largest valid quantity
  static final String NEAR_MAX = "9223372036854775000";

  @Test
  void aDayWhoseUnitsPass64BitsRunsAndTheMartsHoldTheExactSum() throws Exception {
    Path landing = tmp.resolve("landing");
    write(
        landing.resolve("customers/dt=2025-04-02/customers.csv"),
        "customer_id,account_id,name,email,city,country,segment,industry,created_date,updated_at",
        "C1,A1,Alice,alice@example.com,Paris,FR,SMB,Retail,2024-01-01,2025-03-01T10:00:00Z");
    write(
        landing.resolve("products/dt=2025-04-02/products.csv"),
        "product_id,product_name,category,brand,list_price,updated_at",
        "P1,Book One,Books,Acme,10.00,2025-03-01T00:00:00Z");
    write(
        landing.resolve("sales/dt=2025-04-02/sales.csv"),
        "transaction_id,order_id,customer_id,product_id,quantity,unit_price,amount,status,"
            + "transaction_ts",
        "S1,O1,C1,P1," + MAX + ",,1,completed,2025-04-02 10:00",
        "S2,O2,C1,P1," + NEAR_MAX + ",,1,completed,2025-04-02 11:00",
        "S3,O3,C1,P1,1,,1,completed,2025-04-02 12:00");

    RunSummary s =
        DailyRun.execute(
            DailyRun.options(
                "--runDate=2025-04-02",
                "--input=" + landing,
                "--jdbcUrl=" + DB.jdbcUrl(),
                "--dbUser=postgres"),
            System.out);
    assertThat(s.message(), s.status(), is("succeeded"));

    String units = new BigInteger(MAX).add(new BigInteger(NEAR_MAX)).add(BigInteger.ONE).toString();
    assertThat(units, is("18446744073709550808"));
    assertThat(
        DB.column("SELECT units::text FROM kpi.sales_day WHERE sales_date = '2025-04-02'"),
        contains(units));
    assertThat(
        DB.column("SELECT units::text FROM kpi.customer_total WHERE customer_id = 'C1'"),
        contains(units));
    String at = " WHERE as_of = '2025-04-02'";
    assertThat(
        DB.column("SELECT sales_date || ' ' || units || ' ' || orders FROM mart.daily_sales" + at),
        contains("2025-04-02 " + units + " 3"));
    assertThat(
        DB.column("SELECT month || ' ' || units || ' ' || orders FROM mart.monthly_sales" + at),
        contains("2025-04-01 " + units + " 3"));
    assertThat(
        DB.column(
            "SELECT product_id || ' ' || category || ' ' || units FROM mart.product_performance"
                + at),
        contains("P1 Books " + units));
    // the views over them (V63 re-created them)
    assertThat(DB.column("SELECT units::text FROM mart.daily_sales_latest"), contains(units));
    assertThat(DB.column("SELECT units::text FROM share.product_performance"), contains(units));
    // the quantity statistics hold 64-bit values too
    assertThat(
        DB.column(
            "SELECT n || ' ' || min || ' ' || max FROM mart.numeric_stats"
                + at
                + " AND metric = 'sales_quantity'"),
        contains("3 1.0000 " + MAX + ".0000"));
  }

  private static void write(Path file, String... lines) throws Exception {
    Files.createDirectories(file.getParent());
    Files.writeString(file, String.join("\n", lines) + "\n");
  }
}
