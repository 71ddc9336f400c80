package io.c360.pipelines.db;

import io.c360.transforms.jdbc.PgConnection;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The PostgreSQL a command works on: an external server given by {@code --jdbcUrl} (password from
 * {@code --passwordFile}, else {@code C360_DB_PASSWORD}, else the Secret Manager version named by
 * {@code --jdbcPasswordSecret}; never from the command line), or the embedded one under {@code
 * .c360/pg}, started here and stopped on {@link #close()}.
 */
public final class Warehouse implements Closeable {
  public static final String PASSWORD_ENV = "C360_DB_PASSWORD";

  private final PgConnection connection;
  private final LocalPostgres local;

  private Warehouse(PgConnection connection, LocalPostgres local) {
    this.connection = connection;
    this.local = local;
  }

  /**
   * Connection settings as given by the user; {@code jdbcUrl == null} selects the embedded server.
   * {@code passwordSecret} (a Secret Manager version name, or null) is read only when neither
   * {@code passwordFile} nor {@code C360_DB_PASSWORD} gives the password.
   */
  public static Warehouse open(
      String jdbcUrl,
      String user,
      Path passwordFile,
      String passwordSecret,
      Path localDataDir,
      int localPort,
      PrintStream log)
      throws IOException {
    if (jdbcUrl == null || jdbcUrl.isBlank()) {
      log.printf("Starting the embedded PostgreSQL (data in %s) ...%n", localDataDir);
      LocalPostgres pg = LocalPostgres.start(localDataDir, localPort);
      log.printf(
          "Embedded PostgreSQL is up: psql -h localhost -p %d -U %s %s  (JDBC %s, no password)%n",
          pg.port(), LocalPostgres.USER, LocalPostgres.DATABASE, pg.jdbcUrl());
      return new Warehouse(PgConnection.of(pg.jdbcUrl(), LocalPostgres.USER, null), pg);
    }
    if (jdbcUrl.toLowerCase().contains("password=")) {
      throw new IllegalArgumentException(
          "--jdbcUrl must not carry a password; set "
              + PASSWORD_ENV
              + " or use --passwordFile instead");
    }
    return new Warehouse(
        PgConnection.of(jdbcUrl, user, password(passwordFile, passwordSecret)), null);
  }

  /**
   * Password from --passwordFile (first line), else the environment, else Secret Manager, else
   * none. The secret is the fallback for launchers that can pass neither a file nor an environment
   * variable (the Dataflow flex template).
   */
  static String password(Path passwordFile, String passwordSecret) throws IOException {
    String p = password(passwordFile);
    if (p == null && passwordSecret != null && !passwordSecret.isBlank()) {
      return SecretManager.access(passwordSecret.strip());
    }
    return p;
  }

  /** Password from --passwordFile (first line), else the environment, else none. */
  static String password(Path passwordFile) throws IOException {
    if (passwordFile != null) {
      String s = Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
      int nl = s.indexOf('\n');
      return nl < 0 ? s : s.substring(0, nl).strip();
    }
    String env = System.getenv(PASSWORD_ENV);
    return env == null || env.isEmpty() ? null : env;
  }

  public PgConnection connection() {
    return connection;
  }

  public Connection open() throws SQLException {
    return connection.open();
  }

  public boolean isEmbedded() {
    return local != null;
  }

  /** How a user connects while it runs, for summaries. */
  public String describe() {
    if (local != null) {
      return String.format(
          "embedded PostgreSQL at %s (psql -h localhost -p %d -U %s %s), data in %s",
          local.jdbcUrl(),
          local.port(),
          LocalPostgres.USER,
          LocalPostgres.DATABASE,
          local.dataDir());
    }
    return connection.toString();
  }

  @Override
  public void close() throws IOException {
    if (local != null) {
      local.close();
    }
  }
}
