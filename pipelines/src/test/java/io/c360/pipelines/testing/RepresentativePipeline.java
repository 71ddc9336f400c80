package io.c360.pipelines.testing;

import io.c360.transforms.jdbc.PgConnection;
import io.c360.transforms.jdbc.PgCopyWrite;
import io.c360.transforms.quality.Quarantine;
import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.math.BigDecimal;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.BigDecimalCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.Top;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A small stand-in for the daily pipeline with the same shape where runners differ: it reads the
 * day's sales CSV files ({@code <input>/sales/dt=YYYY-MM-DD/*.csv}), quarantines malformed rows,
 * groups by key (GroupByKey for daily sales, Combine.perKey + Top for top customers, a distinct for
 * the calendar) and writes idempotently to PostgreSQL with {@link PgCopyWrite}: {@code
 * mart.daily_sales}, {@code mart.top_customers}, {@code dw.dim_date} and {@code dq.rejected_rows}.
 * Runner tests call it through {@link PipelineUnderTest}, so swapping in the real daily pipeline is
 * one line there.
 */
public final class RepresentativePipeline implements Serializable {
  private static final long serialVersionUID = 1L;

  static final Schema SALE =
      Schema.builder()
          .addStringField("transaction_id")
          .addStringField("order_id")
          .addStringField("customer_id")
          .addInt64Field("quantity")
          .addDecimalField("amount")
          .addStringField("status")
          .addLogicalTypeField("sales_date", SqlTypes.DATE)
          .build();

  static final Schema DAILY_SALES =
      Schema.builder()
          .addLogicalTypeField("as_of", SqlTypes.DATE)
          .addLogicalTypeField("sales_date", SqlTypes.DATE)
          .addDecimalField("revenue")
          .addInt64Field("orders")
          .addInt64Field("customers")
          .addInt64Field("units")
          .build();

  static final Schema TOP_CUSTOMER =
      Schema.builder()
          .addLogicalTypeField("as_of", SqlTypes.DATE)
          .addInt32Field("rank")
          .addStringField("customer_id")
          .addDecimalField("revenue")
          .build();

  static final Schema DIM_DATE =
      Schema.builder()
          .addInt32Field("date_key")
          .addLogicalTypeField("date", SqlTypes.DATE)
          .addInt16Field("year")
          .addInt16Field("quarter")
          .addInt16Field("month")
          .addInt16Field("day")
          .addInt16Field("iso_week")
          .addInt16Field("day_of_week")
          .addLogicalTypeField("month_start", SqlTypes.DATE)
          .addLogicalTypeField("quarter_start", SqlTypes.DATE)
          .addBooleanField("is_weekend")
          .build();

  static final TupleTag<Row> PARSED = new TupleTag<Row>() {};
  static final TupleTag<Row> REJECTED = new TupleTag<Row>() {};

  private RepresentativePipeline() {}

  /** Wires one day into {@code p}: {@code <input>/sales/dt=<day>/*.csv} into {@code pg}. */
  public static void build(Pipeline p, String input, LocalDate day, long runId, PgConnection pg) {
    String pattern = input.replaceAll("/+$", "") + "/sales/dt=" + day + "/*.csv";
    PCollectionTuple parsed =
        p.apply("MatchSalesFiles", FileIO.match().filepattern(pattern))
            .apply("ReadSalesFiles", FileIO.readMatches())
            .apply(
                "ParseSales",
                ParDo.of(new ParseSalesFn()).withOutputTags(PARSED, TupleTagList.of(REJECTED)));
    PCollection<Row> sales = parsed.get(PARSED).setRowSchema(SALE);
    parsed
        .get(REJECTED)
        .setRowSchema(Quarantine.SCHEMA)
        .apply(
            "WriteRejects",
            PgCopyWrite.into("dq.rejected_rows")
                .withConnection(pg)
                // Plain COPY: PgCopyWrite's conflict path builds its buffer with LIKE … INCLUDING
                // DEFAULTS, which drops the identity of dq.rejected_rows.id (NOT NULL) and fails.
                .withConstant("run_id", runId));

    sales
        .apply("KeyBySalesDate", ParDo.of(new KeyByDateFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), sales.getCoder()))
        .apply("GroupBySalesDate", GroupByKey.create())
        .apply("SummariseDay", ParDo.of(new DailySalesFn(day)))
        .setRowSchema(DAILY_SALES)
        .apply(
            "WriteDailySales",
            PgCopyWrite.into("mart.daily_sales")
                .withConnection(pg)
                .withConflictColumns("as_of", "sales_date"));

    sales
        .apply("KeyRevenueByCustomer", ParDo.of(new CustomerRevenueFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), BigDecimalCoder.of()))
        .apply("SumRevenuePerCustomer", Combine.perKey(new SumDecimals()))
        .apply("Top20Customers", Top.of(20, new ByRevenueThenId()).withoutDefaults())
        .apply("RankTopCustomers", ParDo.of(new RankFn(day)))
        .setRowSchema(TOP_CUSTOMER)
        .apply(
            "WriteTopCustomers",
            PgCopyWrite.into("mart.top_customers")
                .withConnection(pg)
                .withConflictColumns("as_of", "rank"));

    sales
        .apply("KeyCalendarDate", ParDo.of(new DateKeyFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))
        .apply("DistinctSalesDates", Combine.perKey(Sum.ofLongs()))
        .apply("BuildCalendar", ParDo.of(new CalendarFn()))
        .setRowSchema(DIM_DATE)
        .apply(
            "WriteDimDate",
            PgCopyWrite.into("dw.dim_date").withConnection(pg).withConflictColumns("date_key"));
  }

  /**
   * Registers the run in {@code ops.pipeline_runs} and returns its id, as the daily pipeline does:
   * each run (a re-run too) gets a new id, and the same sequence of runs gets the same ids in every
   * database.
   */
  public static long startRun(PgConnection pg, LocalDate day, PipelineOptions options) {
    try (Connection c = pg.open();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO ops.pipeline_runs (pipeline, run_date, as_of, runner)"
                    + " VALUES ('representative', ?, ?, ?) RETURNING run_id")) {
      ps.setObject(1, day);
      ps.setObject(2, day);
      ps.setString(3, options.getRunner().getSimpleName());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot register the run in ops.pipeline_runs", e);
    }
  }

  /** CSV (RFC 4180, header by name) → {@link #SALE}; anything unparsable → quarantine. */
  static final class ParseSalesFn extends DoFn<FileIO.ReadableFile, Row> {
    private final Counter rejected = Metrics.counter("c360.representative", "rejected");
    private final Counter parsed = Metrics.counter("c360.representative", "parsed");

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, MultiOutputReceiver out)
        throws IOException {
      String name = file.getMetadata().resourceId().toString();
      try (Reader r = Channels.newReader(file.open(), StandardCharsets.UTF_8);
          CSVParser csv =
              CSVFormat.RFC4180
                  .builder()
                  .setHeader()
                  .setSkipHeaderRecord(true)
                  .setIgnoreHeaderCase(true)
                  .setTrim(true)
                  .build()
                  .parse(r)) {
        for (CSVRecord rec : csv) {
          // Record number with the header as 1 (the daily pipeline's ingest tracks physical lines).
          long line = rec.getRecordNumber() + 1;
          Map<String, String> raw = new LinkedHashMap<>();
          rec.toMap().forEach((k, v) -> raw.put(k.trim().toLowerCase(Locale.ROOT), v));
          String rule = null;
          String message = null;
          Row row = null;
          try {
            String id = raw.get("transaction_id");
            String customer = raw.get("customer_id");
            if (id == null || id.isEmpty()) {
              rule = "not_null:transaction_id";
              message = "transaction_id is empty";
            } else if (customer == null || customer.isEmpty()) {
              rule = "not_null:customer_id";
              message = "customer_id is empty";
            } else {
              String order = raw.get("order_id");
              String status = raw.getOrDefault("status", "");
              row =
                  Row.withSchema(SALE)
                      .addValues(
                          id,
                          order == null || order.isEmpty() ? id : order,
                          customer,
                          Long.parseLong(raw.get("quantity")),
                          new BigDecimal(raw.get("amount")),
                          status.isEmpty() ? "completed" : status.toLowerCase(),
                          OffsetDateTime.parse(raw.get("transaction_ts"))
                              .withOffsetSameInstant(ZoneOffset.UTC)
                              .toLocalDate())
                      .build();
            }
          } catch (NumberFormatException | DateTimeParseException | NullPointerException e) {
            rule = "type:" + typeColumn(raw);
            message = "unparsable value: " + e.getMessage();
          }
          if (row != null) {
            parsed.inc();
            out.get(PARSED).output(row);
          } else {
            rejected.inc();
            out.get(REJECTED)
                .output(
                    Quarantine.reject("sales", name, line, rule, message, Quarantine.toJson(raw)));
          }
        }
      }
    }

    private static String typeColumn(Map<String, String> raw) {
      for (String c : List.of("quantity", "amount")) {
        try {
          new BigDecimal(raw.get(c));
        } catch (NumberFormatException | NullPointerException e) {
          return c;
        }
      }
      return "transaction_ts";
    }
  }

  static final class KeyByDateFn extends DoFn<Row, KV<String, Row>> {
    @ProcessElement
    public void process(@Element Row sale, OutputReceiver<KV<String, Row>> out) {
      out.output(
          KV.of(
              sale.<LocalDate>getLogicalTypeValue("sales_date", LocalDate.class).toString(), sale));
    }
  }

  /**
   * Revenue counts completed and returned sales (returns are negative); cancelled count nothing.
   */
  static final class DailySalesFn extends DoFn<KV<String, Iterable<Row>>, Row> {
    private final LocalDate asOf;

    DailySalesFn(LocalDate asOf) {
      this.asOf = asOf;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<Row>> day, OutputReceiver<Row> out) {
      BigDecimal revenue = BigDecimal.ZERO;
      Set<String> orders = new TreeSet<>();
      Set<String> customers = new TreeSet<>();
      long units = 0;
      for (Row s : day.getValue()) {
        String status = s.getString("status");
        if (status.equals("cancelled")) {
          continue;
        }
        revenue = revenue.add(s.getDecimal("amount"));
        if (status.equals("completed")) {
          orders.add(s.getString("order_id"));
          customers.add(s.getString("customer_id"));
          units += s.getInt64("quantity");
        }
      }
      out.output(
          Row.withSchema(DAILY_SALES)
              .addValues(
                  asOf,
                  LocalDate.parse(day.getKey()),
                  revenue,
                  (long) orders.size(),
                  (long) customers.size(),
                  units)
              .build());
    }
  }

  static final class SumDecimals extends Combine.BinaryCombineFn<BigDecimal> {
    @Override
    public BigDecimal apply(BigDecimal left, BigDecimal right) {
      return left.add(right);
    }

    @Override
    public BigDecimal identity() {
      return BigDecimal.ZERO;
    }
  }

  static final class CustomerRevenueFn extends DoFn<Row, KV<String, BigDecimal>> {
    @ProcessElement
    public void process(@Element Row s, OutputReceiver<KV<String, BigDecimal>> out) {
      if (!s.getString("status").equals("cancelled")) {
        out.output(KV.of(s.getString("customer_id"), s.getDecimal("amount")));
      }
    }
  }

  /**
   * Highest revenue first; ties by customer_id ascending (so ranks do not depend on the runner).
   */
  static final class ByRevenueThenId
      implements java.util.Comparator<KV<String, BigDecimal>>, Serializable {
    @Override
    public int compare(KV<String, BigDecimal> a, KV<String, BigDecimal> b) {
      int c = a.getValue().compareTo(b.getValue());
      return c != 0 ? c : b.getKey().compareTo(a.getKey());
    }
  }

  static final class RankFn extends DoFn<List<KV<String, BigDecimal>>, Row> {
    private final LocalDate asOf;

    RankFn(LocalDate asOf) {
      this.asOf = asOf;
    }

    @ProcessElement
    public void process(@Element List<KV<String, BigDecimal>> top, OutputReceiver<Row> out) {
      List<KV<String, BigDecimal>> sorted = new ArrayList<>(top);
      sorted.sort(new ByRevenueThenId().reversed());
      for (int i = 0; i < sorted.size(); i++) {
        KV<String, BigDecimal> kv = sorted.get(i);
        out.output(
            Row.withSchema(TOP_CUSTOMER)
                .addValues(asOf, i + 1, kv.getKey(), kv.getValue())
                .build());
      }
    }
  }

  static final class DateKeyFn extends DoFn<Row, KV<String, Long>> {
    @ProcessElement
    public void process(@Element Row s, OutputReceiver<KV<String, Long>> out) {
      out.output(KV.of(s.getLogicalTypeValue("sales_date", LocalDate.class).toString(), 1L));
    }
  }

  static final class CalendarFn extends DoFn<KV<String, Long>, Row> {
    @ProcessElement
    public void process(@Element KV<String, Long> kv, OutputReceiver<Row> out) {
      LocalDate d = LocalDate.parse(kv.getKey());
      int q = (d.getMonthValue() - 1) / 3;
      out.output(
          Row.withSchema(DIM_DATE)
              .addValues(
                  d.getYear() * 10000 + d.getMonthValue() * 100 + d.getDayOfMonth(),
                  d,
                  (short) d.getYear(),
                  (short) (q + 1),
                  (short) d.getMonthValue(),
                  (short) d.getDayOfMonth(),
                  (short) d.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR),
                  (short) d.getDayOfWeek().getValue(),
                  d.withDayOfMonth(1),
                  LocalDate.of(d.getYear(), q * 3 + 1, 1),
                  d.getDayOfWeek().getValue() >= 6)
              .build());
    }
  }
}
