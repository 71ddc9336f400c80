package io.c360.pipelines.db;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.c360.transforms.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SPEC §6: share views without direct PII, keyed by a configured key; the partner role sees only
 * share.
 */
class ShareIT {
  @RegisterExtension static final TestDatabase DB = new TestDatabase();

  @Test
  void partnerSeesPseudonymisedCustomersAndNothingElse() throws Exception {
    Migrations.ensureShareKey(DB.connection(), "key-one");
    try (Connection c = DB.open();
        Statement st = c.createStatement()) {
      st.execute(
          "INSERT INTO mart.customer_360 (as_of, customer_id, name, email, segment, orders,"
              + " lifetime_revenue, apps_and_games_amount, beauty_amount, books_amount,"
              + " clothing_shoes_and_accessories_amount, kitchen_amount, movies_and_tv_amount,"
              + " sports_fitness_and_outdoors_amount, customer_type, churn_risk) VALUES"
              + " ('2025-03-31', 'C1', 'Alice Smith', 'alice@example.com', 'SMB', 1, 10, 0, 0, 10, 0,"
              + " 0, 0, 0, 'new', 'low')");
      st.execute("SET ROLE c360_partner");
      String hash1;
      try (ResultSet rs =
          st.executeQuery("SELECT name_hash, email_masked, segment FROM share.customer_360")) {
        rs.next();
        hash1 = rs.getString(1);
        assertThat(hash1, matchesPattern("[0-9a-f]{64}"));
        assertThat(hash1, not(containsString("Alice")));
        assertThat(rs.getString(2), equalTo("a***@example.com"));
        assertThat(rs.getString(3), equalTo("SMB"));
      }
      SQLException denied =
          assertThrows(
              SQLException.class, () -> st.executeQuery("SELECT * FROM mart.customer_360"));
      assertThat(denied.getMessage(), containsString("permission denied"));
      assertThrows(SQLException.class, () -> st.executeQuery("SELECT key FROM ops.share_key"));
      st.execute("RESET ROLE");

      Migrations.ensureShareKey(DB.connection(), "key-two");
      try (ResultSet rs = st.executeQuery("SELECT name_hash FROM share.customer_360")) {
        rs.next();
        assertThat("the hash depends on the key", rs.getString(1), not(equalTo(hash1)));
      }
      // The key lives in the database only, never in the migration files.
      try (ResultSet rs =
          st.executeQuery("SELECT count(*) FROM pg_proc WHERE prosrc LIKE '%key-two%'")) {
        rs.next();
        assertThat(rs.getLong(1), equalTo(0L));
      }
    }
  }

  @Test
  void readerCannotWrite() throws Exception {
    try (Connection c = DB.open();
        Statement st = c.createStatement()) {
      st.execute("SET ROLE c360_reader");
      st.executeQuery("SELECT count(*) FROM mart.top_customers").close();
      SQLException denied =
          assertThrows(SQLException.class, () -> st.execute("DELETE FROM mart.top_customers"));
      assertThat(denied.getMessage(), containsString("permission denied"));
      assertThrows(SQLException.class, () -> st.executeQuery("SELECT count(*) FROM raw.sales"));
    }
  }
}
