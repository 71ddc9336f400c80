package io.c360.transforms.clean;

import static io.c360.transforms.clean.Fixtures.PARIS;
import static io.c360.transforms.clean.Fixtures.RUN_DATE;
import static io.c360.transforms.clean.Fixtures.raw;
import static io.c360.transforms.clean.Fixtures.with;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.c360.transforms.model.Entities;
import io.c360.transforms.model.EntitySpec;
import io.c360.transforms.quality.Quarantine;
import java.io.Serializable;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;

/** CleanRows in a Beam pipeline: outputs, schemas and counters. */
class CleanRowsTest implements Serializable {

  /** "line rule" of a reject, or "line transaction_id amount imputed ts" of a clean sale. */
  static final class Describe implements SerializableFunction<Row, String> {
    @Override
    public String apply(Row r) {
      if (r.getSchema().equals(Quarantine.SCHEMA)) {
        return r.getInt64(EntitySpec.LINE_NO) + " " + r.getString("rule");
      }
      return r.getInt64(EntitySpec.LINE_NO)
          + " "
          + r.getString("transaction_id")
          + " "
          + r.getDecimal("amount").toPlainString()
          + " "
          + r.getBoolean("amount_imputed")
          + " "
          + r.getLogicalTypeValue("transaction_ts", Instant.class);
    }
  }

  @Test
  void splitsSalesIntoTypedRowsAndPerRuleRejectsAndCountsThem() {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    EntitySpec sales = Entities.SALES;
    List<Row> landed =
        List.of(
            raw(sales, 2, with("transaction_id", "100.0", "transaction_ts", "2024-06-10 09:15")),
            raw(sales, 3, with("transaction_id", "101", "amount", "", "unit_price", "2.5")),
            raw(sales, 4, with("transaction_id", "", "quantity", "x")),
            raw(sales, 5, with("transaction_id", "103", "status", "returned")),
            raw(sales, 6, with("transaction_id", "104", "amount", "12,50")));
    PCollectionTuple out =
        p.apply("Landed", Create.of(landed).withRowSchema(sales.rawSchema()))
            .apply("CleanSales", CleanRows.of(sales).withRunDate(RUN_DATE).withTimezone(PARIS));

    PCollection<Row> clean = out.get(CleanRows.CLEAN);
    PCollection<Row> rejected = out.get(CleanRows.REJECTED);
    assertThat(clean.getSchema(), equalTo(sales.typedSchema()));
    assertThat(rejected.getSchema(), equalTo(Quarantine.SCHEMA));

    PAssert.that(clean.apply("DescribeClean", describe()))
        .containsInAnyOrder(
            "2 100 10 false 2024-06-10T07:15:00Z", "3 101 5 true 2024-06-10T10:00:00Z");
    PAssert.that(rejected.apply("DescribeRejected", describe()))
        .containsInAnyOrder(
            "4 not_null:transaction_id",
            "4 type:quantity",
            "5 business:negative_amount",
            "6 type:amount");

    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertThat(
        CleanRows.counters(result.metrics(), sales),
        equalTo(
            Map.of(
                "rows_in", 5L,
                "clean", 2L,
                "rejected_rows", 3L,
                "rejects:not_null:transaction_id", 1L,
                "rejects:type:quantity", 1L,
                "rejects:business:negative_amount", 1L,
                "rejects:type:amount", 1L)));
  }

  @Test
  void readsColumnsByNameAndTreatsAbsentOnesAsNull() {
    // a landed schema in another order, without optional columns and with an extra one
    Schema landed =
        Schema.builder()
            .addStringField(EntitySpec.SOURCE_FILE)
            .addInt64Field(EntitySpec.LINE_NO)
            .addNullableField("channel_name", Schema.FieldType.STRING)
            .addNullableField("unknown", Schema.FieldType.STRING)
            .addNullableField("channel_id", Schema.FieldType.STRING)
            .build();
    Row in = Row.withSchema(landed).addValues("f.csv", 9L, " SMS ", "x", "7.0").build();
    RowCleaner.Result r = new RowCleaner(Entities.CHANNELS, RUN_DATE, PARIS).clean(in);
    Row typed = r.clean().orElseThrow();
    assertThat(typed.getString("channel_id"), equalTo("7"));
    assertThat(typed.getString("channel_name"), equalTo("SMS"));
    assertThat(typed.getDecimal("unit_price_eur"), equalTo(null));

    Row missing = Row.withSchema(landed).addValues("f.csv", 10L, "SMS", null, null).build();
    List<Row> rejects = new RowCleaner(Entities.CHANNELS, RUN_DATE, PARIS).clean(missing).rejects();
    assertThat(rejects.size(), equalTo(1));
    assertThat(rejects.get(0).getString("rule"), equalTo("not_null:channel_id"));
  }

  @Test
  void settingsAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> CleanRows.of(null));
    assertThrows(
        IllegalArgumentException.class, () -> CleanRows.of(Entities.SALES).withRunDate(null));
    assertThrows(
        IllegalArgumentException.class, () -> CleanRows.of(Entities.SALES).withTimezone(null));
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PCollection<Row> in =
        p.apply(
            Create.of(raw(Entities.SALES, 2, Map.of())).withRowSchema(Entities.SALES.rawSchema()));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> in.apply(CleanRows.of(Entities.SALES)));
    assertThat(e.getMessage(), containsString("withRunDate"));
  }

  @Test
  void displayDataNamesTheSettings() {
    DisplayData d =
        DisplayData.from(
            CleanRows.of(Entities.SALES)
                .withRunDate(RUN_DATE)
                .withTimezone(ZoneId.of("Asia/Tokyo")));
    assertThat(d.toString(), containsString("Asia/Tokyo"));
    assertThat(d.toString(), containsString("2024-06-10"));
    assertThat(d.toString(), containsString("business:amount_mismatch"));
  }

  @Test
  void defaultTimezoneIsUtc() {
    DisplayData d = DisplayData.from(CleanRows.of(Entities.SALES).withRunDate(RUN_DATE));
    String zone =
        d.items().stream()
            .filter(i -> i.getKey().equals("timezone"))
            .map(i -> String.valueOf(i.getValue()))
            .findFirst()
            .orElseThrow();
    assertThat(ZoneId.of(zone).normalized(), equalTo(ZoneOffset.UTC));
  }

  private static MapElements<Row, String> describe() {
    return MapElements.into(TypeDescriptors.strings()).via(new Describe());
  }
}
