package io.c360.transforms.clean;

import io.c360.transforms.model.BusinessRule;
import io.c360.transforms.model.Column;
import io.c360.transforms.model.Derivation;
import io.c360.transforms.model.EntitySpec;
import io.c360.transforms.model.RuleContext;
import io.c360.transforms.model.RuleNames;
import io.c360.transforms.quality.Quarantine;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;

/**
 * Turns one landed row of an entity into its typed, clean row or its rejects, as the entity's
 * contract declares (SPEC §2). The per-row engine of {@link CleanRows}; plain Java, so it is also
 * usable outside a pipeline.
 *
 * <p>Order: every landed column is cleaned and typed ({@code type:}, {@code accepted_values:}); a
 * null value takes the column's default, then a required column still null fails {@code not_null:};
 * derivations run (sales amount imputation); the typed row is built; business rules run on it.
 * Every failing rule yields one reject carrying the original landed record.
 */
public final class RowCleaner implements Serializable {
  private final EntitySpec entity;
  private final RuleContext context;
  private final Schema typedSchema;

  public RowCleaner(EntitySpec entity, LocalDate runDate, ZoneId timezone) {
    this.entity = Objects.requireNonNull(entity, "entity");
    this.context = new RuleContext(runDate, timezone);
    this.typedSchema = entity.typedSchema();
  }

  /** The outcome for one landed row: a typed row, or at least one reject. */
  public static final class Result {
    private final Row clean;
    private final List<Row> rejects;
    private final String rejectedKey;

    private Result(Row clean, List<Row> rejects, String rejectedKey) {
      this.clean = clean;
      this.rejects = rejects;
      this.rejectedKey = rejectedKey;
    }

    public boolean isClean() {
      return rejects.isEmpty();
    }

    /** The typed row (schema {@link EntitySpec#typedSchema()}); empty when rejected. */
    public Optional<Row> clean() {
      return isClean() ? Optional.of(clean) : Optional.empty();
    }

    /** One {@link Quarantine#SCHEMA} row per failed rule, in check order. */
    public List<Row> rejects() {
      return rejects;
    }

    /**
     * For a rejected row of an entity with a one-column natural key, that key as cleaned, when it
     * could be read: the row was in the file, so a snapshot counts its key as present (SPEC §3).
     */
    public Optional<String> rejectedKey() {
      return Optional.ofNullable(rejectedKey);
    }
  }

  public Result clean(Row raw) {
    Map<String, Object> values = new HashMap<>();
    Set<String> unreadable = new HashSet<>();
    List<Failure> failures = new ArrayList<>();
    for (Column c : entity.columns()) {
      String landed = landed(raw, c);
      Object v;
      try {
        v = Values.clean(c, landed, context.timezone());
        if (v == null && c.defaultValue().isPresent()) {
          v = Values.clean(c, c.defaultValue().get(), context.timezone());
        }
      } catch (InvalidValueException e) {
        failures.add(new Failure(e.rule(), e.getMessage()));
        unreadable.add(c.name());
        v = null;
      }
      if (v == null && c.isRequired() && !unreadable.contains(c.name())) {
        failures.add(
            new Failure(
                RuleNames.notNull(c.name()), c.name() + " is required but " + emptiness(landed)));
      }
      values.put(c.name(), v);
    }
    for (Derivation d : entity.derivations()) {
      if (d.inputs().stream().noneMatch(unreadable::contains)) {
        d.apply(values);
        boundDerived(d, values, unreadable, failures);
      }
    }
    Row typed = typedRow(raw, values);
    for (BusinessRule r : entity.businessRules()) {
      if (r.inputs().stream().noneMatch(unreadable::contains)) {
        r.check(typed, context).ifPresent(m -> failures.add(new Failure(r.ruleName(), m)));
      }
    }
    if (failures.isEmpty()) {
      return new Result(typed, List.of(), null);
    }
    String record = Quarantine.recordJson(raw);
    List<Row> rejects = new ArrayList<>(failures.size());
    for (Failure f : failures) {
      rejects.add(
          Quarantine.reject(
              entity.name(),
              raw.getString(EntitySpec.SOURCE_FILE),
              raw.getInt64(EntitySpec.LINE_NO),
              f.rule(),
              f.message(),
              record));
    }
    return new Result(null, List.copyOf(rejects), key(values, unreadable));
  }

  private String key(Map<String, Object> values, Set<String> unreadable) {
    if (entity.naturalKey().size() != 1) {
      return null;
    }
    String k = entity.naturalKey().get(0);
    Object v = values.get(k);
    return v == null || unreadable.contains(k) ? null : v.toString();
  }

  private record Failure(String rule, String message) {}

  /**
   * A derived decimal must fit its warehouse column like a landed one (an imputed amount of a huge
   * quantity × unit_price): else {@code type:<column>}, and the rules reading it are skipped.
   */
  private void boundDerived(
      Derivation d, Map<String, Object> values, Set<String> unreadable, List<Failure> failures) {
    for (String out : d.outputs()) {
      Optional<Column> c = entity.column(out);
      if (c.isPresent() && values.get(out) instanceof BigDecimal v) {
        try {
          values.put(out, Values.bounded(c.get(), v));
        } catch (InvalidValueException e) {
          failures.add(new Failure(e.rule(), e.getMessage() + " (computed during cleaning)"));
          unreadable.add(out);
          values.put(out, null);
        }
      }
    }
  }

  private static String landed(Row raw, Column c) {
    if (!raw.getSchema().hasField(c.name())) {
      return null;
    }
    // Landed rows are text; a typed source may hand over numbers, read as their spelling.
    Object v = raw.getValue(c.name());
    return v == null ? null : v.toString();
  }

  private static String emptiness(String landed) {
    return landed == null ? "missing" : "blank after cleaning";
  }

  private Row typedRow(Row raw, Map<String, Object> values) {
    List<Object> ordered = new ArrayList<>(typedSchema.getFieldCount());
    for (Schema.Field f : typedSchema.getFields()) {
      String n = f.getName();
      if (n.equals(EntitySpec.SOURCE_FILE) || n.equals(EntitySpec.LINE_NO)) {
        ordered.add(raw.getValue(n));
      } else {
        ordered.add(values.get(n));
      }
    }
    return Row.withSchema(typedSchema).addValues(ordered).build();
  }
}
