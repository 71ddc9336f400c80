package io.c360.transforms.scd2;

import io.c360.transforms.model.Entities;
import io.c360.transforms.model.EntitySpec;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/** Runs {@link Scd2} merges in real pipelines for the tests and reads the dimension back. */
final class Scd2Pipelines implements Serializable {
  private static final Map<String, MergeStats> RESULTS = new ConcurrentHashMap<>();

  private Scd2Pipelines() {}

  static PipelineOptions direct() {
    return PipelineOptionsFactory.create();
  }

  static PipelineOptions flinkLocal() {
    FlinkPipelineOptions o = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    o.setRunner(FlinkRunner.class);
    o.setFlinkMaster("[local]");
    o.setParallelism(2);
    return o;
  }

  /** Runs the merge over {@code rows} and returns its single output element. */
  static MergeStats run(PipelineOptions options, Scd2.Merge merge, List<Row> rows) {
    Pipeline p = Pipeline.create(options);
    PCollection<Row> in =
        p.apply("Rows", Create.of(rows).withRowSchema(merge.dimension().entity().typedSchema()));
    String id = UUID.randomUUID().toString();
    in.apply("Merge", merge).apply("Capture", ParDo.of(new CaptureFn(id)));
    p.run().waitUntilFinish();
    MergeStats s = RESULTS.remove(id);
    if (s == null) {
      throw new AssertionError("the merge emitted no stats element");
    }
    return s;
  }

  /** Keeps the merge's output where the test can read it (same JVM on Direct and Flink local). */
  static final class CaptureFn extends DoFn<MergeStats, Void> {
    private final String id;

    CaptureFn(String id) {
      this.id = id;
    }

    @ProcessElement
    public void process(@Element MergeStats s) {
      if (RESULTS.putIfAbsent(id, s) != null) {
        throw new IllegalStateException("the merge emitted more than one stats element");
      }
    }
  }

  /** Every column of every row of a table, ordered: compares whole tables before and after. */
  static List<String> dump(Connection c, String table, String orderBy) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT * FROM " + table + " ORDER BY " + orderBy)) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          b.append(md.getColumnName(i)).append('=').append(rs.getString(i)).append(' ');
        }
        out.add(b.toString());
      }
    }
    return out;
  }

  /** dw.dim_customer in {@link Scd2Reference#line} form. */
  static List<String> renderCustomers(Connection c) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT customer_id, valid_from, valid_to, name, email, city, country, segment,"
                    + " industry, is_deleted, is_current, account_id, created_date"
                    + " FROM dw.dim_customer ORDER BY customer_id, valid_from")) {
      while (rs.next()) {
        out.add(
            Scd2Reference.line(
                rs.getString(1),
                rs.getObject(2, OffsetDateTime.class).toInstant(),
                rs.getObject(3, OffsetDateTime.class).toInstant(),
                Arrays.asList(
                    rs.getString(4),
                    rs.getString(5),
                    rs.getString(6),
                    rs.getString(7),
                    rs.getString(8),
                    rs.getString(9)),
                rs.getBoolean(10),
                rs.getBoolean(11),
                Arrays.asList(rs.getString(12), rs.getObject(13, java.time.LocalDate.class))));
      }
    }
    return out;
  }

  /** A customers row with the given values; the rest null. */
  static Row customer(
      String file, long line, String id, String name, String segment, Instant updatedAt) {
    return Row.withSchema(Entities.CUSTOMERS.typedSchema())
        .withFieldValue(EntitySpec.SOURCE_FILE, file)
        .withFieldValue(EntitySpec.LINE_NO, line)
        .withFieldValue("customer_id", id)
        .withFieldValue("name", name)
        .withFieldValue("segment", segment)
        .withFieldValue("updated_at", updatedAt)
        .build();
  }
}
