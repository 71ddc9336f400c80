package io.c360.transforms.kpi;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.jupiter.api.Test;

/** Edge cases of the KPI computation on tiny in-memory inputs (no database). */
class ComputeMartsTest implements Serializable {
  static final LocalDate D = LocalDate.of(2025, 4, 1);
  static final Instant EARLY = Instant.parse("2024-01-01T00:00:00Z");
  static final Instant OPEN = Instant.parse("9999-12-31T00:00:00Z");

  static CustomerVersion version(String id, String segment, Instant from, Instant to, boolean del) {
    return new CustomerVersion(
        id, null, "N " + id, null, null, null, segment, "Tech", null, from, to, del);
  }

  /** One customer's figures with all its revenue sales in one month of D's window. */
  static CustomerFigures figures(
      String customer, long sales, String revenue, long orders, String lastCompleted) {
    BigDecimal r = new BigDecimal(revenue);
    LocalDate last = lastCompleted == null ? null : LocalDate.parse(lastCompleted);
    return new CustomerFigures(
        customer,
        sales,
        r,
        orders,
        java.util.Map.of("Books", r),
        last,
        last,
        List.of(LocalDate.of(2025, 3, 1)),
        List.of(r),
        List.of(1L),
        BigDecimal.ZERO,
        0L);
  }

  static List<MartRow> of(Iterable<MartRow> rows, MartTable t) {
    List<MartRow> out = new ArrayList<>();
    StreamSupport.stream(rows.spliterator(), false).filter(r -> r.table() == t).forEach(out::add);
    return out;
  }

  @Test
  void edgeCasesNoSalesOneSaleTiesAndDeletedCustomers() {
    PipelineOptions options = PipelineOptionsFactory.create();
    options.setRunner(DirectRunner.class);
    Pipeline p = Pipeline.create(options);
    Instant deletedAt = Instant.parse("2025-02-01T00:00:00Z");
    PCollection<CustomerVersion> customers =
        p.apply(
            "Customers",
            Create.of(
                version("A", "SMB", EARLY, OPEN, false), // ties with B
                version("B", "SMB", EARLY, OPEN, false),
                version("Z", null, EARLY, OPEN, false), // no sales at all
                version("X", "Enterprise", EARLY, deletedAt, false), // deleted, no sales
                version("X", "Enterprise", deletedAt, OPEN, true),
                version("F", "SMB", Instant.parse("2025-06-01T00:00:00Z"), OPEN, false)));
    PCollection<CustomerFigures> figures =
        p.apply(
            "Figures",
            Create.of(
                figures("B", 1, "50.0000", 1, "2025-03-01"),
                // a completed sale of 50 on 2025-03-02 and a cancelled one, which counts nothing
                figures("A", 2, "50.0000", 1, "2025-03-02"),
                // a return on 2025-03-04, before F's first version
                figures("F", 1, "-5.0000", 0, null)));
    PCollection<MartRow> rows =
        PCollectionTuple.of(ComputeMarts.FIGURES, figures)
            .and(ComputeMarts.CUSTOMERS, customers)
            .apply(
                "ComputeMarts", ComputeMarts.forAsOf(D).withTimezone(ZoneId.of("Europe/Berlin")));
    PAssert.that(rows)
        .satisfies(
            all -> {
              List<String> ytd = new ArrayList<>();
              of(all, MartTable.CUSTOMER_YTD_SPENDING)
                  .forEach(r -> ytd.add(r.get("customer_id") + "=" + r.get("ytd_spending")));
              // X is deleted without sales: out; Z has no sales: a zero row; F sold before its
              // first version: in, with its first version's attributes
              assertThat(
                  ytd, containsInAnyOrder("A=50.0000", "B=50.0000", "Z=0.0000", "F=-5.0000"));
              List<MartRow> top = of(all, MartTable.TOP_CUSTOMERS);
              assertThat(top.size(), equalTo(3));
              for (MartRow r : top) {
                int rank = (Integer) r.get("rank");
                String expected = rank == 1 ? "A" : rank == 2 ? "B" : "F"; // tie broken by id
                assertThat(r.get("customer_id"), equalTo(expected));
              }
              for (MartRow r : of(all, MartTable.NUMERIC_STATS)) {
                assertThat(r.get("metric"), equalTo("customer_revenue_12m"));
                assertThat(r.get("n"), equalTo(3L));
              }
              for (MartRow r : of(all, MartTable.CUSTOMER_360)) {
                if (r.get("customer_id").equals("Z")) {
                  assertThat(r.get("orders"), equalTo(0L));
                  assertThat(r.get("avg_order_value"), nullValue());
                  assertThat(r.get("churn_risk"), equalTo("high"));
                  assertThat(r.get("customer_type"), equalTo("returning"));
                }
                if (r.get("customer_id").equals("A")) {
                  // first purchase 2025-03-02 is D - 30: outside [D - 29, D]; 30 days is not > 30
                  assertThat(r.get("customer_type"), equalTo("returning"));
                  assertThat(r.get("churn_risk"), equalTo("low"));
                }
                if (r.get("customer_id").equals("B")) {
                  assertThat(r.get("churn_risk"), equalTo("medium")); // 31 days
                }
              }
              List<String> segments = new ArrayList<>();
              of(all, MartTable.SEGMENT_SHARE)
                  .forEach(r -> segments.add(r.get("segment") + "=" + r.get("customers")));
              // F's first version starts after D: not a current customer; X is deleted
              assertThat(segments, containsInAnyOrder("SMB=2", "Unknown=1"));
              return null;
            });
    p.run().waitUntilFinish();
  }

  @Test
  void oneCustomerHasRevenueStatsWithoutStddev() {
    PipelineOptions options = PipelineOptionsFactory.create();
    options.setRunner(DirectRunner.class);
    Pipeline p = Pipeline.create(options);
    PCollection<MartRow> rows =
        PCollectionTuple.of(
                ComputeMarts.FIGURES,
                p.apply("Figures", Create.of(figures("A", 1, "12.5000", 1, "2025-03-01"))))
            .and(
                ComputeMarts.CUSTOMERS,
                p.apply("Customers", Create.of(version("A", "SMB", EARLY, OPEN, false))))
            .apply("ComputeMarts", ComputeMarts.forAsOf(D));
    PAssert.that(rows)
        .satisfies(
            all -> {
              for (MartRow r : of(all, MartTable.NUMERIC_STATS)) {
                assertThat(r.get("n"), equalTo(1L));
                assertThat(r.get("stddev"), nullValue());
              }
              assertThat(of(all, MartTable.NUMERIC_STATS).size(), equalTo(1));
              List<MartRow> band = of(all, MartTable.CUSTOMER_VALUE_BAND);
              assertThat(band.size(), equalTo(1));
              assertThat(band.get(0).get("band"), equalTo("Mid"));
              return null;
            });
    p.run().waitUntilFinish();
  }
}
