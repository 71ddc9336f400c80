package io.c360.transforms.kpi;

import com.google.auto.value.AutoValue;
import io.c360.transforms.grouping.ShardedCoGroupByKey;
import io.c360.transforms.model.Entities;
import java.io.Serializable;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The per-customer marts of SPEC §4 for one as_of, from the customers' figures in the KPI state
 * ({@link CustomerFigures}) and their dimension versions: customer_ytd_spending,
 * customer_days_since_last_purchase, customer_revenue_by_period, customer_360, segment_share,
 * segment_changes_12m, and the rankings over 12-month revenue (top_customers,
 * consistent_top_customers, customer_value_band, numeric_stats of customer revenue). The DoFns live
 * with their grain: {@link CustomerMarts} (per customer), {@link RankingMarts} (all customers'
 * 12-month revenue at once), {@link SalesMarts} (dates, months, products, industries, sales
 * distributions) and {@link TrafficMarts} (customer × channel); the last two read the state
 * directly in {@link Marts}.
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
        KeyedPCollectionTuple.of(CustomerMarts.CustomerFn.FIGURES, figuresByCustomer)
            .and(CustomerMarts.CustomerFn.VERSIONS, versionsByCustomer)
            .apply("JoinFiguresToCustomers", ShardedCoGroupByKey.create())
            .apply(
                "CustomerMarts",
                ParDo.of(new CustomerMarts.CustomerFn(d, timezone(), categories()))
                    .withOutputTags(
                        CustomerMarts.CustomerFn.ROWS,
                        TupleTagList.of(CustomerMarts.CustomerFn.WINDOW)
                            .and(CustomerMarts.CustomerFn.SEGMENT)));
    outputs.add(perCustomer.get(CustomerMarts.CustomerFn.ROWS).setCoder(MartRowCoder.of()));

    // Rankings over the customers' 12-month revenue.
    outputs.add(
        perCustomer
            .get(CustomerMarts.CustomerFn.WINDOW)
            .setCoder(KpiCoders.CustomerWindowCoder.of())
            .apply("CollectCustomerRevenue", Combine.globally(new KpiCombines.ToList<>()))
            .apply("RankCustomers", ParDo.of(new RankingMarts.RankingFn(d))));

    // segment_share
    outputs.add(
        perCustomer
            .get(CustomerMarts.CustomerFn.SEGMENT)
            .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))
            .apply("CountSegments", Sum.longsPerKey())
            .apply("CollectSegments", Combine.globally(new KpiCombines.ToList<>()))
            .apply("SegmentShares", ParDo.of(new CustomerMarts.SegmentShareFn(d))));

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
}
