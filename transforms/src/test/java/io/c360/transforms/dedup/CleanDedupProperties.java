package io.c360.transforms.dedup;

import static io.c360.transforms.clean.Fixtures.PARIS;
import static io.c360.transforms.clean.Fixtures.RUN_DATE;

import io.c360.transforms.clean.CleanRows;
import io.c360.transforms.clean.Fixtures;
import io.c360.transforms.model.Column;
import io.c360.transforms.model.Entities;
import io.c360.transforms.model.EntitySpec;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Distinct;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Random mixes of good, bad, duplicate and conflicting rows through CleanRows + Dedup on the Direct
 * runner: every input (source_file, line_no) comes out exactly once, as kept, quarantined,
 * exact_duplicate or superseded, and exactly where SPEC §2 says (read = kept + quarantined +
 * dropped).
 */
class CleanDedupProperties implements Serializable {
  private static final String[] FILES = {
    "s3://landing/x/dt=2024-06-10/a.csv", "s3://landing/x/dt=2024-06-10/b.csv"
  };

  /** A non-key column per entity whose value varies the content of a clean row. */
  private static final Map<String, String> VARIANT_COLUMN =
      Map.of(
          "customers", "city",
          "products", "brand",
          "channels", "channel_type",
          "sales", "shop_id",
          "traffic", "interactions_count",
          "campaigns", "campaign_name",
          "web_events", "session_id",
          "inventory", "on_order");

  /** Small pools for version-key columns, so keys collide; "" lands as null. */
  private static final Map<String, List<String>> KEY_POOL =
      Map.ofEntries(
          Map.entry("customer_id", List.of("C1", "C2", "C3.0")),
          Map.entry("product_id", List.of("P1", "P2")),
          Map.entry("channel_id", List.of("CH1", "CH2", "CH3")),
          Map.entry("transaction_id", List.of("T1", "T2", "T3", "T4")),
          Map.entry("updated_at", List.of("2024-06-01 08:00", "2024-06-02T08:00:00+02:00", "")),
          Map.entry("account_id", List.of("A1", "")),
          Map.entry("send_date", List.of("2024-06-09", "2024-06-10")),
          Map.entry("campaign_id", List.of("CA1", "CA2")),
          Map.entry("event_id", List.of("E1", "E2", "E3")),
          Map.entry("snapshot_date", List.of("2024-06-09", "2024-06-10")),
          Map.entry("shop_id", List.of("S1", "S2")));

  enum Kind {
    GOOD,
    BAD,
    COPY,
    RESPELLED_COPY
  }

  /** One generated input row, interpreted against the rows before it. */
  record Spec(
      Kind kind, int keySeed, int variant, List<Integer> corruptions, int other, int file) {}

  @Provide
  Arbitrary<Spec> specs() {
    return Combinators.combine(
            Arbitraries.of(Kind.class),
            Arbitraries.integers().between(0, 1000),
            Arbitraries.integers().between(1, 2),
            Arbitraries.integers().between(0, 1000).list().ofMinSize(1).ofMaxSize(3),
            Arbitraries.integers().between(0, 1000),
            Arbitraries.integers().between(0, 1))
        .as(Spec::new);
  }

  @Provide
  Arbitrary<List<Spec>> scenarios() {
    return specs().list().ofMinSize(1).ofMaxSize(25);
  }

  @Provide
  Arbitrary<EntitySpec> entities() {
    return Arbitraries.of(Entities.ALL);
  }

  /** A landed row plus what the spec says must become of it. */
  private static final class Landed {
    Map<String, String> values;
    boolean bad;
    List<String> key; // version key as generated; null key parts as ""
    int variant;
    String file;
    long line;

    String pos() {
      return file + ":" + line;
    }
  }

  @Property(tries = 50)
  void everyRowIsAccountedForExactlyOnce(
      @ForAll("entities") EntitySpec entity, @ForAll("scenarios") List<Spec> specs) {
    List<Landed> rows = interpret(entity, specs);
    List<String> expected = expectedOutcomes(rows);

    DirectOptions options = PipelineOptionsFactory.create().as(DirectOptions.class);
    options.setTargetParallelism(1);
    Pipeline p = Pipeline.create(options);
    List<Row> raw = new ArrayList<>();
    for (Landed l : rows) {
      raw.add(Fixtures.raw(entity, l.file, l.line, l.values));
    }
    PCollectionTuple cleaned =
        p.apply("Landed", Create.of(raw).withRowSchema(entity.rawSchema()))
            .apply("Clean", CleanRows.of(entity).withRunDate(RUN_DATE).withTimezone(PARIS));
    PCollectionTuple deduped = cleaned.get(CleanRows.CLEAN).apply("Dedup", Dedup.of(entity));
    PCollection<String> quarantined =
        cleaned
            .get(CleanRows.REJECTED)
            .apply("RejectedRow", strings(new Outcome("quarantined")))
            .apply("OncePerRow", Distinct.create());
    PCollection<String> kept = deduped.get(Dedup.KEPT).apply("Kept", strings(new Outcome("kept")));
    PCollection<String> dropped =
        deduped.get(Dedup.DROPPED).apply("Dropped", strings(new Outcome(null)));
    PCollection<String> all =
        PCollectionList.of(quarantined).and(kept).and(dropped).apply("All", Flatten.pCollections());
    PAssert.that(all).containsInAnyOrder(expected);
    p.run().waitUntilFinish();
  }

  private static MapElements<Row, String> strings(SerializableFunction<Row, String> fn) {
    return MapElements.into(TypeDescriptors.strings()).via(fn);
  }

  /** "file:line outcome"; with a null outcome, the row's dedup reason. */
  static final class Outcome implements SerializableFunction<Row, String> {
    private final String outcome;

    Outcome(String outcome) {
      this.outcome = outcome;
    }

    @Override
    public String apply(Row r) {
      String o = outcome != null ? outcome : r.getString(Dedup.REASON);
      return r.getString(EntitySpec.SOURCE_FILE) + ":" + r.getInt64(EntitySpec.LINE_NO) + " " + o;
    }
  }

  private static List<Landed> interpret(EntitySpec entity, List<Spec> specs) {
    List<String> keyColumns = Dedup.versionKey(entity);
    List<Landed> rows = new ArrayList<>();
    long[] nextLine = {2, 2};
    for (Spec s : specs) {
      Landed l = new Landed();
      Kind kind = rows.isEmpty() && s.kind().compareTo(Kind.COPY) >= 0 ? Kind.GOOD : s.kind();
      if (kind == Kind.COPY || kind == Kind.RESPELLED_COPY) {
        Landed of = rows.get(s.other() % rows.size());
        l.values = new HashMap<>(of.values);
        if (kind == Kind.RESPELLED_COPY) {
          l.values.replaceAll((c, v) -> v == null ? null : " " + v + "\t");
        }
        l.bad = of.bad;
        l.key = of.key;
        l.variant = of.variant;
      } else {
        l.values = new HashMap<>();
        l.key = new ArrayList<>();
        int seed = s.keySeed();
        for (String k : keyColumns) {
          List<String> pool = KEY_POOL.get(k);
          String v = pool.get(seed % pool.size());
          seed /= pool.size();
          l.values.put(k, v);
          // the model's key is the cleaned spelling: C3.0 is C3, the two updated_at values differ
          l.key.add(v.equals("C3.0") ? "C3" : v);
        }
        l.variant = s.variant();
        l.values.put(VARIANT_COLUMN.get(entity.name()), String.valueOf(s.variant()));
        if (kind == Kind.BAD) {
          l.bad = true;
          for (int c : s.corruptions()) {
            corrupt(entity, c, l.values);
          }
        }
      }
      l.file = FILES[s.file()];
      l.line = nextLine[s.file()]++;
      rows.add(l);
    }
    return rows;
  }

  /** Breaks one rule of the row; which one is chosen by {@code choice}. */
  private static void corrupt(EntitySpec entity, int choice, Map<String, String> values) {
    List<String[]> options = new ArrayList<>();
    for (Column c : entity.columns()) {
      if (c.isRequired()) {
        options.add(new String[] {c.name(), " "});
      }
      switch (c.type()) {
        case EMAIL -> options.add(new String[] {c.name(), "ana@"});
        case DATE -> options.add(new String[] {c.name(), "2024-02-30"});
        case TIMESTAMP -> options.add(new String[] {c.name(), "soon"});
        case DECIMAL -> options.add(new String[] {c.name(), "1,5"});
        case INTEGER -> options.add(new String[] {c.name(), "1.5"});
        case ENUM -> options.add(new String[] {c.name(), "Gold"});
        default -> {}
      }
    }
    if (entity == Entities.SALES) {
      options.add(new String[] {"status", "returned"}); // positive amount: negative_amount
      options.add(new String[] {"transaction_ts", "2024-06-12 00:00"}); // future_date
      options.add(new String[] {"amount", "11"}); // 2 × 5.00: amount_mismatch
    }
    String[] o = options.get(choice % options.size());
    values.put(o[0], o[1]);
  }

  /**
   * SPEC §2 applied to the model: bad rows are quarantined; clean rows group by version key; the
   * content (variant) of the latest (file, line) wins and its earliest copy is kept.
   */
  private static List<String> expectedOutcomes(List<Landed> rows) {
    List<String> out = new ArrayList<>();
    Map<List<String>, List<Landed>> groups = new LinkedHashMap<>();
    for (Landed l : rows) {
      if (l.bad) {
        out.add(l.pos() + " quarantined");
      } else {
        groups.computeIfAbsent(l.key, k -> new ArrayList<>()).add(l);
      }
    }
    for (List<Landed> g : groups.values()) {
      g.sort(
          (x, y) ->
              x.file.equals(y.file) ? Long.compare(x.line, y.line) : x.file.compareTo(y.file));
      int winner = g.get(g.size() - 1).variant;
      Map<Integer, Boolean> seen = new HashMap<>();
      for (Landed l : g) {
        String outcome;
        if (seen.containsKey(l.variant)) {
          outcome = "exact_duplicate";
        } else {
          outcome = l.variant == winner ? "kept" : "superseded";
          seen.put(l.variant, true);
        }
        out.add(l.pos() + " " + outcome);
      }
    }
    return out;
  }
}
