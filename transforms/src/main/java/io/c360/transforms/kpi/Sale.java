package io.c360.transforms.kpi;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One row of {@code dw.fact_sales} with the attributes of its dimension versions at sale time
 * (customer industry, product category), as the KPI stage needs it.
 */
@DefaultCoder(SerializableCoder.class)
public final class Sale implements Serializable {
  final String transactionId;
  final @Nullable String orderId;
  final String customerId;
  final @Nullable String productId;
  final LocalDate salesDate;
  final long quantity;
  final BigDecimal amount;
  final String status;
  final @Nullable String industryAtSale;
  final @Nullable String categoryAtSale;

  public Sale(
      String transactionId,
      @Nullable String orderId,
      String customerId,
      @Nullable String productId,
      LocalDate salesDate,
      long quantity,
      BigDecimal amount,
      String status,
      @Nullable String industryAtSale,
      @Nullable String categoryAtSale) {
    this.transactionId = Objects.requireNonNull(transactionId, "transactionId");
    this.orderId = orderId;
    this.customerId = Objects.requireNonNull(customerId, "customerId");
    this.productId = productId;
    this.salesDate = Objects.requireNonNull(salesDate, "salesDate");
    this.quantity = quantity;
    this.amount = Objects.requireNonNull(amount, "amount");
    this.status = Objects.requireNonNull(status, "status");
    this.industryAtSale = industryAtSale;
    this.categoryAtSale = categoryAtSale;
  }

  /**
   * Revenue counts completed and returned sales (returns are negative); cancelled count nothing.
   */
  boolean countsRevenue() {
    return "completed".equals(status) || "returned".equals(status);
  }

  boolean completed() {
    return "completed".equals(status);
  }

  /** The order a sale belongs to: order_id, else the transaction itself. */
  String orderKey() {
    return orderId != null ? orderId : transactionId;
  }

  BigDecimal revenue() {
    return countsRevenue() ? amount : BigDecimal.ZERO;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    if (!(other instanceof Sale o)) {
      return false;
    }
    return java.util.Objects.equals(transactionId, o.transactionId)
        && java.util.Objects.equals(orderId, o.orderId)
        && java.util.Objects.equals(customerId, o.customerId)
        && java.util.Objects.equals(productId, o.productId)
        && java.util.Objects.equals(salesDate, o.salesDate)
        && java.util.Objects.equals(quantity, o.quantity)
        && java.util.Objects.equals(amount, o.amount)
        && java.util.Objects.equals(status, o.status)
        && java.util.Objects.equals(industryAtSale, o.industryAtSale)
        && java.util.Objects.equals(categoryAtSale, o.categoryAtSale);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(
        transactionId,
        orderId,
        customerId,
        productId,
        salesDate,
        quantity,
        amount,
        status,
        industryAtSale,
        categoryAtSale);
  }
}
