package io.c360.transforms.jdbc;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import io.c360.transforms.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code dw.analyze_changed()} (sql/V70), which the load stage calls before the checks and the
 * marts read: it analyzes a dw table once more than autovacuum's threshold of it changed (50 rows +
 * 10 %), at once instead of whenever autovacuum comes round, and leaves a table that changed less.
 */
class AnalyzeChangedIT {
  @RegisterExtension static final TestDatabase DB = new TestDatabase();

  @Test
  void analyzesWhatALoadChangedAndOnlyThat() throws Exception {
    try (Connection c = DB.open();
        Statement st = c.createStatement()) {
      // autovacuum must not analyze it behind the test's back
      st.execute("ALTER TABLE dw.dim_channel SET (autovacuum_enabled = false)");
      st.execute(
          "INSERT INTO dw.dim_channel (channel_id, channel_name, run_id)"
              + " SELECT 'ch' || i, 'channel ' || i, 1 FROM generate_series(1, 500) i");
      awaitStat(st, "n_mod_since_analyze", 500);
      assertThat(stat(st, "analyze_count"), equalTo(0L));

      assertThat(scalar(st, "SELECT dw.analyze_changed()"), greaterThanOrEqualTo(1L));
      awaitStat(st, "analyze_count", 1);
      assertThat(stat(st, "n_mod_since_analyze"), equalTo(0L));
      assertThat(
          "statistics the planner sees",
          scalar(
              st, "SELECT reltuples::bigint FROM pg_class WHERE oid = 'dw.dim_channel'::regclass"),
          equalTo(500L));

      // 20 more rows: under 50 + 10 % of 500, autovacuum would wait, and so does the function
      st.execute(
          "INSERT INTO dw.dim_channel (channel_id, channel_name, run_id)"
              + " SELECT 'more' || i, 'channel ' || i, 2 FROM generate_series(1, 20) i");
      awaitStat(st, "n_mod_since_analyze", 20);
      st.execute("SELECT dw.analyze_changed()");
      st.execute("SELECT pg_stat_force_next_flush()");
      st.execute("SELECT 1"); // a transaction end, which flushes this session's statistics
      st.execute("SELECT pg_stat_clear_snapshot()");
      assertThat(stat(st, "analyze_count"), equalTo(1L));
      assertThat(stat(st, "n_mod_since_analyze"), equalTo(20L));
    }
  }

  private static long stat(Statement st, String column) throws SQLException {
    st.execute("SELECT pg_stat_clear_snapshot()");
    return scalar(
        st,
        "SELECT " + column + " FROM pg_stat_user_tables WHERE relid = 'dw.dim_channel'::regclass");
  }

  /** Waits (at most 30 s) for this and other sessions' statistics to reach the shared view. */
  private static void awaitStat(Statement st, String column, long atLeast) throws Exception {
    st.execute("SELECT pg_stat_force_next_flush()");
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (stat(st, column) < atLeast && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(column, stat(st, column), greaterThanOrEqualTo(atLeast));
  }

  private static long scalar(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
