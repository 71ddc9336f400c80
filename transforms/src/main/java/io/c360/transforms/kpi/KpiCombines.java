package io.c360.transforms.kpi;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.values.KV;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Small CombineFns of the KPI stage. */
final class KpiCombines {
  private KpiCombines() {}

  static BigDecimal sum(Iterable<BigDecimal> xs) {
    BigDecimal s = BigDecimal.ZERO;
    for (BigDecimal x : xs) {
      s = s.add(x);
    }
    return s;
  }

  /** All elements in one list; an empty input gives an empty list (so global marts still run). */
  static final class ToList<T> extends Combine.CombineFn<T, List<T>, List<T>> {
    @Override
    public List<T> createAccumulator() {
      return new ArrayList<>();
    }

    @Override
    public List<T> addInput(List<T> acc, T input) {
      acc.add(input);
      return acc;
    }

    @Override
    public List<T> mergeAccumulators(Iterable<List<T>> accs) {
      List<T> out = new ArrayList<>();
      for (List<T> a : accs) {
        out.addAll(a);
      }
      return out;
    }

    @Override
    public List<T> extractOutput(List<T> acc) {
      return acc;
    }

    @Override
    public Coder<List<T>> getAccumulatorCoder(CoderRegistry registry, Coder<T> inputCoder)
        throws CannotProvideCoderException {
      return ListCoder.of(inputCoder);
    }

    @Override
    public Coder<List<T>> getDefaultOutputCoder(CoderRegistry registry, Coder<T> inputCoder)
        throws CannotProvideCoderException {
      return ListCoder.of(inputCoder);
    }
  }

  /** Exact multisets (value → count) of sale amounts and quantities, for stats and fences. */
  @DefaultCoder(KpiCoders.HistogramsCoder.class)
  static final class Histograms implements Serializable {
    final TreeMap<BigDecimal, Long> amounts = new TreeMap<>();
    final TreeMap<BigDecimal, Long> quantities = new TreeMap<>();

    NavigableMap<BigDecimal, Long> amounts() {
      return amounts;
    }

    NavigableMap<BigDecimal, Long> quantities() {
      return quantities;
    }

    @Override
    public boolean equals(@Nullable Object other) {
      if (!(other instanceof Histograms o)) {
        return false;
      }
      return java.util.Objects.equals(amounts, o.amounts)
          && java.util.Objects.equals(quantities, o.quantities);
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(amounts, quantities);
    }
  }

  /** The window's histograms from the state's rows ("a" amount | "q" quantity, value, count). */
  static final class HistogramOf
      extends Combine.CombineFn<KV<String, KV<BigDecimal, Long>>, Histograms, Histograms> {
    @Override
    public Histograms createAccumulator() {
      return new Histograms();
    }

    @Override
    public Histograms addInput(Histograms acc, KV<String, KV<BigDecimal, Long>> row) {
      TreeMap<BigDecimal, Long> into = "a".equals(row.getKey()) ? acc.amounts : acc.quantities;
      into.merge(row.getValue().getKey(), row.getValue().getValue(), Long::sum);
      return acc;
    }

    @Override
    public Histograms mergeAccumulators(Iterable<Histograms> accs) {
      Histograms out = new Histograms();
      for (Histograms h : accs) {
        h.amounts.forEach((k, v) -> out.amounts.merge(k, v, Long::sum));
        h.quantities.forEach((k, v) -> out.quantities.merge(k, v, Long::sum));
      }
      return out;
    }

    @Override
    public Histograms extractOutput(Histograms acc) {
      return acc;
    }

    @Override
    public Coder<Histograms> getAccumulatorCoder(
        CoderRegistry registry, Coder<KV<String, KV<BigDecimal, Long>>> inputCoder) {
      return KpiCoders.HistogramsCoder.of();
    }

    @Override
    public Coder<Histograms> getDefaultOutputCoder(
        CoderRegistry registry, Coder<KV<String, KV<BigDecimal, Long>>> inputCoder) {
      return KpiCoders.HistogramsCoder.of();
    }
  }
}
