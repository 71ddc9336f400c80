package io.c360.pipelines.testing;

import io.c360.transforms.testing.TestDatabase;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a warehouse holds after its runs, without the bookkeeping of which run wrote it: every table
 * of {@code dw}, {@code mart} and the KPI state ({@code kpi}), the rows waiting in {@code
 * dq.pending_rows}, and the quarantine and check results of the newest succeeded run.
 *
 * <p>Left out, because a re-run after a fault legitimately numbers them differently: run ids,
 * surrogate keys (facts are compared by the natural key and valid_from of their versions instead),
 * a pending row's attempts (every run that tries it counts), identity columns and clock defaults.
 * Two warehouses fed the same days must have equal checksums however many runs failed on the way.
 */
public final class WarehouseChecksum {
  private WarehouseChecksum() {}

  static final Set<String> BOOKKEEPING =
      Set.of("run_id", "first_run_id", "last_run_id", "attempts", "customer_sk", "product_sk");

  /** Table → its rows as text, in canonical order (compare with equalTo for a readable diff). */
  public static Map<String, List<List<String>>> of(Connection c) throws SQLException {
    Map<String, List<List<String>>> m =
        new TreeMap<>(WarehouseSnapshot.of(c, BOOKKEEPING, "dw", "mart", "kpi"));
    m.put(
        "fact_sales → versions",
        rows(
            c,
            "SELECT f.transaction_id || ' ' || dc.customer_id || '@' || dc.valid_from || ' '"
                + " || coalesce(dp.product_id || '@' || dp.valid_from, '-') FROM dw.fact_sales f"
                + " JOIN dw.dim_customer dc USING (customer_sk) LEFT JOIN dw.dim_product dp"
                + " USING (product_sk) ORDER BY 1"));
    m.put(
        "fact_traffic → versions",
        rows(
            c,
            "SELECT f.send_date || ' ' || f.account_id || ' ' || f.customer_id || ' '"
                + " || f.channel_id || ' ' || dc.valid_from FROM dw.fact_traffic f"
                + " JOIN dw.dim_customer dc USING (customer_sk) ORDER BY 1"));
    m.put(
        "dq.pending_rows",
        rows(
            c,
            "SELECT entity || ' ' || natural_key || ' ' || rule || ' ' || message || ' '"
                + " || source_file || ':' || line_no || ' ' || (record - 'run_id')::text FROM dq.pending_rows"
                + " ORDER BY 1"));
    String lastSucceeded = "(SELECT max(run_id) FROM ops.pipeline_runs WHERE status = 'succeeded')";
    m.put(
        "dq.rejected_rows of the last succeeded run",
        rows(
            c,
            "SELECT entity || ' ' || source_file || ':' || line_no || ' ' || rule || ' ' || message"
                + " || ' ' || (record - 'run_id')::text FROM dq.rejected_rows WHERE run_id = "
                + lastSucceeded
                + " ORDER BY 1"));
    m.put(
        "dq.check_results of the last succeeded run",
        rows(
            c,
            "SELECT concat_ws(' ', check_name, entity, column_name, severity, status, failing_rows)"
                + " FROM dq.check_results WHERE run_id = "
                + lastSucceeded
                + " ORDER BY 1"));
    return m;
  }

  /** A short digest of {@link #of}, for messages. */
  public static String digest(Map<String, List<List<String>>> checksum) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(checksum.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(md.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<List<String>> rows(Connection c, String sql) throws SQLException {
    return TestDatabase.column(c, sql).stream().map(List::of).toList();
  }
}
