package io.c360.transforms.kpi;

import io.c360.transforms.jdbc.SqlNames;
import java.util.List;

/** The mart tables of SPEC §4 (DDL in sql/V3__marts.sql): columns in table order and the key. */
public enum MartTable {
  CUSTOMER_YTD_SPENDING(
      "customer_ytd_spending", List.of("customer_id", "ytd_spending"), List.of("customer_id")),
  CUSTOMER_DAYS_SINCE_LAST_PURCHASE(
      "customer_days_since_last_purchase",
      List.of("customer_id", "last_purchase_date", "days_since_last_purchase"),
      List.of("customer_id")),
  CUSTOMER_REVENUE_BY_PERIOD(
      "customer_revenue_by_period",
      List.of(
          "customer_id",
          "revenue_mtd",
          "revenue_last_month",
          "revenue_last_quarter",
          "revenue_quarter_before",
          "revenue_ytd",
          "revenue_increase_pct_qoq"),
      List.of("customer_id")),
  CUSTOMER_360(
      "customer_360",
      List.of(
          "customer_id",
          "account_id",
          "name",
          "email",
          "city",
          "country",
          "segment",
          "industry",
          "created_date",
          "first_purchase_date",
          "last_purchase_date",
          "orders",
          "lifetime_revenue",
          "avg_order_value",
          "apps_and_games_amount",
          "beauty_amount",
          "books_amount",
          "clothing_shoes_and_accessories_amount",
          "kitchen_amount",
          "movies_and_tv_amount",
          "sports_fitness_and_outdoors_amount",
          "customer_type",
          "churn_risk",
          "category_amounts"),
      List.of("customer_id")),
  INDUSTRY_EXPOSURE(
      "industry_exposure", List.of("industry", "revenue", "share", "rank"), List.of("industry")),
  SEGMENT_SHARE("segment_share", List.of("segment", "customers", "share_pct"), List.of("segment")),
  SEGMENT_CHANGES_12M(
      "segment_changes_12m",
      List.of("customer_id", "change_date", "changed_at", "old_segment", "new_segment"),
      List.of("customer_id", "changed_at")),
  TOP_CUSTOMERS("top_customers", List.of("rank", "customer_id", "revenue"), List.of("rank")),
  CONSISTENT_TOP_CUSTOMERS(
      "consistent_top_customers",
      List.of("customer_id", "revenue", "rank"),
      List.of("customer_id")),
  NUMERIC_STATS(
      "numeric_stats",
      List.of("metric", "n", "min", "max", "mean", "median", "stddev", "q1", "q3"),
      List.of("metric")),
  CUSTOMER_VALUE_BAND(
      "customer_value_band", List.of("customer_id", "revenue_12m", "band"), List.of("customer_id")),
  DAILY_SALES(
      "daily_sales",
      List.of("sales_date", "revenue", "orders", "customers", "units"),
      List.of("sales_date")),
  MONTHLY_SALES(
      "monthly_sales",
      List.of("month", "revenue", "orders", "customers", "units"),
      List.of("month")),
  PRODUCT_PERFORMANCE(
      "product_performance",
      List.of("product_id", "category", "revenue", "units", "orders"),
      List.of("product_id", "category")),
  ANOMALIES(
      "anomalies",
      List.of(
          "transaction_id",
          "method",
          "product_id",
          "customer_id",
          "value",
          "lower_bound",
          "upper_bound",
          "score"),
      List.of("transaction_id", "method")),
  TRAFFIC_REVENUE_BY_PERIOD(
      "traffic_revenue_by_period",
      List.of(
          "customer_id",
          "channel_id",
          "revenue_mtd",
          "revenue_last_month",
          "revenue_last_quarter",
          "revenue_quarter_before",
          "revenue_ytd",
          "revenue_increase_pct_qoq"),
      List.of("customer_id", "channel_id"));

  private final String tableName;
  private final List<String> columns;
  private final List<String> keyColumns;

  MartTable(String tableName, List<String> columns, List<String> keyColumns) {
    this.tableName = SqlNames.column(tableName);
    columns.forEach(SqlNames::column);
    this.columns = columns;
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

  /** Columns after {@code as_of}, in table order. */
  public List<String> columns() {
    return columns;
  }

  /** Primary key columns after {@code as_of}. */
  public List<String> keyColumns() {
    return keyColumns;
  }
}
