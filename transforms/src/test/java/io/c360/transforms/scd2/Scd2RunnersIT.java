package io.c360.transforms.scd2;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import io.c360.transforms.scd2.Scd2Scenario.Batch;
import io.c360.transforms.scd2.Scd2Scenario.RowSpec;
import io.c360.transforms.testing.TestDatabase;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.Statement;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.values.Row;

/**
 * Issue 5's "done when": random change sequences delivered in random day batches, merged by the
 * real transform on the Direct runner and on Flink local into PostgreSQL, equal the reference model
 * after every day, and a second run of any day leaves the table unchanged (every column, surrogate
 * keys and run ids included).
 *
 * <p>Each try has 40 keys and up to 60 rows per day (25 tries: 15 Direct, 10 Flink), so one try
 * exercises many independent key histories; the tries are few because every day is two pipeline
 * runs.
 */
class Scd2RunnersIT implements Serializable {
  // jqwik properties do not run JUnit extensions: the database's lifecycle is driven by hand.
  static final TestDatabase DB = new TestDatabase();
  private static long runId = 1;

  @BeforeContainer
  static void startDatabase() throws Exception {
    DB.beforeAll(null);
  }

  @AfterContainer
  static void dropDatabase() throws Exception {
    DB.afterAll(null);
  }

  @Provide
  Arbitrary<List<Batch>> scenarios() {
    return Scd2Scenario.scenarios(40, 60);
  }

  @Property(tries = 15, shrinking = ShrinkingMode.OFF)
  void directRunnerMatchesTheReferenceModel(@ForAll("scenarios") List<Batch> batches)
      throws Exception {
    check(Scd2Pipelines.direct(), batches);
  }

  @Property(tries = 10, shrinking = ShrinkingMode.OFF)
  void flinkLocalMatchesTheReferenceModel(@ForAll("scenarios") List<Batch> batches)
      throws Exception {
    check(Scd2Pipelines.flinkLocal(), batches);
  }

  private static void check(PipelineOptions options, List<Batch> batches) throws Exception {
    try (Connection c = DB.open();
        Statement st = c.createStatement()) {
      st.execute("TRUNCATE dw.dim_customer RESTART IDENTITY");
    }
    Scd2Reference model = new Scd2Reference();
    for (Batch b : batches) {
      List<Row> rows = b.rows.stream().map(RowSpec::toRow).collect(Collectors.toList());
      run(options, b, rows);
      model.apply(b);
      List<String> table;
      try (Connection c = DB.open()) {
        assertThat("after " + b, Scd2Pipelines.renderCustomers(c), equalTo(model.render()));
        table = Scd2Pipelines.dump(c, "dw.dim_customer", "customer_sk");
      }
      MergeStats again = run(options, b, rows);
      assertThat("rerun of " + b + " changes no key", again.keysAffected(), is(0L));
      try (Connection c = DB.open()) {
        assertThat(
            "rerun of " + b,
            Scd2Pipelines.dump(c, "dw.dim_customer", "customer_sk"),
            equalTo(table));
        assertThat(
            "staging is emptied",
            Scd2Pipelines.dump(c, "staging.dim_customer_history", "customer_id").size(),
            is(0));
      }
    }
  }

  private static MergeStats run(PipelineOptions options, Batch b, List<Row> rows) {
    return Scd2Pipelines.run(
        options,
        Scd2.merge(DimensionSpec.CUSTOMER)
            .withConnection(DB.connection())
            .withRunId(runId++)
            .withDefaultValidFrom(b.dayStart)
            .withTimezone(ZoneOffset.UTC)
            .withMode(b.mode),
        rows);
  }
}
