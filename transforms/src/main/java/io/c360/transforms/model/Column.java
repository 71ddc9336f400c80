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

  private final String name;
  private final ColumnType type;
  private final boolean required;
  private final List<String> acceptedValues;
  private final String defaultValue;
  private final int precision;
  private final int scale;

  private Column(String name, ColumnType type, boolean required, List<String> acceptedValues) {
    this(name, type, required, acceptedValues, null, DEFAULT_PRECISION, DEFAULT_SCALE);
  }

  private Column(
      String name,
      ColumnType type,
      boolean required,
      List<String> acceptedValues,
      String defaultValue,
      int precision,
      int scale) {
    this.name = Objects.requireNonNull(name);
    this.type = Objects.requireNonNull(type);
    this.required = required;
    this.acceptedValues = List.copyOf(acceptedValues);
    this.defaultValue = defaultValue;
    this.precision = precision;
    this.scale = scale;
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
    return new Column(name, type, required, acceptedValues, value, precision, scale);
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
    return new Column(name, type, required, acceptedValues, defaultValue, precision, scale);
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
