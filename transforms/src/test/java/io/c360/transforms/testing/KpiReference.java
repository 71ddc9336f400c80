package io.c360.transforms.testing;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.c360.transforms.kpi.MartTable;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.postgresql.PGConnection;

/**
 * The independent plain-SQL computation of every mart of SPEC §4 ({@code kpi_reference/<mart>.sql}
 * on the test classpath, written from the spec, not from the Java code) and the row-by-row
 * comparison of a mart's rows for one as_of with it. Shared by the transforms' KpiMartsIT and the
 * pipelines' history IT through the test-jar.
 *
 * <pre>{@code
 * try (Connection c = DB.open()) {
 *   int rows = KpiReference.assertMatches(c, MartTable.TOP_CUSTOMERS, asOf, ZoneId.of("UTC"));
 * }
 * }</pre>
 */
public final class KpiReference {
  private KpiReference() {}

  /**
   * Every mart's rows as PostgreSQL's COPY text, ordered by as_of and key: {@code asOf} null for
   * all dates, else that date's rows only. Equal dumps mean byte-identical marts.
   */
  public static Map<MartTable, String> dumpMarts(Connection c, LocalDate asOf)
      throws SQLException, IOException {
    Map<MartTable, String> out = new EnumMap<>(MartTable.class);
    for (MartTable t : MartTable.values()) {
      StringWriter w = new StringWriter();
      c.unwrap(PGConnection.class)
          .getCopyAPI()
          .copyOut(
              "COPY (SELECT * FROM "
                  + t.qualifiedName()
                  + (asOf == null ? "" : " WHERE as_of = '" + asOf + "'")
                  + " ORDER BY as_of, "
                  + String.join(", ", t.keyColumns())
                  + ") TO STDOUT",
              w);
      out.put(t, w.toString());
    }
    return out;
  }

  /** One (asOf, mart) case per date and mart, for a {@code @MethodSource} over every mart. */
  public static Stream<Arguments> everyMartAt(List<LocalDate> asOfDates) {
    List<Arguments> args = new ArrayList<>();
    for (LocalDate d : asOfDates) {
      for (MartTable t : MartTable.values()) {
        args.add(Arguments.of(d, t));
      }
    }
    return args.stream();
  }

  /**
   * The reference query of {@code mart} for as_of {@code asOf}, with {@code :as_of} and {@code :tz}
   * substituted; read from the classpath so it works from the test-jar too.
   */
  public static String sql(MartTable mart, LocalDate asOf, ZoneId tz) throws IOException {
    String name = "/kpi_reference/" + mart.tableName() + ".sql";
    try (InputStream in = KpiReference.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("missing reference " + name + " on the test classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .replace(":as_of", "'" + asOf + "'")
          .replace(":tz", "'" + tz.getId() + "'");
    }
  }

  /** Expected (reference) and actual (mart) rows of one mart and as_of, ordered by its key. */
  public record Comparison(
      MartTable mart, LocalDate asOf, List<List<String>> expected, List<List<String>> actual) {
    public boolean matches() {
      return expected.equals(actual);
    }

    /** Up to {@code n} rows only the reference has and only the mart has, for a failure message. */
    public String diff(int n) {
      Set<List<String>> missing = new LinkedHashSet<>(expected);
      actual.forEach(missing::remove);
      Set<List<String>> unexpected = new LinkedHashSet<>(actual);
      expected.forEach(unexpected::remove);
      StringBuilder b =
          new StringBuilder()
              .append(mart)
              .append(" as of ")
              .append(asOf)
              .append(": ")
              .append(expected.size())
              .append(" reference rows, ")
              .append(actual.size())
              .append(" mart rows");
      missing.stream().limit(n).forEach(r -> b.append("\n  only in reference: ").append(r));
      unexpected.stream().limit(n).forEach(r -> b.append("\n  only in mart:      ").append(r));
      return b.toString();
    }
  }

  /**
   * Computes the reference into a temporary table shaped like the mart (so its values take the
   * mart's column types), then reads both as text, ordered by the mart's key.
   */
  public static Comparison compare(Connection c, MartTable mart, LocalDate asOf, ZoneId tz)
      throws IOException, SQLException {
    String reference = sql(mart, asOf, tz);
    String order = String.join(", ", mart.keyColumns());
    try (Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS pg_temp.kpi_ref");
      st.execute("CREATE TEMP TABLE kpi_ref (LIKE " + mart.qualifiedName() + ")");
      try {
        st.execute("INSERT INTO kpi_ref " + reference);
        List<List<String>> expected = rows(st, "SELECT * FROM kpi_ref ORDER BY " + order);
        List<List<String>> actual =
            rows(
                st,
                "SELECT * FROM "
                    + mart.qualifiedName()
                    + " WHERE as_of = '"
                    + asOf
                    + "' ORDER BY "
                    + order);
        return new Comparison(mart, asOf, expected, actual);
      } finally {
        st.execute("DROP TABLE IF EXISTS pg_temp.kpi_ref");
      }
    }
  }

  /** Asserts the mart's rows for {@code asOf} equal the reference's, all columns; returns them. */
  public static int assertMatches(Connection c, MartTable mart, LocalDate asOf, ZoneId tz)
      throws IOException, SQLException {
    Comparison cmp = compare(c, mart, asOf, tz);
    assertThat(cmp.diff(5), cmp.actual(), equalTo(cmp.expected()));
    return cmp.actual().size();
  }

  private static List<List<String>> rows(Statement st, String sql) throws SQLException {
    List<List<String>> out = new ArrayList<>();
    try (ResultSet rs = st.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          row.add(md.getColumnName(i) + "=" + rs.getString(i));
        }
        out.add(row);
      }
    }
    return out;
  }
}
