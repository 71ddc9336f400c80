package io.c360.transforms.model;

/**
 * The names of SPEC §2's rules as stored in {@code dq.rejected_rows.rule} and {@code
 * dq.pending_rows.rule}: a family and what it is about, {@code not_null:email}. Everything that
 * writes or expects a rule name (cleaning, business rules, the generator's expectations) builds it
 * here.
 *
 * <pre>{@code
 * RuleNames.notNull("email"); // "not_null:email"
 * }</pre>
 */
public final class RuleNames {
  public static final String NOT_NULL = "not_null";
  public static final String TYPE = "type";
  public static final String ACCEPTED_VALUES = "accepted_values";
  public static final String RELATIONSHIPS = "relationships";
  public static final String BUSINESS = "business";

  private RuleNames() {}

  /** {@code family:name}. */
  public static String of(String family, String name) {
    return family + ":" + name;
  }

  /** A required column is missing: {@code not_null:<column>}. */
  public static String notNull(String column) {
    return of(NOT_NULL, column);
  }

  /** A value cannot be read as the column's type: {@code type:<column>}. */
  public static String type(String column) {
    return of(TYPE, column);
  }

  /** A value is not one of the column's accepted values: {@code accepted_values:<column>}. */
  public static String acceptedValues(String column) {
    return of(ACCEPTED_VALUES, column);
  }

  /** A foreign key names no member of its dimension: {@code relationships:<column>}. */
  public static String relationships(String column) {
    return of(RELATIONSHIPS, column);
  }
}
