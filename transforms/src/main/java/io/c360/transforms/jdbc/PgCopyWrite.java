package io.c360.transforms.jdbc;

import static io.c360.transforms.common.Args.checkArgument;
import static io.c360.transforms.common.Args.checkState;

import com.google.auto.value.AutoValue;
import io.c360.transforms.common.BusyTime;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Writes schema'd rows into a PostgreSQL table with COPY, a batch at a time.
 *
 * <p>Each batch is copied into a temporary table and moved with {@code INSERT … ON CONFLICT DO
 * NOTHING} on the table's key (when {@link #withConflictColumns} is set), so a retried bundle does
 * not duplicate rows. Row field names must equal column names; constant columns (run id, dt) are
 * added with {@link #withConstant}.
 *
 * <pre>{@code
 * rejects.apply("WriteRejects",
 *     PgCopyWrite.into("dq.rejected_rows").withConnection(pg)
 *         .withConstant("run_id", runId)
 *         .withConflictColumns("run_id", "source_file", "line_no", "rule"));
 * }</pre>
 *
 * Returns the number of rows each batch wrote, for {@code Wait.on} and counts.
 */
@AutoValue
public abstract class PgCopyWrite extends PTransform<PCollection<Row>, PCollection<Long>> {
  abstract @Nullable PgConnection connection();

  abstract String table();

  abstract Map<String, Object> constants();

  abstract List<String> conflictColumns();

  abstract int batchSize();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setConnection(PgConnection c);

    abstract Builder setTable(String t);

    abstract Builder setConstants(Map<String, Object> c);

    abstract Builder setConflictColumns(List<String> c);

    abstract Builder setBatchSize(int n);

    abstract PgCopyWrite build();
  }

  public static PgCopyWrite into(String table) {
    return new AutoValue_PgCopyWrite.Builder()
        .setTable(SqlNames.table(table))
        .setConstants(Map.of())
        .setConflictColumns(List.of())
        .setBatchSize(20_000)
        .build();
  }

  public PgCopyWrite withConnection(PgConnection connection) {
    checkArgument(connection != null, "connection can not be null");
    return toBuilder().setConnection(connection).build();
  }

  /** A column whose value is the same for every row (run_id, dt). */
  public PgCopyWrite withConstant(String column, Object value) {
    Map<String, Object> m = new LinkedHashMap<>(constants());
    m.put(SqlNames.column(column), value);
    return toBuilder().setConstants(m).build();
  }

  /** The table's unique key; rows that collide with an existing row are skipped. */
  public PgCopyWrite withConflictColumns(String... columns) {
    List<String> cols = new ArrayList<>();
    for (String c : columns) {
      cols.add(SqlNames.column(c));
    }
    return toBuilder().setConflictColumns(cols).build();
  }

  public PgCopyWrite withBatchSize(int rows) {
    checkArgument(rows >= 1, "batch size must be positive: %s", rows);
    return toBuilder().setBatchSize(rows).build();
  }

  @Override
  public PCollection<Long> expand(PCollection<Row> input) {
    checkState(connection() != null, "PgCopyWrite.withConnection() is required");
    List<String> fields = input.getSchema().getFieldNames();
    fields.forEach(SqlNames::column);
    return input.apply("CopyInto", ParDo.of(new CopyFn(this, fields)));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("table", table()));
    builder.add(DisplayData.item("batchSize", batchSize()));
  }

  static class CopyFn extends DoFn<Row, Long> {
    private final PgCopyWrite spec;
    private final List<String> fields;
    private final Counter written;
    private final BusyTime busy = BusyTime.of(BusyTime.Part.WRITE);
    private transient Connection conn;
    private transient StringBuilder buffer;
    private transient int buffered;

    CopyFn(PgCopyWrite spec, List<String> fields) {
      this.spec = spec;
      this.fields = fields;
      this.written = Metrics.counter("c360.copy", spec.table());
    }

    @Setup
    public void setup() throws SQLException {
      conn = spec.connection().open();
    }

    @StartBundle
    public void startBundle() {
      buffer = new StringBuilder(1 << 16);
      buffered = 0;
    }

    @ProcessElement
    public void process(@Element Row row, OutputReceiver<Long> out) throws Exception {
      long t = System.nanoTime();
      Schema schema = row.getSchema();
      boolean first = true;
      for (String f : fields) {
        if (!first) {
          buffer.append(',');
        }
        first = false;
        appendCsv(buffer, row.getValue(schema.indexOf(f)));
      }
      for (Object c : spec.constants().values()) {
        buffer.append(',');
        appendCsv(buffer, c);
      }
      buffer.append('\n');
      if (++buffered >= spec.batchSize()) {
        long n = flush();
        busy.addSince(t);
        out.output(n);
        return;
      }
      busy.addSince(t);
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext c) throws Exception {
      if (buffered > 0) {
        long t = System.nanoTime();
        long n = flush();
        busy.addSince(t);
        c.output(n, GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE);
      }
    }

    private long flush() throws SQLException, IOException {
      List<String> cols = new ArrayList<>(fields);
      cols.addAll(spec.constants().keySet());
      String colList = String.join(", ", cols);
      long n;
      CopyManager copy = conn.unwrap(PGConnection.class).getCopyAPI();
      if (spec.conflictColumns().isEmpty()) {
        n = copy.copyIn(copySql(spec.table(), colList), new StringReader(buffer.toString()));
      } else {
        conn.setAutoCommit(false);
        try (Statement st = conn.createStatement()) {
          // Only the written columns: LIKE would copy NOT NULL of identity columns never written.
          String buf = "c360_copy_" + spec.table().replace('.', '_');
          st.execute(
              "CREATE TEMP TABLE IF NOT EXISTS "
                  + buf
                  + " ON COMMIT DELETE ROWS AS SELECT "
                  + colList
                  + " FROM "
                  + spec.table()
                  + " WITH NO DATA");
          copy.copyIn(copySql(buf, colList), new StringReader(buffer.toString()));
          n =
              st.executeUpdate(
                  "INSERT INTO "
                      + spec.table()
                      + " ("
                      + colList
                      + ") SELECT "
                      + colList
                      + " FROM "
                      + buf
                      + " ON CONFLICT ("
                      + spec.conflictColumns().stream().collect(Collectors.joining(", "))
                      + ") DO NOTHING");
          conn.commit();
        } catch (SQLException | IOException | RuntimeException e) {
          PgConnection.rollbackAfter(conn, e);
          throw e;
        } finally {
          PgConnection.restoreAutoCommit(conn, true);
        }
      }
      written.inc(n);
      buffer.setLength(0);
      buffered = 0;
      return n;
    }

    @Teardown
    public void teardown() throws SQLException {
      if (conn != null) {
        conn.close();
      }
    }
  }

  private static String copySql(String table, String colList) {
    return "COPY " + table + " (" + colList + ") FROM STDIN WITH (FORMAT csv, NULL '')";
  }

  /** A {@code text[]} literal, every element quoted: {@code {"a","b \"c\"",NULL}}. */
  static String arrayLiteral(Iterable<?> items) {
    StringBuilder a = new StringBuilder("{");
    for (Object item : items) {
      if (a.length() > 1) {
        a.append(',');
      }
      if (item == null) {
        a.append("NULL");
        continue;
      }
      a.append('"');
      String s = item.toString();
      for (int i = 0; i < s.length(); i++) {
        char ch = s.charAt(i);
        if (ch == '"' || ch == '\\') {
          a.append('\\');
        }
        a.append(ch);
      }
      a.append('"');
    }
    return a.append('}').toString();
  }

  /**
   * CSV for COPY: null is an unquoted empty field; every other value is quoted; a list (a Row's
   * array field) is a PostgreSQL array literal.
   */
  static void appendCsv(StringBuilder b, @Nullable Object v) {
    if (v == null) {
      return;
    }
    String s;
    if (v instanceof BigDecimal) {
      s = ((BigDecimal) v).toPlainString();
    } else if (v instanceof Boolean) {
      s = ((Boolean) v) ? "t" : "f";
    } else if (v instanceof Iterable<?> items) {
      s = arrayLiteral(items);
    } else {
      s = v.toString();
    }
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch == '"') {
        b.append('"');
      }
      if (ch != 0) { // PostgreSQL text cannot hold NUL
        b.append(ch);
      }
    }
    b.append('"');
  }
}
