package io.c360.transforms.kpi;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import org.apache.beam.sdk.transforms.DoFn;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The ranking grain of SPEC §4: all customers' 12-month revenue at once gives top_customers,
 * consistent_top_customers, customer_value_band and numeric_stats of customer revenue.
 */
final class RankingMarts {
  private RankingMarts() {}

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
      out.output(SalesMarts.statsRow(asOf, "customer_revenue_12m", s));
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
}
