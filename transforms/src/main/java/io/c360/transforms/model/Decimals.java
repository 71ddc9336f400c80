package io.c360.transforms.model;

import java.math.BigDecimal;

/** One spelling per decimal value, so equal amounts compare, hash and dedup as equal. */
public final class Decimals {
  private Decimals() {}

  /** Trailing zeros removed, scale never negative: {@code 10.50 → 10.5}, {@code 1E+2 → 100}. */
  public static BigDecimal canonical(BigDecimal d) {
    if (d == null) {
      return null;
    }
    BigDecimal s = d.stripTrailingZeros();
    return s.scale() < 0 ? s.setScale(0) : s;
  }
}
