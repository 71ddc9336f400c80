package io.c360.transforms.scd2;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import io.c360.transforms.testing.TestDatabase;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code --customersMode}: snapshot closes customers absent from the day's file with an is_deleted
 * version at runDate 00:00 in the timezone; delta leaves them; a deleted customer comes back.
 */
class Scd2SnapshotIT implements Serializable {
  @RegisterExtension static final TestDatabase DB = new TestDatabase();

  private static final ZoneId OSLO = ZoneId.of("Europe/Oslo");

  private static Instant dayStart(String date) {
    return LocalDate.parse(date).atStartOfDay(OSLO).toInstant();
  }

  private static MergeStats run(long runId, String runDate, Scd2.Mode mode, List<Row> rows) {
    return Scd2Pipelines.run(
        Scd2Pipelines.direct(),
        Scd2.merge(DimensionSpec.CUSTOMER)
            .withConnection(DB.connection())
            .withRunId(runId)
            .withDefaultValidFrom(dayStart(runDate))
            .withTimezone(OSLO)
            .withMode(mode),
        rows);
  }

  private static Row customer(String id, String name) {
    return Scd2Pipelines.customer("c.csv", 2, id, name, "SMB", null);
  }

  private static List<String> history(String id) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = DB.open();
        PreparedStatement st =
            c.prepareStatement(
                "SELECT valid_from, valid_to, name, is_current, is_deleted FROM dw.dim_customer"
                    + " WHERE customer_id = ? ORDER BY valid_from")) {
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
                  + (rs.getBoolean(4) ? " current" : "")
                  + (rs.getBoolean(5) ? " deleted" : ""));
        }
      }
    }
    return out;
  }

  @Test
  void snapshotClosesAbsentCustomersDeltaLeavesThemAndTheyCanComeBack() throws Exception {
    run(1, "2024-03-04", Scd2.Mode.SNAPSHOT, List.of(customer("a", "Ann"), customer("b", "Bob")));

    MergeStats delta = run(2, "2024-03-05", Scd2.Mode.DELTA, List.of(customer("a", "Ann")));
    assertThat("delta leaves absent b", delta.keysDeleted(), is(0L));
    assertThat(history("b"), contains("2024-03-03T23:00:00Z..open Bob current"));

    MergeStats snap = run(3, "2024-03-06", Scd2.Mode.SNAPSHOT, List.of(customer("a", "Ann")));
    assertThat(snap.keysDeleted(), is(1L));
    assertThat(snap.keysAffected(), is(1L));
    // runDate 2024-03-06 00:00 in Oslo (UTC+1) is 2024-03-05T23:00Z.
    assertThat(
        history("b"),
        contains(
            "2024-03-03T23:00:00Z..2024-03-05T23:00:00Z Bob",
            "2024-03-05T23:00:00Z..open Bob current deleted"));
    assertThat(history("a"), contains("2024-03-03T23:00:00Z..open Ann current"));

    List<String> afterDelete;
    try (Connection c = DB.open()) {
      afterDelete = Scd2Pipelines.dump(c, "dw.dim_customer", "customer_sk");
    }
    MergeStats rerun = run(4, "2024-03-06", Scd2.Mode.SNAPSHOT, List.of(customer("a", "Ann")));
    assertThat("a deleted key is not deleted twice", rerun.keysAffected(), is(0L));
    try (Connection c = DB.open()) {
      assertThat(Scd2Pipelines.dump(c, "dw.dim_customer", "customer_sk"), equalTo(afterDelete));
    }

    MergeStats back =
        run(
            5,
            "2024-03-08",
            Scd2.Mode.SNAPSHOT,
            List.of(customer("a", "Ann"), customer("b", "Bob")));
    assertThat(back.keysDeleted(), is(0L));
    assertThat(
        history("b"),
        contains(
            "2024-03-03T23:00:00Z..2024-03-05T23:00:00Z Bob",
            "2024-03-05T23:00:00Z..2024-03-07T23:00:00Z Bob deleted",
            "2024-03-07T23:00:00Z..open Bob current"));
  }

  @Test
  void emptySnapshotDayDeletesEveryLiveCustomerAcrossAllPartitions() throws Exception {
    List<Row> many = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      many.add(customer("bulk-" + i, "N" + i));
    }
    run(10, "2024-04-01", Scd2.Mode.DELTA, many);
    long live = countLive();
    MergeStats s = run(11, "2024-04-02", Scd2.Mode.SNAPSHOT, List.of());
    assertThat(s.keysDeleted(), is(live));
    assertThat(countLive(), is(0L));
  }

  private static long countLive() throws SQLException {
    try (Connection c = DB.open();
        PreparedStatement st =
            c.prepareStatement(
                "SELECT count(*) FROM dw.dim_customer WHERE is_current AND NOT is_deleted");
        ResultSet rs = st.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
