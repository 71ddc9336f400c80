package io.c360.transforms.kpi;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One customer's sales as of D, read from the KPI state ({@code sql/V50}) instead of the facts:
 * lifetime figures up to D, and revenue per calendar month from month(D) − 12 months to month(D)
 * (month(D) counted up to D only), with the days of the oldest month that fall before the 12-month
 * window (head) so the window's revenue is exact.
 */
@DefaultCoder(KpiCoders.CustomerFiguresCoder.class)
public final class CustomerFigures implements Serializable {
  final String customerId;

  /** Rows of any status with sales_date &lt;= D. */
  final long sales;

  final BigDecimal lifetimeRevenue;
  final long orders;
  final Map<String, BigDecimal> revenueByCategory;
  final @Nullable LocalDate firstCompleted;
  final @Nullable LocalDate lastCompleted;

  /** First days of the months with sales in [month(D) − 12 months, month(D)], ascending. */
  final List<LocalDate> months;

  /** Revenue of each of {@link #months}; month(D) up to D. */
  final List<BigDecimal> monthRevenue;

  /** Completed or returned sales of each of {@link #months}; month(D) up to D. */
  final List<Long> monthRevenueSales;

  /** Revenue and revenue sales of the oldest month's days up to D − 12 months (outside). */
  final BigDecimal headRevenue;

  final long headRevenueSales;

  CustomerFigures(
      String customerId,
      long sales,
      BigDecimal lifetimeRevenue,
      long orders,
      Map<String, BigDecimal> revenueByCategory,
      @Nullable LocalDate firstCompleted,
      @Nullable LocalDate lastCompleted,
      List<LocalDate> months,
      List<BigDecimal> monthRevenue,
      List<Long> monthRevenueSales,
      BigDecimal headRevenue,
      long headRevenueSales) {
    this.customerId = Objects.requireNonNull(customerId, "customerId");
    this.sales = sales;
    this.lifetimeRevenue = lifetimeRevenue;
    this.orders = orders;
    this.revenueByCategory = revenueByCategory;
    this.firstCompleted = firstCompleted;
    this.lastCompleted = lastCompleted;
    this.months = months;
    this.monthRevenue = monthRevenue;
    this.monthRevenueSales = monthRevenueSales;
    this.headRevenue = headRevenue;
    this.headRevenueSales = headRevenueSales;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof CustomerFigures o
        && customerId.equals(o.customerId)
        && sales == o.sales
        && lifetimeRevenue.compareTo(o.lifetimeRevenue) == 0
        && orders == o.orders
        && revenueByCategory.equals(o.revenueByCategory)
        && Objects.equals(firstCompleted, o.firstCompleted)
        && Objects.equals(lastCompleted, o.lastCompleted)
        && months.equals(o.months)
        && monthRevenue.equals(o.monthRevenue)
        && monthRevenueSales.equals(o.monthRevenueSales)
        && headRevenue.compareTo(o.headRevenue) == 0
        && headRevenueSales == o.headRevenueSales;
  }

  @Override
  public int hashCode() {
    return Objects.hash(customerId, sales, orders);
  }
}
