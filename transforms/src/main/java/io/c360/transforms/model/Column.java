package io.c360.transforms.model;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/** One declared column of an entity: name, type, whether required, accepted values. */
public final class Column implements Serializable {
  private final String name;
  private final ColumnType type;
  private final boolean required;
  private final List<String> acceptedValues;

  private Column(String name, ColumnType type, boolean required, List<String> acceptedValues) {
    this.name = Objects.requireNonNull(name);
    this.type = Objects.requireNonNull(type);
    this.required = required;
    this.acceptedValues = List.copyOf(acceptedValues);
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

  @Override
  public String toString() {
    return name + ":" + type + (required ? "*" : "");
  }
}
