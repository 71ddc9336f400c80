package io.c360.transforms.facts;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import io.c360.transforms.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.ZoneId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The set-based fact load: point-in-time keys, pending rows and their retry, idempotence. */
class FactStoreIT {
  @RegisterExtension static final TestDatabase DB = new TestDatabase();

  private static final ZoneId TZ = ZoneId.of("Europe/Amsterdam");

  @BeforeEach
  void reset() throws Exception {
    exec(
        "TRUNCATE dw.fact_sales, dw.sales_keys, dw.fact_traffic, dw.dim_customer, dw.dim_product,"
            + " dw.dim_channel, dw.dim_date, dq.pending_rows, staging.sales, staging.traffic");
    // c1 has two versions: sk 11 until 2025-02-01, sk 12 from then on. p1 one version.
    exec(
        "INSERT INTO dw.dim_customer (customer_sk, customer_id, name, row_hash, valid_from, valid_to,"
            + " is_current, run_id) VALUES (11, 'c1', 'A', 'h1', '2025-01-10T00:00:00Z',"
            + " '2025-02-01T00:00:00Z', false, 1), (12, 'c1', 'B', 'h2', '2025-02-01T00:00:00Z',"
            + " '9999-12-31T00:00:00Z', true, 1)");
    exec(
        "INSERT INTO dw.dim_product (product_sk, product_id, product_name, category, row_hash,"
            + " valid_from, is_current, run_id) VALUES (21, 'p1', 'P', 'Books', 'h',"
            + " '2025-01-01T00:00:00Z', true, 1)");
    exec("INSERT INTO dw.dim_channel (channel_id, channel_name, run_id) VALUES ('ch1', 'Mail', 1)");
  }

  @Test
  void salesGetTheVersionValidAtTheirTimeAndTheFirstVersionWhenOlder() throws Exception {
    stageSale(1, "t1", "c1", "p1", "2025-01-20T10:00:00Z", "completed", "10");
    stageSale(1, "t2", "c1", "p1", "2025-02-03T10:00:00Z", "completed", "10");
    stageSale(1, "t3", "c1", null, "2025-01-01T10:00:00Z", "completed", "10");
    FactLoadStats r = load(1);

    assertThat(r.loaded(), is(3L));
    assertThat(r.pending(), is(0L));
    assertThat(r.inserted(), is(3L));
    assertThat(r.updated(), is(0L));
    assertThat(
        DB.column(
            "SELECT transaction_id || ':' || customer_sk || ':' || coalesce(product_sk::text, '-')"
                + " FROM dw.fact_sales ORDER BY 1"),
        contains("t1:11:21", "t2:12:21", "t3:11:-"));
  }

  @Test
  void salesDateIsTheCalendarDateInTheRunTimeZone() throws Exception {
    stageSale(1, "t1", "c1", "p1", "2025-03-01T23:30:00Z", "completed", "10");
    load(1);
    assertThat(DB.column("SELECT sales_date::text FROM dw.fact_sales"), contains("2025-03-02"));
    assertThat(DB.column("SELECT date::text FROM dw.dim_date"), contains("2025-03-02"));
  }

  @Test
  void unknownMemberWaitsAndLoadsWhenItArrives() throws Exception {
    stageSale(1, "t1", "c9", "p1", "2025-02-03T10:00:00Z", "completed", "10");
    stageSale(1, "t2", "c1", "p9", "2025-02-03T10:00:00Z", "completed", "10");
    FactLoadStats day1 = load(1);
    assertThat(day1.loaded(), is(0L));
    assertThat(day1.pending(), is(2L));
    assertThat(
        DB.column(
            "SELECT natural_key || ' ' || rule || ' ' || attempts FROM dq.pending_rows ORDER BY 1"),
        contains("t1 relationships:customer_id 1", "t2 relationships:product_id 1"));

    // Day 2: nothing new for t2's product, c9 arrives.
    exec(
        "INSERT INTO dw.dim_customer (customer_sk, customer_id, name, row_hash, valid_from,"
            + " is_current, run_id) VALUES (31, 'c9', 'C', 'h', '2025-02-04T00:00:00Z', true, 2)");
    FactLoadStats day2 = load(2);
    assertThat(day2.resolved(), is(1L));
    assertThat(day2.stillPending(), is(1L));
    assertThat(
        DB.column("SELECT transaction_id || ':' || customer_sk FROM dw.fact_sales"),
        contains("t1:31"));
    assertThat(
        DB.column(
            "SELECT natural_key || ' ' || attempts || ' ' || first_run_id || ' ' || last_run_id FROM dq.pending_rows"),
        contains("t2 2 1 2"));
  }

  @Test
  void reloadingTheSameRowsChangesNothingAndRedeliveryUpdates() throws Exception {
    stageSale(1, "t1", "c1", "p1", "2025-02-03T10:00:00Z", "completed", "10");
    load(1);
    String before = dump();
    stageSale(2, "t1", "c1", "p1", "2025-02-03T10:00:00Z", "completed", "10");
    FactLoadStats same = load(2);
    assertThat("a re-run rewrites nothing, not even run_id", dump(), equalTo(before));
    assertThat(same.inserted() + same.updated() + same.moved(), is(0L));

    // Re-delivered with another date and amount: one row, moved, updated.
    stageSale(3, "t1", "c1", "p1", "2025-03-05T10:00:00Z", "completed", "12");
    FactLoadStats moved = load(3);
    assertThat("moved to another partition: deleted there, inserted here", moved.moved(), is(1L));
    assertThat(moved.inserted(), is(1L));
    assertThat(
        DB.column(
            "SELECT transaction_id || ' ' || sales_date || ' ' || amount || ' ' || run_id FROM dw.fact_sales"),
        contains("t1 2025-03-05 12.0000 3"));
    assertThat(DB.column("SELECT sales_date::text FROM dw.sales_keys"), contains("2025-03-05"));

    stageSale(4, "t1", "c1", "p1", "2025-03-05T10:00:00Z", "completed", "13");
    FactLoadStats changed = load(4);
    assertThat(changed.updated(), is(1L));
    assertThat(changed.inserted() + changed.moved(), is(0L));
  }

  @Test
  void aFixedOffsetTimezoneIsNotReadPosixStyle() throws Exception {
    // 23:30Z is 01:30 the next day at +02:00; POSIX would read "+02:00" as two hours west.
    stageSale(1, "t1", "c1", "p1", "2025-03-01T23:30:00Z", "completed", "10");
    try (Connection c = DB.open()) {
      FactStore.load(c, FactSpec.SALES, 1, ZoneId.of("+02:00"));
    }
    assertThat(DB.column("SELECT sales_date::text FROM dw.fact_sales"), contains("2025-03-02"));
  }

  @Test
  void trafficNeedsCustomerAndChannel() throws Exception {
    exec(
        "INSERT INTO staging.traffic (run_id, source_file, line_no, send_date, account_id, customer_id,"
            + " channel_id, interactions_count, revenue_eur) VALUES (1, 'f', 2, '2025-02-03', NULL,"
            + " 'c1', 'ch1', 3, 1.5), (1, 'f', 3, '2025-02-03', 'a1', 'c1', 'ch9', 1, 1),"
            + " (1, 'f', 4, '2025-01-20', NULL, 'c1', 'ch1', 2, 2)");
    FactLoadStats r;
    try (Connection c = DB.open()) {
      r = FactStore.load(c, FactSpec.TRAFFIC, 1, TZ);
    }
    assertThat(r.loaded(), is(2L));
    assertThat(r.pending(), is(1L));
    assertThat(
        DB.column("SELECT send_date || ':' || customer_sk FROM dw.fact_traffic ORDER BY 1"),
        contains("2025-01-20:11", "2025-02-03:12"));
    assertThat(
        DB.column("SELECT natural_key || ' ' || rule FROM dq.pending_rows"),
        contains("2025-02-03|a1|c1|ch9 relationships:channel_id"));
  }

  private FactLoadStats load(long runId) throws Exception {
    try (Connection c = DB.open()) {
      return FactStore.load(c, FactSpec.SALES, runId, TZ);
    }
  }

  private void stageSale(
      long run, String tx, String customer, String product, String ts, String status, String amount)
      throws Exception {
    exec(
        String.format(
            "INSERT INTO staging.sales (run_id, source_file, line_no, transaction_id, customer_id,"
                + " product_id, quantity, unit_price, amount, status, transaction_ts, amount_imputed)"
                + " VALUES (%d, 'f', (SELECT count(*) + 2 FROM staging.sales), '%s', '%s', %s, 1, %s, %s, '%s',"
                + " '%s', false)",
            run,
            tx,
            customer,
            product == null ? "NULL" : "'" + product + "'",
            amount,
            amount,
            status,
            ts));
  }

  private String dump() throws Exception {
    return String.join(
        "\n", DB.column("SELECT f::text FROM dw.fact_sales f ORDER BY transaction_id"));
  }

  private static void exec(String sql) throws Exception {
    try (Connection c = DB.open();
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }
}
