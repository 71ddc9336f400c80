package io.c360.transforms.kpi;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * The sales and product grain of SPEC §4, read from the KPI state per date, month, product or
 * industry: daily_sales, monthly_sales, product_performance, industry_exposure, numeric_stats of
 * sales amount and quantity, and anomalies (IQR on quantity, z-score of amount).
 */
final class SalesMarts {
  private SalesMarts() {}

  /** daily_sales or monthly_sales: (date or month, revenue, orders, customers, units). */
  static final class TotalsMapper extends KpiState.AsOfMapper<MartRow> {
    private final MartTable table;

    TotalsMapper(MartTable table, LocalDate asOf) {
      super(asOf);
      this.table = table;
    }

    @Override
    public MartRow mapRow(ResultSet rs) throws Exception {
      return MartRow.of(
          table,
          asOf,
          rs.getObject(1, LocalDate.class),
          KpiMath.round(rs.getBigDecimal(2), 4),
          rs.getLong(3),
          rs.getLong(4),
          rs.getBigDecimal(5)); // units: numeric, a sum of 64-bit quantities (sql/V63)
    }
  }

  static final class ProductMapper extends KpiState.AsOfMapper<MartRow> {
    ProductMapper(LocalDate asOf) {
      super(asOf);
    }

    @Override
    public MartRow mapRow(ResultSet rs) throws Exception {
      String category = rs.getString(2);
      return MartRow.of(
          MartTable.PRODUCT_PERFORMANCE,
          asOf,
          rs.getString(1),
          category.isEmpty() ? null : category,
          KpiMath.round(rs.getBigDecimal(3), 4),
          rs.getBigDecimal(4), // units: numeric (sql/V63)
          rs.getLong(5));
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

  /**
   * The IQR fences [lower, upper] of the window's quantities, or none when it has no sales: always
   * one element, so the replace that takes it runs for every load.
   */
  static final class FencesFn extends DoFn<KpiCombines.Histograms, List<BigDecimal>> {
    @ProcessElement
    public void process(@Element KpiCombines.Histograms h, OutputReceiver<List<BigDecimal>> out) {
      BigDecimal q1 = KpiMath.percentileCont(h.quantities(), 0.25);
      BigDecimal q3 = KpiMath.percentileCont(h.quantities(), 0.75);
      out.output(q1 == null || q3 == null ? List.of() : List.of(KpiMath.iqrFences(q1, q3)));
    }
  }

  /**
   * The IQR outliers of the window into mart.anomalies, selected by PostgreSQL inside the replace's
   * transaction (the rows never cross to the runner): revenue sales of (D − 12 months, D] whose
   * quantity is outside the fences, with the fences rounded as the mart stores them. Parameters: D,
   * lower and upper rounded to 6 places, the window's exclusive start, D, lower, upper.
   */
  static final String IQR_INSERT_SQL =
      "INSERT INTO mart.anomalies (as_of, transaction_id, method, product_id, customer_id, value,"
          + " lower_bound, upper_bound, score)"
          + " SELECT ?, transaction_id, 'iqr_quantity', product_id, customer_id, quantity, ?, ?,"
          + " NULL FROM dw.fact_sales"
          + " WHERE sales_date > ? AND sales_date <= ? AND status IN ('completed', 'returned')"
          + " AND (quantity < ? OR quantity > ?)";

  /** Inserts D's IQR outliers (see {@link #IQR_INSERT_SQL}); returns the rows inserted. */
  static long insertIqrOutliers(java.sql.Connection c, LocalDate asOf, List<BigDecimal> fences)
      throws java.sql.SQLException {
    if (fences.isEmpty()) {
      return 0;
    }
    BigDecimal lower = fences.get(0);
    BigDecimal upper = fences.get(1);
    try (java.sql.PreparedStatement ps = c.prepareStatement(IQR_INSERT_SQL)) {
      ps.setObject(1, asOf);
      ps.setBigDecimal(2, KpiMath.round(lower, 6));
      ps.setBigDecimal(3, KpiMath.round(upper, 6));
      ps.setObject(4, KpiState.Bound.WINDOW_START.of(asOf));
      ps.setObject(5, asOf);
      ps.setBigDecimal(6, lower);
      ps.setBigDecimal(7, upper);
      return ps.executeUpdate();
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
}
