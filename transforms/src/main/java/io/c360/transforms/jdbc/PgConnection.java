package io.c360.transforms.jdbc;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Properties;
import org.apache.beam.sdk.io.jdbc.JdbcIO;

/**
 * How workers reach the warehouse: JDBC URL, user and password. The password travels inside the
 * serialized pipeline (as with JdbcIO) but never into options, display data, logs or toString.
 */
public final class PgConnection implements Serializable {
  private static final Driver DRIVER = new org.postgresql.Driver();

  private final String jdbcUrl;
  private final String user;
  private final String password;

  private PgConnection(String jdbcUrl, String user, String password) {
    if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + redact(jdbcUrl));
    }
    this.jdbcUrl = jdbcUrl;
    this.user = Objects.requireNonNull(user, "user");
    this.password = password;
  }

  public static PgConnection of(String jdbcUrl, String user, String password) {
    return new PgConnection(jdbcUrl, user, password);
  }

  public String jdbcUrl() {
    return jdbcUrl;
  }

  public String user() {
    return user;
  }

  /** Opens a new connection with autocommit on; the caller closes it. */
  public Connection open() throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    if (password != null) {
      p.setProperty("password", password);
    }
    p.setProperty("reWriteBatchedInserts", "true");
    p.setProperty("ApplicationName", "c360");
    // Not DriverManager: on a Flink cluster the driver sits in the job's child-first class loader,
    // which DriverManager (initialised from the system class loader) never sees.
    Connection c = DRIVER.connect(jdbcUrl, p);
    if (c == null) {
      throw new SQLException("the PostgreSQL driver rejected the URL " + redact(jdbcUrl));
    }
    return c;
  }

  /** A plain (unpooled) DataSource on the same target, for Flyway and tools. */
  public javax.sql.DataSource dataSource() {
    org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
    ds.setURL(jdbcUrl);
    ds.setUser(user);
    if (password != null) {
      ds.setPassword(password);
    }
    ds.setApplicationName("c360");
    return ds;
  }

  /** The same target for Beam's JdbcIO. */
  public JdbcIO.DataSourceConfiguration toDataSourceConfiguration() {
    JdbcIO.DataSourceConfiguration c =
        JdbcIO.DataSourceConfiguration.create("org.postgresql.Driver", jdbcUrl)
            .withUsername(user)
            .withConnectionProperties("reWriteBatchedInserts=true;ApplicationName=c360");
    return password == null ? c : c.withPassword(password);
  }

  /** The URL without any password parameter, for logs and run records. */
  public static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }

  @Override
  public String toString() {
    return redact(jdbcUrl) + " as " + user;
  }

  /**
   * Makes {@code date::timestamptz} mean 00:00 of that date in {@code zone} for this transaction. A
   * fixed offset uses the SQL-standard interval form: a bare "+02:00" would be read POSIX-style by
   * PostgreSQL, with the sign inverted.
   */
  public static void setLocalTimeZone(Connection c, ZoneId zone) throws SQLException {
    ZoneId z = zone.normalized();
    if (z instanceof ZoneOffset) {
      int seconds = ((ZoneOffset) z).getTotalSeconds();
      try (Statement st = c.createStatement()) {
        // Built from an int: nothing from outside reaches the SQL text.
        st.execute("SET LOCAL TIME ZONE INTERVAL '" + seconds + " seconds'");
      }
    } else {
      try (PreparedStatement st = c.prepareStatement("SELECT set_config('TimeZone', ?, true)")) {
        st.setString(1, z.getId());
        st.execute();
      }
    }
  }

  /**
   * Fresh planner statistics for {@code staging.<table>}, through the owner's {@code
   * staging.analyze_table} (sql/V60): before PostgreSQL 17 only a table's owner may analyze it, and
   * a run works as the writer role.
   */
  public static void analyzeStaging(Connection c, String table) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT staging.analyze_table(?)")) {
      ps.setString(1, table);
      ps.execute();
    }
  }

  /**
   * Rolls back the transaction that {@code cause} ended, for the caller to rethrow {@code cause}. A
   * fault that ends the session (a terminated backend, a restarted server) also makes the rollback
   * fail with "This connection has been closed", which would hide the error that says what
   * happened: that one is kept as suppressed instead.
   *
   * <pre>{@code
   * } catch (SQLException | RuntimeException e) {
   *   PgConnection.rollbackAfter(c, e);
   *   throw e;
   * }
   * }</pre>
   */
  public static void rollbackAfter(Connection c, Throwable cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  /** Sets autocommit back unless the session is gone (then there is nothing to set). */
  public static void restoreAutoCommit(Connection c, boolean autoCommit) throws SQLException {
    if (!c.isClosed()) {
      c.setAutoCommit(autoCommit);
    }
  }
}
