package io.c360.transforms.testing;

import io.c360.transforms.jdbc.PgConnection;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL for tests: one embedded server per JVM (zonky binaries), the repository's
 * {@code sql/} migrations applied once to a template, and a fresh database cloned from it for each
 * test class that registers this extension.
 *
 * <pre>{@code
 * @RegisterExtension static final TestDatabase DB = new TestDatabase();
 * ... DB.connection() ... DB.open() ...
 * }</pre>
 */
public final class TestDatabase implements BeforeAllCallback, AfterAllCallback {
  private static final Pattern VERSION = Pattern.compile("V(\\d+)__.*\\.sql");
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static EmbeddedPostgres server;

  private String database;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    EmbeddedPostgres pg = server();
    database = "c360_test_" + COUNTER.incrementAndGet();
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + database + " TEMPLATE c360_template");
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    try (Connection c = server().getPostgresDatabase().getConnection();
        Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }
  }

  /** Connection settings for the class's database, as workers receive them. */
  public PgConnection connection() {
    return PgConnection.of(jdbcUrl(), "postgres", null);
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + server.getPort() + "/" + database;
  }

  public Connection open() throws SQLException {
    return connection().open();
  }

  /** The first column of every row {@code sql} returns, as text, in the query's order. */
  public List<String> column(String sql) throws SQLException {
    try (Connection c = open()) {
      return column(c, sql);
    }
  }

  /** As {@link #column(String)}, on a connection the caller holds. */
  public static List<String> column(Connection c, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /** Port of the shared server (e.g. to create more databases). */
  public static int port() throws IOException {
    return server().getPort();
  }

  private static synchronized EmbeddedPostgres server() throws IOException {
    if (server == null) {
      EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(pg)));
      try (Connection c = pg.getPostgresDatabase().getConnection();
          Statement st = c.createStatement()) {
        st.execute("CREATE DATABASE c360_template");
      } catch (SQLException e) {
        throw new IOException(e);
      }
      // The same Flyway migration as `c360 migrate`, so runs under test find a managed schema.
      Path dir = migrations().get(0).getParent();
      org.flywaydb.core.Flyway.configure()
          .dataSource(pg.getDatabase("postgres", "c360_template"))
          .locations("filesystem:" + dir)
          .schemas("ops")
          .createSchemas(true)
          .table("flyway_schema_history")
          .load()
          .migrate();
      server = pg;
    }
    return server;
  }

  /** The repository's sql/V*__*.sql files in version order. */
  public static List<Path> migrations() {
    Path dir = Path.of(System.getProperty("c360.sql.dir", "../sql")).toAbsolutePath().normalize();
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> VERSION.matcher(p.getFileName().toString()).matches())
          .sorted(Comparator.comparingInt(TestDatabase::version))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list migrations in " + dir, e);
    }
  }

  private static int version(Path p) {
    Matcher m = VERSION.matcher(p.getFileName().toString());
    if (!m.matches()) {
      throw new IllegalArgumentException(p.toString());
    }
    return Integer.parseInt(m.group(1));
  }

  private static void closeQuietly(EmbeddedPostgres pg) {
    try {
      pg.close();
    } catch (IOException e) {
      // shutting down anyway
    }
  }
}
