package io.c360.pipelines.db;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two c360 folders on one machine: the second embedded PostgreSQL asked for the first one's port
 * refuses to start, instead of its start-up finding the first server answering there and the run
 * then writing into the other folder's warehouse.
 */
class LocalPostgresIT {
  @TempDir Path tmp;

  @Test
  void aSecondFolderOnATakenPortFailsNamingThePortInsteadOfUsingTheOtherWarehouse()
      throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path first = tmp.resolve("first");
    Path second = tmp.resolve("second");
    try (LocalPostgres pg = LocalPostgres.start(first, port)) {
      int taken = port;
      IOException refused =
          assertThrows(IOException.class, () -> LocalPostgres.start(second, taken));
      assertThat(
          refused.getMessage(),
          allOf(
              containsString(second.toString()),
              containsString("port " + port + " is taken"),
              containsString("--pgPort"),
              containsString("--jdbcUrl=jdbc:postgresql://localhost:" + port + "/postgres")));
      assertThat(
          "the second folder's server never started",
          Files.exists(second.resolve("postmaster.pid")),
          is(false));

      // The first server is untouched and is the one on the port.
      try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), "postgres", "");
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SHOW data_directory")) {
        rs.next();
        assertThat(Path.of(rs.getString(1)).toRealPath(), equalTo(first.toRealPath()));
      }
    }
  }
}
