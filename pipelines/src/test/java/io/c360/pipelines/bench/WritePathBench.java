package io.c360.pipelines.bench;

import io.c360.transforms.jdbc.PgCopyWrite;
import io.c360.transforms.model.Entities;
import io.c360.transforms.testing.TestDatabase;
import java.io.Serializable;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.io.jdbc.JdbcIO;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Write-path benchmark (issue 6): the same N staged sales rows written to PostgreSQL by Beam's
 * JdbcIO (batched INSERTs, PgJDBC reWriteBatchedInserts) and by c360's PgCopyWrite (COPY into a
 * temp table, then INSERT … ON CONFLICT). Not a test: run it with bench/write-path.sh, which passes
 * -Dbench.rows and appends the figures to bench/RESULTS.md.
 */
class WritePathBench implements Serializable {
  @RegisterExtension static final TestDatabase DB = new TestDatabase();

  static final Schema SCHEMA = Entities.SALES.typedSchema();

  @Test
  void compare() throws Exception {
    long rows = Long.getLong("bench.rows", 200_000L);
    int reps = Integer.getInteger("bench.reps", 3);
    List<Double> jdbc = new ArrayList<>();
    List<Double> copy = new ArrayList<>();
    for (int i = 0; i < reps; i++) {
      jdbc.add(time(rows, false));
      copy.add(time(rows, true));
    }
    double mj = median(jdbc);
    double mc = median(copy);
    String line =
        String.format(
            Locale.ROOT,
            "| %s | %,d rows | Direct (2 workers) | JdbcIO batch 10k + reWriteBatchedInserts: %.1f s (%,.0f rows/s) | PgCopyWrite (COPY + ON CONFLICT): %.1f s (%,.0f rows/s) | COPY %.2fx faster | runs %s / %s |%n",
            java.time.LocalDate.now(),
            rows,
            mj,
            rows / mj,
            mc,
            rows / mc,
            mj / mc,
            jdbc,
            copy);
    System.out.print(line);
    String out = System.getProperty("bench.out");
    if (out != null) {
      Files.writeString(
          Path.of(out),
          line,
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    }
  }

  private double time(long rows, boolean useCopy) throws Exception {
    try (Connection c = DB.open();
        Statement st = c.createStatement()) {
      st.execute("TRUNCATE staging.sales");
    }
    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs("--targetParallelism=2").create());
    var input =
        p.apply("Generate", GenerateSequence.from(0).to(rows))
            .apply("ToRow", MapElements.into(TypeDescriptor.of(Row.class)).via(new ToSale()))
            .setRowSchema(SCHEMA);
    if (useCopy) {
      input.apply(
          "Copy",
          PgCopyWrite.into("staging.sales")
              .withConnection(DB.connection())
              .withConstant("run_id", 1L)
              .withConflictColumns("run_id", "source_file", "line_no"));
    } else {
      input.apply(
          "Jdbc",
          JdbcIO.<Row>write()
              .withDataSourceConfiguration(DB.connection().toDataSourceConfiguration())
              .withBatchSize(10_000)
              .withStatement(
                  "INSERT INTO staging.sales (run_id, source_file, line_no, transaction_id, order_id,"
                      + " customer_id, product_id, shop_id, quantity, unit_price, amount, status,"
                      + " transaction_ts, amount_imputed) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                      + " ON CONFLICT DO NOTHING")
              .withPreparedStatementSetter(new SetSale()));
    }
    long t0 = System.nanoTime();
    p.run().waitUntilFinish();
    double s = (System.nanoTime() - t0) / 1e9;
    try (Connection c = DB.open();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM staging.sales")) {
      rs.next();
      if (rs.getLong(1) != rows) {
        throw new IllegalStateException("wrote " + rs.getLong(1) + " rows, expected " + rows);
      }
    }
    return Math.round(s * 10) / 10.0;
  }

  static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  static final class ToSale implements SerializableFunction<Long, Row> {
    @Override
    public Row apply(Long i) {
      return Row.withSchema(SCHEMA)
          .withFieldValue("source_file", "bench.csv")
          .withFieldValue("line_no", i + 2)
          .withFieldValue("transaction_id", "T" + i)
          .withFieldValue("order_id", "O" + (i / 3))
          .withFieldValue("customer_id", "C" + (i % 100_000))
          .withFieldValue("product_id", "P" + (i % 1_000))
          .withFieldValue("shop_id", "S" + (i % 50))
          .withFieldValue("quantity", 1 + i % 5)
          .withFieldValue("unit_price", new BigDecimal("9.99"))
          .withFieldValue("amount", new BigDecimal("9.99").multiply(BigDecimal.valueOf(1 + i % 5)))
          .withFieldValue("status", "completed")
          .withFieldValue("transaction_ts", Instant.ofEpochSecond(1_743_000_000L + i))
          .withFieldValue("amount_imputed", false)
          .build();
    }
  }

  static final class SetSale implements JdbcIO.PreparedStatementSetter<Row> {
    @Override
    public void setParameters(Row r, PreparedStatement ps) throws Exception {
      ps.setString(1, r.getString("source_file"));
      ps.setLong(2, r.getInt64("line_no"));
      ps.setString(3, r.getString("transaction_id"));
      ps.setString(4, r.getString("order_id"));
      ps.setString(5, r.getString("customer_id"));
      ps.setString(6, r.getString("product_id"));
      ps.setString(7, r.getString("shop_id"));
      ps.setLong(8, r.getInt64("quantity"));
      ps.setBigDecimal(9, r.getDecimal("unit_price"));
      ps.setBigDecimal(10, r.getDecimal("amount"));
      ps.setString(11, r.getString("status"));
      ps.setObject(
          12,
          java.sql.Timestamp.from(r.<Instant>getLogicalTypeValue("transaction_ts", Instant.class)));
      ps.setBoolean(13, Boolean.TRUE.equals(r.getBoolean("amount_imputed")));
    }
  }
}
