package io.c360.pipelines.daily;

import io.c360.pipelines.db.Warehouse;
import io.c360.transforms.jdbc.NamedSql;
import io.c360.transforms.model.Entities;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The data-quality checks of SPEC §5, declared once (dbt-style: a test per entity and column, a
 * severity, an optional threshold) and evaluated after the load stage. Results go to
 * dq.check_results; a failed {@code error} check stops the run before any mart is replaced.
 *
 * <p>Each check's SQL returns one row: the number of failing rows, the number of rows looked at,
 * and up to five sample keys. Placeholders: {@code :run} (run id), {@code :prev} (previous
 * succeeded run, or 0), {@code :day_end} (end of runDate in the run's time zone).
 */
public final class Checks {
  /** How bad a failing check is. */
  public enum Severity {
    warn,
    error
  }

  /** One declared check; {@code maxRate} null means any failing row fails it. */
  public record Check(
      String name, String entity, String column, Severity severity, Double maxRate, String sql) {
    String threshold() {
      return maxRate == null ? "0 rows" : String.format("<= %.2f%%", maxRate * 100);
    }
  }

  /** The result of all checks of a run. */
  public record Outcome(
      int passed, int warned, int failed, List<String> problems, String firstError) {
    public boolean hasFailedErrors() {
      return failed > 0;
    }

    public String firstErrorMessage() {
      return firstError;
    }
  }

  private static final String SEGMENTS = quoted(Entities.SEGMENTS);
  private static final String STATUSES = quoted(Entities.STATUSES);

  /** The declared checks, in the order they run. */
  public static final List<Check> DECLARED =
      List.of(
          new Check(
              "unique",
              "customers",
              "customer_id",
              Severity.error,
              null,
              "SELECT count(*), (SELECT count(DISTINCT customer_id) FROM dw.dim_customer),"
                  + " (array_agg(customer_id ORDER BY customer_id))[1:5] FROM (SELECT customer_id FROM dw.dim_customer"
                  + " WHERE is_current GROUP BY customer_id HAVING count(*) > 1) x"),
          new Check(
              "scd2_intervals",
              "customers",
              "valid_from",
              Severity.error,
              null,
              "SELECT count(*), (SELECT count(*) FROM dw.dim_customer), (array_agg(customer_id ORDER BY customer_id))[1:5]"
                  + " FROM (SELECT customer_id, valid_to, lead(valid_from) OVER (PARTITION BY"
                  + " customer_id ORDER BY valid_from) AS next_from FROM dw.dim_customer) x WHERE"
                  + " next_from IS NOT NULL AND next_from <> valid_to"),
          new Check(
              "scd2_intervals",
              "products",
              "valid_from",
              Severity.error,
              null,
              "SELECT count(*), (SELECT count(*) FROM dw.dim_product), (array_agg(product_id ORDER BY product_id))[1:5]"
                  + " FROM (SELECT product_id, valid_to, lead(valid_from) OVER (PARTITION BY"
                  + " product_id ORDER BY valid_from) AS next_from FROM dw.dim_product) x WHERE"
                  + " next_from IS NOT NULL AND next_from <> valid_to"),
          new Check(
              "accepted_values",
              "customers",
              "segment",
              Severity.error,
              null,
              "SELECT count(*) FILTER (WHERE segment IS NOT NULL AND segment NOT IN ("
                  + SEGMENTS
                  + ")), count(*), (array_agg(customer_id ORDER BY customer_id) FILTER (WHERE segment IS NOT NULL AND"
                  + " segment NOT IN ("
                  + SEGMENTS
                  + ")))[1:5] FROM dw.dim_customer WHERE run_id = :run"),
          new Check(
              "accepted_values",
              "sales",
              "status",
              Severity.error,
              null,
              "SELECT count(*) FILTER (WHERE status NOT IN ("
                  + STATUSES
                  + ")), count(*), (array_agg(transaction_id ORDER BY transaction_id) FILTER (WHERE status NOT IN ("
                  + STATUSES
                  + ")))[1:5] FROM staging.sales WHERE run_id = :run"),
          new Check(
              "unique",
              "sales",
              "transaction_id",
              Severity.error,
              null,
              "SELECT count(*), (SELECT count(*) FROM staging.sales WHERE run_id = :run),"
                  + " (array_agg(transaction_id ORDER BY transaction_id))[1:5] FROM (SELECT transaction_id FROM"
                  + " staging.sales WHERE run_id = :run GROUP BY 1 HAVING count(*) > 1) x"),
          new Check(
              "not_null",
              "sales",
              "product_id",
              Severity.warn,
              0.05,
              "SELECT count(*) FILTER (WHERE product_id IS NULL), count(*), (array_agg(transaction_id ORDER BY transaction_id)"
                  + " FILTER (WHERE product_id IS NULL))[1:5] FROM staging.sales WHERE run_id = :run"),
          new Check(
              "relationships",
              "sales",
              "customer_id",
              Severity.warn,
              0.02,
              // this run's rows that wait, whether or not an earlier run of the date parked them
              // first: a re-run after a failure reports the day as the first run did
              "SELECT count(*), (SELECT count(*) FROM staging.sales WHERE run_id = :run),"
                  + " (array_agg(p.natural_key ORDER BY p.natural_key))[1:5] FROM dq.pending_rows p"
                  + " JOIN staging.sales s ON s.run_id = :run AND s.source_file = p.source_file"
                  + " AND s.line_no = p.line_no WHERE p.entity = 'sales' AND p.last_run_id = :run"),
          new Check(
              "relationships",
              "traffic",
              "customer_id",
              Severity.warn,
              0.02,
              // this run's rows that wait, whether or not an earlier run of the date parked them
              // first: a re-run after a failure reports the day as the first run did
              "SELECT count(*), (SELECT count(*) FROM staging.traffic WHERE run_id = :run),"
                  + " (array_agg(p.natural_key ORDER BY p.natural_key))[1:5] FROM dq.pending_rows p"
                  + " JOIN staging.traffic s ON s.run_id = :run AND s.source_file = p.source_file"
                  + " AND s.line_no = p.line_no WHERE p.entity = 'traffic' AND p.last_run_id = :run"),
          new Check(
              "freshness",
              "sales",
              "transaction_ts",
              Severity.warn,
              null,
              "SELECT CASE WHEN count(*) > 0 AND max(transaction_ts) < :day_end - interval '48"
                  + " hours' THEN 1 ELSE 0 END, 1, ARRAY[max(transaction_ts)::text] FROM"
                  + " staging.sales WHERE run_id = :run"),
          new Check(
              "row_count_change",
              "sales",
              null,
              Severity.warn,
              0.5,
              "SELECT CASE WHEN p IS NULL OR p = 0 THEN 0 ELSE abs(c - p) END, coalesce(p, 0),"
                  + " ARRAY[c::text, p::text] FROM (SELECT (SELECT count(*) FROM raw.sales WHERE"
                  + " run_id = :run) c, (SELECT count(*) FROM raw.sales WHERE run_id = :prev) p) x"),
          new Check(
              "outliers_iqr",
              "sales",
              "amount",
              Severity.warn,
              0.05,
              "WITH s AS (SELECT transaction_id, amount FROM staging.sales WHERE run_id = :run AND"
                  + " amount IS NOT NULL), q AS MATERIALIZED (SELECT percentile_cont(0.25) WITHIN GROUP (ORDER"
                  + " BY amount) q1, percentile_cont(0.75) WITHIN GROUP (ORDER BY amount) q3 FROM"
                  + " s) SELECT count(*) FILTER (WHERE amount < q1 - 1.5 * (q3 - q1) OR amount > q3"
                  + " + 1.5 * (q3 - q1)), count(*), (array_agg(transaction_id ORDER BY transaction_id) FILTER (WHERE amount"
                  + " < q1 - 1.5 * (q3 - q1) OR amount > q3 + 1.5 * (q3 - q1)))[1:5] FROM s, q"),
          new Check(
              "outliers_zscore",
              "sales",
              "amount",
              Severity.warn,
              0.02,
              "WITH s AS (SELECT transaction_id, amount FROM staging.sales WHERE run_id = :run AND"
                  + " amount IS NOT NULL), z AS MATERIALIZED (SELECT avg(amount) m, stddev_samp(amount) sd FROM"
                  + " s) SELECT count(*) FILTER (WHERE sd > 0 AND abs(amount - m) / sd >= 3),"
                  + " count(*), (array_agg(transaction_id ORDER BY transaction_id) FILTER (WHERE sd > 0 AND abs(amount - m)"
                  + " / sd >= 3))[1:5] FROM s, z"));

  private Checks() {}

  /** Runs the reconciliation and the declared checks, records every result. */
  public static Outcome run(Warehouse wh, RunContext ctx, Map<String, EntityCounts> counts)
      throws Exception {
    int passed = 0, warned = 0, failed = 0;
    List<String> problems = new ArrayList<>();
    String firstError = null;
    try (Connection c = wh.open()) {
      long prev = previousRun(c, ctx.runId());
      for (EntityCounts ec : counts.values()) {
        if (ec.status().equals(EntityCounts.SKIPPED)) {
          continue;
        }
        long bad = ec.reconciles() ? 0 : 1;
        double rate = ec.read() == 0 ? 0 : (double) ec.quarantined() / ec.read();
        // Reconciliation (error) and the quarantine rate (warn above 5%, error above 50%).
        String msg =
            String.format(
                "read %d = loaded %d + quarantined %d + deduplicated %d + pending %d",
                ec.read(), ec.loaded(), ec.quarantined(), ec.deduplicated(), ec.pending());
        Status st =
            record(
                c,
                ctx.runId(),
                new Check("reconciliation", ec.entity(), null, Severity.error, null, ""),
                bad,
                1,
                new String[0],
                msg);
        if (st == Status.fail) {
          failed++;
          problems.add("FAIL reconciliation " + ec.entity() + ": " + msg);
          firstError =
              firstError == null ? "reconciliation of " + ec.entity() + ": " + msg : firstError;
        } else {
          passed++;
        }
        Severity sev = rate > 0.5 ? Severity.error : Severity.warn;
        Check q = new Check("quarantine_rate", ec.entity(), null, sev, rate > 0.5 ? 0.5 : 0.05, "");
        boolean over = rate > q.maxRate();
        String qm =
            String.format(
                "%d of %d rows quarantined (%.2f%%)", ec.quarantined(), ec.read(), rate * 100);
        record(c, ctx.runId(), q, over ? ec.quarantined() : 0, ec.read(), new String[0], qm);
        if (!over) {
          passed++;
        } else if (sev == Severity.error) {
          failed++;
          problems.add("FAIL quarantine_rate " + ec.entity() + ": " + qm);
          firstError =
              firstError == null ? "quarantine_rate of " + ec.entity() + ": " + qm : firstError;
        } else {
          warned++;
          problems.add("warn quarantine_rate " + ec.entity() + ": " + qm);
        }
      }
      Map<String, Object> params =
          Map.of(
              "run", ctx.runId(),
              "prev", prev,
              "day_end",
                  ctx.runDateStart().plus(java.time.Duration.ofDays(1)).atOffset(ZoneOffset.UTC));
      for (Check check : DECLARED) {
        long failing, total;
        String[] samples;
        try (PreparedStatement ps = NamedSql.parse(check.sql()).prepare(c, params)) {
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            failing = rs.getLong(1);
            total = rs.getLong(2);
            Array a = rs.getArray(3);
            samples =
                a == null
                    ? new String[0]
                    : Arrays.stream((Object[]) a.getArray())
                        .map(String::valueOf)
                        .toArray(String[]::new);
          }
        }
        boolean fails =
            check.maxRate() == null
                ? failing > 0
                : total > 0 && (double) failing / total > check.maxRate();
        String label =
            check.name()
                + " "
                + check.entity()
                + (check.column() == null ? "" : "." + check.column());
        String msg =
            String.format(
                "%s: %d failing of %d (threshold %s)%s",
                label,
                failing,
                total,
                check.threshold(),
                samples.length == 0 ? "" : ", e.g. " + String.join(", ", samples));
        record(c, ctx.runId(), check, fails ? failing : 0, total, samples, msg);
        if (!fails) {
          passed++;
        } else if (check.severity() == Severity.error) {
          failed++;
          problems.add("FAIL " + msg);
          firstError = firstError == null ? msg : firstError;
        } else {
          warned++;
          problems.add("warn " + msg);
        }
      }
    }
    return new Outcome(passed, warned, failed, problems, firstError);
  }

  private enum Status {
    pass,
    warn,
    fail
  }

  private static Status record(
      Connection c,
      long runId,
      Check check,
      long failing,
      long total,
      String[] samples,
      String message)
      throws Exception {
    Status s =
        failing == 0 ? Status.pass : check.severity() == Severity.error ? Status.fail : Status.warn;
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO dq.check_results (run_id, check_name, entity, column_name, severity, status,"
                + " failing_rows, threshold, sample_keys, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setLong(1, runId);
      ps.setString(2, check.name());
      ps.setString(3, check.entity());
      ps.setString(4, check.column());
      ps.setString(5, check.severity().name());
      ps.setString(6, s.name());
      ps.setLong(7, failing);
      ps.setString(8, check.threshold());
      ps.setArray(9, c.createArrayOf("text", samples));
      ps.setString(10, message);
      ps.executeUpdate();
    }
    return s;
  }

  private static long previousRun(Connection c, long runId) throws Exception {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT coalesce(max(run_id), 0) FROM ops.pipeline_runs WHERE run_id < ? AND status ="
                + " 'succeeded'")) {
      ps.setLong(1, runId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static String quoted(List<String> values) {
    return values.stream()
        .map(v -> "'" + v.replace("'", "''") + "'")
        .collect(Collectors.joining(", "));
  }
}
