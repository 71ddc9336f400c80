package io.c360.pipelines.testing;

import io.c360.transforms.kpi.MartTable;
import io.c360.transforms.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A BI reader of every mart for one as_of: a thread that reads them all, again and again, each time
 * in one REPEATABLE READ transaction (so what it sees is one moment of the warehouse), and keeps
 * every distinct version it saw, in order.
 */
public final class MartReader implements AutoCloseable {
  private final String jdbcUrl;
  private final LocalDate asOf;
  private final List<Map<String, List<String>>> seen =
      Collections.synchronizedList(new ArrayList<>());
  private final Thread thread;
  private volatile boolean stopped;
  private volatile Exception failure;
  private volatile long reads;

  private MartReader(String jdbcUrl, LocalDate asOf) {
    this.jdbcUrl = jdbcUrl;
    this.asOf = asOf;
    this.thread = new Thread(this::loop, "mart-reader");
    thread.setDaemon(true);
  }

  public static MartReader start(String jdbcUrl, LocalDate asOf) {
    MartReader r = new MartReader(jdbcUrl, asOf);
    r.thread.start();
    return r;
  }

  /** Every mart's rows for {@code asOf}, as text, read in one snapshot of {@code c}. */
  public static Map<String, List<String>> marts(Connection c, LocalDate asOf) throws SQLException {
    Map<String, List<String>> m = new TreeMap<>();
    for (MartTable t : MartTable.values()) {
      m.put(
          t.tableName(),
          TestDatabase.column(
              c,
              "SELECT t::text FROM "
                  + t.qualifiedName()
                  + " t WHERE as_of = DATE '"
                  + asOf
                  + "' ORDER BY 1"));
    }
    return m;
  }

  private void loop() {
    try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "")) {
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      while (!stopped) {
        Map<String, List<String>> now = marts(c, asOf);
        c.commit();
        reads++;
        if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(now)) {
          seen.add(now);
        }
        Thread.sleep(5); // leave the run its share of a small machine
      }
    } catch (Exception e) {
      failure = e;
    }
  }

  /** Stops reading and returns the versions seen, in the order they were first seen. */
  public List<Map<String, List<String>>> stop() throws Exception {
    stopped = true;
    thread.join(30_000);
    if (failure != null) {
      throw failure;
    }
    return new ArrayList<>(seen);
  }

  public long reads() {
    return reads;
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    thread.join(30_000);
  }
}
