package io.c360.pipelines.checks;

/**
 * How many failing rows a check tolerates: a count ({@code 10}) or a share of the rows checked
 * ({@code 2%}); {@link #NONE} tolerates none.
 */
public record Threshold(double value, boolean rate) {
  public static final Threshold NONE = new Threshold(0, false);

  /** True when {@code failing} of {@code checked} rows is more than tolerated. */
  public boolean exceededBy(long failing, long checked) {
    if (failing == 0) {
      return false;
    }
    if (!rate) {
      return failing > value;
    }
    return checked == 0 || (double) failing / checked * 100 > value;
  }

  @Override
  public String toString() {
    if (rate) {
      return "<= " + fmt(value) + "%";
    }
    return value == 0 ? "0 rows" : "<= " + fmt(value) + " rows";
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }
}
