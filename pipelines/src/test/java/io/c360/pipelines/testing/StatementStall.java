package io.c360.pipelines.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;

/**
 * Catches one statement of a run in the act, so a fault lands inside a given write stage however
 * quickly that stage runs on small data: a watcher holds a SHARE lock on the table the statement
 * writes, so the statement blocks inside its transaction (after the stage's earlier writes in that
 * transaction) and shows in {@code pg_stat_activity}; the watcher then runs the fault with the
 * blocked backend's pid, and releases the table.
 *
 * <p>Other writers of the table that do not match are let through, one transaction at a time, with
 * no gap in which the statement could pass unseen (see {@link #watch}). {@link #fault()} completes
 * with the pid the fault hit.
 */
public final class StatementStall implements AutoCloseable {
  /** What to do to a caught backend (terminate it, kill its client, restart the server...). */
  @FunctionalInterface
  public interface Fault {
    void hit(int pid, String query) throws Exception;
  }

  // Asked from a second session: pg_stat_activity is a snapshot per transaction, and the locking
  // session stays in its transaction while it waits.
  private static final String BLOCKED_BY =
      "SELECT pid, query FROM pg_stat_activity WHERE ?::int = ANY (pg_blocking_pids(pid))";
  private static final String WAITING =
      "SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = ?";

  private final CompletableFuture<Integer> fault = new CompletableFuture<>();
  private final Thread watcher;
  private volatile boolean stopped;

  private StatementStall(String jdbcUrl, String table, String statement, Fault action) {
    watcher =
        new Thread(
            () -> {
              try {
                watch(jdbcUrl, table, statement, action);
              } catch (Throwable e) {
                fault.completeExceptionally(e);
              }
            },
            "stall-" + table);
    watcher.setDaemon(true);
  }

  /**
   * Starts watching: the first statement containing {@code statement} that writes {@code table}
   * gets {@code fault}.
   */
  public static StatementStall on(String jdbcUrl, String table, String statement, Fault fault)
      throws InterruptedException {
    StatementStall s = new StatementStall(jdbcUrl, table, statement, fault);
    s.watcher.start();
    return s;
  }

  /** Completes with the pid of the backend the fault hit. */
  public CompletableFuture<Integer> fault() {
    return fault;
  }

  /** The pid the fault hit, failing if it did not within {@code timeout}. */
  public int awaitFault(Duration timeout) throws Exception {
    return fault.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Two sessions take turns holding the table. To let a non-matching writer through, the free
   * session queues its own lock request behind the writer before the holding one releases: the
   * writer is granted its lock on the release, the queued request waits for the writer's
   * transaction, and any statement that arrives meanwhile waits behind that request. No statement
   * can pass between the release and the next lock (a single session releasing and re-locking
   * leaves that gap, and a loaded machine widens it).
   */
  private void watch(String jdbcUrl, String table, String statement, Fault action)
      throws Exception {
    ExecutorService locker = Executors.newSingleThreadExecutor(r -> daemon(r, "lock-" + table));
    try (Connection a = DriverManager.getConnection(jdbcUrl, "postgres", "");
        Connection b = DriverManager.getConnection(jdbcUrl, "postgres", "");
        Connection observer = DriverManager.getConnection(jdbcUrl, "postgres", "");
        PreparedStatement blocked = observer.prepareStatement(BLOCKED_BY);
        PreparedStatement waiting = observer.prepareStatement(WAITING)) {
      a.setAutoCommit(false);
      b.setAutoCommit(false);
      Connection holder = a;
      Connection free = b;
      lock(holder, table);
      while (!stopped) {
        blocked.setInt(1, pid(holder));
        boolean other = false;
        try (ResultSet rs = blocked.executeQuery()) {
          while (rs.next()) {
            String query = rs.getString(2);
            if (query != null && query.contains(statement)) {
              int pid = rs.getInt(1);
              try {
                action.hit(pid, query);
                fault.complete(pid); // before the release lets the run go on to its end
              } finally {
                release(holder);
              }
              return;
            }
            other = true;
          }
        }
        if (!other) {
          Thread.sleep(5);
          continue;
        }
        // someone else wants the table: queue the free session behind it, then let it through
        Connection next = free;
        Future<?> queued = locker.submit(() -> lock(next, table));
        waiting.setInt(1, pid(next));
        while (!queued.isDone() && !isWaiting(waiting)) {
          Thread.sleep(1);
        }
        holder.rollback();
        while (!stopped && !queued.isDone()) {
          Thread.sleep(5);
        }
        if (queued.isDone()) {
          queued.get(); // rethrows a failed LOCK
        }
        free = holder;
        holder = next;
      }
    } finally {
      locker.shutdownNow();
    }
  }

  private static Void lock(Connection c, String table) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("LOCK TABLE " + table + " IN SHARE MODE");
    }
    return null;
  }

  private static int pid(Connection c) throws SQLException {
    return c.unwrap(PGConnection.class).getBackendPID();
  }

  private static boolean isWaiting(PreparedStatement waiting) throws SQLException {
    try (ResultSet rs = waiting.executeQuery()) {
      return rs.next() && rs.getBoolean(1);
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  private static void release(Connection c) {
    try {
      c.rollback();
    } catch (SQLException e) {
      // the fault took this session too (a restarted server): nothing is held any more
    }
  }

  /** A fault that terminates the backend, as an operator or a failover would. */
  public static Fault terminate(String jdbcUrl) {
    return (pid, query) -> {
      try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "");
          PreparedStatement ps = c.prepareStatement("SELECT pg_terminate_backend(?)")) {
        ps.setInt(1, pid);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          if (!rs.getBoolean(1)) {
            throw new SQLException("could not terminate backend " + pid);
          }
        }
      }
    };
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    watcher.join(10_000);
  }
}
