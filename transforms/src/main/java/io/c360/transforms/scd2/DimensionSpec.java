package io.c360.transforms.scd2;

import io.c360.transforms.jdbc.SqlNames;
import io.c360.transforms.model.ColumnType;
import io.c360.transforms.model.Entities;
import io.c360.transforms.model.EntitySpec;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.annotation.Nullable;

/**
 * Where an SCD2 dimension lives and which of its entity's columns are tracked (a change makes a
 * version) or Type 1 (overwritten on every version). Column names are the same in the landed
 * entity, the dimension table and its staging table ({@code sql/V2}, {@code sql/V10}).
 */
public enum DimensionSpec {
  CUSTOMER(
      Entities.CUSTOMERS,
      "dw.dim_customer",
      "customer_sk",
      "staging.dim_customer_history",
      List.of("name", "email", "city", "country", "segment", "industry"),
      List.of("account_id", "created_date"),
      List.of(
          new FactRef(
              "dw.fact_sales",
              Entities.SALES,
              "sales_date",
              "customer_id",
              "transaction_ts",
              false,
              "industry_at_sale",
              "industry"),
          new FactRef(
              "dw.fact_traffic",
              Entities.TRAFFIC,
              "send_date",
              "customer_id",
              "send_date",
              true,
              null,
              null),
          new FactRef(
              "dw.fact_web_events",
              Entities.WEB_EVENTS,
              "event_date",
              "customer_id",
              "event_ts",
              false,
              null,
              null))),
  PRODUCT(
      Entities.PRODUCTS,
      "dw.dim_product",
      "product_sk",
      "staging.dim_product_history",
      List.of("product_name", "category", "brand", "list_price"),
      List.of(),
      List.of(
          new FactRef(
              "dw.fact_sales",
              Entities.SALES,
              "sales_date",
              "product_id",
              "transaction_ts",
              false,
              "category_at_sale",
              "category"),
          new FactRef(
              "dw.fact_web_events",
              Entities.WEB_EVENTS,
              "event_date",
              "product_id",
              "event_ts",
              false,
              null,
              null),
          new FactRef(
              "dw.fact_inventory",
              Entities.INVENTORY,
              "snapshot_date",
              "product_id",
              "snapshot_date",
              true,
              null,
              null)));

  /** Scale of numeric columns in the dimension tables: inputs are rounded to it before hashing. */
  static final int DECIMAL_SCALE = 4;

  private final EntitySpec entity;
  private final String table;
  private final String skColumn;
  private final String stagingTable;
  private final List<String> tracked;
  private final List<String> type1;
  private final List<FactRef> facts;

  DimensionSpec(
      EntitySpec entity,
      String table,
      String skColumn,
      String stagingTable,
      List<String> tracked,
      List<String> type1,
      List<FactRef> facts) {
    this.entity = entity;
    this.table = SqlNames.table(table);
    this.skColumn = SqlNames.column(skColumn);
    this.stagingTable = SqlNames.table(stagingTable);
    tracked.forEach(SqlNames::column);
    type1.forEach(SqlNames::column);
    this.tracked = tracked;
    this.type1 = type1;
    this.facts = facts;
  }

  /** The landed entity whose typed rows are merged. */
  public EntitySpec entity() {
    return entity;
  }

  public String table() {
    return table;
  }

  public String skColumn() {
    return skColumn;
  }

  public String naturalKey() {
    return entity.naturalKey().get(0);
  }

  public String stagingTable() {
    return stagingTable;
  }

  public List<String> trackedColumns() {
    return tracked;
  }

  public List<String> type1Columns() {
    return type1;
  }

  List<FactRef> facts() {
    return facts;
  }

  ColumnType typeOf(String column) {
    return entity
        .column(column)
        .orElseThrow(() -> new IllegalStateException(entity + " has no column " + column))
        .type();
  }

  /** Normalises a typed value to what the dimension stores, so hashes match stored rows. */
  @Nullable
  Object normalise(String column, @Nullable Object v) {
    if (v instanceof BigDecimal) {
      return ((BigDecimal) v).setScale(DECIMAL_SCALE, RoundingMode.HALF_UP);
    }
    return v;
  }

  /**
   * SPEC §3's point-in-time rule, the one definition of it: the version of key {@code keyExpr}
   * valid at {@code timeExpr}, or the key's first version when the time is older than the key's
   * history. A subquery for {@code LEFT JOIN LATERAL … ON true} whose one row (none when the key is
   * in no version) has the version's surrogate key and {@code columns}. The fact load and the
   * re-pointing after a merge both use it.
   *
   * <p>Limit over Append: the second branch runs only when the first finds no row, and each branch
   * is one probe of the {@code (key, valid_from, valid_to)} index, however many versions a key has.
   */
  public String versionAt(String keyExpr, String timeExpr, String... columns) {
    StringBuilder select = new StringBuilder("d.").append(skColumn);
    for (String column : columns) {
      select.append(", d.").append(SqlNames.column(column));
    }
    String from = " FROM " + table + " d WHERE d." + naturalKey() + " = " + keyExpr;
    return "((SELECT "
        + select
        + from
        + " AND d.valid_from <= "
        + timeExpr
        + " ORDER BY d.valid_from DESC LIMIT 1) UNION ALL (SELECT "
        + select
        + from
        + " ORDER BY d.valid_from LIMIT 1) LIMIT 1)";
  }

  /** The SCD2 dimension of {@code entity}, if it is one. */
  public static Optional<DimensionSpec> of(EntitySpec entity) {
    for (DimensionSpec d : values()) {
      if (d.entity.name().equals(entity.name())) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }

  /** How {@code factTable} points at this dimension. */
  public FactRef factRef(String factTable) {
    return facts.stream()
        .filter(f -> f.table.equals(factTable))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException(factTable + " has no key of " + table));
  }

  /** A fact table whose surrogate key column points at versions of this dimension. */
  public static final class FactRef implements java.io.Serializable {
    final String table;
    private final List<String> primaryKey;
    final String keyColumn;
    private final String timeColumn;
    private final boolean timeIsDate;

    /**
     * The fact's copy of one tracked attribute of the version it points to (the KPI state counts a
     * sale under it, sql/V50), or null; kept equal to the version's by every re-pointing.
     */
    final @Nullable String copyColumn;

    final @Nullable String copiedFrom;

    FactRef(
        String table,
        EntitySpec fact,
        String dateColumn,
        String keyColumn,
        String timeColumn,
        boolean timeIsDate,
        @Nullable String copyColumn,
        @Nullable String copiedFrom) {
      this.table = SqlNames.table(table);
      this.primaryKey = primaryKey(fact, dateColumn);
      this.keyColumn = SqlNames.column(keyColumn);
      this.timeColumn = SqlNames.column(timeColumn);
      this.timeIsDate = timeIsDate;
      this.copyColumn = copyColumn == null ? null : SqlNames.column(copyColumn);
      this.copiedFrom = copiedFrom == null ? null : SqlNames.column(copiedFrom);
    }

    /** The fact table's primary key columns. */
    public List<String> primaryKey() {
      return primaryKey;
    }

    /**
     * A fact table's primary key, the one definition of it: the fact's natural key, with its date
     * column first when the date is not part of it (sales are partitioned by date).
     */
    public static List<String> primaryKey(EntitySpec fact, String dateColumn) {
      SqlNames.column(dateColumn);
      List<String> key = fact.naturalKey();
      return key.contains(dateColumn)
          ? List.copyOf(key)
          : Stream.concat(Stream.of(dateColumn), key.stream()).toList();
    }

    /** The fact's foreign key column. */
    public String keyColumn() {
      return keyColumn;
    }

    /**
     * SQL of the fact's point in time, for the row aliased {@code alias}: its timestamp, or 00:00
     * of its date. Evaluated with the session TimeZone set to the run's timezone.
     */
    public String time(String alias) {
      return alias + "." + timeColumn + (timeIsDate ? "::timestamptz" : "");
    }

    /** The version's surrogate key and copied attribute (if any) for the fact row {@code alias}. */
    public String versionOf(DimensionSpec d, String alias) {
      String key = alias + "." + keyColumn;
      return copiedFrom == null
          ? d.versionAt(key, time(alias))
          : d.versionAt(key, time(alias), copiedFrom);
    }

    public @Nullable String copyColumn() {
      return copyColumn;
    }

    public @Nullable String copiedFrom() {
      return copiedFrom;
    }
  }
}
