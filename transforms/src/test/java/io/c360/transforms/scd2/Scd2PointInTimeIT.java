package io.c360.transforms.scd2;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import io.c360.transforms.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SPEC §3's point-in-time rule ({@link DimensionSpec#versionAt}), which the fact load and the
 * re-pointing share: its answers, and that it is index probes, never a scan.
 */
class Scd2PointInTimeIT {
  @RegisterExtension static final TestDatabase DB = new TestDatabase();

  /** 20,000 customers with 5 monthly versions each (Jan..May 2024), then ANALYZE. */
  @BeforeAll
  static void fill() throws Exception {
    try (Connection c = DB.open();
        Statement st = c.createStatement()) {
      st.execute(
          "INSERT INTO dw.dim_customer (customer_id, name, row_hash, valid_from, valid_to,"
              + " is_current, run_id)"
              + " SELECT 'c' || k, 'v' || m, md5(k || '-' || m),"
              + " timestamptz '2024-01-01 00:00Z' + (m - 1) * interval '1 month',"
              + " CASE WHEN m = 5 THEN timestamptz '9999-12-31 00:00Z'"
              + "   ELSE timestamptz '2024-01-01 00:00Z' + m * interval '1 month' END,"
              + " m = 5, 1"
              + " FROM generate_series(1, 20000) k, generate_series(1, 5) m");
      st.execute("ANALYZE dw.dim_customer");
    }
  }

  private static String lookup(String key, String ts) throws Exception {
    try (Connection c = DB.open();
        PreparedStatement st =
            c.prepareStatement(
                "SELECT v.name FROM "
                    + DimensionSpec.CUSTOMER.versionAt("?", "?", "name")
                    + " v")) {
      st.setString(1, key);
      st.setObject(2, OffsetDateTime.parse(ts));
      st.setString(3, key);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  @Test
  void lookupReturnsTheVersionValidAtTheTimestampOrTheFirstOne() throws Exception {
    assertThat(lookup("c42", "2024-03-15T12:00:00Z"), is("v3"));
    assertThat("valid_from is inclusive", lookup("c42", "2024-02-01T00:00:00Z"), is("v2"));
    assertThat("valid_to is exclusive", lookup("c42", "2024-01-31T23:59:59Z"), is("v1"));
    assertThat(lookup("c42", "2030-01-01T00:00:00Z"), is("v5"));
    assertThat("older than the first version", lookup("c42", "2020-01-01T00:00:00Z"), is("v1"));
    assertThat("unknown key", lookup("nobody", "2024-03-15T12:00:00Z"), is((String) null));
  }

  @Test
  void lookupIsAnIndexProbeNotAScan() throws Exception {
    StringBuilder plan = new StringBuilder();
    try (Connection c = DB.open();
        PreparedStatement st =
            c.prepareStatement(
                "EXPLAIN SELECT * FROM " + DimensionSpec.CUSTOMER.versionAt("?", "?") + " v")) {
      st.setString(1, "c42");
      st.setObject(2, OffsetDateTime.parse("2024-03-15T12:00:00Z"));
      st.setString(3, "c42");
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          plan.append(rs.getString(1)).append('\n');
        }
      }
    }
    assertThat(plan.toString(), containsString("dim_customer_pit_idx"));
    assertThat(plan.toString(), not(containsString("Seq Scan")));
  }
}
