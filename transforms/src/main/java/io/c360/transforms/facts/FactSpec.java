package io.c360.transforms.facts;

import io.c360.transforms.jdbc.SqlNames;
import io.c360.transforms.model.Column;
import io.c360.transforms.model.ColumnType;
import io.c360.transforms.model.Entities;
import io.c360.transforms.model.EntitySpec;
import io.c360.transforms.scd2.DimensionSpec;
import io.c360.transforms.scd2.Type1Spec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.annotation.Nullable;

/**
 * Where a fact lives and how it is keyed, derived from its {@link EntitySpec}: the natural key, the
 * relationships (an SCD2 dimension's {@link DimensionSpec.FactRef} gives the point in time and the
 * copied attribute; a Type 1 dimension is a membership check) and the fact table's columns (the
 * entity's typed columns, the surrogate keys, the date). Only what the entity cannot say is
 * declared here.
 */
public enum FactSpec {
  SALES(
      Entities.SALES,
      "dw.fact_sales",
      "sales_date",
      "transaction_ts::date",
      "dw.sales_keys",
      "dw.ensure_sales_partition"),
  TRAFFIC(Entities.TRAFFIC, "dw.fact_traffic", "send_date", null, null, null),
  WEB_EVENTS(
      Entities.WEB_EVENTS,
      "dw.fact_web_events",
      "event_date",
      "event_ts::date",
      "dw.web_event_keys",
      "dw.ensure_web_events_partition"),
  INVENTORY(Entities.INVENTORY, "dw.fact_inventory", "snapshot_date", null, null, null);

  private final EntitySpec entity;
  private final String table;
  private final String dateColumn;
  private final @Nullable String dateExpression;
  private final @Nullable String keysTable;
  private final @Nullable String partitionFunction;

  FactSpec(
      EntitySpec entity,
      String table,
      String dateColumn,
      @Nullable String dateExpression,
      @Nullable String keysTable,
      @Nullable String partitionFunction) {
    this.entity = entity;
    this.table = SqlNames.table(table);
    this.dateColumn = SqlNames.column(dateColumn);
    this.dateExpression = dateExpression;
    this.keysTable = keysTable == null ? null : SqlNames.table(keysTable);
    this.partitionFunction = partitionFunction == null ? null : SqlNames.table(partitionFunction);
    if (keysTable != null && (entity.naturalKey().size() != 1 || partitionFunction == null)) {
      throw new IllegalStateException(name() + ": a keys table needs a one-column natural key");
    }
  }

  public EntitySpec entity() {
    return entity;
  }

  /** The fact of {@code entity}, if it is one. */
  public static Optional<FactSpec> of(EntitySpec entity) {
    for (FactSpec f : values()) {
      if (f.entity.name().equals(entity.name())) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  /** The {@code dw} fact table. */
  public String table() {
    return table;
  }

  /** {@code staging.<entity>}, where the run's cleaned, deduplicated rows wait. */
  public String stagingTable() {
    return SqlNames.table("staging." + entity.name());
  }

  /** The date the fact is counted on (and partitioned by, for sales). */
  String dateColumn() {
    return dateColumn;
  }

  /**
   * SQL of the fact's date for the staged row {@code alias}, evaluated with the session TimeZone
   * set to the run's timezone.
   */
  String date(String alias) {
    return dateExpression == null ? alias + "." + dateColumn : alias + "." + dateExpression;
  }

  /**
   * For a fact whose date is not part of its natural key (sales): the table recording the date each
   * key lives at, so a re-delivered row with another date moves instead of duplicating.
   */
  @Nullable
  String keysTable() {
    return keysTable;
  }

  /** The function creating the partition of a date before rows of that date are written. */
  @Nullable
  String partitionFunction() {
    return partitionFunction;
  }

  /**
   * The natural key as one text, as {@code dq.pending_rows.natural_key} stores it: the key column,
   * or the key's columns joined by '|' (dates as ISO text, a missing optional column as '', a '\'
   * or '|' inside an id escaped with '\').
   */
  String naturalKey(String alias) {
    List<String> key = entity.naturalKey();
    if (key.size() == 1) {
      return alias + "." + key.get(0);
    }
    List<String> parts = new ArrayList<>();
    for (String k : key) {
      Column c = column(k);
      String v = alias + "." + k;
      if (c.type() == ColumnType.DATE) {
        v += "::text";
      } else {
        if (!c.isRequired()) {
          v = "coalesce(" + v + ", '')";
        }
        // '\' and '|' inside an id escaped with '\': account "A|B" of customer "C" and account "A"
        // of customer "B|C" stay two keys; ids without either keep the spelling of earlier runs.
        v = "replace(replace(" + v + ", '\\', '\\\\'), '|', '\\|')";
      }
      parts.add(v);
    }
    return "(" + String.join(" || '|' || ", parts) + ")";
  }

  /**
   * The fact table's primary key ({@link DimensionSpec.FactRef#primaryKey(EntitySpec, String)}).
   */
  List<String> primaryKey() {
    return DimensionSpec.FactRef.primaryKey(entity, dateColumn);
  }

  /** SQL of a landed column's value as the fact stores it: an optional key column as ''. */
  String factValue(String column) {
    return primaryKey().contains(column) && !column(column).isRequired()
        ? "coalesce(" + column + ", '')"
        : column;
  }

  /** The entity's columns, typed and derived, that the fact table stores as landed. */
  List<String> landedColumns() {
    List<String> cols = new ArrayList<>(entity.columnNames());
    entity.derivedColumns().forEach(c -> cols.add(c.name()));
    return cols;
  }

  /** The entity's relationships, in declaration order. */
  List<Relationship> relationships() {
    List<Relationship> out = new ArrayList<>();
    for (Map.Entry<String, String> r : entity.relationships().entrySet()) {
      out.add(Relationship.of(table, r.getKey(), r.getValue()));
    }
    return out;
  }

  private Column column(String name) {
    return entity
        .column(name)
        .orElseThrow(() -> new IllegalStateException(entity.name() + " has no column " + name));
  }

  /**
   * One foreign key of a fact: to an SCD2 dimension (point in time) or a Type 1 one (membership).
   */
  record Relationship(
      String column,
      @Nullable DimensionSpec scd2,
      @Nullable DimensionSpec.FactRef ref,
      @Nullable Type1Spec type1) {
    static Relationship of(String factTable, String column, String entityName) {
      for (DimensionSpec d : DimensionSpec.values()) {
        if (d.entity().name().equals(entityName)) {
          DimensionSpec.FactRef ref = d.factRef(factTable);
          if (!ref.keyColumn().equals(column)) {
            throw new IllegalStateException(
                factTable + "." + column + " is not the key " + d.table() + " re-points");
          }
          return new Relationship(column, d, ref, null);
        }
      }
      for (Type1Spec t : Type1Spec.values()) {
        if (t.entity().name().equals(entityName)) {
          return new Relationship(column, null, null, t);
        }
      }
      throw new IllegalStateException(
          factTable + "." + column + ": no dimension for " + entityName);
    }

    /** The table the member must be in. */
    String dimensionTable() {
      return scd2 != null ? scd2.table() : type1.table();
    }

    /** The pending message's text after the key, e.g. "is in no version of dw.dim_customer". */
    String missing() {
      return scd2 != null ? "is in no version of " + scd2.table() : "is not in " + type1.table();
    }
  }
}
