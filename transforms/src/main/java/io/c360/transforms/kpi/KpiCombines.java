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
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Small CombineFns of the KPI stage. */
final class KpiCombines {
  private KpiCombines() {}

  /**
   * A CombineFn of Sales whose accumulator and output are small Serializable classes: their coders
   * come from the classes given, not a copy of the two coder methods in every fn.
   */
  abstract static class SerializableSaleCombineFn<A extends Serializable, O extends Serializable>
      extends Combine.CombineFn<Sale, A, O> {
    private final Class<A> accumulatorClass;
    private final Class<O> outputClass;

    SerializableSaleCombineFn(Class<A> accumulatorClass, Class<O> outputClass) {
      this.accumulatorClass = accumulatorClass;
      this.outputClass = outputClass;
    }

    @Override
    public Coder<A> getAccumulatorCoder(CoderRegistry registry, Coder<Sale> inputCoder) {
      return SerializableCoder.of(accumulatorClass);
    }

    @Override
    public Coder<O> getDefaultOutputCoder(CoderRegistry registry, Coder<Sale> inputCoder) {
      return SerializableCoder.of(outputClass);
    }
  }

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
  @DefaultCoder(SerializableCoder.class)
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

  static final class SalesHistograms extends SerializableSaleCombineFn<Histograms, Histograms> {
    SalesHistograms() {
      super(Histograms.class, Histograms.class);
    }

    @Override
    public Histograms createAccumulator() {
      return new Histograms();
    }

    @Override
    public Histograms addInput(Histograms acc, Sale s) {
      acc.amounts.merge(s.amount, 1L, Long::sum);
      acc.quantities.merge(BigDecimal.valueOf(s.quantity), 1L, Long::sum);
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
  }
}
