package io.c360.pipelines.generate;

import java.util.Locale;

/**
 * The tunable defect and variety knobs of {@code generate}. Each has a rate in [0, 1]; 0 disables
 * it. Row knobs are a per-row probability; day knobs are a share of the customer count per day (at
 * least one when the rate is above 0; negative_stock: of the day's snapshots, campaign_dates: of
 * the first day's campaigns); file knobs are a per-file probability.
 */
public enum Defect {
  DUPLICATE(Scope.ROW, 0.01, "exact duplicate of a row, a few lines later in the same file"),
  CONFLICT(
      Scope.ROW,
      0.01,
      "same natural key (customers/products: and updated_at), different content, in a later line"
          + " or (facts) in the day's last file"),
  NOT_NULL(Scope.ROW, 0.01, "a required column left empty or blank (not_null:<column>)"),
  TYPE_ERROR(
      Scope.ROW, 0.01, "an unparsable date, timestamp, decimal, integer or email (type:<column>)"),
  ACCEPTED_VALUES(
      Scope.ROW,
      0.01,
      "segment, category, status or event_type outside the accepted values (accepted_values)"),
  NEGATIVE_AMOUNT(
      Scope.ROW,
      0.01,
      "completed sale with quantity <= 0, or returned sale with a positive amount (business)"),
  FUTURE_DATE(Scope.ROW, 0.01, "sale timestamped days after the run date (business:future_date)"),
  AMOUNT_MISMATCH(
      Scope.ROW, 0.01, "amount far from quantity x unit_price (business:amount_mismatch)"),
  MISSING_AMOUNT(
      Scope.ROW, 0.01, "completed sale without amount but with quantity and unit_price (imputed)"),
  FK_BREAK(
      Scope.ROW,
      0.01,
      "sale/traffic/web event/inventory row referencing a customer, product, channel or campaign id"
          + " that never exists"),
  PENDING_CUSTOMER(
      Scope.ROW,
      0.01,
      "sale or web event of a customer who first appears in the next day's customers file (goes"
          + " pending)"),
  OUTLIER(Scope.ROW, 0.005, "huge quantity and amount on one of a few products"),
  LATE_SALE(Scope.ROW, 0.01, "sale from one of the previous three days (late arrival)"),
  LATE_CHANGE(
      Scope.DAY,
      0.002,
      "customer change with an updated_at older than the customer's current version"),
  SAME_DAY_VERSIONS(Scope.DAY, 0.001, "two versions of one customer in one day's file"),
  NEGATIVE_STOCK(
      Scope.DAY,
      0.01,
      "inventory snapshot with on_hand < 0, a share of the day's snapshots, at least one"
          + " (business:negative_stock)"),
  CAMPAIGN_DATES(
      Scope.DAY,
      0.02,
      "campaign whose end_date is before its start_date, a share of the first day's campaigns, at"
          + " least one (business:campaign_dates)"),
  SPELLING(
      Scope.ROW,
      0.05,
      "value-preserving spelling variety: 12472.0 ids, upper-case emails, odd-case enums,"
          + " lower-case countries, doubled inner spaces"),
  SHUFFLED_COLUMNS(Scope.FILE, 0.3, "columns in a shuffled order (and odd-case header names)"),
  EXTRA_COLUMN(Scope.FILE, 0.3, "an unknown extra column"),
  BOM(Scope.FILE, 0.3, "UTF-8 byte order mark at the start of a CSV file"),
  GZIP(Scope.FILE, 0.3, "CSV file gzip-compressed (.csv.gz)");

  /** What a rate is relative to. */
  public enum Scope {
    ROW,
    DAY,
    FILE
  }

  private final Scope scope;
  private final double defaultRate;
  private final String description;

  Defect(Scope scope, double defaultRate, String description) {
    this.scope = scope;
    this.defaultRate = defaultRate;
    this.description = description;
  }

  public Scope scope() {
    return scope;
  }

  public double defaultRate() {
    return defaultRate;
  }

  public String description() {
    return description;
  }

  /** The name used on the command line and in {@code _generator.json}: {@code fk_break}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@link #key()} (case-insensitive, {@code -} or {@code _}). */
  public static Defect fromKey(String key) {
    String k = key.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    for (Defect d : values()) {
      if (d.name().equals(k)) {
        return d;
      }
    }
    throw new IllegalArgumentException(
        "unknown defect '"
            + key
            + "', expected one of "
            + java.util.Arrays.stream(values()).map(Defect::key).toList());
  }
}
