package io.c360.transforms.kpi;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.comparesEqualTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class KpiMathTest {
  private static TreeMap<BigDecimal, Long> multiset(String... values) {
    TreeMap<BigDecimal, Long> m = new TreeMap<>();
    for (String v : values) {
      m.merge(new BigDecimal(v), 1L, Long::sum);
    }
    return m;
  }

  @Test
  void roundIsHalfAwayFromZeroLikePostgres() {
    assertThat(KpiMath.round(new BigDecimal("2.00005"), 4), equalTo(new BigDecimal("2.0001")));
    assertThat(KpiMath.round(new BigDecimal("-2.00005"), 4), equalTo(new BigDecimal("-2.0001")));
    assertThat(KpiMath.round(new BigDecimal("2.00004999"), 4), equalTo(new BigDecimal("2.0000")));
    assertThat(KpiMath.round(null, 4), nullValue());
  }

  @Test
  void percentileContOfEmptyIsNull() {
    assertThat(KpiMath.percentileCont(multiset(), 0.5), nullValue());
  }

  @Test
  void percentileContOfOneValueIsThatValue() {
    for (double p : new double[] {0, 0.25, 0.5, 0.75, 1}) {
      assertThat(
          KpiMath.percentileCont(multiset("7.5"), p), comparesEqualTo(new BigDecimal("7.5")));
    }
  }

  @Test
  void percentileContInterpolatesAtPositionNMinusOneTimesP() {
    // sorted 1, 2, 4, 10: p=0.25 -> pos 0.75 -> 1 + 0.75 * (2 - 1) = 1.75
    TreeMap<BigDecimal, Long> m = multiset("10", "1", "4", "2");
    assertThat(KpiMath.percentileCont(m, 0.25), comparesEqualTo(new BigDecimal("1.75")));
    // p=0.5 -> pos 1.5 -> 2 + 0.5 * (4 - 2) = 3
    assertThat(KpiMath.percentileCont(m, 0.5), comparesEqualTo(new BigDecimal("3")));
    // p=0.75 -> pos 2.25 -> 4 + 0.25 * 6 = 5.5
    assertThat(KpiMath.percentileCont(m, 0.75), comparesEqualTo(new BigDecimal("5.5")));
    assertThat(KpiMath.percentileCont(m, 1.0), comparesEqualTo(new BigDecimal("10")));
  }

  @Test
  void percentileContCountsTiesAsSeparateValues() {
    // 3, 3, 3, 9: pos for 0.75 = 2.25 -> 3 + 0.25 * 6 = 4.5
    assertThat(
        KpiMath.percentileCont(multiset("3", "3", "3", "9"), 0.75),
        comparesEqualTo(new BigDecimal("4.5")));
  }

  @Test
  void percentileOutsideZeroOneIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> KpiMath.percentileCont(multiset("1"), 1.5));
  }

  @Test
  void summaryMatchesSampleStatistics() {
    KpiMath.Summary s = KpiMath.summarize(multiset("2", "4", "4", "4", "5", "5", "7", "9"));
    assertThat(s.n, equalTo(8L));
    assertThat(s.min, comparesEqualTo(new BigDecimal("2")));
    assertThat(s.max, comparesEqualTo(new BigDecimal("9")));
    assertThat(s.mean, comparesEqualTo(new BigDecimal("5")));
    // population stddev is 2; sample stddev = sqrt(32 / 7) = 2.138090
    assertThat(KpiMath.round(s.stddev, 6), equalTo(new BigDecimal("2.138090")));
    assertThat(s.median, comparesEqualTo(new BigDecimal("4.5")));
  }

  @Test
  void summaryOfOneValueHasNoStddevAndOfNoneIsAllNull() {
    KpiMath.Summary one = KpiMath.summarize(multiset("3"));
    assertThat(one.n, equalTo(1L));
    assertThat(one.stddev, nullValue());
    assertThat(one.median, comparesEqualTo(new BigDecimal("3")));
    KpiMath.Summary none = KpiMath.summarize(multiset());
    assertThat(none.n, equalTo(0L));
    assertThat(none.min, nullValue());
    assertThat(none.mean, nullValue());
    assertThat(none.q1, nullValue());
  }

  @Test
  void bandsAreStrictAtTheQuartiles() {
    BigDecimal q1 = new BigDecimal("10");
    BigDecimal q3 = new BigDecimal("20");
    assertThat(KpiMath.band(new BigDecimal("9.9999"), q1, q3), equalTo("Low"));
    assertThat(KpiMath.band(new BigDecimal("10"), q1, q3), equalTo("Mid"));
    assertThat(KpiMath.band(new BigDecimal("20"), q1, q3), equalTo("Mid"));
    assertThat(KpiMath.band(new BigDecimal("20.0001"), q1, q3), equalTo("High"));
    assertThat(KpiMath.band(new BigDecimal("-5"), q1, q3), equalTo("Low"));
  }

  @Test
  void iqrFencesAreOneAndAHalfIqrOutside() {
    BigDecimal[] f = KpiMath.iqrFences(new BigDecimal("2"), new BigDecimal("4"));
    assertThat(f[0], comparesEqualTo(new BigDecimal("-1")));
    assertThat(f[1], comparesEqualTo(new BigDecimal("7")));
  }

  @Test
  void zScoreOutlierAtExactlyThreeAndNotWithoutSpread() {
    BigDecimal z = KpiMath.zScore(new BigDecimal("16"), new BigDecimal("10"), new BigDecimal("2"));
    assertThat(z, comparesEqualTo(new BigDecimal("3")));
    assertThat(KpiMath.isZOutlier(z), equalTo(true));
    assertThat(KpiMath.isZOutlier(new BigDecimal("-3")), equalTo(true));
    assertThat(KpiMath.isZOutlier(new BigDecimal("2.999999")), equalTo(false));
    assertThat(KpiMath.zScore(BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ZERO), nullValue());
    assertThat(KpiMath.isZOutlier(null), equalTo(false));
  }

  @Test
  void pctChangeIsNullWhenPreviousIsZero() {
    assertThat(KpiMath.pctChange(BigDecimal.TEN, BigDecimal.ZERO), nullValue());
    assertThat(
        KpiMath.pctChange(new BigDecimal("15"), new BigDecimal("10")),
        equalTo(new BigDecimal("50.0000")));
    assertThat(
        KpiMath.pctChange(new BigDecimal("-5"), new BigDecimal("3")),
        equalTo(new BigDecimal("-266.6667")));
  }
}
