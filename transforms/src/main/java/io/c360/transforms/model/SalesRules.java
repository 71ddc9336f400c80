package io.c360.transforms.model;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.values.Row;

/** The business rules and the amount imputation of sales (SPEC §2), as declarations. */
public final class SalesRules {
  private static final BigDecimal ONE_PERCENT = new BigDecimal("0.01");

  private SalesRules() {}

  /**
   * {@code not_null:amount}: amount and unit_price both missing, so amount cannot be imputed and
   * the sale has nothing to count as revenue. Checked after the imputation, whatever the status.
   */
  public static BusinessRule amountPresent() {
    return new AmountPresent();
  }

  /**
   * {@code business:negative_amount}: a completed sale with quantity ≤ 0 or amount < 0, or a
   * returned sale with amount > 0. Cancelled sales are not checked.
   */
  public static BusinessRule negativeAmount() {
    return new NegativeAmount();
  }

  /**
   * {@code business:future_date}: transaction_ts at or after the start of {@code runDate + 2 days}
   * in the run timezone, i.e. later than the last instant of {@code runDate + 1 day}.
   */
  public static BusinessRule futureDate() {
    return new FutureDate();
  }

  /**
   * {@code business:amount_mismatch}: amount, quantity and unit_price all present and |amount −
   * quantity × unit_price| > 0.01 × max(1, |amount|).
   */
  public static BusinessRule amountMismatch() {
    return new AmountMismatch();
  }

  /**
   * amount missing but quantity and unit_price present → amount = quantity × unit_price and
   * amount_imputed = true; else amount_imputed = false.
   */
  public static Derivation amountImputation() {
    return new AmountImputation();
  }

  private static final class AmountPresent implements BusinessRule {
    @Override
    public String family() {
      return RuleNames.NOT_NULL;
    }

    @Override
    public String name() {
      return "amount";
    }

    @Override
    public List<String> inputs() {
      return List.of("amount", "unit_price");
    }

    @Override
    public Optional<String> check(Row typed, RuleContext context) {
      if (typed.getDecimal("amount") == null && typed.getDecimal("unit_price") == null) {
        return Optional.of(
            "amount is required when unit_price is missing: amount and unit_price are both"
                + " missing, so the sale has no revenue to count");
      }
      return Optional.empty();
    }
  }

  private static final class NegativeAmount implements BusinessRule {
    @Override
    public String name() {
      return "negative_amount";
    }

    @Override
    public List<String> inputs() {
      return List.of("status", "quantity", "amount");
    }

    @Override
    public Optional<String> check(Row typed, RuleContext context) {
      String status = typed.getString("status");
      Long quantity = typed.getInt64("quantity");
      BigDecimal amount = typed.getDecimal("amount");
      if ("completed".equals(status)) {
        if (quantity != null && quantity <= 0) {
          return Optional.of("completed sale with quantity " + quantity + " (must be > 0)");
        }
        if (amount != null && amount.signum() < 0) {
          return Optional.of(
              "completed sale with negative amount " + amount.toPlainString() + " (must be ≥ 0)");
        }
      } else if ("returned".equals(status) && amount != null && amount.signum() > 0) {
        return Optional.of(
            "returned sale with positive amount " + amount.toPlainString() + " (must be ≤ 0)");
      }
      return Optional.empty();
    }
  }

  private static final class FutureDate implements BusinessRule {
    @Override
    public String name() {
      return "future_date";
    }

    @Override
    public List<String> inputs() {
      return List.of("transaction_ts");
    }

    @Override
    public Optional<String> check(Row typed, RuleContext context) {
      Instant ts = typed.getLogicalTypeValue("transaction_ts", Instant.class);
      if (ts == null) {
        return Optional.empty();
      }
      Instant limit = context.startOf(context.runDate().plusDays(2));
      if (!ts.isBefore(limit)) {
        return Optional.of(
            "transaction_ts "
                + ts
                + " is later than the end of "
                + context.runDate().plusDays(1)
                + " ("
                + context.timezone()
                + "), the day after runDate "
                + context.runDate());
      }
      return Optional.empty();
    }
  }

  private static final class AmountMismatch implements BusinessRule {
    @Override
    public String name() {
      return "amount_mismatch";
    }

    @Override
    public List<String> inputs() {
      return List.of("amount", "quantity", "unit_price");
    }

    @Override
    public Optional<String> check(Row typed, RuleContext context) {
      BigDecimal amount = typed.getDecimal("amount");
      Long quantity = typed.getInt64("quantity");
      BigDecimal unitPrice = typed.getDecimal("unit_price");
      if (amount == null || quantity == null || unitPrice == null) {
        return Optional.empty();
      }
      BigDecimal expected = unitPrice.multiply(BigDecimal.valueOf(quantity));
      BigDecimal diff = amount.subtract(expected).abs();
      BigDecimal tolerance = ONE_PERCENT.multiply(amount.abs().max(BigDecimal.ONE));
      if (diff.compareTo(tolerance) > 0) {
        return Optional.of(
            "amount "
                + amount.toPlainString()
                + " differs from quantity × unit_price = "
                + quantity
                + " × "
                + unitPrice.toPlainString()
                + " = "
                + expected.toPlainString()
                + " by more than "
                + tolerance.stripTrailingZeros().toPlainString());
      }
      return Optional.empty();
    }
  }

  private static final class AmountImputation implements Derivation {
    @Override
    public List<String> inputs() {
      return List.of("amount", "quantity", "unit_price");
    }

    @Override
    public List<String> outputs() {
      return List.of("amount", "amount_imputed");
    }

    @Override
    public void apply(Map<String, Object> values) {
      Object quantity = values.get("quantity");
      Object unitPrice = values.get("unit_price");
      boolean impute = values.get("amount") == null && quantity != null && unitPrice != null;
      if (impute) {
        BigDecimal amount = ((BigDecimal) unitPrice).multiply(BigDecimal.valueOf((Long) quantity));
        values.put("amount", Decimals.canonical(amount));
      }
      values.put("amount_imputed", impute);
    }
  }
}
