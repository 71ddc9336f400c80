package io.c360.transforms.kpi;

import io.c360.transforms.grouping.ShardedCoGroupByKey;
import io.c360.transforms.grouping.ShardedCountDistinct;
import io.c360.transforms.grouping.ShardedGroupByKey;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.BigDecimalCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.jdbc.JdbcIO;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The web grain of SPEC §8: funnel_daily (sessions per calendar date and event type over the 30
 * days ending D) and campaign_performance (reach and 7-day last-touch attribution over the 12-month
 * window). Dates are those of event_ts and transaction_ts in the run's timezone.
 *
 * <p>Definitions where SPEC §8 is silent:
 *
 * <ul>
 *   <li>funnel_daily has a row per date with any event (as daily_sales has per date with a sale);
 *       page_view counts towards sessions only.
 *   <li>campaign_performance: "events and sales in that window" is read literally — the sale's date
 *       and its touching event's date are both in (D − 12 months, D]. The look-back is 7 × 24 hours
 *       before transaction_ts (an instant, not calendar days), inclusive at both ends. A sale whose
 *       touch belongs to a campaign outside the listed ones stays with that campaign (it is not
 *       handed to another); attributed_revenue is the sum of the attributed completed sales'
 *       amounts; a campaign with nothing attributed has 0 orders and revenue 0. Reach and budget
 *       are the campaign's current (Type 1) attributes.
 * </ul>
 */
final class WebMarts {
  private WebMarts() {}

  static final int PAGE_VIEW = 1;
  static final int PRODUCT_VIEW = 2;
  static final int ADD_TO_CART = 4;
  static final int CHECKOUT = 8;
  static final int PURCHASE = 16;

  /** The last-touch look-back of SPEC §8. */
  static final Duration LOOK_BACK = Duration.ofDays(7);

  static int bit(String eventType) {
    return switch (eventType) {
      case "page_view" -> PAGE_VIEW;
      case "product_view" -> PRODUCT_VIEW;
      case "add_to_cart" -> ADD_TO_CART;
      case "checkout" -> CHECKOUT;
      case "purchase" -> PURCHASE;
      default -> 0; // any other type still makes the session count for its date
    };
  }

  /** Date, session and event type of every event of [D − 29, D], distinct. */
  static final String FUNNEL_SQL =
      "SELECT DISTINCT event_date, session_id, event_type FROM dw.fact_web_events"
          + " WHERE event_date >= ? AND event_date <= ?";

  static Object[] funnelParams(LocalDate d) {
    return new Object[] {d.minusDays(29), d};
  }

  /** (date \u001f session, event type bit). */
  static final class FunnelEventMapper implements JdbcIO.RowMapper<KV<String, Integer>> {
    @Override
    public KV<String, Integer> mapRow(ResultSet rs) throws Exception {
      return KV.of(
          rs.getObject(1, LocalDate.class) + ComputeMarts.SEP + rs.getString(2),
          bit(rs.getString(3)));
    }
  }

  /** (date \u001f session, its event type bits) to (date, the session's event types that date). */
  static final class SessionMaskFn
      extends DoFn<KV<String, Iterable<Integer>>, KV<String, Integer>> {
    @ProcessElement
    public void process(
        @Element KV<String, Iterable<Integer>> in, OutputReceiver<KV<String, Integer>> out) {
      int mask = 0;
      for (int b : in.getValue()) {
        mask |= b;
      }
      String key = in.getKey();
      out.output(KV.of(key.substring(0, key.indexOf(ComputeMarts.SEP)), mask));
    }
  }

  /** funnel_daily from the (date \u001f session, event types) of the window. */
  static PCollection<MartRow> funnel(PCollection<KV<String, Integer>> events, LocalDate asOf) {
    // One group per (date, session): sharded, as a plain Combine.perKey would make one Direct
    // runner bundle per session (bench/RESULTS.md, "§8 marts on the Direct runner").
    return events
        .apply("GroupSessionEvents", ShardedGroupByKey.create())
        .apply("SessionEventTypesByDate", ParDo.of(new SessionMaskFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), VarIntCoder.of()))
        .apply("CountSessionsPerDate", Combine.perKey(new FunnelCountFn()))
        .apply("FunnelRows", ParDo.of(new FunnelRowFn(asOf)))
        .setCoder(MartRowCoder.of());
  }

  /** Sessions, then sessions with a product view, add to cart, checkout, purchase. */
  static final class FunnelCountFn extends Combine.CombineFn<Integer, List<Long>, List<Long>> {
    static final int[] BITS = {PRODUCT_VIEW, ADD_TO_CART, CHECKOUT, PURCHASE};

    @Override
    public List<Long> createAccumulator() {
      return new ArrayList<>(List.of(0L, 0L, 0L, 0L, 0L));
    }

    @Override
    public List<Long> addInput(List<Long> acc, Integer mask) {
      acc.set(0, acc.get(0) + 1);
      for (int i = 0; i < BITS.length; i++) {
        if ((mask & BITS[i]) != 0) {
          acc.set(i + 1, acc.get(i + 1) + 1);
        }
      }
      return acc;
    }

    @Override
    public List<Long> mergeAccumulators(Iterable<List<Long>> accs) {
      List<Long> out = createAccumulator();
      for (List<Long> a : accs) {
        for (int i = 0; i < out.size(); i++) {
          out.set(i, out.get(i) + a.get(i));
        }
      }
      return out;
    }

    @Override
    public List<Long> extractOutput(List<Long> acc) {
      return acc;
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<List<Long>> getAccumulatorCoder(
        org.apache.beam.sdk.coders.CoderRegistry registry,
        org.apache.beam.sdk.coders.Coder<Integer> inputCoder) {
      return ListCoder.of(VarLongCoder.of());
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<List<Long>> getDefaultOutputCoder(
        org.apache.beam.sdk.coders.CoderRegistry registry,
        org.apache.beam.sdk.coders.Coder<Integer> inputCoder) {
      return ListCoder.of(VarLongCoder.of());
    }
  }

  static final class FunnelRowFn extends DoFn<KV<String, List<Long>>, MartRow> {
    private final LocalDate asOf;

    FunnelRowFn(LocalDate asOf) {
      this.asOf = asOf;
    }

    @ProcessElement
    public void process(@Element KV<String, List<Long>> in, OutputReceiver<MartRow> out) {
      List<Long> n = in.getValue();
      out.output(
          MartRow.of(
              MartTable.FUNNEL_DAILY,
              asOf,
              LocalDate.parse(in.getKey()),
              n.get(0),
              n.get(1),
              n.get(2),
              n.get(3),
              n.get(4),
              pct(n.get(2), n.get(1)),
              pct(n.get(4), n.get(2))));
    }
  }

  /** 100 × part / base, 4 decimals; null when the base is 0 (SPEC §8). */
  static @Nullable BigDecimal pct(long part, long base) {
    if (base == 0) {
      return null;
    }
    return KpiMath.round(
        KpiMath.HUNDRED
            .multiply(BigDecimal.valueOf(part))
            .divide(BigDecimal.valueOf(base), KpiMath.PRECISE),
        4);
  }

  // ---- campaign_performance

  /** Campaigns whose [start_date, end_date] (open when null) overlaps (D − 12 months, D]. */
  static final String CAMPAIGNS_SQL =
      "SELECT campaign_id, campaign_name, budget_eur FROM dw.dim_campaign"
          + " WHERE start_date <= ? AND (end_date IS NULL OR end_date > ?)";

  static Object[] campaignParams(LocalDate d) {
    return new Object[] {d, Periods.of(d).window12mExclusiveStart()};
  }

  static final Schema CAMPAIGN =
      Schema.builder()
          .addStringField("campaign_name")
          .addNullableField("budget_eur", Schema.FieldType.DECIMAL)
          .build();

  static final class CampaignMapper implements JdbcIO.RowMapper<KV<String, Row>> {
    @Override
    public KV<String, Row> mapRow(ResultSet rs) throws Exception {
      return KV.of(
          rs.getString(1),
          Row.withSchema(CAMPAIGN).addValues(rs.getString(2), rs.getBigDecimal(3)).build());
    }
  }

  /** Events with a campaign whose date is in the 12-month window. */
  static final String TOUCHES_SQL =
      "SELECT campaign_id, session_id, customer_id, event_ts FROM dw.fact_web_events"
          + " WHERE campaign_id IS NOT NULL AND event_date > ? AND event_date <= ?";

  static Object[] windowParams(LocalDate d) {
    return new Object[] {Periods.of(d).window12mExclusiveStart(), d};
  }

  static final Schema TOUCH =
      Schema.builder()
          .addStringField("campaign_id")
          .addStringField("session_id")
          .addNullableField("customer_id", Schema.FieldType.STRING)
          .addInt64Field("ts_micros")
          .build();

  static final class TouchMapper implements JdbcIO.RowMapper<Row> {
    @Override
    public Row mapRow(ResultSet rs) throws Exception {
      return Row.withSchema(TOUCH)
          .addValues(
              rs.getString(1),
              rs.getString(2),
              rs.getString(3),
              micros(rs.getObject(4, OffsetDateTime.class).toInstant()))
          .build();
    }
  }

  static long micros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
  }

  /**
   * Completed sales of the window whose customer has a campaign event in it (the others can not be
   * attributed): customer, transaction_ts, order key, amount.
   */
  static final String SALES_SQL =
      "SELECT s.customer_id, s.transaction_ts, coalesce(s.order_id, s.transaction_id), s.amount"
          + " FROM dw.fact_sales s WHERE s.status = 'completed' AND s.sales_date > ?"
          + " AND s.sales_date <= ? AND s.customer_id IN (SELECT e.customer_id"
          + "   FROM dw.fact_web_events e WHERE e.campaign_id IS NOT NULL"
          + "   AND e.customer_id IS NOT NULL AND e.event_date > ? AND e.event_date <= ?)";

  static Object[] salesParams(LocalDate d) {
    LocalDate from = Periods.of(d).window12mExclusiveStart();
    return new Object[] {from, d, from, d};
  }

  static final Schema SALE =
      Schema.builder()
          .addInt64Field("ts_micros")
          .addStringField("order_key")
          .addDecimalField("amount")
          .build();

  static final class SaleMapper implements JdbcIO.RowMapper<KV<String, Row>> {
    @Override
    public KV<String, Row> mapRow(ResultSet rs) throws Exception {
      return KV.of(
          rs.getString(1),
          Row.withSchema(SALE)
              .addValues(
                  micros(rs.getObject(2, OffsetDateTime.class).toInstant()),
                  rs.getString(3),
                  rs.getBigDecimal(4))
              .build());
    }
  }

  /**
   * The last touch of a sale at {@code saleMicros}: the campaign of the latest touch in [sale − 7
   * days, sale], the smaller campaign_id among touches at that same instant; null when none. {@code
   * touches} are (ts in µs, campaign_id) in any order.
   */
  static @Nullable String lastTouch(List<KV<Long, String>> touches, long saleMicros) {
    long from = saleMicros - LOOK_BACK.toNanos() / 1000;
    KV<Long, String> best = null;
    for (KV<Long, String> t : touches) {
      long ts = t.getKey();
      if (ts < from || ts > saleMicros) {
        continue;
      }
      if (best == null
          || ts > best.getKey()
          || (ts == best.getKey() && t.getValue().compareTo(best.getValue()) < 0)) {
        best = t;
      }
    }
    return best == null ? null : best.getValue();
  }

  static final TupleTag<Row> TOUCHES = new TupleTag<>() {};
  static final TupleTag<Row> SALES = new TupleTag<>() {};
  static final TupleTag<Row> CAMPAIGNS = new TupleTag<>() {};
  static final TupleTag<Long> SESSIONS = new TupleTag<>() {};
  static final TupleTag<Long> REACHED = new TupleTag<>() {};
  static final TupleTag<Long> ORDERS = new TupleTag<>() {};
  static final TupleTag<BigDecimal> REVENUE = new TupleTag<>() {};

  /** campaign_performance from the listed campaigns, the window's touches and sales. */
  static PCollection<MartRow> campaigns(
      PCollection<KV<String, Row>> campaigns,
      PCollection<Row> touches,
      PCollection<KV<String, Row>> sales,
      LocalDate asOf) {
    KvCoder<String, String> pairCoder = KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of());
    PCollection<KV<String, Long>> sessions =
        touches
            .apply(
                "CampaignSessions",
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
                    .via(t -> KV.of(t.getString("campaign_id"), t.getString("session_id"))))
            .setCoder(pairCoder)
            .apply("CountCampaignSessions", ShardedCountDistinct.create());
    PCollection<KV<String, Long>> reached =
        touches
            .apply("CampaignCustomers", ParDo.of(new CampaignCustomerFn()))
            .setCoder(pairCoder)
            .apply("CountCampaignCustomers", ShardedCountDistinct.create());
    PCollection<KV<String, Row>> touchesByCustomer =
        touches
            .apply("TouchesByCustomer", ParDo.of(new TouchByCustomerFn()))
            .setCoder(
                KvCoder.of(StringUtf8Coder.of(), org.apache.beam.sdk.coders.RowCoder.of(TOUCH)));
    PCollection<KV<String, KV<String, BigDecimal>>> attributed =
        KeyedPCollectionTuple.of(TOUCHES, touchesByCustomer)
            .and(SALES, sales)
            .apply("JoinTouchesToSales", ShardedCoGroupByKey.create())
            .apply("LastTouchAttribution", ParDo.of(new AttributeFn()))
            .setCoder(
                KvCoder.of(
                    StringUtf8Coder.of(), KvCoder.of(StringUtf8Coder.of(), BigDecimalCoder.of())));
    PCollection<KV<String, Long>> orders =
        attributed
            .apply(
                "AttributedOrderKeys",
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
                    .via(kv -> KV.of(kv.getKey(), kv.getValue().getKey())))
            .setCoder(pairCoder)
            .apply("CountAttributedOrders", ShardedCountDistinct.create());
    PCollection<KV<String, BigDecimal>> revenue =
        attributed
            .apply(
                "AttributedAmounts",
                MapElements.into(
                        TypeDescriptors.kvs(
                            TypeDescriptors.strings(), TypeDescriptors.bigdecimals()))
                    .via(kv -> KV.of(kv.getKey(), kv.getValue().getValue())))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), BigDecimalCoder.of()))
            .apply("SumAttributedRevenue", Combine.perKey(new SumDecimals()));
    return KeyedPCollectionTuple.of(CAMPAIGNS, campaigns)
        .and(SESSIONS, sessions)
        .and(REACHED, reached)
        .and(ORDERS, orders)
        .and(REVENUE, revenue)
        .apply("JoinCampaignFigures", ShardedCoGroupByKey.create())
        .apply("CampaignRows", ParDo.of(new CampaignRowFn(asOf)))
        .setCoder(MartRowCoder.of());
  }

  static final class SumDecimals implements SerializableFunction<Iterable<BigDecimal>, BigDecimal> {
    @Override
    public BigDecimal apply(Iterable<BigDecimal> xs) {
      return KpiCombines.sum(xs);
    }
  }

  static final class CampaignCustomerFn extends DoFn<Row, KV<String, String>> {
    @ProcessElement
    public void process(@Element Row t, OutputReceiver<KV<String, String>> out) {
      String customer = t.getString("customer_id");
      if (customer != null) {
        out.output(KV.of(t.getString("campaign_id"), customer));
      }
    }
  }

  static final class TouchByCustomerFn extends DoFn<Row, KV<String, Row>> {
    @ProcessElement
    public void process(@Element Row t, OutputReceiver<KV<String, Row>> out) {
      String customer = t.getString("customer_id");
      if (customer != null) {
        out.output(KV.of(customer, t));
      }
    }
  }

  /** Per customer: each sale to its last-touch campaign, as (campaign, (order key, amount)). */
  static final class AttributeFn
      extends DoFn<KV<String, CoGbkResult>, KV<String, KV<String, BigDecimal>>> {
    @ProcessElement
    public void process(
        @Element KV<String, CoGbkResult> in,
        OutputReceiver<KV<String, KV<String, BigDecimal>>> out) {
      List<KV<Long, String>> touches = new ArrayList<>();
      for (Row t : in.getValue().getAll(TOUCHES)) {
        touches.add(KV.of(t.getInt64("ts_micros"), t.getString("campaign_id")));
      }
      if (touches.isEmpty()) {
        return;
      }
      touches.sort(Comparator.comparing(KV::getKey));
      for (Row s : in.getValue().getAll(SALES)) {
        String campaign = lastTouch(touches, s.getInt64("ts_micros"));
        if (campaign != null) {
          out.output(KV.of(campaign, KV.of(s.getString("order_key"), s.getDecimal("amount"))));
        }
      }
    }
  }

  static final class CampaignRowFn extends DoFn<KV<String, CoGbkResult>, MartRow> {
    private final LocalDate asOf;

    CampaignRowFn(LocalDate asOf) {
      this.asOf = asOf;
    }

    @ProcessElement
    public void process(@Element KV<String, CoGbkResult> in, OutputReceiver<MartRow> out) {
      CoGbkResult r = in.getValue();
      Row campaign = r.getOnly(CAMPAIGNS, null);
      if (campaign == null) {
        return; // touched, but not overlapping the window: not reported
      }
      BigDecimal revenue = KpiMath.round(r.getOnly(REVENUE, BigDecimal.ZERO), 4);
      BigDecimal budget = campaign.getDecimal("budget_eur");
      BigDecimal roas =
          budget == null || budget.signum() == 0
              ? null
              : KpiMath.round(revenue.divide(budget, KpiMath.PRECISE), 6);
      out.output(
          MartRow.of(
              MartTable.CAMPAIGN_PERFORMANCE,
              asOf,
              in.getKey(),
              campaign.getString("campaign_name"),
              r.getOnly(SESSIONS, 0L),
              r.getOnly(REACHED, 0L),
              r.getOnly(ORDERS, 0L),
              revenue,
              budget == null ? null : KpiMath.round(budget, 4),
              roas));
    }
  }
}
