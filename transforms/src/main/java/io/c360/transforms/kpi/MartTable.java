package io.c360.transforms.kpi;

import io.c360.transforms.jdbc.SqlNames;
import io.c360.transforms.model.Entities;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.Field;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;

/**
 * The mart tables of SPEC §4, one declaration each: the row's Beam {@link Schema} (as_of first,
 * then the columns in table order, typed and nullable as the DDL in sql/ declares them; {@code
 * MartTableDdlIT} holds the two together) and the key. The staged payload, the column lists and the
 * checks on every {@link MartRow} come from it.
 *
 * <p>The records are Beam schemas declared field by field rather than inferred from Java classes:
 * Beam 2.62's schema inference (JavaFieldSchema, AutoValueSchema, JavaBeanSchema) has no mapping
 * for java.time's LocalDate and Instant, which half the marts carry; the logical types {@link
 * SqlTypes#DATE} and {@link SqlTypes#TIMESTAMP} do. customer_360 has one amount column per accepted
 * category of the entity model ({@link Entities#CATEGORIES}).
 */
public enum MartTable {
  CUSTOMER_YTD_SPENDING(
      "customer_ytd_spending",
      record().text("customer_id").decimal("ytd_spending"),
      List.of("customer_id")),
  CUSTOMER_DAYS_SINCE_LAST_PURCHASE(
      "customer_days_since_last_purchase",
      record()
          .text("customer_id")
          .nullable()
          .date("last_purchase_date")
          .nullable()
          .integer("days_since_last_purchase"),
      List.of("customer_id")),
  CUSTOMER_REVENUE_BY_PERIOD(
      "customer_revenue_by_period",
      record()
          .text("customer_id")
          .decimal("revenue_mtd")
          .decimal("revenue_last_month")
          .decimal("revenue_last_quarter")
          .decimal("revenue_quarter_before")
          .decimal("revenue_ytd")
          .nullable()
          .decimal("revenue_increase_pct_qoq"),
      List.of("customer_id")),
  CUSTOMER_360("customer_360", customer360(), List.of("customer_id")),
  INDUSTRY_EXPOSURE(
      "industry_exposure",
      record().text("industry").decimal("revenue").nullable().decimal("share").integer("rank"),
      List.of("industry")),
  SEGMENT_SHARE(
      "segment_share",
      record().text("segment").bigint("customers").decimal("share_pct"),
      List.of("segment")),
  SEGMENT_CHANGES_12M(
      "segment_changes_12m",
      record()
          .text("customer_id")
          .date("change_date")
          .timestamp("changed_at")
          .nullable()
          .text("old_segment")
          .nullable()
          .text("new_segment"),
      List.of("customer_id", "changed_at")),
  TOP_CUSTOMERS(
      "top_customers",
      record().integer("rank").text("customer_id").decimal("revenue"),
      List.of("rank")),
  CONSISTENT_TOP_CUSTOMERS(
      "consistent_top_customers",
      record().text("customer_id").decimal("revenue").integer("rank"),
      List.of("customer_id")),
  NUMERIC_STATS(
      "numeric_stats",
      record()
          .text("metric")
          .bigint("n")
          .nullable()
          .decimal("min")
          .nullable()
          .decimal("max")
          .nullable()
          .decimal("mean")
          .nullable()
          .decimal("median")
          .nullable()
          .decimal("stddev")
          .nullable()
          .decimal("q1")
          .nullable()
          .decimal("q3"),
      List.of("metric")),
  CUSTOMER_VALUE_BAND(
      "customer_value_band",
      record().text("customer_id").decimal("revenue_12m").text("band"),
      List.of("customer_id")),
  DAILY_SALES(
      "daily_sales",
      record()
          .date("sales_date")
          .decimal("revenue")
          .bigint("orders")
          .bigint("customers")
          .decimal("units"),
      List.of("sales_date")),
  MONTHLY_SALES(
      "monthly_sales",
      record()
          .date("month")
          .decimal("revenue")
          .bigint("orders")
          .bigint("customers")
          .decimal("units"),
      List.of("month")),
  PRODUCT_PERFORMANCE(
      "product_performance",
      record()
          .text("product_id")
          .text("category")
          .decimal("revenue")
          .decimal("units")
          .bigint("orders"),
      List.of("product_id", "category")),
  ANOMALIES(
      "anomalies",
      record()
          .text("transaction_id")
          .text("method")
          .nullable()
          .text("product_id")
          .nullable()
          .text("customer_id")
          .decimal("value")
          .nullable()
          .decimal("lower_bound")
          .nullable()
          .decimal("upper_bound")
          .nullable()
          .decimal("score"),
      List.of("transaction_id", "method")),
  TRAFFIC_REVENUE_BY_PERIOD(
      "traffic_revenue_by_period",
      record()
          .text("customer_id")
          .text("channel_id")
          .decimal("revenue_mtd")
          .decimal("revenue_last_month")
          .decimal("revenue_last_quarter")
          .decimal("revenue_quarter_before")
          .decimal("revenue_ytd")
          .nullable()
          .decimal("revenue_increase_pct_qoq"),
      List.of("customer_id", "channel_id")),
  // SPEC §8 and §9 (WebMarts, InventoryMarts, NextBestCategory)
  FUNNEL_DAILY(
      "funnel_daily",
      record()
          .date("event_date")
          .bigint("sessions")
          .bigint("product_views")
          .bigint("add_to_cart")
          .bigint("checkouts")
          .bigint("purchases")
          .nullable()
          .decimal("view_to_cart_pct")
          .nullable()
          .decimal("cart_to_purchase_pct"),
      List.of("event_date")),
  CAMPAIGN_PERFORMANCE(
      "campaign_performance",
      record()
          .text("campaign_id")
          .text("campaign_name")
          .bigint("sessions")
          .bigint("customers_reached")
          .bigint("attributed_orders")
          .decimal("attributed_revenue")
          .nullable()
          .decimal("budget_eur")
          .nullable()
          .decimal("roas"),
      List.of("campaign_id")),
  INVENTORY_HEALTH(
      "inventory_health",
      record()
          .text("product_id")
          .nullable()
          .text("category")
          .nullable()
          .decimal("on_hand")
          .decimal("units_sold_30d")
          .nullable()
          .decimal("days_of_cover")
          .bigint("stockout_shop_days_30d")
          .nullable()
          .decimal("turnover_12m"),
      List.of("product_id")),
  NEXT_BEST_CATEGORY(
      "next_best_category",
      record().text("customer_id").integer("rank").text("category").decimal("score"),
      List.of("customer_id", "rank"));

  private final String tableName;
  private final Schema schema;
  private final List<String> columns;
  private final List<String> keyColumns;

  MartTable(String tableName, Record record, List<String> keyColumns) {
    this.tableName = SqlNames.column(tableName);
    this.schema = record.build();
    this.columns =
        schema.getFields().stream().skip(1).map(Field::getName).map(SqlNames::column).toList();
    if (!columns.containsAll(keyColumns)) {
      throw new IllegalArgumentException(tableName + ": key " + keyColumns + " not in " + columns);
    }
    this.keyColumns = keyColumns;
  }

  /** Unqualified name, e.g. {@code customer_360}. */
  public String tableName() {
    return tableName;
  }

  /** Qualified, validated name, e.g. {@code mart.customer_360}. */
  public String qualifiedName() {
    return SqlNames.table("mart." + tableName);
  }

  /** The row's schema: {@code as_of}, then {@link #columns()}, typed as the table. */
  public Schema schema() {
    return schema;
  }

  /** Columns after {@code as_of}, in table order. */
  public List<String> columns() {
    return columns;
  }

  /** Primary key columns after {@code as_of}. */
  public List<String> keyColumns() {
    return keyColumns;
  }

  /** customer_360's amount column of an accepted category, e.g. {@code movies_and_tv_amount}. */
  public static String categoryAmountColumn(String category) {
    return category.toLowerCase(Locale.ROOT).replace("&", "and").replaceAll("[^a-z0-9]+", "_")
        + "_amount";
  }

  private static Record customer360() {
    Record r =
        record()
            .text("customer_id")
            .nullable()
            .text("account_id")
            .nullable()
            .text("name")
            .nullable()
            .text("email")
            .nullable()
            .text("city")
            .nullable()
            .text("country")
            .nullable()
            .text("segment")
            .nullable()
            .text("industry")
            .nullable()
            .date("created_date")
            .nullable()
            .date("first_purchase_date")
            .nullable()
            .date("last_purchase_date")
            .bigint("orders")
            .decimal("lifetime_revenue")
            .nullable()
            .decimal("avg_order_value");
    for (String category : Entities.CATEGORIES) {
      r.decimal(categoryAmountColumn(category));
    }
    return r.text("customer_type").text("churn_risk").amounts("category_amounts");
  }

  /** The Java type a value of {@code type} has in a {@link MartRow}. */
  static Class<?> javaType(FieldType type) {
    switch (type.getTypeName()) {
      case STRING:
        return String.class;
      case DECIMAL:
        return BigDecimal.class;
      case INT64:
        return Long.class;
      case INT32:
        return Integer.class;
      case MAP:
        return Map.class;
      case LOGICAL_TYPE:
        if (SqlTypes.DATE.getIdentifier().equals(type.getLogicalType().getIdentifier())) {
          return LocalDate.class;
        }
        if (SqlTypes.TIMESTAMP.getIdentifier().equals(type.getLogicalType().getIdentifier())) {
          return Instant.class;
        }
        break;
      default:
        break;
    }
    throw new IllegalArgumentException("no mart value type for " + type);
  }

  private static Record record() {
    return new Record();
  }

  /** A mart record's fields in order; {@link #nullable()} applies to the next field only. */
  private static final class Record {
    private final Schema.Builder schema =
        Schema.builder().addField("as_of", FieldType.logicalType(SqlTypes.DATE));
    private boolean nextNullable;

    Record nullable() {
      nextNullable = true;
      return this;
    }

    Record text(String name) {
      return add(name, FieldType.STRING);
    }

    Record decimal(String name) {
      return add(name, FieldType.DECIMAL);
    }

    Record bigint(String name) {
      return add(name, FieldType.INT64);
    }

    Record integer(String name) {
      return add(name, FieldType.INT32);
    }

    Record date(String name) {
      return add(name, FieldType.logicalType(SqlTypes.DATE));
    }

    Record timestamp(String name) {
      return add(name, FieldType.logicalType(SqlTypes.TIMESTAMP));
    }

    /** Amounts by name (a jsonb object in the table), e.g. customer_360's per declared category. */
    Record amounts(String name) {
      return add(name, FieldType.map(FieldType.STRING, FieldType.DECIMAL));
    }

    private Record add(String name, FieldType type) {
      schema.addField(name, type.withNullable(nextNullable));
      nextNullable = false;
      return this;
    }

    Schema build() {
      return schema.build();
    }
  }
}
