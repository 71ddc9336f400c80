package io.c360.pipelines.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The embedded PostgreSQL that {@code demo}, {@code run} and {@code query} use when no {@code
 * --jdbcUrl} is given: real PostgreSQL binaries from Maven, data kept in a project-local folder
 * ({@code .c360/pg} by default) so history survives between runs.
 */
public final class LocalPostgres implements Closeable {
  public static final int DEFAULT_PORT = 54329;
  public static final String USER = "postgres";
  public static final String DATABASE = "postgres";

  private final EmbeddedPostgres pg;
  private final Path dataDir;

  private LocalPostgres(EmbeddedPostgres pg, Path dataDir) {
    this.pg = pg;
    this.dataDir = dataDir;
  }

  /** Starts (or re-opens) the server whose data lives in {@code dataDir}. */
  public static LocalPostgres start(Path dataDir, int port) throws IOException {
    Files.createDirectories(dataDir);
    Path pidFile = dataDir.resolve("postmaster.pid");
    if (Files.exists(pidFile)) {
      throw new IOException(
          "the embedded PostgreSQL in "
              + dataDir
              + " is already running (another c360 run or query holds it, see "
              + pidFile
              + "); wait for it to finish, or connect to it with --jdbcUrl=jdbc:postgresql://localhost:"
              + port
              + "/"
              + DATABASE);
    }
    EmbeddedPostgres pg =
        EmbeddedPostgres.builder()
            .setDataDirectory(dataDir)
            .setCleanDataDirectory(false)
            .setPort(port)
            .setPGStartupWait(Duration.ofSeconds(60))
            .setServerConfig("max_connections", "200")
            .setServerConfig("shared_buffers", "256MB")
            .setServerConfig("work_mem", "32MB")
            .setServerConfig("maintenance_work_mem", "256MB")
            .setServerConfig("max_wal_size", "2GB")
            .setServerConfig("synchronous_commit", "off")
            .start();
    return new LocalPostgres(pg, dataDir);
  }

  public int port() {
    return pg.getPort();
  }

  public Path dataDir() {
    return dataDir;
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://localhost:" + port() + "/" + DATABASE;
  }

  @Override
  public void close() throws IOException {
    pg.close();
  }
}
