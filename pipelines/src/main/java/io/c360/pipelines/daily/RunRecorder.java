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
 */
public final class RunRecorder implements AutoCloseable {
  /** Arbitrary constant: the advisory lock key of c360 daily runs. */
  static final long LOCK_KEY = 0x0c360_da11L;

  private static final Pattern SECRET =
      Pattern.compile("(?i).*(password|secret|token|credential|key).*");

  private final Connection lockConnection;

  private RunRecorder(Connection lockConnection) {
    this.lockConnection = lockConnection;
  }

  /** Takes the warehouse lock or throws {@link LockedException} naming the holder. */
  public static RunRecorder lock(PgConnection pg, boolean wait) throws SQLException {
    Connection c = pg.open();
    try (Statement st = c.createStatement()) {
      if (wait) {
        st.execute("SELECT pg_advisory_lock(" + LOCK_KEY + ")");
        return new RunRecorder(c);
      }
      try (ResultSet rs = st.executeQuery("SELECT pg_try_advisory_lock(" + LOCK_KEY + ")")) {
        rs.next();
        if (rs.getBoolean(1)) {
          return new RunRecorder(c);
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

  public long start(
      String pipeline, LocalDate runDate, LocalDate asOf, String runner, Map<String, ?> options)
      throws SQLException {
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

  /** The run's end: status, the reconciliation, the notices (sql/V62) and the failure, if any. */
  public void finish(
      long runId, String status, String entityCountsJson, String noticesJson, String message)
      throws SQLException {
    try (PreparedStatement ps =
        lockConnection.prepareStatement(
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
    } finally {
      lockConnection.close();
    }
  }

  /** Another run holds the warehouse lock. */
  public static final class LockedException extends SQLException {
    LockedException(String message) {
      super(message);
    }
  }
}
