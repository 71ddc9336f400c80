package io.c360.transforms.model;

/** How a landed text value is cleaned and typed (SPEC §1 "Values", §2 "Cleaning"). */
public enum ColumnType {
  /** Trimmed; an integral float spelling ({@code 12472.0}) becomes {@code 12472}. */
  ID,
  /** Trimmed, control characters removed. */
  STRING,
  /** As STRING, and runs of inner whitespace collapse to one space. */
  NAME,
  /** Lower-cased; exactly one {@code @} and a dot in the domain, else {@code type:email}. */
  EMAIL,
  /** A 2-letter code is upper-cased; longer names are kept as cleaned strings. */
  COUNTRY,
  /** {@code YYYY-MM-DD}. */
  DATE,
  /** ISO 8601 with {@code T} or space, with or without offset; naive values in --timezone. */
  TIMESTAMP,
  /** Decimal with {@code .}. */
  DECIMAL,
  /** Integral number ({@code 3} or {@code 3.0}). */
  INTEGER,
  /** One of the column's accepted values, matched case- and space-insensitively. */
  ENUM,
  /** Derived flags only (sales.amount_imputed); never landed. */
  BOOLEAN
}
