package io.c360.transforms.kpi;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.BigDecimalCoder;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Compact coders for the KPI stage's values, found through {@code @DefaultCoder} on each class. The
 * profile of the KPI stage on the Direct runner showed its grouping state being copied per bundle
 * with Java serialization (bench/RESULTS.md, "KPI state"); these encode the fields directly.
 */
public final class KpiCoders {
  private KpiCoders() {}

  private static final Coder<String> STRING = StringUtf8Coder.of();
  private static final Coder<@Nullable String> OPT_STRING = NullableCoder.of(StringUtf8Coder.of());
  private static final Coder<@Nullable BigDecimal> OPT_DECIMAL =
      NullableCoder.of(BigDecimalCoder.of());
  private static final Coder<@Nullable Long> OPT_LONG = NullableCoder.of(VarLongCoder.of());

  static void date(@Nullable LocalDate d, OutputStream out) throws IOException {
    OPT_LONG.encode(d == null ? null : d.toEpochDay(), out);
  }

  static @Nullable LocalDate date(InputStream in) throws IOException {
    Long d = OPT_LONG.decode(in);
    return d == null ? null : LocalDate.ofEpochDay(d);
  }

  static void instant(Instant t, OutputStream out) throws IOException {
    VarLongCoder.of().encode(t.getEpochSecond(), out);
    VarIntCoder.of().encode(t.getNano(), out);
  }

  static Instant instant(InputStream in) throws IOException {
    return Instant.ofEpochSecond(VarLongCoder.of().decode(in), VarIntCoder.of().decode(in));
  }

  /** {@link CustomerVersion}: every field, nullable ones flagged. */
  public static final class CustomerVersionCoder extends AtomicCoder<CustomerVersion> {
    private static final CustomerVersionCoder INSTANCE = new CustomerVersionCoder();

    public static CustomerVersionCoder of() {
      return INSTANCE;
    }

    public static CoderProvider getCoderProvider() {
      return CoderProviders.forCoder(TypeDescriptor.of(CustomerVersion.class), INSTANCE);
    }

    @Override
    public void encode(CustomerVersion v, OutputStream out) throws IOException {
      STRING.encode(v.customerId, out);
      OPT_STRING.encode(v.accountId, out);
      OPT_STRING.encode(v.name, out);
      OPT_STRING.encode(v.email, out);
      OPT_STRING.encode(v.city, out);
      OPT_STRING.encode(v.country, out);
      OPT_STRING.encode(v.segment, out);
      OPT_STRING.encode(v.industry, out);
      date(v.createdDate, out);
      instant(v.validFrom, out);
      instant(v.validTo, out);
      BooleanCoder.of().encode(v.deleted, out);
    }

    @Override
    public CustomerVersion decode(InputStream in) throws IOException {
      return new CustomerVersion(
          STRING.decode(in),
          OPT_STRING.decode(in),
          OPT_STRING.decode(in),
          OPT_STRING.decode(in),
          OPT_STRING.decode(in),
          OPT_STRING.decode(in),
          OPT_STRING.decode(in),
          OPT_STRING.decode(in),
          date(in),
          instant(in),
          instant(in),
          BooleanCoder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }

  /** {@link CustomerFigures}: scalars, then the category map and the month lists. */
  public static final class CustomerFiguresCoder extends AtomicCoder<CustomerFigures> {
    private static final CustomerFiguresCoder INSTANCE = new CustomerFiguresCoder();

    public static CustomerFiguresCoder of() {
      return INSTANCE;
    }

    public static CoderProvider getCoderProvider() {
      return CoderProviders.forCoder(TypeDescriptor.of(CustomerFigures.class), INSTANCE);
    }

    @Override
    public void encode(CustomerFigures f, OutputStream out) throws IOException {
      STRING.encode(f.customerId, out);
      VarLongCoder.of().encode(f.sales, out);
      BigDecimalCoder.of().encode(f.lifetimeRevenue, out);
      VarLongCoder.of().encode(f.orders, out);
      VarIntCoder.of().encode(f.revenueByCategory.size(), out);
      for (Map.Entry<String, BigDecimal> e : f.revenueByCategory.entrySet()) {
        STRING.encode(e.getKey(), out);
        BigDecimalCoder.of().encode(e.getValue(), out);
      }
      date(f.firstCompleted, out);
      date(f.lastCompleted, out);
      VarIntCoder.of().encode(f.months.size(), out);
      for (int i = 0; i < f.months.size(); i++) {
        date(f.months.get(i), out);
        BigDecimalCoder.of().encode(f.monthRevenue.get(i), out);
        VarLongCoder.of().encode(f.monthRevenueSales.get(i), out);
      }
      BigDecimalCoder.of().encode(f.headRevenue, out);
      VarLongCoder.of().encode(f.headRevenueSales, out);
    }

    @Override
    public CustomerFigures decode(InputStream in) throws IOException {
      String id = STRING.decode(in);
      long sales = VarLongCoder.of().decode(in);
      BigDecimal lifetime = BigDecimalCoder.of().decode(in);
      long orders = VarLongCoder.of().decode(in);
      int nc = VarIntCoder.of().decode(in);
      Map<String, BigDecimal> categories = new LinkedHashMap<>();
      for (int i = 0; i < nc; i++) {
        categories.put(STRING.decode(in), BigDecimalCoder.of().decode(in));
      }
      LocalDate first = date(in);
      LocalDate last = date(in);
      int nm = VarIntCoder.of().decode(in);
      List<LocalDate> months = new ArrayList<>(nm);
      List<BigDecimal> revenue = new ArrayList<>(nm);
      List<Long> revenueSales = new ArrayList<>(nm);
      for (int i = 0; i < nm; i++) {
        months.add(date(in));
        revenue.add(BigDecimalCoder.of().decode(in));
        revenueSales.add(VarLongCoder.of().decode(in));
      }
      return new CustomerFigures(
          id,
          sales,
          lifetime,
          orders,
          categories,
          first,
          last,
          months,
          revenue,
          revenueSales,
          BigDecimalCoder.of().decode(in),
          VarLongCoder.of().decode(in));
    }
  }

  /** {@link RankingMarts.CustomerWindow}: id, 12-month revenue, every month positive. */
  public static final class CustomerWindowCoder extends AtomicCoder<RankingMarts.CustomerWindow> {
    private static final CustomerWindowCoder INSTANCE = new CustomerWindowCoder();

    public static CustomerWindowCoder of() {
      return INSTANCE;
    }

    public static CoderProvider getCoderProvider() {
      return CoderProviders.forCoder(
          TypeDescriptor.of(RankingMarts.CustomerWindow.class), INSTANCE);
    }

    @Override
    public void encode(RankingMarts.CustomerWindow w, OutputStream out) throws IOException {
      STRING.encode(w.customerId, out);
      BigDecimalCoder.of().encode(w.revenue, out);
      BooleanCoder.of().encode(w.everyMonthPositive, out);
    }

    @Override
    public RankingMarts.CustomerWindow decode(InputStream in) throws IOException {
      return new RankingMarts.CustomerWindow(
          STRING.decode(in), BigDecimalCoder.of().decode(in), BooleanCoder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }

  /** {@link KpiCombines.Histograms}: each multiset as its size, then (value, count) ascending. */
  public static final class HistogramsCoder extends AtomicCoder<KpiCombines.Histograms> {
    private static final HistogramsCoder INSTANCE = new HistogramsCoder();

    public static HistogramsCoder of() {
      return INSTANCE;
    }

    public static CoderProvider getCoderProvider() {
      return CoderProviders.forCoder(TypeDescriptor.of(KpiCombines.Histograms.class), INSTANCE);
    }

    @Override
    public void encode(KpiCombines.Histograms h, OutputStream out) throws IOException {
      multiset(h.amounts, out);
      multiset(h.quantities, out);
    }

    @Override
    public KpiCombines.Histograms decode(InputStream in) throws IOException {
      KpiCombines.Histograms h = new KpiCombines.Histograms();
      multiset(in, h.amounts);
      multiset(in, h.quantities);
      return h;
    }

    private static void multiset(Map<BigDecimal, Long> m, OutputStream out) throws IOException {
      VarIntCoder.of().encode(m.size(), out);
      for (Map.Entry<BigDecimal, Long> e : m.entrySet()) {
        BigDecimalCoder.of().encode(e.getKey(), out);
        VarLongCoder.of().encode(e.getValue(), out);
      }
    }

    private static void multiset(InputStream in, Map<BigDecimal, Long> into) throws IOException {
      int n = VarIntCoder.of().decode(in);
      for (int i = 0; i < n; i++) {
        into.put(BigDecimalCoder.of().decode(in), VarLongCoder.of().decode(in));
      }
    }

    // TreeMap order: equal histograms encode equally
    @Override
    public void verifyDeterministic() {}
  }

  /** {@link KpiState.ZCandidate}: the sale, then its product's moments. */
  public static final class ZCandidateCoder extends AtomicCoder<KpiState.ZCandidate> {
    private static final ZCandidateCoder INSTANCE = new ZCandidateCoder();

    public static ZCandidateCoder of() {
      return INSTANCE;
    }

    public static CoderProvider getCoderProvider() {
      return CoderProviders.forCoder(TypeDescriptor.of(KpiState.ZCandidate.class), INSTANCE);
    }

    @Override
    public void encode(KpiState.ZCandidate z, OutputStream out) throws IOException {
      STRING.encode(z.transactionId, out);
      OPT_STRING.encode(z.productId, out);
      OPT_STRING.encode(z.customerId, out);
      BigDecimalCoder.of().encode(z.amount, out);
      VarLongCoder.of().encode(z.n, out);
      BigDecimalCoder.of().encode(z.sum, out);
      BigDecimalCoder.of().encode(z.sumSq, out);
    }

    @Override
    public KpiState.ZCandidate decode(InputStream in) throws IOException {
      return new KpiState.ZCandidate(
          STRING.decode(in),
          OPT_STRING.decode(in),
          OPT_STRING.decode(in),
          BigDecimalCoder.of().decode(in),
          VarLongCoder.of().decode(in),
          BigDecimalCoder.of().decode(in),
          BigDecimalCoder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
