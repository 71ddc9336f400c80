package io.c360.transforms.dedup;

import static io.c360.transforms.common.Args.checkArgument;

import com.google.auto.value.AutoValue;
import io.c360.transforms.common.BusyTime;
import io.c360.transforms.common.Counters;
import io.c360.transforms.common.Names;
import io.c360.transforms.grouping.ShardedGroupByKey;
import io.c360.transforms.model.EntitySpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Removes duplicates from the typed, clean rows of one entity in one run (SPEC §2), as its {@link
 * EntitySpec} declares: natural key, and for SCD2 entities the version column.
 *
 * <pre>{@code
 * PCollectionTuple deduped = typed.apply("DedupCustomers", Dedup.of(Entities.CUSTOMERS));
 * PCollection<Row> kept = deduped.get(Dedup.KEPT);       // the input schema
 * PCollection<Row> dropped = deduped.get(Dedup.DROPPED); // Dedup.droppedSchema(input schema)
 * }</pre>
 *
 * <p>Rows are grouped by their version key: the natural key, plus the version column when the
 * entity has one (customers, products: each {@code updated_at} of a key is a version of its own and
 * all are kept as history; a null {@code updated_at} is one version too). Null key parts group as a
 * value. Within a group:
 *
 * <ul>
 *   <li>the row at the latest position wins: the greatest {@code source_file} in lexicographic
 *       order (the files of one dt folder have no other order), then the greatest {@code line_no};
 *   <li>of the rows identical to the winner in every column but lineage, the earliest position is
 *       kept and the others are dropped as {@value #EXACT_DUPLICATE};
 *   <li>every row with other content is dropped: the earliest of each identical set as {@value
 *       #SUPERSEDED}, the rest of that set as {@value #EXACT_DUPLICATE}.
 * </ul>
 *
 * So the content of the latest line wins and exact copies always count as duplicates, whatever
 * order rows arrive in: the choice depends only on (source_file, line_no), never on the runner.
 *
 * <p>Counters, namespace {@code c360.dedup.<entity>}: {@code rows_in}, {@code kept}, {@code
 * exact_duplicate}, {@code superseded}; rows_in = kept + exact_duplicate + superseded.
 */
@AutoValue
public abstract class Dedup extends PTransform<PCollection<Row>, PCollectionTuple> {
  /** Rows that survive, in the input schema. */
  public static final TupleTag<Row> KEPT = new TupleTag<Row>("kept") {};

  /** Rows dropped as duplicates, in {@link #droppedSchema(Schema)}. */
  public static final TupleTag<Row> DROPPED = new TupleTag<Row>("dropped") {};

  /** Why a row was dropped: {@value #EXACT_DUPLICATE} or {@value #SUPERSEDED}. */
  public static final String REASON = "reason";

  /** The lineage of the row kept in a dropped row's place. */
  public static final String KEPT_SOURCE_FILE = "kept_source_file";

  public static final String KEPT_LINE_NO = "kept_line_no";

  public static final String EXACT_DUPLICATE = "exact_duplicate";
  public static final String SUPERSEDED = "superseded";

  abstract EntitySpec entity();

  public static Dedup of(EntitySpec entity) {
    checkArgument(entity != null, "entity can not be null");
    checkArgument(
        !entity.naturalKey().isEmpty(), "%s declares no natural key to dedup by", entity.name());
    return new AutoValue_Dedup(entity);
  }

  /** The typed schema plus {@code reason}, {@code kept_source_file} and {@code kept_line_no}. */
  public static Schema droppedSchema(Schema typed) {
    return Schema.builder()
        .addFields(typed.getFields())
        .addStringField(REASON)
        .addStringField(KEPT_SOURCE_FILE)
        .addInt64Field(KEPT_LINE_NO)
        .build();
  }

  /** The Beam metrics namespace of this entity's dedup counters. */
  public static String metricsNamespace(EntitySpec entity) {
    return "c360.dedup." + entity.name();
  }

  /**
   * This entity's dedup counters from a finished run ({@link Counters#byName}): {@code rows_in},
   * {@code kept}, {@code exact_duplicate}, {@code superseded}.
   */
  public static Map<String, Long> counters(MetricResults metrics, EntitySpec entity) {
    return Counters.byName(
        metrics, metricsNamespace(entity), "rows_in", "kept", EXACT_DUPLICATE, SUPERSEDED);
  }

  /** The columns whose values identify one version of a row: natural key [+ version column]. */
  public static List<String> versionKey(EntitySpec entity) {
    List<String> key = new ArrayList<>(entity.naturalKey());
    entity.versionColumn().ifPresent(key::add);
    return List.copyOf(key);
  }

  @Override
  public PCollectionTuple expand(PCollection<Row> input) {
    checkArgument(input.hasSchema(), "Dedup input needs a schema (the entity's typed schema)");
    Schema schema = input.getSchema();
    List<String> key = versionKey(entity());
    List<String> needed = new ArrayList<>(key);
    needed.add(EntitySpec.SOURCE_FILE);
    needed.add(EntitySpec.LINE_NO);
    for (String f : needed) {
      checkArgument(
          schema.hasField(f),
          "Dedup of %s: input schema lacks field %s: %s",
          entity().name(),
          f,
          schema);
    }
    List<String> content = new ArrayList<>();
    for (Schema.Field f : schema.getFields()) {
      if (!f.getName().equals(EntitySpec.SOURCE_FILE) && !f.getName().equals(EntitySpec.LINE_NO)) {
        content.add(f.getName());
      }
    }
    String name = Names.upperCamel(entity().name());
    Schema dropped = droppedSchema(schema);
    PCollectionTuple out =
        input
            .apply("KeyBy" + name + "Version", ParDo.of(new KeyFn(key)))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), input.getCoder()))
            .apply("GroupBy" + name + "Version", ShardedGroupByKey.<Row>create())
            .apply(
                "Resolve" + name + "Duplicates",
                ParDo.of(new ResolveFn(content, dropped, metricsNamespace(entity())))
                    .withOutputTags(KEPT, TupleTagList.of(DROPPED)));
    out.get(KEPT).setRowSchema(schema);
    out.get(DROPPED).setRowSchema(dropped);
    return out;
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("entity", entity().name()).withLabel("Entity"))
        .add(
            DisplayData.item("versionKey", String.join(",", versionKey(entity())))
                .withLabel("Version key"));
  }

  /** One row's fate within its version group. */
  static final class Decision {
    final Row row;
    final String reason; // null when kept
    final Row kept;

    Decision(Row row, String reason, Row kept) {
      this.row = row;
      this.reason = reason;
      this.kept = kept;
    }
  }

  private static final Comparator<Row> BY_POSITION =
      Comparator.comparing((Row r) -> r.getString(EntitySpec.SOURCE_FILE))
          .thenComparing(r -> r.getInt64(EntitySpec.LINE_NO));

  /**
   * Decides the rows of one version group (same version key), independent of their order: exactly
   * one is kept, each other is dropped with its reason.
   */
  static List<Decision> resolve(Iterable<Row> group, List<String> contentFields) {
    List<Row> rows = new ArrayList<>();
    group.forEach(rows::add);
    // Content breaks position ties, so even a repeated (file, line) resolves the same way.
    Map<Row, String> contentOf = new java.util.IdentityHashMap<>();
    for (Row r : rows) {
      contentOf.put(r, RowKeys.of(r, contentFields));
    }
    rows.sort(BY_POSITION.thenComparing(contentOf::get));
    Map<String, List<Row>> byContent = new LinkedHashMap<>();
    for (Row r : rows) {
      byContent.computeIfAbsent(contentOf.get(r), k -> new ArrayList<>()).add(r);
    }
    String winnerContent = contentOf.get(rows.get(rows.size() - 1));
    Row kept = byContent.get(winnerContent).get(0);
    List<Decision> decisions = new ArrayList<>(rows.size());
    for (Map.Entry<String, List<Row>> e : byContent.entrySet()) {
      List<Row> same = e.getValue();
      boolean winner = e.getKey().equals(winnerContent);
      for (int i = 0; i < same.size(); i++) {
        Row r = same.get(i);
        if (i > 0) {
          decisions.add(new Decision(r, EXACT_DUPLICATE, kept));
        } else if (winner) {
          decisions.add(new Decision(r, null, r));
        } else {
          decisions.add(new Decision(r, SUPERSEDED, kept));
        }
      }
    }
    return decisions;
  }

  /** Keys each row by its version key. */
  static final class KeyFn extends DoFn<Row, KV<String, Row>> {
    private final List<String> key;

    KeyFn(List<String> key) {
      this.key = key;
    }

    @ProcessElement
    public void process(@Element Row row, OutputReceiver<KV<String, Row>> out) {
      out.output(KV.of(RowKeys.of(row, key), row));
    }
  }

  /** Resolves each version group and counts the outcome. */
  static final class ResolveFn extends DoFn<KV<String, Iterable<Row>>, Row> {
    private final List<String> content;
    private final Schema dropped;
    private final Counter rowsIn;
    private final Counter keptRows;
    private final Counter exact;
    private final Counter superseded;
    private final BusyTime busy = BusyTime.of(BusyTime.Part.TRANSFORM);

    ResolveFn(List<String> content, Schema dropped, String namespace) {
      this.content = content;
      this.dropped = dropped;
      this.rowsIn = Metrics.counter(namespace, "rows_in");
      this.keptRows = Metrics.counter(namespace, "kept");
      this.exact = Metrics.counter(namespace, EXACT_DUPLICATE);
      this.superseded = Metrics.counter(namespace, SUPERSEDED);
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<Row>> group, MultiOutputReceiver out) {
      long t = System.nanoTime();
      List<Decision> decisions = resolve(group.getValue(), content);
      busy.addSince(t);
      for (Decision d : decisions) {
        rowsIn.inc();
        if (d.reason == null) {
          keptRows.inc();
          out.get(KEPT).output(d.row);
          continue;
        }
        (d.reason.equals(SUPERSEDED) ? superseded : exact).inc();
        out.get(DROPPED)
            .output(
                Row.withSchema(dropped)
                    .addValues(d.row.getValues())
                    .addValues(
                        d.reason,
                        d.kept.getString(EntitySpec.SOURCE_FILE),
                        d.kept.getInt64(EntitySpec.LINE_NO))
                    .build());
      }
    }
  }
}
