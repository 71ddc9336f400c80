package io.c360.transforms.kpi;

import io.c360.transforms.model.Entities;
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
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;

/**
 * The customer grain of SPEC §4: one customer's figures from the KPI state and its dimension
 * versions give its rows of customer_ytd_spending, customer_days_since_last_purchase,
 * customer_revenue_by_period, customer_360 and segment_changes_12m, its 12-month window for the
 * rankings ({@link RankingMarts}) and its segment for segment_share.
 */
final class CustomerMarts {
  private CustomerMarts() {}

  static final class CustomerFn extends DoFn<KV<String, CoGbkResult>, MartRow> {
    static final TupleTag<CustomerFigures> FIGURES = new TupleTag<>() {};
    static final TupleTag<CustomerVersion> VERSIONS = new TupleTag<>() {};
    static final TupleTag<MartRow> ROWS = new TupleTag<>() {};
    static final TupleTag<RankingMarts.CustomerWindow> WINDOW = new TupleTag<>() {};
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
        out.get(SEGMENT)
            .output(KV.of(atD.segment == null ? ComputeMarts.UNKNOWN : atD.segment, 1L));
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
        out.get(WINDOW).output(new RankingMarts.CustomerWindow(customerId, revenue12m, every));
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
