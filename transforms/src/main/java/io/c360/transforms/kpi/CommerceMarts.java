package io.c360.transforms.kpi;

import java.io.Serializable;
import java.sql.PreparedStatement;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.apache.beam.sdk.coders.BigDecimalCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.io.jdbc.JdbcIO;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;

/**
 * The marts of SPEC §8 (funnel_daily, campaign_performance, inventory_health; {@link WebMarts},
 * {@link InventoryMarts}) and §9 (next_best_category; {@link NextBestCategory}) for as_of D, from
 * reads of their windows only: the events of the 30 days ending D, the campaign events and
 * completed sales of (D − 12 months, D], the latest snapshot per product and shop on or before D,
 * the snapshots of the 12-month window. Takes the KPI stage's as_of trigger (so it reads after the
 * state's fold, like the other reads) and gives mart rows, replaced with the others.
 *
 * <pre>{@code
 * outputs.add(asOf.apply("WebCampaignInventoryMarts", CommerceMarts.of(ds, d, tz, categories)));
 * }</pre>
 */
final class CommerceMarts extends PTransform<PCollection<String>, PCollection<MartRow>> {
  private final JdbcIO.DataSourceConfiguration ds;
  private final LocalDate asOf;
  private final String timezone;
  private final List<String> categories;

  private CommerceMarts(
      JdbcIO.DataSourceConfiguration ds, LocalDate asOf, ZoneId tz, List<String> categories) {
    this.ds = ds;
    this.asOf = asOf;
    this.timezone = tz.getId();
    this.categories = List.copyOf(categories);
  }

  static CommerceMarts of(
      JdbcIO.DataSourceConfiguration ds, LocalDate asOf, ZoneId tz, List<String> categories) {
    return new CommerceMarts(ds, asOf, tz, categories);
  }

  /** Completed sales of (D − 12 months, D]: (customer, category at sale or null). */
  static final String PURCHASES_SQL =
      "SELECT DISTINCT customer_id, category_at_sale FROM dw.fact_sales"
          + " WHERE status = 'completed' AND sales_date > ? AND sales_date <= ?";

  @Override
  public PCollection<MartRow> expand(PCollection<String> trigger) {
    ZoneId tz = ZoneId.of(timezone);
    LocalDate d = asOf;
    KvCoder<String, String> nullableCategory =
        KvCoder.of(StringUtf8Coder.of(), NullableCoder.of(StringUtf8Coder.of()));

    PCollection<MartRow> funnel =
        WebMarts.funnel(
            trigger.apply(
                "ReadFunnelEvents",
                read(
                    WebMarts.FUNNEL_SQL,
                    WebMarts.funnelParams(d),
                    new WebMarts.FunnelEventMapper(),
                    KvCoder.of(StringUtf8Coder.of(), VarIntCoder.of()))),
            d);

    PCollection<MartRow> campaigns =
        WebMarts.campaigns(
            trigger.apply(
                "ReadCampaigns",
                read(
                    WebMarts.CAMPAIGNS_SQL,
                    WebMarts.campaignParams(d),
                    new WebMarts.CampaignMapper(),
                    KvCoder.of(StringUtf8Coder.of(), RowCoder.of(WebMarts.CAMPAIGN)))),
            trigger.apply(
                "ReadCampaignTouches",
                read(
                    WebMarts.TOUCHES_SQL,
                    WebMarts.windowParams(d),
                    new WebMarts.TouchMapper(),
                    RowCoder.of(WebMarts.TOUCH))),
            trigger.apply(
                "ReadTouchedSales",
                read(
                    WebMarts.SALES_SQL,
                    WebMarts.salesParams(d),
                    new WebMarts.SaleMapper(),
                    KvCoder.of(StringUtf8Coder.of(), RowCoder.of(WebMarts.SALE)))),
            d);

    KvCoder<String, org.apache.beam.sdk.values.Row> dayCoder =
        KvCoder.of(StringUtf8Coder.of(), RowCoder.of(InventoryMarts.DAY));
    PCollection<MartRow> inventory =
        InventoryMarts.health(
            trigger.apply(
                "ReadOnHand",
                read(
                    InventoryMarts.ON_HAND_SQL,
                    InventoryMarts.onHandParams(d),
                    new InventoryMarts.OnHandMapper(),
                    KvCoder.of(StringUtf8Coder.of(), BigDecimalCoder.of()))),
            trigger.apply(
                "ReadSnapshotDays",
                read(
                    InventoryMarts.SNAPSHOTS_SQL,
                    InventoryMarts.windowParams(d),
                    new InventoryMarts.DayMapper(true),
                    dayCoder)),
            trigger.apply(
                "ReadUnitsSold",
                read(
                    InventoryMarts.UNITS_SQL,
                    InventoryMarts.windowParams(d),
                    new InventoryMarts.DayMapper(false),
                    dayCoder)),
            trigger.apply(
                "ReadProductCategories",
                read(
                    InventoryMarts.CATEGORY_SQL,
                    InventoryMarts.categoryParams(d, tz),
                    new InventoryMarts.CategoryMapper(),
                    KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))),
            d);

    PCollection<MartRow> nextBest =
        trigger
            .apply(
                "ReadCategoryPurchases",
                read(
                    PURCHASES_SQL,
                    InventoryMarts.windowParams(d),
                    new PurchaseMapper(),
                    nullableCategory))
            .apply(
                "RankUnboughtCategories", NextBestCategory.forAsOf(d).withCategories(categories));

    return PCollectionList.of(List.of(funnel, campaigns, inventory, nextBest))
        .apply("FlattenCommerceMarts", Flatten.pCollections())
        .setCoder(MartRowCoder.of());
  }

  static final class PurchaseMapper implements JdbcIO.RowMapper<KV<String, String>> {
    @Override
    public KV<String, String> mapRow(java.sql.ResultSet rs) throws Exception {
      return KV.of(rs.getString(1), rs.getString(2));
    }
  }

  private <T> JdbcIO.ReadAll<String, T> read(
      String sql, Object[] params, JdbcIO.RowMapper<T> mapper, Coder<T> coder) {
    return JdbcIO.<String, T>readAll()
        .withDataSourceConfiguration(ds)
        .withQuery(sql)
        .withParameterSetter(new Params(params))
        .withRowMapper(mapper)
        .withCoder(coder)
        .withOutputParallelization(false);
  }

  /** Binds fixed values (dates, instants, a timezone name) in order; the element is ignored. */
  static final class Params implements JdbcIO.PreparedStatementSetter<String> {
    private final Serializable[] values;

    Params(Object... values) {
      this.values = new Serializable[values.length];
      for (int i = 0; i < values.length; i++) {
        this.values[i] = (Serializable) values[i];
      }
    }

    @Override
    public void setParameters(String asOf, PreparedStatement ps) throws Exception {
      for (int i = 0; i < values.length; i++) {
        ps.setObject(i + 1, values[i]);
      }
    }
  }
}
