package io.c360.transforms.scd2;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.c360.transforms.model.Entities;
import io.c360.transforms.model.EntitySpec;
import io.c360.transforms.testing.TestDatabase;
import java.io.Serializable;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The merge transform against a real PostgreSQL on the Direct runner (SPEC §3 scenarios). */
class Scd2MergeIT implements Serializable {
  @RegisterExtension static final TestDatabase DB = new TestDatabase();

  private static final ZoneId UTC = ZoneOffset.UTC;

  private static Instant t(String iso) {
    return Instant.parse(iso);
  }

  private static Scd2.Merge merge(DimensionSpec d, long runId, Instant runDayStart) {
    return Scd2.merge(d)
        .withConnection(DB.connection())
        .withRunId(runId)
        .withDefaultValidFrom(runDayStart)
        .withTimezone(UTC);
  }

  private static Row customer(String file, long line, String id, String name, Instant updatedAt) {
    return Scd2Pipelines.customer(file, line, id, name, null, updatedAt);
  }

  private static Row customer(
      String file, long line, String id, String name, String account, Instant updatedAt) {
    return Row.fromRow(customer(file, line, id, name, updatedAt))
        .withFieldValue("account_id", account)
        .build();
  }

  private static Row product(String id, String name, BigDecimal price, Instant updatedAt) {
    return Row.withSchema(Entities.PRODUCTS.typedSchema())
        .withFieldValue(EntitySpec.SOURCE_FILE, "products.csv")
        .withFieldValue(EntitySpec.LINE_NO, 2L)
        .withFieldValue("product_id", id)
        .withFieldValue("product_name", name)
        .withFieldValue("category", "Books")
        .withFieldValue("list_price", price)
        .withFieldValue("updated_at", updatedAt)
        .build();
  }

  /** key's versions as "valid_from..valid_to name run=R current/deleted". */
  private static List<String> history(String id) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = DB.open();
        PreparedStatement st =
            c.prepareStatement(
                "SELECT valid_from, valid_to, name, run_id, is_current, is_deleted, account_id"
                    + " FROM dw.dim_customer WHERE customer_id = ? ORDER BY valid_from")) {
      st.setString(1, id);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          Instant to = rs.getObject(2, OffsetDateTime.class).toInstant();
          out.add(
              rs.getObject(1, OffsetDateTime.class).toInstant()
                  + ".."
                  + (to.equals(Scd2History.OPEN_END) ? "open" : to.toString())
                  + " "
                  + rs.getString(3)
                  + " run="
                  + rs.getLong(4)
                  + (rs.getBoolean(5) ? " current" : "")
                  + (rs.getBoolean(6) ? " deleted" : "")
                  + (rs.getString(7) == null ? "" : " acct=" + rs.getString(7)));
        }
      }
    }
    return out;
  }

  private static long sk(String table, String skCol, String keyCol, String key, String validFrom)
      throws SQLException {
    try (Connection c = DB.open();
        PreparedStatement st =
            c.prepareStatement(
                "SELECT "
                    + skCol
                    + " FROM "
                    + table
                    + " WHERE "
                    + keyCol
                    + " = ? AND valid_from = ?::timestamptz")) {
      st.setString(1, key);
      st.setString(2, validFrom);
      try (ResultSet rs = st.executeQuery()) {
        if (!rs.next()) {
          throw new AssertionError("no version of " + key + " from " + validFrom);
        }
        return rs.getLong(1);
      }
    }
  }

  private static long customerSk(String key, String validFrom) throws SQLException {
    return sk("dw.dim_customer", "customer_sk", "customer_id", key, validFrom);
  }

  @Test
  void lateChangeIsPlacedInsideAndRecutsOnlyItsNeighbour() throws Exception {
    List<Row> day1 = new ArrayList<>();
    day1.add(customer("d1.csv", 2, "late-1", "Ann", t("2024-01-01T00:00:00Z")));
    day1.add(customer("d1.csv", 3, "late-1", "Cid", t("2024-03-01T00:00:00Z")));
    for (int i = 0; i < 50; i++) {
      day1.add(customer("d1.csv", 10 + i, "late-other-" + i, "X", null));
    }
    Scd2Pipelines.run(
        Scd2Pipelines.direct(), merge(DimensionSpec.CUSTOMER, 1, t("2024-03-05T00:00:00Z")), day1);
    long skAnn = customerSk("late-1", "2024-01-01T00:00:00Z");
    long skCid = customerSk("late-1", "2024-03-01T00:00:00Z");

    MergeStats s =
        Scd2Pipelines.run(
            Scd2Pipelines.direct(),
            merge(DimensionSpec.CUSTOMER, 2, t("2024-03-06T00:00:00Z")),
            List.of(customer("d2.csv", 2, "late-1", "Bea", t("2024-02-01T00:00:00Z"))));

    assertThat(
        history("late-1"),
        contains(
            "2024-01-01T00:00:00Z..2024-02-01T00:00:00Z Ann run=2",
            "2024-02-01T00:00:00Z..2024-03-01T00:00:00Z Bea run=2",
            "2024-03-01T00:00:00Z..open Cid run=1 current"));
    assertThat(customerSk("late-1", "2024-01-01T00:00:00Z"), is(skAnn));
    assertThat(customerSk("late-1", "2024-03-01T00:00:00Z"), is(skCid));
    assertThat(customerSk("late-1", "2024-02-01T00:00:00Z"), not(is(skAnn)));
    assertThat(s, equalTo(new MergeStats(1, 1, 1, 0, 0, 0, 2, 0)));
  }

  @Test
  void severalVersionsOfOneKeyInOneFileEachBecomeAVersionInUpdatedAtOrder() throws Exception {
    MergeStats s =
        Scd2Pipelines.run(
            Scd2Pipelines.direct(),
            merge(DimensionSpec.CUSTOMER, 10, t("2024-05-10T00:00:00Z")),
            List.of(
                customer("d.csv", 2, "multi-1", "Third", t("2024-05-03T12:00:00Z")),
                customer("d.csv", 3, "multi-1", "NoTime", null),
                customer("d.csv", 4, "multi-1", "First", t("2024-05-01T08:00:00Z")),
                customer("d.csv", 5, "multi-1", "Second", t("2024-05-02T00:00:00Z")),
                customer("d.csv", 6, "multi-1", "Second", t("2024-05-02T06:00:00Z"))));
    assertThat(
        history("multi-1"),
        contains(
            "2024-05-01T08:00:00Z..2024-05-02T00:00:00Z First run=10",
            "2024-05-02T00:00:00Z..2024-05-03T12:00:00Z Second run=10",
            "2024-05-03T12:00:00Z..2024-05-10T00:00:00Z Third run=10",
            "2024-05-10T00:00:00Z..open NoTime run=10 current"));
    assertThat("the repeated Second row makes no version", s.unchangedRows(), is(1L));
    assertThat(s.versionsInserted(), is(4L));
  }

  @Test
  void sameUpdatedAtTwiceTheLaterLineWins() throws Exception {
    Instant at = t("2024-06-01T00:00:00Z");
    Scd2Pipelines.run(
        Scd2Pipelines.direct(),
        merge(DimensionSpec.CUSTOMER, 20, at),
        List.of(
            customer("b.csv", 2, "tie-1", "FromLaterFile", at),
            customer("a.csv", 9, "tie-1", "FromEarlierFile", at),
            customer("b.csv", 1, "tie-1", "EarlierLine", at)));
    assertThat(
        history("tie-1"), contains("2024-06-01T00:00:00Z..open FromLaterFile run=20 current"));
  }

  @Test
  void type1ColumnsAreOverwrittenOnEveryVersionAndNullDoesNotErase() throws Exception {
    Scd2Pipelines.run(
        Scd2Pipelines.direct(),
        merge(DimensionSpec.CUSTOMER, 30, t("2024-07-10T00:00:00Z")),
        List.of(
            customer("d.csv", 2, "t1-1", "Ann", "ACC-1", t("2024-07-01T00:00:00Z")),
            customer("d.csv", 3, "t1-1", "Bob", "ACC-1", t("2024-07-05T00:00:00Z"))));
    MergeStats s =
        Scd2Pipelines.run(
            Scd2Pipelines.direct(),
            merge(DimensionSpec.CUSTOMER, 31, t("2024-07-11T00:00:00Z")),
            List.of(customer("d.csv", 2, "t1-1", "Bob", "ACC-2", t("2024-07-11T00:00:00Z"))));
    assertThat(
        history("t1-1"),
        contains(
            "2024-07-01T00:00:00Z..2024-07-05T00:00:00Z Ann run=31 acct=ACC-2",
            "2024-07-05T00:00:00Z..open Bob run=31 current acct=ACC-2"));
    assertThat("a Type 1 change makes no version", s.versionsInserted(), is(0L));
    assertThat(s.keysAffected(), is(1L));

    MergeStats none =
        Scd2Pipelines.run(
            Scd2Pipelines.direct(),
            merge(DimensionSpec.CUSTOMER, 32, t("2024-07-12T00:00:00Z")),
            List.of(customer("d.csv", 2, "t1-1", "Bob", null, t("2024-07-12T00:00:00Z"))));
    assertThat(none.keysAffected(), is(0L));
    assertThat(history("t1-1"), everyItem(containsString("acct=ACC-2")));
  }

  @Test
  void rerunningADayWritesNothing() throws Exception {
    List<Row> day =
        List.of(
            customer("r.csv", 2, "rerun-1", "Ann", t("2024-08-01T00:00:00Z")),
            customer("r.csv", 3, "rerun-1", "Bob", null),
            customer("r.csv", 4, "rerun-2", "Cid", "ACC", null));
    Scd2Pipelines.run(
        Scd2Pipelines.direct(), merge(DimensionSpec.CUSTOMER, 40, t("2024-08-03T00:00:00Z")), day);
    List<String> before;
    try (Connection c = DB.open()) {
      before = Scd2Pipelines.dump(c, "dw.dim_customer", "customer_sk");
    }
    MergeStats again =
        Scd2Pipelines.run(
            Scd2Pipelines.direct(),
            merge(DimensionSpec.CUSTOMER, 41, t("2024-08-03T00:00:00Z")),
            day);
    try (Connection c = DB.open()) {
      assertThat(Scd2Pipelines.dump(c, "dw.dim_customer", "customer_sk"), equalTo(before));
      assertThat(
          Scd2Pipelines.dump(c, "staging.dim_customer_history", "customer_id").size(), is(0));
    }
    assertThat(again.keysAffected(), is(0L));
    assertThat(again.unchangedRows(), is(3L));
  }

  @Test
  void productPriceIsComparedAtTheStoredScale() throws Exception {
    Scd2Pipelines.run(
        Scd2Pipelines.direct(),
        merge(DimensionSpec.PRODUCT, 50, t("2024-09-01T00:00:00Z")),
        List.of(product("p-price", "Book", new BigDecimal("12.5"), null)));
    MergeStats same =
        Scd2Pipelines.run(
            Scd2Pipelines.direct(),
            merge(DimensionSpec.PRODUCT, 51, t("2024-09-02T00:00:00Z")),
            List.of(product("p-price", "Book", new BigDecimal("12.50000"), null)));
    assertThat(same.keysAffected(), is(0L));
    MergeStats changed =
        Scd2Pipelines.run(
            Scd2Pipelines.direct(),
            merge(DimensionSpec.PRODUCT, 52, t("2024-09-03T00:00:00Z")),
            List.of(product("p-price", "Book", new BigDecimal("12.51"), null)));
    assertThat(changed.versionsInserted(), is(1L));
    try (Connection c = DB.open();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT list_price, is_current FROM dw.dim_product WHERE product_id = 'p-price'"
                    + " ORDER BY valid_from")) {
      List<String> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(rs.getBigDecimal(1).toPlainString() + " " + rs.getBoolean(2));
      }
      assertThat(rows, contains("12.5000 false", "12.5100 true"));
    }
  }

  @Test
  void factsArePointedAtTheVersionValidAtTheirTime() throws Exception {
    ZoneId plus2 = ZoneOffset.ofHours(2);
    Scd2Pipelines.run(
        Scd2Pipelines.direct(),
        merge(DimensionSpec.CUSTOMER, 60, t("2024-03-05T00:00:00Z")),
        List.of(
            customer("d1.csv", 2, "fact-c", "Ann", t("2024-01-10T00:00:00Z")),
            customer("d1.csv", 3, "fact-c", "Cid", t("2024-03-01T00:00:00Z"))));
    Scd2Pipelines.run(
        Scd2Pipelines.direct(),
        merge(DimensionSpec.PRODUCT, 61, t("2024-03-05T00:00:00Z")),
        List.of(product("fact-p", "Book", new BigDecimal("10"), t("2024-01-01T00:00:00Z"))));
    try (Connection c = DB.open();
        Statement st = c.createStatement()) {
      // Facts loaded with placeholder keys: the merge must re-point every fact of its keys.
      st.execute(
          "INSERT INTO dw.fact_sales (transaction_id, customer_id, product_id, customer_sk,"
              + " product_sk, date_key, sales_date, transaction_ts, quantity, amount, status,"
              + " run_id) VALUES"
              + " ('s-old', 'fact-c', 'fact-p', -1, -1, 20240105, '2024-01-05',"
              + "  '2024-01-05T10:00:00Z', 1, 1, 'completed', 1),"
              + " ('s-feb', 'fact-c', 'fact-p', -1, -1, 20240215, '2024-02-15',"
              + "  '2024-02-15T10:00:00Z', 1, 1, 'completed', 1),"
              + " ('s-mar', 'fact-c', 'fact-p', -1, -1, 20240310, '2024-03-10',"
              + "  '2024-03-10T10:00:00Z', 1, 1, 'completed', 1)");
      st.execute(
          "INSERT INTO dw.fact_traffic (send_date, account_id, customer_id, channel_id,"
              + " customer_sk, date_key, interactions_count, revenue_eur, run_id) VALUES"
              + " ('2024-02-01', '', 'fact-c', 'email', -1, 20240201, 1, 1, 1),"
              + " ('2024-02-02', '', 'fact-c', 'email', -1, 20240202, 1, 1, 1)");
    }

    Scd2Pipelines.run(
        Scd2Pipelines.direct(),
        merge(DimensionSpec.CUSTOMER, 62, t("2024-03-06T00:00:00Z")).withTimezone(plus2),
        List.of(customer("d2.csv", 2, "fact-c", "Bea", t("2024-02-01T00:00:00Z"))));
    Scd2Pipelines.run(
        Scd2Pipelines.direct(),
        merge(DimensionSpec.PRODUCT, 63, t("2024-03-06T00:00:00Z")),
        List.of(product("fact-p", "Book", new BigDecimal("11"), t("2024-02-10T00:00:00Z"))));

    long ann = customerSk("fact-c", "2024-01-10T00:00:00Z");
    long bea = customerSk("fact-c", "2024-02-01T00:00:00Z");
    long cid = customerSk("fact-c", "2024-03-01T00:00:00Z");
    long p10 = sk("dw.dim_product", "product_sk", "product_id", "fact-p", "2024-01-01T00:00:00Z");
    long p11 = sk("dw.dim_product", "product_sk", "product_id", "fact-p", "2024-02-10T00:00:00Z");
    List<String> sales = new ArrayList<>();
    List<String> traffic = new ArrayList<>();
    try (Connection c = DB.open();
        Statement st = c.createStatement()) {
      try (ResultSet rs =
          st.executeQuery(
              "SELECT transaction_id, customer_sk, product_sk FROM dw.fact_sales"
                  + " WHERE customer_id = 'fact-c' ORDER BY transaction_ts")) {
        while (rs.next()) {
          sales.add(rs.getString(1) + " " + rs.getLong(2) + " " + rs.getLong(3));
        }
      }
      try (ResultSet rs =
          st.executeQuery(
              "SELECT send_date, customer_sk FROM dw.fact_traffic WHERE customer_id = 'fact-c'"
                  + " ORDER BY send_date")) {
        while (rs.next()) {
          traffic.add(rs.getString(1) + " " + rs.getLong(2));
        }
      }
    }
    assertThat(
        "a sale older than the first version takes the first version",
        sales,
        contains(
            "s-old " + ann + " " + p10, "s-feb " + bea + " " + p11, "s-mar " + cid + " " + p11));
    // 2024-02-01 00:00 at +02:00 is 2024-01-31T22:00Z, still Ann's; 2024-02-02 is Bea's.
    assertThat(traffic, contains("2024-02-01 " + ann, "2024-02-02 " + bea));
  }

  @Test
  void rowWithoutNaturalKeyFailsTheMergeNamingItsLineAndWritesNothing() throws Exception {
    List<String> before;
    try (Connection c = DB.open()) {
      before = Scd2Pipelines.dump(c, "dw.dim_customer", "customer_sk");
    }
    Row noKey =
        Row.withSchema(Entities.CUSTOMERS.typedSchema())
            .withFieldValue(EntitySpec.SOURCE_FILE, "bad.csv")
            .withFieldValue(EntitySpec.LINE_NO, 7L)
            .withFieldValue("name", "Nobody")
            .build();
    Exception e =
        assertThrows(
            Exception.class,
            () ->
                Scd2Pipelines.run(
                    Scd2Pipelines.direct(),
                    merge(DimensionSpec.CUSTOMER, 70, t("2024-10-01T00:00:00Z")),
                    List.of(customer("ok.csv", 2, "bad-batch-1", "Ann", null), noKey)));
    assertThat(rootMessage(e), containsString("bad.csv:7"));
    try (Connection c = DB.open()) {
      assertThat(Scd2Pipelines.dump(c, "dw.dim_customer", "customer_sk"), equalTo(before));
    }
  }

  @Test
  void misconfiguredMergeIsRejectedBeforeRunning() {
    assertThrows(IllegalArgumentException.class, () -> Scd2.merge(null));
    assertThrows(
        IllegalArgumentException.class, () -> Scd2.merge(DimensionSpec.CUSTOMER).withRunId(0));
    assertThrows(
        IllegalArgumentException.class,
        () -> Scd2.merge(DimensionSpec.CUSTOMER).withDefaultValidFrom(Scd2History.OPEN_END));
    assertThrows(
        IllegalArgumentException.class, () -> Scd2.merge(DimensionSpec.CUSTOMER).withMode(null));

    Pipeline p = Pipeline.create(Scd2Pipelines.direct());
    IllegalStateException noConnection =
        assertThrows(
            IllegalStateException.class,
            () ->
                p.apply(Create.empty(Entities.CUSTOMERS.typedSchema()))
                    .apply(
                        Scd2.merge(DimensionSpec.CUSTOMER)
                            .withRunId(1)
                            .withDefaultValidFrom(t("2024-01-01T00:00:00Z"))));
    assertThat(noConnection.getMessage(), containsString("withConnection"));

    Schema wrong = Schema.builder().addStringField("customer_id").build();
    Pipeline q = Pipeline.create(Scd2Pipelines.direct());
    IllegalArgumentException wrongInput =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                q.apply(Create.empty(wrong))
                    .apply(merge(DimensionSpec.CUSTOMER, 1, t("2024-01-01T00:00:00Z"))));
    assertThat(wrongInput.getMessage(), containsString("typedSchema"));
  }

  private static String rootMessage(Throwable e) {
    StringBuilder b = new StringBuilder();
    for (Throwable x = e; x != null; x = x.getCause()) {
      b.append(x.getMessage()).append(" | ");
    }
    return b.toString();
  }
}
