package io.c360.transforms.scd2;

import io.c360.transforms.model.Entities;
import io.c360.transforms.model.EntitySpec;
import io.c360.transforms.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;

/**
 * SCD2 merge benchmark (no JUnit): builds {@code dw.dim_customer} with {@code keys} customers of
 * {@code versions} versions each in the embedded PostgreSQL, then merges {@code changed} changed
 * customers three times (a different random set each time; half the changes are late, landing
 * inside the history) and prints time and dimension rows read per run.
 *
 * <p>Run with {@code bench/scd2-merge.sh [keys] [versions] [changed] [direct|flink]}.
 */
public final class Scd2MergeBench {
  private Scd2MergeBench() {}

  public static void main(String[] args) throws Exception {
    int keys = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int versions = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int changed = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
    String runner = args.length > 3 ? args[3] : "direct";
    TestDatabase db = new TestDatabase();
    db.beforeAll(null);
    try {
      long t0 = System.nanoTime();
      long tableRows;
      try (Connection c = db.open();
          Statement st = c.createStatement()) {
        // Monthly versions from 2020-01; the last one open.
        st.execute(
            "INSERT INTO dw.dim_customer (customer_id, name, city, segment, row_hash, valid_from,"
                + " valid_to, is_current, run_id)"
                + " SELECT 'c' || k, 'name-' || k || '-' || m, 'city-' || m, 'SMB',"
                + " md5(k || '-' || m), timestamptz '2020-01-01 00:00Z' + (m - 1) * interval '1"
                + " month', CASE WHEN m = "
                + versions
                + " THEN timestamptz '9999-12-31 00:00Z'"
                + " ELSE timestamptz '2020-01-01 00:00Z' + m * interval '1 month' END, m = "
                + versions
                + ", 1 FROM generate_series(1, "
                + keys
                + ") k, generate_series(1, "
                + versions
                + ") m");
        st.execute("VACUUM ANALYZE dw.dim_customer");
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM dw.dim_customer")) {
          rs.next();
          tableRows = rs.getLong(1);
        }
      }
      System.out.printf(
          "SCD2 bench: dimension %,d keys x %d versions = %,d rows, built in %.1f s%n",
          keys, versions, tableRows, (System.nanoTime() - t0) / 1e9);

      Random random = new Random(42);
      List<Long> millis = new ArrayList<>();
      for (int run = 1; run <= 3; run++) {
        List<Row> rows = changes(random, keys, versions, changed, run);
        Instant day = Instant.parse("2025-01-01T00:00:00Z").plus(Duration.ofDays(run));
        long start = System.nanoTime();
        MergeStats s =
            Scd2Pipelines.run(
                options(runner),
                Scd2.merge(DimensionSpec.CUSTOMER)
                    .withConnection(db.connection())
                    .withRunId(100 + run)
                    .withDefaultValidFrom(day)
                    .withTimezone(ZoneOffset.UTC),
                rows);
        long ms = (System.nanoTime() - start) / 1_000_000;
        millis.add(ms);
        System.out.printf(
            "run %d (%s): %,d changed keys merged in %.1f s; dimension rows read %,d of %,d"
                + " (%.2f%%); %s%n",
            run,
            runner,
            changed,
            ms / 1e3,
            s.historyRowsRead(),
            tableRows,
            100.0 * s.historyRowsRead() / tableRows,
            s);
      }
      millis.sort(Long::compare);
      System.out.printf("median of 3: %.1f s%n", millis.get(1) / 1e3);
    } finally {
      db.afterAll(null);
    }
  }

  /** Distinct random keys; odd ones change now, even ones get a late change inside history. */
  private static List<Row> changes(Random random, int keys, int versions, int changed, int run) {
    int[] picked = random.ints(1, keys + 1).distinct().limit(changed).toArray();
    List<Row> rows = new ArrayList<>(changed);
    Schema schema = Entities.CUSTOMERS.typedSchema();
    for (int i = 0; i < picked.length; i++) {
      int k = picked[i];
      Instant updatedAt =
          k % 2 == 1
              ? null
              : Instant.parse("2020-01-15T00:00:00Z")
                  .plus(Duration.ofDays(30L * random.nextInt(versions)));
      rows.add(
          Row.withSchema(schema)
              .withFieldValue(EntitySpec.SOURCE_FILE, "bench.csv")
              .withFieldValue(EntitySpec.LINE_NO, (long) i + 2)
              .withFieldValue("customer_id", "c" + k)
              .withFieldValue("name", "changed-" + run + "-" + k)
              .withFieldValue("segment", "Enterprise")
              .withFieldValue("updated_at", updatedAt)
              .build());
    }
    return rows;
  }

  private static PipelineOptions options(String runner) {
    if (runner.equals("flink")) {
      return Scd2Pipelines.flinkLocal();
    }
    DirectOptions o = PipelineOptionsFactory.as(DirectOptions.class);
    o.setEnforceImmutability(false);
    o.setEnforceEncodability(false);
    o.setTargetParallelism(2);
    return o;
  }
}
