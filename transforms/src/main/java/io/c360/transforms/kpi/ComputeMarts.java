package io.c360.transforms.kpi;

import com.google.auto.value.AutoValue;
import io.c360.transforms.grouping.ShardedCoGroupByKey;
import io.c360.transforms.model.Entities;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The per-customer marts of SPEC §4 for one as_of, from the customers' figures in the KPI state
 * ({@link CustomerFigures}) and their dimension versions: customer_ytd_spending,
 * customer_days_since_last_purchase, customer_revenue_by_period, customer_360, segment_share,
 * segment_changes_12m, and the rankings over 12-month revenue (top_customers,
 * consistent_top_customers, customer_value_band, numeric_stats of customer revenue). The other
 * marts come straight from the state's reads in {@link Marts}; their DoFns live here too.
 *
 * <p>Definitions where SPEC §4 is silent:
 *
 * <ul>
 *   <li>revenue = sum(amount) of completed and returned sales; cancelled count for nothing; windows
 *       are calendar dates inclusive of D; "(D − 12 months, D]" uses PostgreSQL month arithmetic.
 *   <li>per-customer population: customers whose version valid at the end of D exists and is not
 *       deleted, plus customers with any sale &lt;= D; attributes from the version valid at D, else
 *       the key's first version; customers without sales get zero rows (revenue 0, nulls).
 *   <li>orders = distinct coalesce(order_id, transaction_id) of completed sales (the state counts
 *       them per date and takes off the extra dates of the few orders that span dates); first/last
 *       purchase = completed sales only.
 *   <li>ties (top customers, industry rank) break by code-point order of the id (collation "C").
 *   <li>daily_sales/monthly_sales/product_performance have a row per group with any sale (any
 *       status) in scope; monthly covers the 12 calendar months ending with month(D), up to D.
 *   <li>consistent_top_customers.rank is the customer's rank in the full 12-month ranking.
 * </ul>
 *
 * <pre>{@code
 * PCollection<MartRow> rows = PCollectionTuple.of(ComputeMarts.FIGURES, figures)
 *     .and(ComputeMarts.CUSTOMERS, versions)
 *     .apply("CustomerMarts", ComputeMarts.forAsOf(asOf).withTimezone(tz));
 * }</pre>
 */
@AutoValue
public abstract class ComputeMarts extends PTransform<PCollectionTuple, PCollection<MartRow>> {
  public static final TupleTag<CustomerFigures> FIGURES = new TupleTag<>() {};
  public static final TupleTag<CustomerVersion> CUSTOMERS = new TupleTag<>() {};

  static final String UNKNOWN = "Unknown";

  abstract LocalDate asOf();

  abstract ZoneId timezone();

  /** The declared categories (SPEC §1): customer_360 has one amount for each. */
  abstract List<String> categories();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setAsOf(LocalDate d);

    abstract Builder setTimezone(ZoneId tz);

    abstract Builder setCategories(List<String> categories);

    abstract ComputeMarts build();
  }

  public static ComputeMarts forAsOf(LocalDate asOf) {
    if (asOf == null) {
      throw new IllegalArgumentException("asOf can not be null");
    }
    return new AutoValue_ComputeMarts.Builder()
        .setAsOf(asOf)
        .setTimezone(ZoneId.of("UTC"))
        .setCategories(Entities.CATEGORIES)
        .build();
  }

  /** The run's accepted categories (a checks file may replace the model's list). */
  public ComputeMarts withCategories(List<String> categories) {
    if (categories == null || categories.isEmpty()) {
      throw new IllegalArgumentException("categories can not be empty");
    }
    return toBuilder().setCategories(List.copyOf(categories)).build();
  }

  public ComputeMarts withTimezone(ZoneId tz) {
    if (tz == null) {
      throw new IllegalArgumentException("timezone can not be null");
    }
    return toBuilder().setTimezone(tz).build();
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("asOf", asOf().toString()));
    builder.add(DisplayData.item("timezone", timezone().getId()));
  }

  @Override
  public PCollection<MartRow> expand(PCollectionTuple input) {
    for (TupleTag<?> t : List.of(FIGURES, CUSTOMERS)) {
      if (!input.has(t)) {
        throw new IllegalArgumentException("ComputeMarts needs input " + t.getId());
      }
    }
    LocalDate d = asOf();
    List<PCollection<MartRow>> outputs = new ArrayList<>();

    PCollection<KV<String, CustomerFigures>> figuresByCustomer =
        input
            .get(FIGURES)
            .apply("KeyFiguresByCustomer", keyed(f -> f.customerId, CustomerFigures.class));
    PCollection<KV<String, CustomerVersion>> versionsByCustomer =
        input
            .get(CUSTOMERS)
            .apply("KeyVersionsByCustomer", keyed(v -> v.customerId, CustomerVersion.class));
    PCollectionTuple perCustomer =
        KeyedPCollectionTuple.of(CustomerFn.FIGURES, figuresByCustomer)
            .and(CustomerFn.VERSIONS, versionsByCustomer)
            .apply("JoinFiguresToCustomers", ShardedCoGroupByKey.create())
            .apply(
                "CustomerMarts",
                ParDo.of(new CustomerFn(d, timezone(), categories()))
                    .withOutputTags(
                        CustomerFn.ROWS,
                        TupleTagList.of(CustomerFn.WINDOW).and(CustomerFn.SEGMENT)));
    outputs.add(perCustomer.get(CustomerFn.ROWS).setCoder(MartRowCoder.of()));

    // Rankings over the customers' 12-month revenue.
    outputs.add(
        perCustomer
            .get(CustomerFn.WINDOW)
            .setCoder(KpiCoders.CustomerWindowCoder.of())
            .apply("CollectCustomerRevenue", Combine.globally(new KpiCombines.ToList<>()))
            .apply("RankCustomers", ParDo.of(new RankingFn(d))));

    // segment_share
    outputs.add(
        perCustomer
            .get(CustomerFn.SEGMENT)
            .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))
            .apply("CountSegments", Sum.longsPerKey())
            .apply("CollectSegments", Combine.globally(new KpiCombines.ToList<>()))
            .apply("SegmentShares", ParDo.of(new SegmentShareFn(d))));

    return PCollectionList.of(outputs)
        .apply("FlattenCustomerMarts", Flatten.pCollections())
        .setCoder(MartRowCoder.of());
  }

  static final String SEP = "\u001f";

  private static <T extends Serializable> MapElements<T, KV<String, T>> keyed(
      org.apache.beam.sdk.transforms.SerializableFunction<T, String> key, Class<T> type) {
    return MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptor.of(type)))
        .via(x -> KV.of(key.apply(x), x));
  }

  /**
   * A customer's revenue over (D − 12 months, D] and whether each of the 12 full months was > 0.
   */
  @org.apache.beam.sdk.coders.DefaultCoder(KpiCoders.CustomerWindowCoder.class)
  static final class CustomerWindow implements Serializable {
    final String customerId;
    final BigDecimal revenue;
    final boolean everyMonthPositive;

    CustomerWindow(String customerId, BigDecimal revenue, boolean everyMonthPositive) {
      this.customerId = customerId;
      this.revenue = revenue;
      this.everyMonthPositive = everyMonthPositive;
    }

    @Override
    public boolean equals(@Nullable Object other) {
      if (!(other instanceof CustomerWindow o)) {
        return false;
      }
      return java.util.Objects.equals(customerId, o.customerId)
          && java.util.Objects.equals(revenue, o.revenue)
          && java.util.Objects.equals(everyMonthPositive, o.everyMonthPositive);
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(customerId, revenue, everyMonthPositive);
    }
  }

  static final class CustomerFn extends DoFn<KV<String, CoGbkResult>, MartRow> {
    static final TupleTag<CustomerFigures> FIGURES = new TupleTag<>() {};
    static final TupleTag<CustomerVersion> VERSIONS = new TupleTag<>() {};
    static final TupleTag<MartRow> ROWS = new TupleTag<>() {};
    static final TupleTag<CustomerWindow> WINDOW = new TupleTag<>() {};
    static final TupleTag<KV<String, Long>> SEGMENT = new TupleTag<>() {};

    private final LocalDate asOf;
    private final ZoneId tz;
    private final List<String> categories;
    private final Counter customersOut = Metrics.counter("c360.kpi", "customers");

    CustomerFn(LocalDate asOf, ZoneId tz, List<String> categories) {
      this.asOf = asOf;
      this.tz = tz;
      this.categories = categories;
    }

    @ProcessElement
    public void process(@Element KV<String, CoGbkResult> e, MultiOutputReceiver out) {
      String customerId = e.getKey();
      Periods p = Periods.of(asOf);
      List<CustomerVersion> versions = new ArrayList<>();
      e.getValue().getAll(VERSIONS).forEach(versions::add);
      versions.sort(Comparator.comparing(v -> v.validFrom));
      CustomerFigures f = null;
      for (CustomerFigures x : e.getValue().getAll(FIGURES)) {
        f = x;
      }

      segmentChanges(customerId, versions, p, out);
      CustomerVersion atD = null;
      for (CustomerVersion v : versions) {
        if (v.validJustBefore(p.endOfDay(tz))) {
          atD = v;
        }
      }
      boolean liveAtD = atD != null && !atD.deleted;
      if (liveAtD) {
        out.get(SEGMENT).output(KV.of(atD.segment == null ? UNKNOWN : atD.segment, 1L));
      }
      if (!liveAtD && f == null) {
        return;
      }
      customersOut.inc();
      CustomerVersion attrs = atD != null ? atD : versions.isEmpty() ? null : versions.get(0);

      PeriodRevenue periods = new PeriodRevenue(p);
      BigDecimal lifetime = BigDecimal.ZERO;
      BigDecimal revenue12m = BigDecimal.ZERO;
      long sales12m = 0;
      BigDecimal[] months = new BigDecimal[12];
      java.util.Arrays.fill(months, BigDecimal.ZERO);
      // declared order; a category no product of the customer's sales had is 0
      Map<String, BigDecimal> byCategory = new LinkedHashMap<>();
      categories.forEach(c -> byCategory.put(c, BigDecimal.ZERO));
      LocalDate first = null;
      LocalDate last = null;
      long orders = 0;
      if (f != null) {
        lifetime = f.lifetimeRevenue;
        orders = f.orders;
        first = f.firstCompleted;
        last = f.lastCompleted;
        for (Map.Entry<String, BigDecimal> c : byCategory.entrySet()) {
          c.setValue(f.revenueByCategory.getOrDefault(c.getKey(), BigDecimal.ZERO));
        }
        // the oldest month straddles the window's start: its head days are outside
        LocalDate oldest = p.window12mExclusiveStart().withDayOfMonth(1);
        for (int i = 0; i < f.months.size(); i++) {
          LocalDate month = f.months.get(i);
          BigDecimal revenue = f.monthRevenue.get(i);
          long revenueSales = f.monthRevenueSales.get(i);
          periods.add(month, revenue);
          if (month.equals(oldest)) {
            revenue12m = revenue12m.add(revenue).subtract(f.headRevenue);
            sales12m += revenueSales - f.headRevenueSales;
          } else if (month.isAfter(oldest)) {
            revenue12m = revenue12m.add(revenue);
            sales12m += revenueSales;
          }
          int m = p.fullMonthIndex(month);
          if (m >= 0) {
            months[m] = revenue;
          }
        }
      }
      boolean any12m = sales12m > 0;

      out.get(ROWS)
          .output(MartRow.of(MartTable.CUSTOMER_YTD_SPENDING, asOf, customerId, periods.ytd()));
      Integer days = last == null ? null : (int) ChronoUnit.DAYS.between(last, asOf);
      out.get(ROWS)
          .output(
              MartRow.of(
                  MartTable.CUSTOMER_DAYS_SINCE_LAST_PURCHASE, asOf, customerId, last, days));
      out.get(ROWS)
          .output(
              MartRow.of(
                  MartTable.CUSTOMER_REVENUE_BY_PERIOD,
                  asOf,
                  customerId,
                  periods.mtd(),
                  periods.lastMonth(),
                  periods.lastQuarter(),
                  periods.quarterBefore(),
                  periods.ytd(),
                  periods.increasePctQoq()));
      BigDecimal aov =
          orders == 0
              ? null
              : KpiMath.round(lifetime.divide(BigDecimal.valueOf(orders), KpiMath.PRECISE), 4);
      String customerType = first != null && p.inLast30Days(first) ? "new" : "returning";
      String churn = days == null || days > 90 ? "high" : days > 30 ? "medium" : "low";
      List<Object> row = new ArrayList<>();
      row.add(customerId);
      row.add(attrs == null ? null : attrs.accountId);
      row.add(attrs == null ? null : attrs.name);
      row.add(attrs == null ? null : attrs.email);
      row.add(attrs == null ? null : attrs.city);
      row.add(attrs == null ? null : attrs.country);
      row.add(attrs == null ? null : attrs.segment);
      row.add(attrs == null ? null : attrs.industry);
      row.add(attrs == null ? null : attrs.createdDate);
      row.add(first);
      row.add(last);
      row.add(orders);
      row.add(KpiMath.round(lifetime, 4));
      row.add(aov);
      // the SPEC's seven columns carry their category's amount when it is declared, else 0
      byCategory.replaceAll((c, amount) -> KpiMath.round(amount, 4));
      for (String c : Entities.CATEGORIES) {
        row.add(byCategory.getOrDefault(c, KpiMath.round(BigDecimal.ZERO, 4)));
      }
      row.add(customerType);
      row.add(churn);
      row.add(byCategory);
      out.get(ROWS).output(MartRow.of(MartTable.CUSTOMER_360, asOf, row.toArray()));

      if (any12m) {
        boolean every = true;
        for (BigDecimal m : months) {
          every &= m.signum() > 0;
        }
        out.get(WINDOW).output(new CustomerWindow(customerId, revenue12m, every));
      }
    }

    private void segmentChanges(
        String customerId, List<CustomerVersion> versions, Periods p, MultiOutputReceiver out) {
      for (int i = 1; i < versions.size(); i++) {
        CustomerVersion prev = versions.get(i - 1);
        CustomerVersion v = versions.get(i);
        if (v.deleted || Objects.equals(prev.segment, v.segment)) {
          continue;
        }
        LocalDate changeDate = LocalDate.ofInstant(v.validFrom, tz);
        if (p.inWindow12m(changeDate)) {
          out.get(ROWS)
              .output(
                  MartRow.of(
                      MartTable.SEGMENT_CHANGES_12M,
                      asOf,
                      customerId,
                      changeDate,
                      v.validFrom,
                      prev.segment,
                      v.segment));
        }
      }
    }
  }

  /** top_customers, consistent_top_customers, customer_value_band, numeric_stats of revenue. */
  static final class RankingFn extends DoFn<List<CustomerWindow>, MartRow> {
    static final int TOP = 20;
    private final LocalDate asOf;

    RankingFn(LocalDate asOf) {
      this.asOf = asOf;
    }

    @ProcessElement
    public void process(@Element List<CustomerWindow> in, OutputReceiver<MartRow> out) {
      List<CustomerWindow> ranked = new ArrayList<>(in);
      ranked.sort(
          Comparator.comparing((CustomerWindow c) -> c.revenue)
              .reversed()
              .thenComparing(c -> c.customerId));
      int n = ranked.size();
      for (int i = 0; i < Math.min(TOP, n); i++) {
        CustomerWindow c = ranked.get(i);
        out.output(
            MartRow.of(
                MartTable.TOP_CUSTOMERS, asOf, i + 1, c.customerId, KpiMath.round(c.revenue, 4)));
      }
      int topTenPercent = (n + 9) / 10;
      for (int i = 0; i < topTenPercent; i++) {
        CustomerWindow c = ranked.get(i);
        if (c.everyMonthPositive) {
          out.output(
              MartRow.of(
                  MartTable.CONSISTENT_TOP_CUSTOMERS,
                  asOf,
                  c.customerId,
                  KpiMath.round(c.revenue, 4),
                  i + 1));
        }
      }
      TreeMap<BigDecimal, Long> counts = new TreeMap<>();
      for (CustomerWindow c : ranked) {
        counts.merge(c.revenue, 1L, Long::sum);
      }
      KpiMath.Summary s = KpiMath.summarize(counts);
      out.output(statsRow(asOf, "customer_revenue_12m", s));
      if (n > 0) {
        BigDecimal q1 = KpiMath.round(s.q1, 6);
        BigDecimal q3 = KpiMath.round(s.q3, 6);
        for (CustomerWindow c : ranked) {
          out.output(
              MartRow.of(
                  MartTable.CUSTOMER_VALUE_BAND,
                  asOf,
                  c.customerId,
                  KpiMath.round(c.revenue, 4),
                  KpiMath.band(c.revenue, q1, q3)));
        }
      }
    }
  }

  static MartRow statsRow(LocalDate asOf, String metric, KpiMath.Summary s) {
    return MartRow.of(
        MartTable.NUMERIC_STATS,
        asOf,
        metric,
        s.n,
        KpiMath.round(s.min, 4),
        KpiMath.round(s.max, 4),
        KpiMath.round(s.mean, 6),
        KpiMath.round(s.median, 6),
        KpiMath.round(s.stddev, 6),
        KpiMath.round(s.q1, 6),
        KpiMath.round(s.q3, 6));
  }

  static final class SalesStatsFn extends DoFn<KpiCombines.Histograms, MartRow> {
    private final LocalDate asOf;

    SalesStatsFn(LocalDate asOf) {
      this.asOf = asOf;
    }

    @ProcessElement
    public void process(@Element KpiCombines.Histograms h, OutputReceiver<MartRow> out) {
      out.output(statsRow(asOf, "sales_amount", KpiMath.summarize(h.amounts())));
      out.output(statsRow(asOf, "sales_quantity", KpiMath.summarize(h.quantities())));
    }
  }

  /** The IQR fences of the window's quantities, when it has any. */
  static final class FencesFn extends DoFn<KpiCombines.Histograms, KV<BigDecimal, BigDecimal>> {
    @ProcessElement
    public void process(
        @Element KpiCombines.Histograms h, OutputReceiver<KV<BigDecimal, BigDecimal>> out) {
      BigDecimal q1 = KpiMath.percentileCont(h.quantities(), 0.25);
      BigDecimal q3 = KpiMath.percentileCont(h.quantities(), 0.75);
      if (q1 != null && q3 != null) {
        BigDecimal[] fences = KpiMath.iqrFences(q1, q3);
        out.output(KV.of(fences[0], fences[1]));
      }
    }
  }

  /** The exact z-score test of a candidate: |z| ≥ 3 within its product (≥ 10 sales). */
  static final class ZScoreFn extends DoFn<KpiState.ZCandidate, MartRow> {
    static final int MIN_SALES = 10;
    private final LocalDate asOf;

    ZScoreFn(LocalDate asOf) {
      this.asOf = asOf;
    }

    @ProcessElement
    public void process(@Element KpiState.ZCandidate s, OutputReceiver<MartRow> out) {
      if (s.n < MIN_SALES) {
        return;
      }
      BigDecimal mean = s.sum.divide(BigDecimal.valueOf(s.n), KpiMath.PRECISE);
      BigDecimal z = KpiMath.zScore(s.amount, mean, KpiMath.sampleStddev(s.n, s.sum, s.sumSq));
      if (KpiMath.isZOutlier(z)) {
        out.output(
            MartRow.of(
                MartTable.ANOMALIES,
                asOf,
                s.transactionId,
                "zscore_amount",
                s.productId,
                s.customerId,
                KpiMath.round(s.amount, 4),
                null,
                null,
                KpiMath.round(z, 6)));
      }
    }
  }

  static final class IndustryFn extends DoFn<List<KV<String, BigDecimal>>, MartRow> {
    private final LocalDate asOf;

    IndustryFn(LocalDate asOf) {
      this.asOf = asOf;
    }

    @ProcessElement
    public void process(@Element List<KV<String, BigDecimal>> in, OutputReceiver<MartRow> out) {
      List<KV<String, BigDecimal>> ranked = new ArrayList<>(in);
      ranked.sort(
          Comparator.comparing((KV<String, BigDecimal> kv) -> kv.getValue())
              .reversed()
              .thenComparing(KV::getKey));
      BigDecimal total = KpiCombines.sum(ranked.stream().map(KV::getValue).toList());
      for (int i = 0; i < ranked.size(); i++) {
        KV<String, BigDecimal> kv = ranked.get(i);
        BigDecimal share =
            total.signum() == 0
                ? null
                : KpiMath.round(kv.getValue().divide(total, KpiMath.PRECISE), 6);
        out.output(
            MartRow.of(
                MartTable.INDUSTRY_EXPOSURE,
                asOf,
                kv.getKey(),
                KpiMath.round(kv.getValue(), 4),
                share,
                i + 1));
      }
    }
  }

  static final class SegmentShareFn extends DoFn<List<KV<String, Long>>, MartRow> {
    private final LocalDate asOf;

    SegmentShareFn(LocalDate asOf) {
      this.asOf = asOf;
    }

    @ProcessElement
    public void process(@Element List<KV<String, Long>> in, OutputReceiver<MartRow> out) {
      long total = 0;
      for (KV<String, Long> kv : in) {
        total += kv.getValue();
      }
      for (KV<String, Long> kv : in) {
        BigDecimal pct =
            KpiMath.round(
                KpiMath.HUNDRED
                    .multiply(BigDecimal.valueOf(kv.getValue()))
                    .divide(BigDecimal.valueOf(total), KpiMath.PRECISE),
                4);
        out.output(MartRow.of(MartTable.SEGMENT_SHARE, asOf, kv.getKey(), kv.getValue(), pct));
      }
    }
  }
}
