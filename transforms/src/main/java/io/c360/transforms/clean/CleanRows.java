package io.c360.transforms.clean;

import static io.c360.transforms.common.Args.checkArgument;

import com.google.auto.value.AutoValue;
import io.c360.transforms.common.BusyTime;
import io.c360.transforms.common.Counters;
import io.c360.transforms.common.Names;
import io.c360.transforms.model.BusinessRule;
import io.c360.transforms.model.EntitySpec;
import io.c360.transforms.quality.Quarantine;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Cleans, types and validates landed rows of one entity (SPEC §2), driven by its {@link
 * EntitySpec}: each input row yields either one typed row on {@link #CLEAN} or one or more rejects
 * (one per failed rule, {@link Quarantine#SCHEMA}) on {@link #REJECTED}.
 *
 * <pre>{@code
 * PCollectionTuple cleaned = raw.apply("CleanSales",
 *     CleanRows.of(Entities.SALES).withRunDate(runDate).withTimezone(ZoneId.of("Europe/Paris")));
 * PCollection<Row> typed = cleaned.get(CleanRows.CLEAN);      // Entities.SALES.typedSchema()
 * PCollection<Row> rejects = cleaned.get(CleanRows.REJECTED); // Quarantine.SCHEMA
 * }</pre>
 *
 * <p>Input rows carry the lineage fields and the entity's columns as landed text ({@link
 * EntitySpec#rawSchema()}); a missing column field reads as null. The timezone defaults to UTC.
 *
 * <p>Counters, namespace {@link #metricsNamespace(EntitySpec)} ({@code c360.clean.<entity>}):
 * {@code rows_in}, {@code clean}, {@code rejected_rows} (rows quarantined, once each) and {@code
 * rejects:<rule>} (one per failed rule). rows_in = clean + rejected_rows.
 */
@AutoValue
public abstract class CleanRows extends PTransform<PCollection<Row>, PCollectionTuple> {
  /** Typed, clean rows of {@link EntitySpec#typedSchema()}, lineage kept. */
  public static final TupleTag<Row> CLEAN = new TupleTag<Row>("clean") {};

  /** Rejects of {@link Quarantine#SCHEMA}, at least one per rejected input row. */
  public static final TupleTag<Row> REJECTED = new TupleTag<Row>("rejected") {};

  /**
   * The natural key of each rejected row whose key could be read, for entities with a one-column
   * key ({@link RowCleaner.Result#rejectedKey()}): such a customer was in the file, so a snapshot
   * does not delete it.
   */
  public static final TupleTag<String> REJECTED_KEYS = new TupleTag<String>("rejectedKeys") {};

  abstract EntitySpec entity();

  abstract @Nullable LocalDate runDate();

  abstract ZoneId timezone();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setEntity(EntitySpec e);

    abstract Builder setRunDate(LocalDate d);

    abstract Builder setTimezone(ZoneId z);

    abstract CleanRows build();
  }

  public static CleanRows of(EntitySpec entity) {
    checkArgument(entity != null, "entity can not be null");
    return new AutoValue_CleanRows.Builder().setEntity(entity).setTimezone(ZoneOffset.UTC).build();
  }

  /** The run's date: {@code business:future_date} allows transaction_ts up to runDate + 1 day. */
  public CleanRows withRunDate(LocalDate runDate) {
    checkArgument(runDate != null, "runDate can not be null");
    return toBuilder().setRunDate(runDate).build();
  }

  /** The zone naive timestamps are read in and calendar days are cut in (default UTC). */
  public CleanRows withTimezone(ZoneId timezone) {
    checkArgument(timezone != null, "timezone can not be null");
    return toBuilder().setTimezone(timezone).build();
  }

  /** The Beam metrics namespace of this entity's cleaning counters. */
  public static String metricsNamespace(EntitySpec entity) {
    return "c360.clean." + entity.name();
  }

  /**
   * This entity's cleaning counters from a finished run ({@link Counters#byName}): {@code rows_in},
   * {@code clean}, {@code rejected_rows} and {@code rejects:<rule>}.
   */
  public static Map<String, Long> counters(MetricResults metrics, EntitySpec entity) {
    return Counters.byName(metrics, metricsNamespace(entity), "rows_in", "clean", "rejected_rows");
  }

  @Override
  public PCollectionTuple expand(PCollection<Row> input) {
    checkArgument(runDate() != null, "CleanRows.withRunDate() is required");
    checkArgument(
        input.hasSchema()
            && input.getSchema().hasField(EntitySpec.SOURCE_FILE)
            && input.getSchema().hasField(EntitySpec.LINE_NO),
        "CleanRows input needs a schema with lineage fields %s and %s",
        EntitySpec.SOURCE_FILE,
        EntitySpec.LINE_NO);
    PCollectionTuple out =
        input.apply(
            "Clean" + Names.upperCamel(entity().name()),
            ParDo.of(new CleanFn(new RowCleaner(entity(), runDate(), timezone()), entity()))
                .withOutputTags(CLEAN, TupleTagList.of(REJECTED).and(REJECTED_KEYS)));
    out.get(CLEAN).setRowSchema(entity().typedSchema());
    out.get(REJECTED).setRowSchema(Quarantine.SCHEMA);
    out.get(REJECTED_KEYS).setCoder(StringUtf8Coder.of());
    return out;
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("entity", entity().name()).withLabel("Entity"))
        .addIfNotNull(
            DisplayData.item("runDate", runDate() == null ? null : runDate().toString())
                .withLabel("Run date"))
        .add(DisplayData.item("timezone", timezone().getId()).withLabel("Timezone"))
        .add(
            DisplayData.item(
                    "businessRules",
                    String.join(
                        ",",
                        entity().businessRules().stream().map(BusinessRule::ruleName).toList()))
                .withLabel("Business rules"));
  }

  /** Applies the {@link RowCleaner} and counts every outcome. */
  static final class CleanFn extends DoFn<Row, Row> {
    private final RowCleaner cleaner;
    private final String namespace;
    private final Counter rowsIn;
    private final Counter clean;
    private final Counter rejectedRows;
    private final BusyTime busy = BusyTime.of(BusyTime.Part.TRANSFORM);
    private transient Map<String, Counter> perRule;

    CleanFn(RowCleaner cleaner, EntitySpec entity) {
      this.cleaner = cleaner;
      this.namespace = metricsNamespace(entity);
      this.rowsIn = Metrics.counter(namespace, "rows_in");
      this.clean = Metrics.counter(namespace, "clean");
      this.rejectedRows = Metrics.counter(namespace, "rejected_rows");
    }

    @Setup
    public void setup() {
      perRule = new HashMap<>();
    }

    @ProcessElement
    public void process(@Element Row raw, MultiOutputReceiver out) {
      rowsIn.inc();
      long t = System.nanoTime();
      RowCleaner.Result r = cleaner.clean(raw);
      busy.addSince(t);
      if (r.isClean()) {
        clean.inc();
        out.get(CLEAN).output(r.clean().get());
        return;
      }
      rejectedRows.inc();
      for (Row reject : r.rejects()) {
        String rule = reject.getString("rule");
        perRule.computeIfAbsent(rule, k -> Metrics.counter(namespace, "rejects:" + k)).inc();
        out.get(REJECTED).output(reject);
      }
      r.rejectedKey().ifPresent(k -> out.get(REJECTED_KEYS).output(k));
    }
  }
}
