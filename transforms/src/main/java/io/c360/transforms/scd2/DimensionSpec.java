package io.c360.transforms.scd2;

import io.c360.transforms.jdbc.SqlNames;
import io.c360.transforms.model.ColumnType;
import io.c360.transforms.model.Entities;
import io.c360.transforms.model.EntitySpec;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
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
              "dw.fact_sales", "customer_id", "f.transaction_ts", "industry_at_sale", "industry"),
          new FactRef("dw.fact_traffic", "customer_id", "f.send_date::timestamptz", null, null))),
  PRODUCT(
      Entities.PRODUCTS,
      "dw.dim_product",
      "product_sk",
      "staging.dim_product_history",
      List.of("product_name", "category", "brand", "list_price"),
      List.of(),
      List.of(
          new FactRef(
              "dw.fact_sales", "product_id", "f.transaction_ts", "category_at_sale", "category")));

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
   * The point-in-time lookup the fact loader uses: the surrogate key of the version of key {@code
   * ?1} valid at {@code ?2}, or the key's first version when {@code ?2} is older than it. Both
   * branches are one probe of the {@code (key, valid_from, valid_to) INCLUDE (sk)} index.
   */
  public String pointInTimeSql() {
    String k = naturalKey();
    return "SELECT COALESCE("
        + "(SELECT d."
        + skColumn
        + " FROM "
        + table
        + " d WHERE d."
        + k
        + " = ? AND d.valid_from <= ? ORDER BY d.valid_from DESC LIMIT 1),"
        + " (SELECT d."
        + skColumn
        + " FROM "
        + table
        + " d WHERE d."
        + k
        + " = ? ORDER BY d.valid_from LIMIT 1))";
  }

  /** A fact table whose surrogate key column points at versions of this dimension. */
  static final class FactRef implements java.io.Serializable {
    final String table;
    final String keyColumn;

    /** SQL of the fact's time; evaluated with the session TimeZone set to the run's timezone. */
    final String timeExpression;

    /**
     * The fact's copy of one tracked attribute of the version it points to (the KPI state counts a
     * sale under it, sql/V50), or null; kept equal to the version's by every re-pointing.
     */
    final @Nullable String copyColumn;

    final @Nullable String copiedFrom;

    FactRef(
        String table,
        String keyColumn,
        String timeExpression,
        @Nullable String copyColumn,
        @Nullable String copiedFrom) {
      this.table = SqlNames.table(table);
      this.keyColumn = SqlNames.column(keyColumn);
      this.timeExpression = timeExpression;
      this.copyColumn = copyColumn == null ? null : SqlNames.column(copyColumn);
      this.copiedFrom = copiedFrom == null ? null : SqlNames.column(copiedFrom);
    }
  }
}
