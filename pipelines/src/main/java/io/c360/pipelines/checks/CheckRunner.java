package io.c360.pipelines.checks;

import io.c360.transforms.jdbc.NamedSql;
import io.c360.transforms.model.Entities;
import io.c360.transforms.model.EntitySpec;
import io.c360.transforms.scd2.DimensionSpec;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Evaluates the checks of a {@link CheckFile} after the load stage of a run and records every
 * result in dq.check_results: the true failing count (whatever the threshold), the rows looked at,
 * the threshold and up to five sample keys. The SQL of each kind is an {@code sql/V64} function
 * called with bound parameters; entity and column names reach it only after {@link CheckFile}
 * matched them to the entity model.
 *
 * <pre>{@code
 * Outcome o = CheckRunner.run(connection, checkFile, runId, dayEnd, loads);
 * if (o.hasFailedErrors()) { ... stop before the marts ... }
 * }</pre>
 */
public final class CheckRunner {
  private CheckRunner() {}

  /** One evaluated check: failing rows, rows looked at, sample keys, and a note for the message. */
  private record Measure(long failing, long checked, List<String> samples, String note) {}

  private static final String NOT_NULL =
      "SELECT * FROM dq.check_not_null(:entity, :column, :keys, :run)";
  private static final String ACCEPTED_VALUES =
      "SELECT * FROM dq.check_accepted_values(:entity, :column, :keys, :run, :values)";
  private static final String UNIQUE = "SELECT * FROM dq.check_unique(:entity, :column, :run)";
  private static final String RELATIONSHIPS =
      "SELECT * FROM dq.check_relationships(:entity, :column, :run)";
  private static final String FRESHNESS =
      "SELECT * FROM dq.check_freshness(:entity, :column, :run, :limit)";
  private static final String OUTLIERS_IQR =
      "SELECT * FROM dq.check_outliers_iqr(:entity, :column, :keys, :run)";
  private static final String OUTLIERS_ZSCORE =
      "SELECT * FROM dq.check_outliers_zscore(:entity, :column, :keys, :run)";
  private static final String SCD2_INTERVALS =
      "SELECT * FROM dq.check_scd2_intervals(:table, :key)";

  /**
   * Rows loaded by the latest succeeded run of an earlier date that read the entity: a re-run of a
   * date compares with the day before, as its first run did.
   */
  private static final String PREVIOUS_LOADED =
      "SELECT (entity_counts -> :entity ->> 'loaded')::bigint FROM ops.pipeline_runs"
          + " WHERE run_date < (SELECT run_date FROM ops.pipeline_runs WHERE run_id = :run)"
          + " AND status = 'succeeded' AND pipeline = 'daily'"
          + " AND entity_counts -> :entity ->> 'status' = 'read'"
          + " ORDER BY run_date DESC, run_id DESC LIMIT 1";

  private static final String RECORD =
      "INSERT INTO dq.check_results (run_id, check_name, entity, column_name, severity, status,"
          + " failing_rows, checked_rows, threshold, sample_keys, message) VALUES (:run, :name,"
          + " :entity, :column, :severity, :status, :failing, :checked, :threshold, :samples,"
          + " :message)";

  /** The dimension table of each entity that keeps SCD2 history. */
  private static final Map<String, String> DIMENSION_TABLES =
      Arrays.stream(DimensionSpec.values())
          .collect(
              Collectors.toMap(
                  d -> d.entity().name(), d -> d.table().substring(d.table().indexOf('.') + 1)));

  /**
   * Runs every check of {@code file} whose entity the run read (SCD2 intervals: always), records
   * the results, and returns the outcome.
   *
   * @param dayEnd the end of runDate in the run's time zone: freshness windows end there
   */
  public static Outcome run(
      Connection c, CheckFile file, long runId, Instant dayEnd, Map<String, EntityLoad> loads)
      throws SQLException {
    int passed = 0, warned = 0, failed = 0;
    List<String> problems = new ArrayList<>();
    String firstError = null;
    for (Check check : file.checks()) {
      EntityLoad load = loads.get(check.entity());
      if (check.kind() != Kind.scd2_intervals && (load == null || !load.present())) {
        continue; // no folder for the date: nothing of the entity to check
      }
      Measure m = measure(c, file, check, runId, dayEnd, load);
      boolean fails = check.threshold().exceededBy(m.failing(), m.checked());
      String status = !fails ? "pass" : check.severity() == Severity.error ? "fail" : "warn";
      String message =
          String.format(
              "%s: %d failing of %d (threshold %s)%s%s",
              check.label(),
              m.failing(),
              m.checked(),
              check.thresholdText(),
              m.note() == null ? "" : ", " + m.note(),
              m.samples().isEmpty() ? "" : ", e.g. " + String.join(", ", m.samples()));
      record(c, runId, check, status, m, message);
      switch (status) {
        case "pass" -> passed++;
        case "warn" -> {
          warned++;
          problems.add("warn " + message);
        }
        default -> {
          failed++;
          problems.add("FAIL " + message);
          firstError = firstError == null ? message : firstError;
        }
      }
    }
    return new Outcome(passed, warned, failed, problems, firstError);
  }

  private static Measure measure(
      Connection c, CheckFile file, Check check, long runId, Instant dayEnd, EntityLoad load)
      throws SQLException {
    EntitySpec entity = Entities.byName(check.entity());
    Map<String, Object> p = new HashMap<>();
    p.put("entity", check.entity());
    p.put("column", check.column());
    p.put("run", runId);
    p.put("keys", c.createArrayOf("text", entity.naturalKey().toArray()));
    long read = load == null ? 0 : load.read();
    return switch (check.kind()) {
      case not_null -> query(c, NOT_NULL, p, read);
      case accepted_values -> {
        p.put(
            "values",
            c.createArrayOf("text", file.acceptedValues(check.column()).toArray(new String[0])));
        yield query(c, ACCEPTED_VALUES, p, read);
      }
      case unique -> {
        Measure m = query(c, UNIQUE, p, read);
        if (m.failing() >= 0) {
          yield m;
        }
        // no raw rows kept (--keepRaw=false): the rows dedup removed share a natural key
        boolean key = entity.naturalKey().equals(List.of(check.column()));
        yield new Measure(
            key ? load.deduplicated() : 0,
            read,
            List.of(),
            key ? "counted by dedup (no raw rows kept)" : "not evaluated: no raw rows kept");
      }
      case relationships -> query(c, RELATIONSHIPS, p, read);
      case freshness -> {
        p.put("limit", dayEnd.minus(check.window()).atOffset(ZoneOffset.UTC));
        yield query(c, FRESHNESS, p, read);
      }
      case outliers_iqr -> query(c, OUTLIERS_IQR, p, read);
      case outliers_zscore -> query(c, OUTLIERS_ZSCORE, p, read);
      case scd2_intervals -> {
        Map<String, Object> d =
            Map.of(
                "table", DIMENSION_TABLES.get(check.entity()),
                "key", entity.naturalKey().get(0));
        yield query(c, SCD2_INTERVALS, d, 0);
      }
      case reconciliation ->
          new Measure(
              load.unaccounted(),
              load.read(),
              List.of(),
              String.format(
                  "read %d = loaded %d + quarantined %d + deduplicated %d + pending %d",
                  load.read(),
                  load.loaded(),
                  load.quarantined(),
                  load.deduplicated(),
                  load.pending()));
      case quarantine_rate -> new Measure(load.quarantined(), load.read(), List.of(), null);
      case row_count_change -> rowCountChange(c, check, runId, load);
    };
  }

  private static Measure rowCountChange(Connection c, Check check, long runId, EntityLoad load)
      throws SQLException {
    Long previous = null;
    try (PreparedStatement ps =
            NamedSql.parse(PREVIOUS_LOADED)
                .prepare(c, Map.of("entity", check.entity(), "run", runId));
        ResultSet rs = ps.executeQuery()) {
      if (rs.next()) {
        previous = rs.getLong(1);
      }
    }
    if (previous == null) {
      return new Measure(0, 0, List.of(), "no earlier run loaded " + check.entity());
    }
    long change = Math.abs(load.loaded() - previous);
    return new Measure(
        change,
        previous,
        List.of("loaded " + load.loaded(), "previous " + previous),
        previous == 0
            ? null
            : String.format("%+.1f%%", 100.0 * (load.loaded() - previous) / previous));
  }

  /** Runs a check function; a null failing count comes back as -1, null rows checked as read. */
  private static Measure query(Connection c, String sql, Map<String, Object> params, long read)
      throws SQLException {
    try (PreparedStatement ps = NamedSql.parse(sql).prepare(c, params);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      long failing = rs.getLong(1);
      if (rs.wasNull()) {
        failing = -1;
      }
      long checked = rs.getLong(2);
      if (rs.wasNull()) {
        checked = read;
      }
      Array a = rs.getArray(3);
      List<String> samples =
          a == null
              ? List.of()
              : Arrays.stream((Object[]) a.getArray()).map(String::valueOf).toList();
      return new Measure(failing, checked, samples, null);
    }
  }

  private static void record(
      Connection c, long runId, Check check, String status, Measure m, String message)
      throws SQLException {
    Map<String, Object> p = new HashMap<>();
    p.put("run", runId);
    p.put("name", check.kind().name());
    p.put("entity", check.entity());
    p.put("column", check.column());
    p.put("severity", check.severity().name());
    p.put("status", status);
    p.put("failing", Math.max(0, m.failing()));
    p.put("checked", m.checked());
    p.put("threshold", check.thresholdText());
    p.put("samples", c.createArrayOf("text", m.samples().toArray()));
    p.put("message", message);
    try (PreparedStatement ps = NamedSql.parse(RECORD).prepare(c, p)) {
      ps.executeUpdate();
    }
  }
}
