package io.c360.transforms.model;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One declared column of an entity: name, type, whether required, accepted values. */
public final class Column implements Serializable {
  private final String name;
  private final ColumnType type;
  private final boolean required;
  private final List<String> acceptedValues;
  private final String defaultValue;

  private Column(String name, ColumnType type, boolean required, List<String> acceptedValues) {
    this(name, type, required, acceptedValues, null);
  }

  private Column(
      String name,
      ColumnType type,
      boolean required,
      List<String> acceptedValues,
      String defaultValue) {
    this.name = Objects.requireNonNull(name);
    this.type = Objects.requireNonNull(type);
    this.required = required;
    this.acceptedValues = List.copyOf(acceptedValues);
    this.defaultValue = defaultValue;
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
    return new Column(name, type, required, acceptedValues, value);
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
