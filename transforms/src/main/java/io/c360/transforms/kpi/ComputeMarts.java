package io.c360.transforms.kpi;

import com.google.auto.value.AutoValue;
import io.c360.transforms.grouping.ShardedCoGroupByKey;
import io.c360.transforms.grouping.ShardedGroupByKey;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Computes every mart of SPEC §4 for one as_of from the dw inputs, as {@link MartRow}s.
 *
 * <p>Inputs (a {@link PCollectionTuple}): {@link #SALES} = fact_sales rows with sales_date &lt;= D
 * and their sale-time industry/category; {@link #CUSTOMERS} = every dim_customer version; {@link
 * #TRAFFIC} = fact_traffic rows with send_date &lt;= D. Definitions (lead's decisions on SPEC §4):
 *
 * <ul>
 *   <li>revenue = sum(amount) of completed and returned sales; cancelled count for nothing; windows
 *       are calendar dates inclusive of D; "(D − 12 months, D]" uses PostgreSQL month arithmetic.
 *   <li>per-customer population: customers whose version valid at the end of D exists and is not
 *       deleted, plus customers with any sale &lt;= D; attributes from the version valid at D, else
 *       the key's first version; customers without sales get zero rows (revenue 0, nulls).
 *   <li>orders = distinct coalesce(order_id, transaction_id) of completed sales; first/last
 *       purchase = completed sales only.
 *   <li>ties (top customers, industry rank) break by code-point order of the id (collation "C").
 *   <li>daily_sales/monthly_sales/product_performance have a row per group with any sale (any
 *       status) in scope; monthly covers the 12 calendar months ending with month(D), up to D.
 *   <li>consistent_top_customers.rank is the customer's rank in the full 12-month ranking.
 * </ul>
 *
 * <pre>{@code
 * PCollection<MartRow> rows = PCollectionTuple.of(ComputeMarts.SALES, sales)
 *     .and(ComputeMarts.CUSTOMERS, customers).and(ComputeMarts.TRAFFIC, traffic)
 *     .apply("ComputeEveryMart", ComputeMarts.forAsOf(asOf).withTimezone(tz));
 * }</pre>
 */
@AutoValue
public abstract class ComputeMarts extends PTransform<PCollectionTuple, PCollection<MartRow>> {
  public static final TupleTag<Sale> SALES = new TupleTag<>() {};
  public static final TupleTag<CustomerVersion> CUSTOMERS = new TupleTag<>() {};
  public static final TupleTag<TrafficRow> TRAFFIC = new TupleTag<>() {};

  static final String UNKNOWN = "Unknown";
  static final List<String> CATEGORIES =
      List.of(
          "Apps & Games",
          "Beauty",
          "Books",
          "Clothing Shoes & Accessories",
          "Kitchen",
          "Movies & TV",
          "Sports Fitness & Outdoors");

  abstract LocalDate asOf();

  abstract ZoneId timezone();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setAsOf(LocalDate d);

    abstract Builder setTimezone(ZoneId tz);

    abstract ComputeMarts build();
  }

  public static ComputeMarts forAsOf(LocalDate asOf) {
    if (asOf == null) {
      throw new IllegalArgumentException("asOf can not be null");
    }
    return new AutoValue_ComputeMarts.Builder().setAsOf(asOf).setTimezone(ZoneId.of("UTC")).build();
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
    for (TupleTag<?> t : List.of(SALES, CUSTOMERS, TRAFFIC)) {
      if (!input.has(t)) {
        throw new IllegalArgumentException("ComputeMarts needs input " + t.getId());
      }
    }
    LocalDate d = asOf();
    Periods periods = Periods.of(d);
    PCollection<Sale> sales = input.get(SALES);
    PCollection<CustomerVersion> customers = input.get(CUSTOMERS);
    PCollection<TrafficRow> traffic = input.get(TRAFFIC);
    List<PCollection<MartRow>> outputs = new ArrayList<>();

    // Per customer: history, per-period revenue, customer_360, segment changes.
    PCollection<KV<String, Sale>> salesByCustomer =
        sales.apply("KeySalesByCustomer", keyed(s -> s.customerId, Sale.class));
    PCollection<KV<String, CustomerVersion>> versionsByCustomer =
        customers.apply("KeyVersionsByCustomer", keyed(v -> v.customerId, CustomerVersion.class));
    PCollectionTuple perCustomer =
        KeyedPCollectionTuple.of(CustomerFn.SALES, salesByCustomer)
            .and(CustomerFn.VERSIONS, versionsByCustomer)
            .apply("JoinSalesToCustomers", ShardedCoGroupByKey.create())
            .apply(
                "CustomerMarts",
                ParDo.of(new CustomerFn(d, timezone()))
                    .withOutputTags(
                        CustomerFn.ROWS,
                        TupleTagList.of(CustomerFn.WINDOW).and(CustomerFn.SEGMENT)));
    outputs.add(perCustomer.get(CustomerFn.ROWS).setCoder(SerializableCoder.of(MartRow.class)));

    // Rankings over the customers' 12-month revenue.
    outputs.add(
        perCustomer
            .get(CustomerFn.WINDOW)
            .setCoder(SerializableCoder.of(CustomerWindow.class))
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

    // Sales-level marts over revenue-counting sales of the 12-month window.
    PCollection<Sale> window =
        sales.apply(
            "RevenueSales12m",
            Filter.by(s -> s.countsRevenue() && periods.inWindow12m(s.salesDate)));
    PCollection<KpiCombines.Histograms> histograms =
        window.apply("SalesHistograms", Combine.globally(new KpiCombines.SalesHistograms()));
    outputs.add(histograms.apply("SalesStats", ParDo.of(new SalesStatsFn(d))));
    PCollectionView<KpiCombines.Histograms> histogramView =
        histograms.apply("HistogramView", View.asSingleton());
    outputs.add(
        window.apply(
            "IqrQuantityAnomalies",
            ParDo.of(new IqrFn(d, histogramView)).withSideInputs(histogramView)));
    // Per-product moments as a combine, then one pass over the sales with them as a side input:
    // a grouped Iterable may be read only once on Flink batch, and a product's sales need not fit
    // in memory.
    PCollection<Sale> withProduct =
        window.apply("SalesWithProduct", Filter.by(s -> s.productId != null));
    PCollectionView<Map<String, Moments>> moments =
        withProduct
            .apply("KeyByProduct", keyed(s -> s.productId, Sale.class))
            .apply("AmountMomentsPerProduct", Combine.perKey(new MomentsFn()))
            .apply("MomentsView", View.asMap());
    outputs.add(
        withProduct.apply(
            "ZScoreAmountAnomalies", ParDo.of(new ZScoreFn(d, moments)).withSideInputs(moments)));
    outputs.add(
        window
            .apply(
                "IndustryAtSale",
                MapElements.into(
                        TypeDescriptors.kvs(
                            TypeDescriptors.strings(), TypeDescriptor.of(BigDecimal.class)))
                    .via(
                        s ->
                            KV.of(s.industryAtSale == null ? UNKNOWN : s.industryAtSale, s.amount)))
            .apply("SumByIndustry", Combine.perKey(KpiCombines::sum))
            .apply("CollectIndustries", Combine.globally(new KpiCombines.ToList<>()))
            .apply("IndustryExposure", ParDo.of(new IndustryFn(d))));

    // daily_sales, monthly_sales, product_performance
    PCollection<KV<String, Totals>> daily =
        groupTotals(
            "Daily",
            sales
                .apply("Sales12m", Filter.by(s -> periods.inWindow12m(s.salesDate)))
                .apply("KeyByDate", keyed(s -> s.salesDate.toString(), Sale.class)));
    outputs.add(daily.apply("DailySales", ParDo.of(new TotalsFn(d, MartTable.DAILY_SALES))));
    PCollection<KV<String, Totals>> monthly =
        groupTotals(
            "Monthly",
            sales
                .apply("SalesLast12Months", Filter.by(s -> periods.inMonthly12(s.salesDate)))
                .apply(
                    "KeyByMonth",
                    keyed(s -> s.salesDate.withDayOfMonth(1).toString(), Sale.class)));
    outputs.add(monthly.apply("MonthlySales", ParDo.of(new TotalsFn(d, MartTable.MONTHLY_SALES))));
    PCollection<KV<String, Totals>> products =
        groupTotals(
            "Product",
            sales
                .apply(
                    "ProductSales12m",
                    Filter.by(s -> s.productId != null && periods.inWindow12m(s.salesDate)))
                .apply(
                    "KeyByProductCategory",
                    keyed(s -> s.productId + SEP + s.categoryAtSale, Sale.class)));
    outputs.add(
        products.apply(
            "ProductPerformance", ParDo.of(new TotalsFn(d, MartTable.PRODUCT_PERFORMANCE))));

    // traffic_revenue_by_period
    outputs.add(
        traffic
            .apply(
                "KeyTrafficByPair", keyed(t -> t.customerId + SEP + t.channelId, TrafficRow.class))
            .apply("GroupTrafficByPair", ShardedGroupByKey.<TrafficRow>create())
            .apply("TrafficRevenueByPeriod", ParDo.of(new TrafficFn(d))));

    return PCollectionList.of(outputs)
        .apply("FlattenMarts", Flatten.pCollections())
        .setCoder(SerializableCoder.of(MartRow.class));
  }

  static final String SEP = "\u001f";

  private static <T extends Serializable> MapElements<T, KV<String, T>> keyed(
      org.apache.beam.sdk.transforms.SerializableFunction<T, String> key, Class<T> type) {
    return MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptor.of(type)))
        .via(x -> KV.of(key.apply(x), x));
  }

  /** Revenue, distinct orders and customers of completed sales, units of completed sales. */
  @org.apache.beam.sdk.coders.DefaultCoder(SerializableCoder.class)
  static final class Totals implements Serializable {
    BigDecimal revenue = BigDecimal.ZERO;
    long orders;
    long customers;
    long units;

    @Override
    public boolean equals(@Nullable Object other) {
      if (!(other instanceof Totals o)) {
        return false;
      }
      return java.util.Objects.equals(revenue, o.revenue)
          && java.util.Objects.equals(orders, o.orders)
          && java.util.Objects.equals(customers, o.customers)
          && java.util.Objects.equals(units, o.units);
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(revenue, orders, customers, units);
    }
  }

  /**
   * Group totals in one combine: revenue of revenue-counting sales; units, distinct orders and
   * distinct customers of completed sales. The distinct sets of one group (a day, a month, a
   * product) are held in memory, which bounds the group size this handles.
   */
  static PCollection<KV<String, Totals>> groupTotals(
      String prefix, PCollection<KV<String, Sale>> in) {
    return in.apply(prefix + "Totals", Combine.perKey(new TotalsCombineFn()));
  }

  @org.apache.beam.sdk.coders.DefaultCoder(SerializableCoder.class)
  static final class TotalsAcc implements Serializable {
    BigDecimal revenue = BigDecimal.ZERO;
    long units;
    HashSet<String> orders = new HashSet<>();
    HashSet<String> customers = new HashSet<>();

    @Override
    public boolean equals(@Nullable Object other) {
      return other instanceof TotalsAcc o
          && revenue.equals(o.revenue)
          && units == o.units
          && orders.equals(o.orders)
          && customers.equals(o.customers);
    }

    @Override
    public int hashCode() {
      return Objects.hash(revenue, units, orders, customers);
    }
  }

  static final class TotalsCombineFn
      extends KpiCombines.SerializableSaleCombineFn<TotalsAcc, Totals> {
    TotalsCombineFn() {
      super(TotalsAcc.class, Totals.class);
    }

    @Override
    public TotalsAcc createAccumulator() {
      return new TotalsAcc();
    }

    @Override
    public TotalsAcc addInput(TotalsAcc acc, Sale s) {
      acc.revenue = acc.revenue.add(s.revenue());
      if (s.completed()) {
        acc.units += s.quantity;
        acc.orders.add(s.orderKey());
        acc.customers.add(s.customerId);
      }
      return acc;
    }

    @Override
    public TotalsAcc mergeAccumulators(Iterable<TotalsAcc> accs) {
      TotalsAcc out = new TotalsAcc();
      for (TotalsAcc a : accs) {
        out.revenue = out.revenue.add(a.revenue);
        out.units += a.units;
        out.orders.addAll(a.orders);
        out.customers.addAll(a.customers);
      }
      return out;
    }

    @Override
    public Totals extractOutput(TotalsAcc acc) {
      Totals t = new Totals();
      t.revenue = acc.revenue;
      t.units = acc.units;
      t.orders = acc.orders.size();
      t.customers = acc.customers.size();
      return t;
    }
  }

  static final class TotalsFn extends DoFn<KV<String, Totals>, MartRow> {
    private final LocalDate asOf;
    private final MartTable table;

    TotalsFn(LocalDate asOf, MartTable table) {
      this.asOf = asOf;
      this.table = table;
    }

    @ProcessElement
    public void process(@Element KV<String, Totals> e, OutputReceiver<MartRow> out) {
      Totals t = e.getValue();
      BigDecimal revenue = KpiMath.round(t.revenue, 4);
      if (table == MartTable.PRODUCT_PERFORMANCE) {
        String[] key = e.getKey().split(SEP, 2);
        String category = "null".equals(key[1]) ? null : key[1];
        out.output(MartRow.of(table, asOf, key[0], category, revenue, t.units, t.orders));
      } else {
        out.output(
            MartRow.of(
                table, asOf, LocalDate.parse(e.getKey()), revenue, t.orders, t.customers, t.units));
      }
    }
  }

  /**
   * A customer's revenue over (D − 12 months, D] and whether each of the 12 full months was > 0.
   */
  @org.apache.beam.sdk.coders.DefaultCoder(SerializableCoder.class)
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
    static final TupleTag<Sale> SALES = new TupleTag<>() {};
    static final TupleTag<CustomerVersion> VERSIONS = new TupleTag<>() {};
    static final TupleTag<MartRow> ROWS = new TupleTag<>() {};
    static final TupleTag<CustomerWindow> WINDOW = new TupleTag<>() {};
    static final TupleTag<KV<String, Long>> SEGMENT = new TupleTag<>() {};

    private final LocalDate asOf;
    private final ZoneId tz;
    private final Counter customersOut = Metrics.counter("c360.kpi", "customers");

    CustomerFn(LocalDate asOf, ZoneId tz) {
      this.asOf = asOf;
      this.tz = tz;
    }

    @ProcessElement
    public void process(@Element KV<String, CoGbkResult> e, MultiOutputReceiver out) {
      String customerId = e.getKey();
      Periods p = Periods.of(asOf);
      List<CustomerVersion> versions = new ArrayList<>();
      e.getValue().getAll(VERSIONS).forEach(versions::add);
      versions.sort(Comparator.comparing(v -> v.validFrom));
      List<Sale> sales = new ArrayList<>();
      e.getValue().getAll(SALES).forEach(sales::add);

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
      if (!liveAtD && sales.isEmpty()) {
        return;
      }
      customersOut.inc();
      CustomerVersion attrs = atD != null ? atD : versions.isEmpty() ? null : versions.get(0);

      PeriodRevenue periods = new PeriodRevenue(p);
      BigDecimal lifetime = BigDecimal.ZERO;
      BigDecimal revenue12m = BigDecimal.ZERO;
      boolean any12m = false;
      BigDecimal[] months = new BigDecimal[12];
      java.util.Arrays.fill(months, BigDecimal.ZERO);
      BigDecimal[] byCategory = new BigDecimal[CATEGORIES.size()];
      java.util.Arrays.fill(byCategory, BigDecimal.ZERO);
      LocalDate first = null;
      LocalDate last = null;
      Set<String> orders = new HashSet<>();
      for (Sale s : sales) {
        if (s.salesDate.isAfter(asOf)) {
          continue;
        }
        if (s.completed()) {
          first = first == null || s.salesDate.isBefore(first) ? s.salesDate : first;
          last = last == null || s.salesDate.isAfter(last) ? s.salesDate : last;
          orders.add(s.orderKey());
        }
        if (!s.countsRevenue()) {
          continue;
        }
        periods.add(s.salesDate, s.amount);
        lifetime = lifetime.add(s.amount);
        int c = s.categoryAtSale == null ? -1 : CATEGORIES.indexOf(s.categoryAtSale);
        if (c >= 0) {
          byCategory[c] = byCategory[c].add(s.amount);
        }
        if (p.inWindow12m(s.salesDate)) {
          any12m = true;
          revenue12m = revenue12m.add(s.amount);
        }
        int m = p.fullMonthIndex(s.salesDate);
        if (m >= 0) {
          months[m] = months[m].add(s.amount);
        }
      }

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
          orders.isEmpty()
              ? null
              : KpiMath.round(
                  lifetime.divide(BigDecimal.valueOf(orders.size()), KpiMath.PRECISE), 4);
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
      row.add((long) orders.size());
      row.add(KpiMath.round(lifetime, 4));
      row.add(aov);
      for (BigDecimal c : byCategory) {
        row.add(KpiMath.round(c, 4));
      }
      row.add(customerType);
      row.add(churn);
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

  static final class IqrFn extends DoFn<Sale, MartRow> {
    private final LocalDate asOf;
    private final PCollectionView<KpiCombines.Histograms> view;

    IqrFn(LocalDate asOf, PCollectionView<KpiCombines.Histograms> view) {
      this.asOf = asOf;
      this.view = view;
    }

    @ProcessElement
    public void process(@Element Sale s, ProcessContext c) {
      KpiCombines.Histograms h = c.sideInput(view);
      BigDecimal q1 = KpiMath.percentileCont(h.quantities(), 0.25);
      BigDecimal q3 = KpiMath.percentileCont(h.quantities(), 0.75);
      if (q1 == null || q3 == null) {
        return;
      }
      BigDecimal[] fences = KpiMath.iqrFences(q1, q3);
      BigDecimal q = BigDecimal.valueOf(s.quantity);
      if (q.compareTo(fences[0]) < 0 || q.compareTo(fences[1]) > 0) {
        c.output(
            MartRow.of(
                MartTable.ANOMALIES,
                asOf,
                s.transactionId,
                "iqr_quantity",
                s.productId,
                s.customerId,
                KpiMath.round(q, 4),
                KpiMath.round(fences[0], 6),
                KpiMath.round(fences[1], 6),
                null));
      }
    }
  }

  /** Count, Σx and Σx² of sale amounts: exact, so the z-scores match PostgreSQL's. */
  static final class Moments implements Serializable {
    long n;
    BigDecimal sum = BigDecimal.ZERO;
    BigDecimal sumSq = BigDecimal.ZERO;

    @Override
    public boolean equals(@Nullable Object other) {
      return other instanceof Moments o
          && n == o.n
          && sum.compareTo(o.sum) == 0
          && sumSq.compareTo(o.sumSq) == 0;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(n);
    }
  }

  static final class MomentsFn extends KpiCombines.SerializableSaleCombineFn<Moments, Moments> {
    MomentsFn() {
      super(Moments.class, Moments.class);
    }

    @Override
    public Moments createAccumulator() {
      return new Moments();
    }

    @Override
    public Moments addInput(Moments acc, Sale s) {
      acc.n++;
      acc.sum = acc.sum.add(s.amount);
      acc.sumSq = acc.sumSq.add(s.amount.multiply(s.amount));
      return acc;
    }

    @Override
    public Moments mergeAccumulators(Iterable<Moments> accs) {
      Moments out = new Moments();
      for (Moments a : accs) {
        out.n += a.n;
        out.sum = out.sum.add(a.sum);
        out.sumSq = out.sumSq.add(a.sumSq);
      }
      return out;
    }

    @Override
    public Moments extractOutput(Moments acc) {
      return acc;
    }
  }

  static final class ZScoreFn extends DoFn<Sale, MartRow> {
    static final int MIN_SALES = 10;
    private final LocalDate asOf;
    private final PCollectionView<Map<String, Moments>> moments;

    ZScoreFn(LocalDate asOf, PCollectionView<Map<String, Moments>> moments) {
      this.asOf = asOf;
      this.moments = moments;
    }

    @ProcessElement
    public void process(@Element Sale s, ProcessContext c) {
      Moments m = c.sideInput(moments).get(s.productId);
      if (m == null || m.n < MIN_SALES) {
        return;
      }
      BigDecimal mean = m.sum.divide(BigDecimal.valueOf(m.n), KpiMath.PRECISE);
      BigDecimal z = KpiMath.zScore(s.amount, mean, KpiMath.sampleStddev(m.n, m.sum, m.sumSq));
      if (KpiMath.isZOutlier(z)) {
        c.output(
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

  static final class TrafficFn extends DoFn<KV<String, Iterable<TrafficRow>>, MartRow> {
    private final LocalDate asOf;

    TrafficFn(LocalDate asOf) {
      this.asOf = asOf;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<TrafficRow>> e, OutputReceiver<MartRow> out) {
      PeriodRevenue r = new PeriodRevenue(Periods.of(asOf));
      boolean any = false;
      for (TrafficRow t : e.getValue()) {
        if (!t.sendDate.isAfter(asOf)) {
          any = true;
          r.add(t.sendDate, t.revenue);
        }
      }
      if (!any) {
        return;
      }
      String[] key = e.getKey().split(SEP, 2);
      out.output(
          MartRow.of(
              MartTable.TRAFFIC_REVENUE_BY_PERIOD,
              asOf,
              key[0],
              key[1],
              r.mtd(),
              r.lastMonth(),
              r.lastQuarter(),
              r.quarterBefore(),
              r.ytd(),
              r.increasePctQoq()));
    }
  }
}
