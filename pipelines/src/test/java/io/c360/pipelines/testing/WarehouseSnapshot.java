package io.c360.pipelines.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every row of every table in the given schemas, as text, in a canonical order, so two warehouses
 * (e.g. the same days run on Direct and on Flink) can be compared row for row with {@code
 * assertThat(flink, equalTo(direct))}.
 *
 * <p>Columns a run fills from the clock or a sequence (identity columns and those defaulting to
 * {@code now()}) differ between two runs of the same data by construction and are left out, as are
 * the {@code ignored} column names; everything else must match exactly (numerics compare by their
 * PostgreSQL text form, so 1.50 and 1.5 in a numeric(18,2) column are the same value).
 */
public final class WarehouseSnapshot {
  private WarehouseSnapshot() {}

  /** Table name ({@code schema.table}) → its rows, each row its column values as text. */
  public static Map<String, List<List<String>>> of(
      Connection c, Set<String> ignored, String... schemas) throws SQLException {
    Map<String, List<List<String>>> out = new TreeMap<>();
    for (String table : tables(c, schemas)) {
      List<String> cols = columns(c, table, ignored);
      if (cols.isEmpty()) {
        continue;
      }
      StringBuilder sql = new StringBuilder("SELECT ");
      StringBuilder order = new StringBuilder(" ORDER BY ");
      for (int i = 0; i < cols.size(); i++) {
        String sep = i == 0 ? "" : ", ";
        sql.append(sep).append(cols.get(i)).append("::text");
        order.append(sep).append(i + 1);
      }
      sql.append(" FROM ").append(table).append(order);
      List<List<String>> rows = new ArrayList<>();
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery(sql.toString())) {
        while (rs.next()) {
          List<String> row = new ArrayList<>(cols.size());
          for (int i = 1; i <= cols.size(); i++) {
            row.add(cols.get(i - 1) + "=" + rs.getString(i));
          }
          rows.add(row);
        }
      }
      out.put(table, rows);
    }
    return out;
  }

  /** Ordinary and partitioned tables (not their partitions), quoted, as {@code schema.table}. */
  static List<String> tables(Connection c, String... schemas) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT quote_ident(n.nspname) || '.' || quote_ident(t.relname) FROM pg_class t"
                + " JOIN pg_namespace n ON n.oid = t.relnamespace"
                + " WHERE t.relkind IN ('r', 'p') AND NOT t.relispartition"
                + " AND n.nspname = ANY (?) ORDER BY 1")) {
      ps.setArray(1, c.createArrayOf("text", schemas));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  private static List<String> columns(Connection c, String table, Set<String> ignored)
      throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT quote_ident(a.attname), a.attidentity <> '' OR a.attgenerated <> ''"
                + " OR coalesce(pg_get_expr(d.adbin, d.adrelid), '') ~* '(now\\(\\)|current_timestamp|clock_timestamp|nextval)'"
                + " FROM pg_attribute a LEFT JOIN pg_attrdef d"
                + " ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
                + " WHERE a.attrelid = ?::regclass AND a.attnum > 0 AND NOT a.attisdropped"
                + " ORDER BY a.attnum")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String col = rs.getString(1);
          if (!rs.getBoolean(2) && !ignored.contains(col)) {
            out.add(col);
          }
        }
      }
    }
    return out;
  }
}
