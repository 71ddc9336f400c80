package io.c360.transforms.kpi;

import com.google.auto.value.AutoValue;
import io.c360.transforms.jdbc.PgConnection;
import io.c360.transforms.jdbc.PgCopyWrite;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.UUID;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.jdbc.JdbcIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.Wait;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The KPI stage of a daily run: reads the dw tables as of D, computes every mart of SPEC §4 with
 * {@link ComputeMarts} and replaces each mart's rows for D atomically.
 *
 * <p>Rows are first copied into {@code staging.mart_rows} under a fresh load id (idempotent per row
 * key); after {@code Wait.on} that copy, one transaction deletes {@code mart.* WHERE as_of = D},
 * inserts the staged rows and clears them, so readers see the old or the new marts, never a mix.
 * History comes from SCD2 versions and facts (sales_date &lt;= D), never from "now", so a re-run
 * for a past D reproduces the marts of that day. Outputs one (mart, rows written) pair per mart
 * once the transaction has committed.
 *
 * <pre>{@code
 * PCollection<KV<String, Long>> written =
 *     p.apply("ComputeAndReplaceMarts", Marts.forAsOf(asOf).withConnection(pg).withTimezone(tz));
 * // or: Marts.computeAndReplace(p, pg, asOf, tz);
 * }</pre>
 */
@AutoValue
public abstract class Marts extends PTransform<PBegin, PCollection<KV<String, Long>>> {
  static final String SALES_SQL =
      "SELECT s.transaction_id, s.order_id, s.customer_id, s.product_id, s.sales_date,"
          + " s.quantity, s.amount, s.status, c.industry, p.category"
          + " FROM dw.fact_sales s JOIN dw.dim_customer c ON c.customer_sk = s.customer_sk"
          + " LEFT JOIN dw.dim_product p ON p.product_sk = s.product_sk"
          + " WHERE s.sales_date >= ? AND s.sales_date < ? AND s.sales_date <= ?";
  static final String FIRST_SALE_SQL =
      "SELECT min(sales_date) FROM dw.fact_sales WHERE sales_date <= ? HAVING count(*) > 0";
  static final String CUSTOMERS_SQL =
      "SELECT customer_id, account_id, name, email, city, country, segment, industry,"
          + " created_date, valid_from, valid_to, is_deleted FROM dw.dim_customer";
  static final String TRAFFIC_SQL =
      "SELECT customer_id, channel_id, send_date, revenue_eur FROM dw.fact_traffic"
          + " WHERE send_date <= ?";
  static final Schema STAGED =
      Schema.builder()
          .addStringField("mart")
          .addStringField("row_key")
          .addStringField("payload")
          .build();

  abstract @Nullable LocalDate asOf();

  abstract @Nullable PgConnection connection();

  abstract ZoneId timezone();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setAsOf(LocalDate d);

    abstract Builder setConnection(PgConnection c);

    abstract Builder setTimezone(ZoneId tz);

    abstract Marts build();
  }

  /** The KPI stage for as_of D (the run date unless --asOf is given). */
  public static Marts forAsOf(LocalDate asOf) {
    if (asOf == null) {
      throw new IllegalArgumentException("asOf can not be null");
    }
    return new AutoValue_Marts.Builder().setAsOf(asOf).setTimezone(ZoneId.of("UTC")).build();
  }

  public Marts withConnection(PgConnection pg) {
    if (pg == null) {
      throw new IllegalArgumentException("connection can not be null");
    }
    return toBuilder().setConnection(pg).build();
  }

  /** The run's --timezone: calendar dates of SCD2 valid_from and the end of D are taken there. */
  public Marts withTimezone(ZoneId tz) {
    if (tz == null) {
      throw new IllegalArgumentException("timezone can not be null");
    }
    return toBuilder().setTimezone(tz).build();
  }

  /** Wires the whole KPI stage into {@code p}; returns (mart, rows written) after the commit. */
  public static PCollection<KV<String, Long>> computeAndReplace(
      Pipeline p, PgConnection pg, LocalDate asOf, ZoneId tz) {
    return p.apply("ComputeAndReplaceMarts", forAsOf(asOf).withConnection(pg).withTimezone(tz));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.addIfNotNull(DisplayData.item("asOf", String.valueOf(asOf())));
    builder.add(DisplayData.item("timezone", timezone().getId()));
  }

  @Override
  public PCollection<KV<String, Long>> expand(PBegin input) {
    if (connection() == null) {
      throw new IllegalStateException("Marts.withConnection() is required");
    }
    LocalDate d = asOf();
    PgConnection pg = connection();
    JdbcIO.DataSourceConfiguration ds = pg.toDataSourceConfiguration();

    PCollection<Sale> sales =
        input
            .apply(
                "ReadFirstSaleDate",
                JdbcIO.<String>read()
                    .withDataSourceConfiguration(ds)
                    .withQuery(FIRST_SALE_SQL)
                    .withStatementPreparator(new AsOfParameter(d))
                    .withRowMapper(new FirstDateMapper())
                    .withCoder(StringUtf8Coder.of())
                    .withOutputParallelization(false)) // one row
            .apply("SalesMonths", ParDo.of(new MonthsFn(d)))
            .apply("SpreadSalesMonths", Reshuffle.viaRandomKey())
            .apply(
                "ReadSales",
                JdbcIO.<String, Sale>readAll()
                    .withDataSourceConfiguration(ds)
                    .withQuery(SALES_SQL)
                    .withParameterSetter(new MonthParameters(d))
                    .withRowMapper(new SaleMapper())
                    .withCoder(SerializableCoder.of(Sale.class))
                    // the month ranges are already spread by SpreadSalesMonths
                    .withOutputParallelization(false));
    PCollection<CustomerVersion> customers =
        input.apply(
            "ReadCustomerVersions",
            JdbcIO.<CustomerVersion>read()
                .withDataSourceConfiguration(ds)
                .withQuery(CUSTOMERS_SQL)
                .withRowMapper(new CustomerMapper())
                .withCoder(SerializableCoder.of(CustomerVersion.class))
                // the join regroups them anyway; JdbcIO's reshuffle is one Direct bundle per row
                .withOutputParallelization(false));
    PCollection<TrafficRow> traffic =
        input.apply(
            "ReadTraffic",
            JdbcIO.<TrafficRow>read()
                .withDataSourceConfiguration(ds)
                .withQuery(TRAFFIC_SQL)
                .withStatementPreparator(new AsOfParameter(d))
                .withRowMapper(new TrafficMapper())
                .withCoder(SerializableCoder.of(TrafficRow.class))
                // grouped by pair next anyway; JdbcIO's reshuffle is one Direct bundle per row
                .withOutputParallelization(false));

    PCollection<MartRow> rows =
        PCollectionTuple.of(ComputeMarts.SALES, sales)
            .and(ComputeMarts.CUSTOMERS, customers)
            .and(ComputeMarts.TRAFFIC, traffic)
            .apply("ComputeEveryMart", ComputeMarts.forAsOf(d).withTimezone(timezone()));

    String loadId = UUID.randomUUID().toString();
    // No regrouping before the COPY: on the Direct runner a GroupByKey copies its buffered rows
    // once per upstream bundle (quadratic in practice); the upstream groups are already sharded.
    PCollection<Long> staged =
        rows.apply("ToStagedRows", ParDo.of(new ToStagedRowsFn()))
            .setRowSchema(STAGED)
            .apply(
                "StageMartRows",
                PgCopyWrite.into("staging.mart_rows")
                    .withConnection(pg)
                    .withConstant("load_id", loadId)
                    .withConstant("as_of", d.toString())
                    .withConflictColumns("load_id", "mart", "row_key"));

    return input
        .apply("ReplaceTrigger", Create.of(loadId))
        .apply("AfterStaging", Wait.on(staged))
        .apply("ReplaceMarts", ParDo.of(new ReplaceFn(pg, d)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));
  }

  static final class ToStagedRowsFn extends DoFn<MartRow, Row> {
    @ProcessElement
    public void process(@Element MartRow r, OutputReceiver<Row> out) {
      out.output(
          Row.withSchema(STAGED).addValues(r.table().tableName(), r.rowKey(), r.toJson()).build());
    }
  }

  /** One transaction: for every mart, delete as_of = D and insert the staged rows. */
  static final class ReplaceFn extends DoFn<String, KV<String, Long>> {
    private final PgConnection pg;
    private final LocalDate asOf;
    private final Counter replaced = Metrics.counter("c360.kpi", "martRowsReplaced");

    ReplaceFn(PgConnection pg, LocalDate asOf) {
      this.pg = pg;
      this.asOf = asOf;
    }

    @ProcessElement
    public void process(@Element String loadId, OutputReceiver<KV<String, Long>> out)
        throws SQLException {
      java.util.Map<String, Long> written = new java.util.LinkedHashMap<>();
      try (Connection c = pg.open()) {
        c.setAutoCommit(false);
        try {
          try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            // one replacer per as_of at a time; the key space is this stage's own
            lock.setLong(1, 0x4b50_4900_0000_0000L + asOf.toEpochDay());
            lock.execute();
          }
          // numeric_stats always stages rows, so none left means a retry after the commit: the
          // marts already hold this load and must not be emptied
          boolean alreadyApplied;
          try (PreparedStatement staged =
              c.prepareStatement("SELECT count(*) FROM staging.mart_rows WHERE load_id = ?")) {
            staged.setString(1, loadId);
            try (ResultSet rs = staged.executeQuery()) {
              rs.next();
              alreadyApplied = rs.getLong(1) == 0;
            }
          }
          for (MartTable t : MartTable.values()) {
            if (alreadyApplied) {
              try (PreparedStatement count =
                  c.prepareStatement(
                      "SELECT count(*) FROM " + t.qualifiedName() + " WHERE as_of = ?")) {
                count.setObject(1, asOf);
                try (ResultSet rs = count.executeQuery()) {
                  rs.next();
                  written.put(t.tableName(), rs.getLong(1));
                }
              }
              continue;
            }
            try (PreparedStatement del =
                    c.prepareStatement("DELETE FROM " + t.qualifiedName() + " WHERE as_of = ?");
                PreparedStatement ins =
                    c.prepareStatement(
                        "INSERT INTO "
                            + t.qualifiedName()
                            + " SELECT r.* FROM staging.mart_rows s CROSS JOIN LATERAL"
                            + " jsonb_populate_record(NULL::"
                            + t.qualifiedName()
                            + ", s.payload) r WHERE s.load_id = ? AND s.mart = ?")) {
              del.setObject(1, asOf);
              del.executeUpdate();
              ins.setString(1, loadId);
              ins.setString(2, t.tableName());
              written.put(t.tableName(), (long) ins.executeUpdate());
            }
          }
          try (PreparedStatement clear =
              c.prepareStatement(
                  "DELETE FROM staging.mart_rows WHERE load_id = ?"
                      + " OR created_at < now() - interval '2 days'")) {
            clear.setString(1, loadId);
            clear.executeUpdate();
          }
          c.commit();
        } catch (SQLException | RuntimeException e) {
          c.rollback();
          throw e;
        }
      }
      for (java.util.Map.Entry<String, Long> e : written.entrySet()) {
        replaced.inc(e.getValue());
        out.output(KV.of(e.getKey(), e.getValue()));
      }
    }
  }

  static final class AsOfParameter implements JdbcIO.StatementPreparator {
    private final LocalDate asOf;

    AsOfParameter(LocalDate asOf) {
      this.asOf = asOf;
    }

    @Override
    public void setParameters(PreparedStatement ps) throws Exception {
      ps.setObject(1, asOf);
    }
  }

  static final class FirstDateMapper implements JdbcIO.RowMapper<String> {
    @Override
    public String mapRow(ResultSet rs) throws Exception {
      return rs.getObject(1, LocalDate.class).toString();
    }
  }

  /** Splits [first sale month, month(D)] into months, so sales are read in parallel ranges. */
  static final class MonthsFn extends DoFn<String, String> {
    private final LocalDate asOf;

    MonthsFn(LocalDate asOf) {
      this.asOf = asOf;
    }

    @ProcessElement
    public void process(@Element String first, OutputReceiver<String> out) {
      for (LocalDate m = LocalDate.parse(first).withDayOfMonth(1);
          !m.isAfter(asOf);
          m = m.plusMonths(1)) {
        out.output(m.toString());
      }
    }
  }

  static final class MonthParameters implements JdbcIO.PreparedStatementSetter<String> {
    private final LocalDate asOf;

    MonthParameters(LocalDate asOf) {
      this.asOf = asOf;
    }

    @Override
    public void setParameters(String monthStart, PreparedStatement ps) throws Exception {
      LocalDate m = LocalDate.parse(monthStart);
      ps.setObject(1, m);
      ps.setObject(2, m.plusMonths(1));
      ps.setObject(3, asOf);
    }
  }

  static final class SaleMapper implements JdbcIO.RowMapper<Sale> {
    @Override
    public Sale mapRow(ResultSet rs) throws Exception {
      return new Sale(
          rs.getString(1),
          rs.getString(2),
          rs.getString(3),
          rs.getString(4),
          rs.getObject(5, LocalDate.class),
          rs.getLong(6),
          rs.getBigDecimal(7),
          rs.getString(8),
          rs.getString(9),
          rs.getString(10));
    }
  }

  static final class CustomerMapper implements JdbcIO.RowMapper<CustomerVersion> {
    @Override
    public CustomerVersion mapRow(ResultSet rs) throws Exception {
      return new CustomerVersion(
          rs.getString(1),
          rs.getString(2),
          rs.getString(3),
          rs.getString(4),
          rs.getString(5),
          rs.getString(6),
          rs.getString(7),
          rs.getString(8),
          rs.getObject(9, LocalDate.class),
          rs.getObject(10, OffsetDateTime.class).toInstant(),
          rs.getObject(11, OffsetDateTime.class).toInstant(),
          rs.getBoolean(12));
    }
  }

  static final class TrafficMapper implements JdbcIO.RowMapper<TrafficRow> {
    @Override
    public TrafficRow mapRow(ResultSet rs) throws Exception {
      return new TrafficRow(
          rs.getString(1), rs.getString(2), rs.getObject(3, LocalDate.class), rs.getBigDecimal(4));
    }
  }
}
