package io.c360.transforms.kpi;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Map;
import java.util.NavigableMap;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Exact arithmetic shared by the marts, matching PostgreSQL: {@code round(numeric, s)} rounds half
 * away from zero ({@link RoundingMode#HALF_UP} on BigDecimal), and {@code percentile_cont} sorts
 * the values, takes position (n − 1)·p and interpolates linearly between its neighbours.
 */
public final class KpiMath {
  static final MathContext PRECISE = new MathContext(40, RoundingMode.HALF_EVEN);
  static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  private KpiMath() {}

  /** PostgreSQL round(x, scale): half away from zero; null stays null. */
  public static @Nullable BigDecimal round(@Nullable BigDecimal x, int scale) {
    return x == null ? null : x.setScale(scale, RoundingMode.HALF_UP);
  }

  /** 100 × (current − previous) / previous, 4 decimals; null when previous is 0. */
  public static @Nullable BigDecimal pctChange(BigDecimal current, BigDecimal previous) {
    if (previous.signum() == 0) {
      return null;
    }
    return round(HUNDRED.multiply(current.subtract(previous)).divide(previous, PRECISE), 4);
  }

  /**
   * percentile_cont(p) over a multiset given as value → count (sorted by value). Null when empty.
   */
  public static @Nullable BigDecimal percentileCont(
      NavigableMap<BigDecimal, Long> counts, double p) {
    if (p < 0 || p > 1) {
      throw new IllegalArgumentException("percentile must be in [0, 1]: " + p);
    }
    long n = 0;
    for (long c : counts.values()) {
      n += c;
    }
    if (n == 0) {
      return null;
    }
    BigDecimal pos = BigDecimal.valueOf(p).multiply(BigDecimal.valueOf(n - 1));
    long lo = pos.setScale(0, RoundingMode.FLOOR).longValueExact();
    BigDecimal frac = pos.subtract(BigDecimal.valueOf(lo));
    BigDecimal first = valueAt(counts, lo);
    if (frac.signum() == 0) {
      return first;
    }
    BigDecimal second = valueAt(counts, lo + 1);
    return first.add(second.subtract(first).multiply(frac));
  }

  private static BigDecimal valueAt(NavigableMap<BigDecimal, Long> counts, long index) {
    long seen = 0;
    for (Map.Entry<BigDecimal, Long> e : counts.entrySet()) {
      seen += e.getValue();
      if (index < seen) {
        return e.getKey();
      }
    }
    throw new IndexOutOfBoundsException("index " + index + " of " + seen);
  }

  /** Summary of a multiset as PostgreSQL's count/min/max/avg/stddev_samp/percentile_cont. */
  public static final class Summary {
    public final long n;
    public final @Nullable BigDecimal min;
    public final @Nullable BigDecimal max;
    public final @Nullable BigDecimal mean;
    public final @Nullable BigDecimal stddev;
    public final @Nullable BigDecimal q1;
    public final @Nullable BigDecimal median;
    public final @Nullable BigDecimal q3;

    private Summary(NavigableMap<BigDecimal, Long> counts) {
      long count = 0;
      BigDecimal sum = BigDecimal.ZERO;
      BigDecimal sumSq = BigDecimal.ZERO;
      for (Map.Entry<BigDecimal, Long> e : counts.entrySet()) {
        BigDecimal c = BigDecimal.valueOf(e.getValue());
        count += e.getValue();
        sum = sum.add(e.getKey().multiply(c));
        sumSq = sumSq.add(e.getKey().multiply(e.getKey()).multiply(c));
      }
      this.n = count;
      this.min = count == 0 ? null : counts.firstKey();
      this.max = count == 0 ? null : counts.lastKey();
      this.mean = count == 0 ? null : sum.divide(BigDecimal.valueOf(count), PRECISE);
      this.stddev = count < 2 ? null : sampleStddev(count, sum, sumSq);
      this.q1 = percentileCont(counts, 0.25);
      this.median = percentileCont(counts, 0.5);
      this.q3 = percentileCont(counts, 0.75);
    }
  }

  public static Summary summarize(NavigableMap<BigDecimal, Long> counts) {
    return new Summary(counts);
  }

  /** stddev_samp from exact sums: sqrt((n·Σx² − (Σx)²) / (n·(n − 1))). */
  static BigDecimal sampleStddev(long n, BigDecimal sum, BigDecimal sumSq) {
    BigDecimal bn = BigDecimal.valueOf(n);
    BigDecimal num = bn.multiply(sumSq).subtract(sum.multiply(sum));
    if (num.signum() <= 0) {
      return BigDecimal.ZERO;
    }
    BigDecimal var = num.divide(bn.multiply(BigDecimal.valueOf(n - 1)), PRECISE);
    return var.sqrt(PRECISE);
  }

  /** Value band of SPEC §4: Low below Q1, High above Q3, else Mid. */
  public static String band(BigDecimal value, BigDecimal q1, BigDecimal q3) {
    if (value.compareTo(q1) < 0) {
      return "Low";
    }
    if (value.compareTo(q3) > 0) {
      return "High";
    }
    return "Mid";
  }

  /** IQR fences [Q1 − 1.5·IQR, Q3 + 1.5·IQR]. */
  public static BigDecimal[] iqrFences(BigDecimal q1, BigDecimal q3) {
    BigDecimal k = q3.subtract(q1).multiply(new BigDecimal("1.5"));
    return new BigDecimal[] {q1.subtract(k), q3.add(k)};
  }

  /** z = (x − mean) / sd, or null when sd is not positive. */
  public static @Nullable BigDecimal zScore(BigDecimal x, BigDecimal mean, BigDecimal sd) {
    if (sd.signum() <= 0) {
      return null;
    }
    return x.subtract(mean).divide(sd, PRECISE);
  }

  /** |z| ≥ 3. */
  public static boolean isZOutlier(@Nullable BigDecimal z) {
    return z != null && z.abs().compareTo(BigDecimal.valueOf(3)) >= 0;
  }
}
