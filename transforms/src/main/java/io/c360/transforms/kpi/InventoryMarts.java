package io.c360.transforms.kpi;

import io.c360.transforms.grouping.ShardedCoGroupByKey;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.time.ZoneId;
import org.apache.beam.sdk.io.jdbc.JdbcIO;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;

/**
 * inventory_health of SPEC §8: per product with a snapshot on or before D or a completed sale in (D
 * − 12 months, D], stock on hand (each shop's latest snapshot ≤ D, summed), units sold over the 30
 * days ending D, days of cover, shop-days out of stock in those 30 days and the 12-month turnover.
 *
 * <p>Definitions where SPEC §8 is silent: on_hand is null for a product with no snapshot on or
 * before D (unknown, not zero; days_of_cover is then null too); category is that of the product's
 * version valid at the end of D, else of its first version; days_of_cover has 4 decimals,
 * turnover_12m 6.
 */
final class InventoryMarts {
  private InventoryMarts() {}

  /**
   * Each (product, shop)'s latest snapshot on or before D, found by a skip scan of the (product_id,
   * shop_id, snapshot_date) index (sql/V67): two index probes per pair, not a read of the history.
   */
  static final String ON_HAND_SQL =
      "WITH RECURSIVE k AS ("
          + "  (SELECT product_id, shop_id FROM dw.fact_inventory ORDER BY product_id, shop_id"
          + "   LIMIT 1)"
          + "  UNION ALL"
          + "  SELECT n.product_id, n.shop_id FROM k CROSS JOIN LATERAL ("
          + "    SELECT i.product_id, i.shop_id FROM dw.fact_inventory i"
          + "    WHERE (i.product_id, i.shop_id) > (k.product_id, k.shop_id)"
          + "    ORDER BY i.product_id, i.shop_id LIMIT 1) n)"
          + " SELECT k.product_id, l.on_hand FROM k CROSS JOIN LATERAL ("
          + "   SELECT i.on_hand FROM dw.fact_inventory i WHERE i.product_id = k.product_id"
          + "   AND i.shop_id = k.shop_id AND i.snapshot_date <= ?"
          + "   ORDER BY i.snapshot_date DESC LIMIT 1) l";

  static Object[] onHandParams(LocalDate d) {
    return new Object[] {d};
  }

  /** Per product and snapshot date of the 12-month window: on_hand summed, shops at zero. */
  static final String SNAPSHOTS_SQL =
      "SELECT product_id, snapshot_date, sum(on_hand), count(*) FILTER (WHERE on_hand = 0)"
          + " FROM dw.fact_inventory WHERE snapshot_date > ? AND snapshot_date <= ?"
          + " GROUP BY product_id, snapshot_date";

  /** Per product and date of the 12-month window: units of completed sales. */
  static final String UNITS_SQL =
      "SELECT product_id, sales_date, sum(quantity) FROM dw.fact_sales"
          + " WHERE status = 'completed' AND product_id IS NOT NULL"
          + " AND sales_date > ? AND sales_date <= ? GROUP BY product_id, sales_date";

  static Object[] windowParams(LocalDate d) {
    return new Object[] {Periods.of(d).window12mExclusiveStart(), d};
  }

  /** Each product's category: the version valid at the end of D, else its first version. */
  static final String CATEGORY_SQL =
      "SELECT DISTINCT ON (product_id) product_id, category FROM dw.dim_product"
          + " ORDER BY product_id, valid_from < ? DESC,"
          + " CASE WHEN valid_from < ? THEN valid_from END DESC, valid_from";

  static Object[] categoryParams(LocalDate d, ZoneId tz) {
    Object end = d.plusDays(1).atStartOfDay(tz).toOffsetDateTime();
    return new Object[] {end, end};
  }

  static final Schema DAY =
      Schema.builder()
          .addLogicalTypeField("date", org.apache.beam.sdk.schemas.logicaltypes.SqlTypes.DATE)
          .addDecimalField("units") // on_hand summed over shops, or units sold
          .addInt64Field("zero_shops")
          .build();

  static final class OnHandMapper implements JdbcIO.RowMapper<KV<String, BigDecimal>> {
    @Override
    public KV<String, BigDecimal> mapRow(ResultSet rs) throws Exception {
      return KV.of(rs.getString(1), rs.getBigDecimal(2));
    }
  }

  /** (product, (date, amount, shops at zero)) of a snapshot or sales query. */
  static final class DayMapper implements JdbcIO.RowMapper<KV<String, Row>> {
    private final boolean snapshots;

    DayMapper(boolean snapshots) {
      this.snapshots = snapshots;
    }

    @Override
    public KV<String, Row> mapRow(ResultSet rs) throws Exception {
      return KV.of(
          rs.getString(1),
          Row.withSchema(DAY)
              .addValues(
                  rs.getObject(2, LocalDate.class),
                  rs.getBigDecimal(3),
                  snapshots ? rs.getLong(4) : 0L)
              .build());
    }
  }

  static final class CategoryMapper implements JdbcIO.RowMapper<KV<String, String>> {
    @Override
    public KV<String, String> mapRow(ResultSet rs) throws Exception {
      return KV.of(rs.getString(1), rs.getString(2));
    }
  }

  static final TupleTag<BigDecimal> ON_HAND = new TupleTag<>() {};
  static final TupleTag<Row> SNAPSHOTS = new TupleTag<>() {};
  static final TupleTag<Row> UNITS = new TupleTag<>() {};
  static final TupleTag<String> CATEGORY = new TupleTag<>() {};

  static PCollection<MartRow> health(
      PCollection<KV<String, BigDecimal>> onHand,
      PCollection<KV<String, Row>> snapshots,
      PCollection<KV<String, Row>> units,
      PCollection<KV<String, String>> categories,
      LocalDate asOf) {
    return KeyedPCollectionTuple.of(ON_HAND, onHand)
        .and(SNAPSHOTS, snapshots)
        .and(UNITS, units)
        .and(CATEGORY, categories)
        .apply("JoinProductStock", ShardedCoGroupByKey.create())
        .apply("InventoryHealth", ParDo.of(new HealthFn(asOf)))
        .setCoder(MartRowCoder.of());
  }

  static final class HealthFn extends DoFn<KV<String, CoGbkResult>, MartRow> {
    private static final BigDecimal THIRTY = BigDecimal.valueOf(30);
    private final LocalDate asOf;

    HealthFn(LocalDate asOf) {
      this.asOf = asOf;
    }

    @ProcessElement
    public void process(@Element KV<String, CoGbkResult> in, OutputReceiver<MartRow> out) {
      CoGbkResult r = in.getValue();
      Periods p = Periods.of(asOf);
      BigDecimal onHand = null;
      for (BigDecimal shop : r.getAll(ON_HAND)) {
        onHand = onHand == null ? shop : onHand.add(shop);
      }
      BigDecimal units12m = BigDecimal.ZERO;
      BigDecimal units30d = BigDecimal.ZERO;
      boolean sold = false;
      for (Row day : r.getAll(UNITS)) {
        sold = true;
        units12m = units12m.add(day.getDecimal("units"));
        if (p.inLast30Days(day.getLogicalTypeValue("date", LocalDate.class))) {
          units30d = units30d.add(day.getDecimal("units"));
        }
      }
      if (onHand == null && !sold) {
        return; // neither a snapshot on or before D nor a completed sale in the window
      }
      long dates = 0;
      BigDecimal stock = BigDecimal.ZERO;
      long stockouts = 0;
      for (Row day : r.getAll(SNAPSHOTS)) {
        dates++;
        stock = stock.add(day.getDecimal("units"));
        if (p.inLast30Days(day.getLogicalTypeValue("date", LocalDate.class))) {
          stockouts += day.getInt64("zero_shops");
        }
      }
      BigDecimal cover =
          onHand == null || units30d.signum() == 0
              ? null
              : KpiMath.round(onHand.multiply(THIRTY).divide(units30d, KpiMath.PRECISE), 4);
      // units / (stock / dates) = units × dates / stock
      BigDecimal turnover =
          dates == 0 || stock.signum() == 0
              ? null
              : KpiMath.round(
                  units12m.multiply(BigDecimal.valueOf(dates)).divide(stock, KpiMath.PRECISE), 6);
      out.output(
          MartRow.of(
              MartTable.INVENTORY_HEALTH,
              asOf,
              in.getKey(),
              r.getOnly(CATEGORY, null),
              onHand,
              units30d,
              cover,
              stockouts,
              turnover));
    }
  }
}
