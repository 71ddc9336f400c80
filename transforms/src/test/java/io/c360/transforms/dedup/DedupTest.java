package io.c360.transforms.dedup;

import static io.c360.transforms.clean.Fixtures.PARIS;
import static io.c360.transforms.clean.Fixtures.RUN_DATE;
import static io.c360.transforms.clean.Fixtures.with;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.c360.transforms.clean.Fixtures;
import io.c360.transforms.clean.RowCleaner;
import io.c360.transforms.model.Column;
import io.c360.transforms.model.ColumnType;
import io.c360.transforms.model.Entities;
import io.c360.transforms.model.EntitySpec;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;

/** SPEC §2 "Deduplication", per entity kind, in plain Java and in a Beam pipeline. */
class DedupTest implements Serializable {
  private static final String A = "s3://landing/x/dt=2024-06-10/a.csv";
  private static final String B = "s3://landing/x/dt=2024-06-10/b.csv";

  static Row typed(EntitySpec e, String file, long line, Map<String, String> overrides) {
    return new RowCleaner(e, RUN_DATE, PARIS)
        .clean(Fixtures.raw(e, file, line, overrides))
        .clean()
        .orElseThrow(() -> new AssertionError("fixture row must be clean: " + overrides));
  }

  private static List<String> content(EntitySpec e) {
    List<String> c = new ArrayList<>(e.typedSchema().getFieldNames());
    c.remove(EntitySpec.SOURCE_FILE);
    c.remove(EntitySpec.LINE_NO);
    return c;
  }

  /** "file:line" → kept, or "file:line reason → keptFile:keptLine", for rows of one group. */
  private static List<String> outcome(EntitySpec e, Row... rows) {
    return Dedup.resolve(List.of(rows), content(e)).stream()
        .map(d -> pos(d.row) + (d.reason == null ? " kept" : " " + d.reason + " → " + pos(d.kept)))
        .toList();
  }

  static String pos(Row r) {
    String f = r.getString(EntitySpec.SOURCE_FILE);
    return f.substring(f.lastIndexOf('/') + 1) + ":" + r.getInt64(EntitySpec.LINE_NO);
  }

  @Test
  void exactDuplicatesAcrossFilesKeepTheEarliest() {
    EntitySpec s = Entities.SALES;
    assertThat(
        outcome(s, typed(s, B, 2, Map.of()), typed(s, A, 9, Map.of()), typed(s, A, 3, Map.of())),
        containsInAnyOrder(
            "a.csv:3 kept",
            "a.csv:9 exact_duplicate → a.csv:3",
            "b.csv:2 exact_duplicate → a.csv:3"));
  }

  @Test
  void rowsIdenticalButForSpellingAreExactDuplicates() {
    EntitySpec s = Entities.SALES;
    Row one = typed(s, A, 2, with("amount", "10.00", "transaction_ts", "2024-06-10 12:00"));
    Row two = typed(s, A, 3, with("amount", " 10 ", "transaction_ts", "2024-06-10T10:00:00Z"));
    assertThat(
        outcome(s, one, two),
        containsInAnyOrder("a.csv:2 kept", "a.csv:3 exact_duplicate → a.csv:2"));
  }

  @Test
  void salesSameKeyLaterFileThenLaterLineWins() {
    EntitySpec s = Entities.SALES;
    Row a9 = typed(s, A, 9, with("amount", "10", "quantity", "2"));
    Row b2 = typed(s, B, 2, with("amount", "15", "quantity", "3"));
    Row b1 = typed(s, B, 1, with("amount", "5", "quantity", "1"));
    assertThat(
        outcome(s, a9, b2, b1),
        containsInAnyOrder(
            "b.csv:2 kept", "a.csv:9 superseded → b.csv:2", "b.csv:1 superseded → b.csv:2"));
  }

  @Test
  void theLatestLinesContentWinsAndItsEarliestCopyIsKept() {
    EntitySpec s = Entities.SALES;
    Row x1 = typed(s, A, 1, with("status", "completed"));
    Row y2 = typed(s, A, 2, with("status", "cancelled"));
    Row x3 = typed(s, A, 3, with("status", "completed"));
    Row y4 = typed(s, A, 4, with("status", "cancelled"));
    Row x5 = typed(s, A, 5, with("status", "completed"));
    assertThat(
        outcome(s, x1, y2, x3, y4, x5),
        containsInAnyOrder(
            "a.csv:1 kept",
            "a.csv:2 superseded → a.csv:1",
            "a.csv:3 exact_duplicate → a.csv:1",
            "a.csv:4 exact_duplicate → a.csv:1",
            "a.csv:5 exact_duplicate → a.csv:1"));
  }

  @Test
  void theDecisionDoesNotDependOnArrivalOrder() {
    EntitySpec s = Entities.SALES;
    List<Row> rows = new ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      rows.add(
          typed(s, i % 2 == 0 ? A : B, i, with("status", i % 3 == 0 ? "cancelled" : "completed")));
    }
    List<String> first = outcome(s, rows.toArray(new Row[0]));
    Random random = new Random(7);
    for (int k = 0; k < 20; k++) {
      Collections.shuffle(rows, random);
      assertThat(outcome(s, rows.toArray(new Row[0])), containsInAnyOrder(first.toArray()));
    }
  }

  @Test
  void versionedEntitiesKeepEveryVersionAndTheLaterLineWinsWithinOne() {
    EntitySpec c = Entities.CUSTOMERS;
    assertThat(Dedup.versionKey(c), equalTo(List.of("customer_id", "updated_at")));
    // one version repeated with different content: the later line wins
    Row v1a = typed(c, A, 3, with("updated_at", "2024-06-01 08:00", "name", "Ana"));
    Row v1b = typed(c, A, 8, with("updated_at", "2024-06-01 08:00", "name", "Ana Lopez"));
    assertThat(
        outcome(c, v1a, v1b), containsInAnyOrder("a.csv:8 kept", "a.csv:3 superseded → a.csv:8"));
    // no updated_at is a version too
    Row n1 = typed(c, A, 4, with("updated_at", "", "city", "Lyon"));
    Row n2 = typed(c, B, 1, with("updated_at", " ", "city", "Nice"));
    assertThat(
        outcome(c, n1, n2), containsInAnyOrder("b.csv:1 kept", "a.csv:4 superseded → b.csv:1"));
  }

  @Test
  void dedupNeedsANaturalKeyAndItsFields() {
    EntitySpec noKey =
        EntitySpec.builder("notes").column(Column.optional("text", ColumnType.STRING)).build();
    assertThrows(IllegalArgumentException.class, () -> Dedup.of(noKey));
    assertThrows(IllegalArgumentException.class, () -> Dedup.of(null));
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    Schema noLineage =
        Schema.builder().addNullableField("channel_id", Schema.FieldType.STRING).build();
    PCollection<Row> in =
        p.apply(
            Create.of(Row.withSchema(noLineage).addValue("CH1").build()).withRowSchema(noLineage));
    assertThrows(IllegalArgumentException.class, () -> in.apply(Dedup.of(Entities.CHANNELS)));
  }

  @Test
  void keysAreUnambiguousAndDecimalsCompareByValue() {
    Schema s =
        Schema.builder()
            .addNullableField("a", Schema.FieldType.STRING)
            .addNullableField("b", Schema.FieldType.STRING)
            .addNullableField("d", Schema.FieldType.DECIMAL)
            .build();
    Row r1 = Row.withSchema(s).addValues("x1", "2", new BigDecimal("10.50")).build();
    Row r2 = Row.withSchema(s).addValues("x", "12", new BigDecimal("10.5")).build();
    Row r3 = Row.withSchema(s).addValues(null, "x12", new BigDecimal("10.5")).build();
    Row r4 = Row.withSchema(s).addValues("", "x12", new BigDecimal("10.5")).build();
    Row r5 = Row.withSchema(s).addValues("x1", "2", new BigDecimal("10.5")).build();
    List<String> ab = List.of("a", "b");
    assertThat(RowKeys.of(r1, ab).equals(RowKeys.of(r2, ab)), equalTo(false));
    assertThat(RowKeys.of(r3, ab).equals(RowKeys.of(r4, ab)), equalTo(false));
    assertThat(
        RowKeys.of(r1, List.of("a", "b", "d")), equalTo(RowKeys.of(r5, List.of("a", "b", "d"))));
  }

  // ---- in a pipeline ----

  static final class Describe implements SerializableFunction<Row, String> {
    @Override
    public String apply(Row r) {
      String base = pos(r);
      if (r.getSchema().hasField(Dedup.REASON)) {
        String kf = r.getString(Dedup.KEPT_SOURCE_FILE);
        return base
            + " "
            + r.getString(Dedup.REASON)
            + " → "
            + kf.substring(kf.lastIndexOf('/') + 1)
            + ":"
            + r.getInt64(Dedup.KEPT_LINE_NO);
      }
      return base + " kept";
    }
  }

  private static PCollectionTuple dedup(Pipeline p, EntitySpec e, List<Row> rows) {
    String name = Character.toUpperCase(e.name().charAt(0)) + e.name().substring(1);
    return p.apply("Create" + name, Create.of(rows).withRowSchema(e.typedSchema()))
        .apply("Dedup" + name, Dedup.of(e));
  }

  private static PCollection<String> described(PCollectionTuple t, String tag, boolean kept) {
    return t.get(kept ? Dedup.KEPT : Dedup.DROPPED)
        .apply(tag, MapElements.into(TypeDescriptors.strings()).via(new Describe()));
  }

  @Test
  void pipelineDedupsEveryEntityKind() {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    EntitySpec s = Entities.SALES;
    PCollectionTuple sales =
        dedup(
            p,
            s,
            List.of(
                typed(s, A, 2, with("transaction_id", "T1")),
                typed(s, B, 2, with("transaction_id", "T1")), // exact copy in a later file
                typed(s, A, 3, with("transaction_id", "T2", "status", "completed")),
                typed(s, A, 7, with("transaction_id", "T2", "status", "cancelled")),
                typed(s, A, 4, with("transaction_id", "T3"))));
    PAssert.that(described(sales, "SalesKept", true))
        .containsInAnyOrder("a.csv:2 kept", "a.csv:7 kept", "a.csv:4 kept");
    PAssert.that(described(sales, "SalesDropped", false))
        .containsInAnyOrder("b.csv:2 exact_duplicate → a.csv:2", "a.csv:3 superseded → a.csv:7");
    PAssert.that(
            sales
                .get(Dedup.DROPPED)
                .apply(
                    "DroppedSchema",
                    MapElements.into(TypeDescriptors.booleans())
                        .via(
                            (Row r) ->
                                r.getSchema()
                                    .equals(Dedup.droppedSchema(Entities.SALES.typedSchema())))))
        .containsInAnyOrder(true, true);

    EntitySpec c = Entities.CUSTOMERS;
    PCollectionTuple customers =
        dedup(
            p,
            c,
            List.of(
                typed(c, A, 2, with("updated_at", "2024-06-01 08:00", "segment", "SMB")),
                typed(c, A, 3, with("updated_at", "2024-06-05 08:00", "segment", "Enterprise")),
                typed(c, A, 4, with("updated_at", "2024-06-05 08:00", "segment", "Mid-Market")),
                typed(c, B, 9, with("updated_at", "2024-06-01 08:00", "segment", "smb"))));
    PAssert.that(described(customers, "CustomersKept", true))
        .containsInAnyOrder("a.csv:2 kept", "a.csv:4 kept");
    PAssert.that(described(customers, "CustomersDropped", false))
        .containsInAnyOrder("a.csv:3 superseded → a.csv:4", "b.csv:9 exact_duplicate → a.csv:2");

    EntitySpec t = Entities.TRAFFIC;
    PCollectionTuple traffic =
        dedup(
            p,
            t,
            List.of(
                typed(t, A, 2, with("account_id", "", "revenue_eur", "1")),
                typed(t, A, 3, with("account_id", null, "revenue_eur", "2")),
                typed(t, A, 4, with("account_id", "A1", "revenue_eur", "3")),
                typed(t, A, 5, with("account_id", "A1", "channel_id", "CH2"))));
    PAssert.that(described(traffic, "TrafficKept", true))
        .containsInAnyOrder("a.csv:3 kept", "a.csv:4 kept", "a.csv:5 kept");
    PAssert.that(described(traffic, "TrafficDropped", false))
        .containsInAnyOrder("a.csv:2 superseded → a.csv:3");

    EntitySpec ch = Entities.CHANNELS;
    PCollectionTuple channels =
        dedup(
            p,
            ch,
            List.of(
                typed(ch, B, 1, with("channel_name", "E-mail")),
                typed(ch, A, 5, with("channel_name", "Email"))));
    PAssert.that(described(channels, "ChannelsKept", true)).containsInAnyOrder("b.csv:1 kept");
    PAssert.that(described(channels, "ChannelsDropped", false))
        .containsInAnyOrder("a.csv:5 superseded → b.csv:1");

    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertThat(
        Dedup.counters(result.metrics(), s),
        equalTo(Map.of("rows_in", 5L, "kept", 3L, "exact_duplicate", 1L, "superseded", 1L)));
    assertThat(
        Dedup.counters(result.metrics(), c),
        equalTo(Map.of("rows_in", 4L, "kept", 2L, "exact_duplicate", 1L, "superseded", 1L)));
    assertThat(
        Dedup.counters(result.metrics(), t),
        equalTo(Map.of("rows_in", 4L, "kept", 3L, "exact_duplicate", 0L, "superseded", 1L)));
  }
}
