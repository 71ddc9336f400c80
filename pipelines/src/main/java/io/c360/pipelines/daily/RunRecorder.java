package io.c360.pipelines.daily;

import io.c360.transforms.jdbc.PgConnection;
import io.c360.transforms.quality.Quarantine;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Keeps the warehouse lock for the length of a run and writes its {@code ops.pipeline_runs} row.
 *
 * <p>One advisory lock covers the whole warehouse, not just one date: two runs of different dates
 * would race on the same SCD2 histories, so the second run fails at once (or waits with
 * --waitForLock) with a message naming the run that holds it.
 *
 * <p>The lock is held by a session, so it ends with the process that holds it, however that ends
 * (SIGKILL, a lost machine). Such a run never records its outcome; the next run to take the lock
 * knows its holder is gone and records it as {@link #ABANDONED} (SPEC §5: nothing is left "running"
 * that is not).
 */
public final class RunRecorder implements AutoCloseable {
  /** Arbitrary constant: the advisory lock key of c360 daily runs. */
  static final long LOCK_KEY = 0x0c360_da11L;

  private static final Pattern SECRET =
      Pattern.compile("(?i).*(password|secret|token|credential|key).*");

  /** The message of a run whose process ended without recording an outcome. */
  static final String ABANDONED = "abandoned: its process ended without recording an outcome";

  private final Connection lockConnection;
  private final PgConnection pg;

  private RunRecorder(Connection lockConnection, PgConnection pg) {
    this.lockConnection = lockConnection;
    this.pg = pg;
  }

  /** Takes the warehouse lock or throws {@link LockedException} naming the holder. */
  public static RunRecorder lock(PgConnection pg, boolean wait) throws SQLException {
    Connection c = pg.open();
    try (Statement st = c.createStatement()) {
      if (wait) {
        st.execute("SELECT pg_advisory_lock(" + LOCK_KEY + ")");
        return new RunRecorder(c, pg);
      }
      try (ResultSet rs = st.executeQuery("SELECT pg_try_advisory_lock(" + LOCK_KEY + ")")) {
        rs.next();
        if (rs.getBoolean(1)) {
          return new RunRecorder(c, pg);
        }
      }
      String holder = "another c360 run";
      try (ResultSet rs =
          st.executeQuery(
              "SELECT run_id, run_date, started_at FROM ops.pipeline_runs WHERE status = 'running'"
                  + " ORDER BY run_id DESC LIMIT 1")) {
        if (rs.next()) {
          holder =
              String.format(
                  "run %d (runDate %s, started %s)",
                  rs.getLong(1), rs.getDate(2), rs.getTimestamp(3));
        }
      }
      c.close();
      throw new LockedException(
          "the warehouse is locked by "
              + holder
              + ": runs are serialised so histories stay consistent. Wait for it to finish, or"
              + " pass --waitForLock=true to queue behind it.");
    } catch (SQLException | RuntimeException e) {
      if (!c.isClosed()) {
        c.close();
      }
      throw e;
    }
  }

  /**
   * Records the run as running and returns its id. Runs still marked running are closed first as
   * {@link #ABANDONED}: this run holds the lock, so none of them is still going.
   */
  public long start(
      String pipeline, LocalDate runDate, LocalDate asOf, String runner, Map<String, ?> options)
      throws SQLException {
    try (PreparedStatement abandoned =
        lockConnection.prepareStatement(
            "UPDATE ops.pipeline_runs SET status = 'failed', message = ? WHERE status = 'running'")) {
      abandoned.setString(1, ABANDONED);
      abandoned.executeUpdate();
    }
    try (PreparedStatement ps =
        lockConnection.prepareStatement(
            "INSERT INTO ops.pipeline_runs (pipeline, run_date, as_of, runner, options)"
                + " VALUES (?, ?, ?, ?, ?::jsonb) RETURNING run_id")) {
      ps.setString(1, pipeline);
      ps.setObject(2, runDate);
      ps.setObject(3, asOf);
      ps.setString(4, runner);
      ps.setString(5, Quarantine.toJson(masked(options)));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /**
   * The run's end: status, the reconciliation, the notices (sql/V62) and the failure, if any. When
   * the lock's session is gone (the server restarted, the backend was terminated) the outcome goes
   * through a new session: the run's row is its own whoever holds the lock now.
   */
  public void finish(
      long runId, String status, String entityCountsJson, String noticesJson, String message)
      throws SQLException {
    try {
      finish(lockConnection, runId, status, entityCountsJson, noticesJson, message);
    } catch (SQLException lost) {
      try (Connection c = pg.open()) {
        finish(c, runId, status, entityCountsJson, noticesJson, message);
      } catch (SQLException e) {
        e.addSuppressed(lost);
        throw e;
      }
    }
  }

  private static void finish(
      Connection c,
      long runId,
      String status,
      String entityCountsJson,
      String noticesJson,
      String message)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE ops.pipeline_runs SET status = ?, ended_at = now(), entity_counts = ?::jsonb,"
                + " notices = ?::jsonb, message = ? WHERE run_id = ?")) {
      ps.setString(1, status);
      ps.setString(2, entityCountsJson);
      ps.setString(3, noticesJson);
      ps.setString(4, message);
      ps.setLong(5, runId);
      ps.executeUpdate();
    }
  }

  /**
   * Fails unless this run still holds the warehouse lock. The lock lives as long as its session: a
   * terminated backend or a restarted server ends it while the run goes on, and another run may
   * then take it. A run checks before each stage, so it stops instead of writing beside another.
   */
  public void checkHeld(String stage) throws LockLostException {
    try (Statement st = lockConnection.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                    + " AND pid = pg_backend_pid()")) {
      rs.next();
      if (rs.getLong(1) > 0) {
        return;
      }
    } catch (SQLException e) {
      throw new LockLostException(stage, e);
    }
    throw new LockLostException(stage, null);
  }

  /** Options as recorded: anything that looks like a secret is replaced by ***. */
  public static Map<String, Object> masked(Map<String, ?> options) {
    Map<String, Object> m = new TreeMap<>();
    options.forEach(
        (k, v) -> {
          boolean secret =
              SECRET.matcher(k).matches() && !k.toLowerCase(Locale.ROOT).equals("passwordfile");
          m.put(k, secret ? "***" : v == null ? null : String.valueOf(v));
        });
    return m;
  }

  @Override
  public void close() throws SQLException {
    try (Statement st = lockConnection.createStatement()) {
      st.execute("SELECT pg_advisory_unlock_all()");
    } catch (SQLException e) {
      // the session is gone, and its lock with it: the run's outcome is recorded already
    } finally {
      lockConnection.close();
    }
  }

  /** The session that held this run's warehouse lock ended while the run went on. */
  public static final class LockLostException extends SQLException {
    LockLostException(String stage, Throwable cause) {
      super(
          "the warehouse lock was lost before the "
              + stage
              + " stage (its session ended: a terminated backend or a restarted server); the run"
              + " stops so it never writes beside another run. Run the date again.",
          cause);
    }
  }

  /** Another run holds the warehouse lock. */
  public static final class LockedException extends SQLException {
    LockedException(String message) {
      super(message);
    }
  }
}
