package io.c360.pipelines.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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

  /**
   * Starts (or re-opens) the server whose data lives in {@code dataDir}. Fails when {@code port} is
   * taken: the embedded server's start-up waits for any server to answer on its port, so a run
   * would otherwise work in whatever warehouse already listens there (another project's).
   */
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
    requireFree(port, dataDir);
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

  private static void requireFree(int port, Path dataDir) throws IOException {
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    } catch (IOException e) {
      throw new IOException(
          "cannot start the embedded PostgreSQL of "
              + dataDir
              + ": port "
              + port
              + " is taken by another process (another c360 folder's embedded PostgreSQL?). Pass"
              + " --pgPort with a free port, or --jdbcUrl=jdbc:postgresql://localhost:"
              + port
              + "/"
              + DATABASE
              + " to use the server that holds it",
          e);
    }
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
