package io.c360.transforms.model;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One declared column of an entity: name, type, whether required, accepted values and, for a
 * DECIMAL, the {@code numeric(precision, scale)} of its warehouse column (SPEC §2 "Bounds").
 */
public final class Column implements Serializable {
  /** The warehouse type of a DECIMAL column unless declared otherwise: {@code numeric(18, 4)}. */
  public static final int DEFAULT_PRECISION = 18;

  public static final int DEFAULT_SCALE = 4;

  /**
   * The longest value, in UTF-16 characters, of a column the warehouse indexes: every ID and the
   * text columns declared with {@link #asKey()}. A PostgreSQL B-tree entry holds at most 2,704
   * bytes; 200 characters are at most 800 bytes of UTF-8, so even the three ids of {@code
   * dw.fact_traffic}'s key fit in one entry. A longer value is {@code type:<column>} (SPEC §2
   * "Bounds": a value the warehouse column cannot hold), not a failed run.
   */
  public static final int MAX_KEY_LENGTH = 200;

  /** No length bound: free text lands in unindexed {@code text} columns. */
  public static final int UNBOUNDED = Integer.MAX_VALUE;

  private final String name;
  private final ColumnType type;
  private final boolean required;
  private final List<String> acceptedValues;
  private final String defaultValue;
  private final int precision;
  private final int scale;
  private final int maxLength;

  private Column(String name, ColumnType type, boolean required, List<String> acceptedValues) {
    this(
        name,
        type,
        required,
        acceptedValues,
        null,
        DEFAULT_PRECISION,
        DEFAULT_SCALE,
        type == ColumnType.ID ? MAX_KEY_LENGTH : UNBOUNDED);
  }

  private Column(
      String name,
      ColumnType type,
      boolean required,
      List<String> acceptedValues,
      String defaultValue,
      int precision,
      int scale,
      int maxLength) {
    this.name = Objects.requireNonNull(name);
    this.type = Objects.requireNonNull(type);
    this.required = required;
    this.acceptedValues = List.copyOf(acceptedValues);
    this.defaultValue = defaultValue;
    this.precision = precision;
    this.scale = scale;
    this.maxLength = maxLength;
  }

  /**
   * This enumerated column accepting {@code values} instead (a user's checks file, SPEC §1); its
   * default must stay one of them.
   */
  public Column withAcceptedValues(List<String> values) {
    if (type != ColumnType.ENUM) {
      throw new IllegalArgumentException(name + " is not an enumerated column");
    }
    if (values.isEmpty()) {
      throw new IllegalArgumentException(name + ": no accepted values");
    }
    if (defaultValue != null && !values.contains(defaultValue)) {
      throw new IllegalArgumentException(
          name + ": default '" + defaultValue + "' is not one of " + values);
    }
    return new Column(name, type, required, values, defaultValue, precision, scale, maxLength);
  }

  public static Column required(String name, ColumnType type) {
    return new Column(name, type, true, List.of());
  }

  public static Column optional(String name, ColumnType type) {
    return new Column(name, type, false, List.of());
  }

  /** An ENUM column; values are stored in the spelling given here. */
  public static Column oneOf(String name, boolean required, List<String> acceptedValues) {
    return new Column(name, ColumnType.ENUM, required, acceptedValues);
  }

  public String name() {
    return name;
  }

  public ColumnType type() {
    return type;
  }

  public boolean isRequired() {
    return required;
  }

  public List<String> acceptedValues() {
    return acceptedValues;
  }

  /**
   * This column, with a value used when the landed one is null after cleaning (sales status →
   * {@code completed}). For an ENUM it must be one of the accepted values, as spelled there.
   */
  public Column withDefault(String value) {
    Objects.requireNonNull(value, "default value");
    if (type == ColumnType.ENUM && !acceptedValues.contains(value)) {
      throw new IllegalArgumentException(
          name + ": default '" + value + "' is not one of " + acceptedValues);
    }
    return new Column(name, type, required, acceptedValues, value, precision, scale, maxLength);
  }

  /**
   * This DECIMAL column, stored in {@code numeric(precision, scale)} instead of {@code numeric(18,
   * 4)}: values are rounded half-up to {@code scale} places and must have fewer than {@code
   * precision − scale} integer digits.
   */
  public Column numeric(int precision, int scale) {
    if (type != ColumnType.DECIMAL) {
      throw new IllegalArgumentException(name + ": only a DECIMAL column has a numeric type");
    }
    if (precision < 1 || scale < 0 || scale > precision) {
      throw new IllegalArgumentException(
          name + ": numeric(" + precision + ", " + scale + ") is not a PostgreSQL numeric type");
    }
    return new Column(
        name, type, required, acceptedValues, defaultValue, precision, scale, maxLength);
  }

  /**
   * This text column, bounded to {@link #MAX_KEY_LENGTH} characters because the warehouse indexes
   * it (customers.industry keys the KPI state and {@code mart.industry_exposure}). ID columns are
   * bounded already.
   */
  public Column asKey() {
    if (type != ColumnType.NAME && type != ColumnType.STRING && type != ColumnType.ID) {
      throw new IllegalArgumentException(name + ": only a text column is bounded as a key");
    }
    return new Column(
        name, type, required, acceptedValues, defaultValue, precision, scale, MAX_KEY_LENGTH);
  }

  /**
   * The longest cleaned value this column holds, in characters ({@link #UNBOUNDED} for free text);
   * longer is {@code type:<column>}.
   */
  public int maxLength() {
    return maxLength;
  }

  /** Total digits of a DECIMAL column's warehouse type ({@code numeric(precision, scale)}). */
  public int precision() {
    return precision;
  }

  /** Decimal places of a DECIMAL column's warehouse type; landed values are rounded to it. */
  public int scale() {
    return scale;
  }

  /** The value a null landed value becomes, if any (as text, cleaned like a landed value). */
  public Optional<String> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }

  @Override
  public String toString() {
    return name + ":" + type + (required ? "*" : "");
  }
}
