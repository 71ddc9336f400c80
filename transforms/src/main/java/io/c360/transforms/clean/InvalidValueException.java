package io.c360.transforms.clean;

/** A landed value that cannot be read as its column's type or accepted values. */
public final class InvalidValueException extends Exception {
  private final String rule;

  InvalidValueException(String rule, String message) {
    super(message, null, false, false);
    this.rule = rule;
  }

  /** The failed rule, e.g. {@code type:email} or {@code accepted_values:segment}. */
  public String rule() {
    return rule;
  }
}
