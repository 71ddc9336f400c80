package io.c360.pipelines.cli;

import io.c360.pipelines.db.Warehouse;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code c360 query "SELECT …"}: one read-only query, printed as a table or CSV. */
@Command(
    name = "query",
    mixinStandardHelpOptions = true,
    description =
        "Run one read-only SQL query against the warehouse and print the result (for users"
            + " without psql).")
public final class QueryCommand implements Callable<Integer> {
  @Mixin DbOptions db;

  @Parameters(
      index = "0",
      paramLabel = "SQL",
      description = "The query, e.g. \"select count(*) from dw.fact_sales\".")
  String sql;

  @Option(names = "--csv", description = "Print CSV instead of an aligned table.")
  boolean csv;

  @Option(
      names = "--maxRows",
      defaultValue = "1000",
      description = "Print at most this many rows (default: ${DEFAULT-VALUE}).")
  int maxRows;

  @Override
  public Integer call() throws Exception {
    try (Warehouse wh = db.open(new PrintStream(PrintStream.nullOutputStream()));
        Connection c = wh.open()) {
      c.setReadOnly(true);
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        st.execute("SET TRANSACTION READ ONLY");
        st.setMaxRows(maxRows + 1);
        try (ResultSet rs = st.executeQuery(sql)) {
          print(rs, System.out);
        }
      } finally {
        c.rollback();
      }
    }
    return 0;
  }

  private void print(ResultSet rs, PrintStream out) throws Exception {
    ResultSetMetaData md = rs.getMetaData();
    int n = md.getColumnCount();
    List<String[]> rows = new ArrayList<>();
    String[] header = new String[n];
    for (int i = 0; i < n; i++) {
      header[i] = md.getColumnLabel(i + 1);
    }
    boolean truncated = false;
    while (rs.next()) {
      if (rows.size() == maxRows) {
        truncated = true;
        break;
      }
      String[] r = new String[n];
      for (int i = 0; i < n; i++) {
        r[i] = rs.getString(i + 1);
      }
      rows.add(r);
    }
    if (csv) {
      out.println(csvLine(header));
      rows.forEach(r -> out.println(csvLine(r)));
    } else {
      int[] w = new int[n];
      for (int i = 0; i < n; i++) {
        w[i] = header[i].length();
        for (String[] r : rows) {
          w[i] = Math.max(w[i], r[i] == null ? 0 : r[i].length());
        }
      }
      out.println(line(header, w));
      StringBuilder sep = new StringBuilder();
      for (int i = 0; i < n; i++) {
        sep.append(i == 0 ? "" : "-+-").append("-".repeat(w[i]));
      }
      out.println(sep);
      rows.forEach(r -> out.println(line(r, w)));
      out.printf(
          "(%d row%s%s)%n",
          rows.size(), rows.size() == 1 ? "" : "s", truncated ? ", more not shown: --maxRows" : "");
    }
  }

  private static String line(String[] r, int[] w) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < r.length; i++) {
      String v = r[i] == null ? "" : r[i];
      b.append(i == 0 ? "" : " | ").append(v).append(" ".repeat(w[i] - v.length()));
    }
    return b.toString().stripTrailing();
  }

  private static String csvLine(String[] r) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < r.length; i++) {
      if (i > 0) {
        b.append(',');
      }
      String v = r[i];
      if (v == null) {
        continue;
      }
      if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
        b.append('"').append(v.replace("\"", "\"\"")).append('"');
      } else {
        b.append(v);
      }
    }
    return b.toString();
  }
}
