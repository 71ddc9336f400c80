package io.c360.transforms.clean;

import static io.c360.transforms.clean.Fixtures.PARIS;
import static io.c360.transforms.clean.Fixtures.RUN_DATE;
import static io.c360.transforms.clean.Fixtures.raw;
import static io.c360.transforms.clean.Fixtures.with;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;

import io.c360.transforms.jdbc.PgCopyWrite;
import io.c360.transforms.model.Entities;
import io.c360.transforms.testing.TestDatabase;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Rejects of CleanRows land in dq.rejected_rows as SPEC §2 says: run id, entity, file, line, rule,
 * message and the landed record as jsonb, one row per failed rule.
 *
 * <p>Written without conflict columns: PgCopyWrite's ON CONFLICT path builds its temp table with
 * {@code LIKE dq.rejected_rows}, which copies the NOT NULL of the identity column {@code id} and so
 * rejects every batch (reported to the lead).
 */
class QuarantineWriteIT implements Serializable {
  @RegisterExtension static final TestDatabase DB = new TestDatabase();

  private void runOnce() {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    List<Row> landed =
        List.of(
            raw(Entities.SALES, 2, with("transaction_id", "T1")),
            raw(
                Entities.SALES,
                3,
                with("transaction_id", " ", "quantity", "x", "order_id", "O \"1\"")),
            raw(Entities.SALES, 4, with("transaction_id", "T3", "status", "returned")));
    p.apply("Landed", Create.of(landed).withRowSchema(Entities.SALES.rawSchema()))
        .apply("CleanSales", CleanRows.of(Entities.SALES).withRunDate(RUN_DATE).withTimezone(PARIS))
        .get(CleanRows.REJECTED)
        .apply(
            "WriteRejects",
            PgCopyWrite.into("dq.rejected_rows")
                .withConnection(DB.connection())
                .withConstant("run_id", 17L));
    p.run().waitUntilFinish();
  }

  @Test
  void rejectsLandWithRunIdLineageRuleMessageAndLandedRecord() throws Exception {
    runOnce();

    List<String> rows = new ArrayList<>();
    try (Connection c = DB.open();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT run_id, entity, source_file, line_no, rule, message <> '' AS has_message,"
                    + " record->>'quantity' AS q, record->>'order_id' AS o"
                    + " FROM dq.rejected_rows ORDER BY line_no, rule")) {
      while (rs.next()) {
        rows.add(
            rs.getLong(1)
                + " "
                + rs.getString(2)
                + " "
                + rs.getString(3).equals(Fixtures.FILE)
                + " "
                + rs.getLong(4)
                + " "
                + rs.getString(5)
                + " "
                + rs.getBoolean(6)
                + " "
                + rs.getString(7)
                + " "
                + rs.getString(8));
      }
    }
    assertThat(
        rows,
        containsInAnyOrder(
            "17 sales true 3 not_null:transaction_id true x O \"1\"",
            "17 sales true 3 type:quantity true x O \"1\"",
            "17 sales true 4 business:negative_amount true 2 O1"));
    assertThat(rows.size(), equalTo(3));
  }
}
