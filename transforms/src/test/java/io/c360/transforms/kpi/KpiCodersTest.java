package io.c360.transforms.kpi;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.instanceOf;

import java.math.BigDecimal;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.testing.CoderProperties;
import org.junit.jupiter.api.Test;

/**
 * The KPI values that went through Java serialization ({@link KpiCombines.Histograms}, {@link
 * KpiState.ZCandidate}) have coders of their own: found by the registry, exact round trips (scale
 * of decimals and 64-bit values included), deterministic encodings.
 */
class KpiCodersTest {
  @Test
  void histogramsRoundTripExactlyAndDeterministically() throws Exception {
    assertThat(
        CoderRegistry.createDefault().getCoder(KpiCombines.Histograms.class),
        instanceOf(KpiCoders.HistogramsCoder.class));
    KpiCombines.Histograms empty = new KpiCombines.Histograms();
    KpiCombines.Histograms h = new KpiCombines.Histograms();
    h.amounts.put(new BigDecimal("-12.5000"), 2L);
    h.amounts.put(new BigDecimal("0.0001"), 1L);
    h.amounts.put(new BigDecimal("99999999999999.9999"), 3L);
    h.quantities.put(BigDecimal.ONE, 7L);
    h.quantities.put(BigDecimal.valueOf(Long.MAX_VALUE), Long.MAX_VALUE);
    for (KpiCombines.Histograms x : new KpiCombines.Histograms[] {empty, h}) {
      CoderProperties.coderDecodeEncodeEqual(KpiCoders.HistogramsCoder.of(), x);
      CoderProperties.coderDeterministic(KpiCoders.HistogramsCoder.of(), x, x);
      CoderProperties.coderSerializable(KpiCoders.HistogramsCoder.of());
    }
    KpiCombines.Histograms back =
        org.apache.beam.sdk.util.CoderUtils.clone(KpiCoders.HistogramsCoder.of(), h);
    assertThat(back.amounts.firstKey().scale(), equalTo(4));
    // the combine's accumulator and output use it too
    assertThat(
        new KpiCombines.HistogramOf().getAccumulatorCoder(CoderRegistry.createDefault(), null),
        instanceOf(KpiCoders.HistogramsCoder.class));
  }

  @Test
  void zScoreCandidatesRoundTripExactlyAndDeterministically() throws Exception {
    assertThat(
        CoderRegistry.createDefault().getCoder(KpiState.ZCandidate.class),
        instanceOf(KpiCoders.ZCandidateCoder.class));
    KpiState.ZCandidate[] candidates = {
      new KpiState.ZCandidate(
          "T1",
          "P1",
          "C1",
          new BigDecimal("1234.5600"),
          10,
          new BigDecimal("2000.0000"),
          new BigDecimal("1600000.00000000")),
      new KpiState.ZCandidate(
          "T\u001fü",
          null,
          null,
          new BigDecimal("-0.0001"),
          Long.MAX_VALUE,
          BigDecimal.ZERO,
          BigDecimal.ZERO)
    };
    for (KpiState.ZCandidate z : candidates) {
      CoderProperties.coderDecodeEncodeEqual(KpiCoders.ZCandidateCoder.of(), z);
      CoderProperties.coderDeterministic(KpiCoders.ZCandidateCoder.of(), z, z);
    }
    CoderProperties.coderSerializable(KpiCoders.ZCandidateCoder.of());
  }
}
