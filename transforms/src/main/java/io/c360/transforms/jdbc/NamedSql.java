package io.c360.transforms.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A statement with named parameters ({@code :run}), bound as JDBC parameters: the values never
 * become SQL text. {@code ::} casts and text in single quotes are left alone.
 *
 * <pre>{@code
 * NamedSql q = NamedSql.parse("SELECT count(*) FROM staging.sales WHERE run_id = :run");
 * try (PreparedStatement ps = q.prepare(c, Map.of("run", runId))) { ... }
 * }</pre>
 */
public record NamedSql(String sql, List<String> names) {
  public NamedSql {
    names = List.copyOf(names);
  }

  public static NamedSql parse(String text) {
    StringBuilder sql = new StringBuilder(text.length());
    List<String> names = new ArrayList<>();
    boolean quoted = false;
    int i = 0;
    while (i < text.length()) {
      char ch = text.charAt(i);
      if (ch == '\'') {
        quoted = !quoted;
      } else if (!quoted && ch == ':' && i + 1 < text.length()) {
        char next = text.charAt(i + 1);
        if (next == ':') {
          sql.append("::");
          i += 2;
          continue;
        }
        if (Character.isLetter(next) || next == '_') {
          int end = i + 1;
          while (end < text.length()
              && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
            end++;
          }
          names.add(text.substring(i + 1, end));
          sql.append('?');
          i = end;
          continue;
        }
      }
      sql.append(ch);
      i++;
    }
    return new NamedSql(sql.toString(), names);
  }

  /** Prepares the statement with every named parameter bound from {@code values}. */
  public PreparedStatement prepare(Connection c, Map<String, ?> values) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    try {
      for (int i = 0; i < names.size(); i++) {
        String name = names.get(i);
        if (!values.containsKey(name)) {
          throw new IllegalArgumentException("no value for :" + name + " in " + sql);
        }
        ps.setObject(i + 1, values.get(name));
      }
      return ps;
    } catch (SQLException | RuntimeException e) {
      ps.close();
      throw e;
    }
  }
}
