package io.c360.transforms.kpi;

import com.google.auto.value.AutoValue;
import io.c360.transforms.jdbc.PgConnection;
import io.c360.transforms.jdbc.PgCopyWrite;
import io.c360.transforms.model.Entities;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.BigDecimalCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.jdbc.JdbcIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Wait;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
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
 * The IQR outliers of anomalies are not staged: the same transaction selects them from the facts
 * with the fences that the Beam histogram combine computed (only the fences cross the wire).
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
  static final Schema STAGED =
      Schema.builder()
          .addStringField("mart")
          .addStringField("row_key")
          .addStringField("payload")
          .build();

  abstract @Nullable LocalDate asOf();

  abstract @Nullable PgConnection connection();

  abstract ZoneId timezone();

  abstract List<String> categories();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setAsOf(LocalDate d);

    abstract Builder setConnection(PgConnection c);

    abstract Builder setTimezone(ZoneId tz);

    abstract Builder setCategories(List<String> categories);

    abstract Marts build();
  }

  /** The KPI stage for as_of D (the run date unless --asOf is given). */
  public static Marts forAsOf(LocalDate asOf) {
    if (asOf == null) {
      throw new IllegalArgumentException("asOf can not be null");
    }
    return new AutoValue_Marts.Builder()
        .setAsOf(asOf)
        .setTimezone(ZoneId.of("UTC"))
        .setCategories(Entities.CATEGORIES)
        .build();
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

  /** The declared categories (SPEC §1): one customer_360 amount each. */
  public Marts withCategories(List<String> categories) {
    if (categories == null || categories.isEmpty()) {
      throw new IllegalArgumentException("categories can not be empty");
    }
    return toBuilder().setCategories(List.copyOf(categories)).build();
  }

  /** Wires the whole KPI stage into {@code p}; returns (mart, rows written) after the commit. */
  public static PCollection<KV<String, Long>> computeAndReplace(
      Pipeline p, PgConnection pg, LocalDate asOf, ZoneId tz) {
    return p.apply("ComputeAndReplaceMarts", forAsOf(asOf).withConnection(pg).withTimezone(tz));
  }

  /** As above, customer_360 following the run's declared categories. */
  public static PCollection<KV<String, Long>> computeAndReplace(
      Pipeline p, PgConnection pg, LocalDate asOf, ZoneId tz, List<String> categories) {
    return p.apply(
        "ComputeAndReplaceMarts",
        forAsOf(asOf).withConnection(pg).withTimezone(tz).withCategories(categories));
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

    // The state first takes in every fact written since the last fold; every read below waits.
    PCollection<String> asOf =
        input
            .apply("AsOf", Create.of(d.toString()))
            .apply("FoldFactChanges", ParDo.of(new KpiState.FoldFn(pg)));

    PCollection<CustomerFigures> figures =
        asOf.apply(
            "ReadCustomerFigures",
            read(
                ds,
                KpiState.CUSTOMER_FIGURES_SQL,
                KpiState.CUSTOMER_FIGURES_BOUNDS,
                new KpiState.CustomerFiguresMapper(),
                KpiCoders.CustomerFiguresCoder.of()));
    PCollection<CustomerVersion> customers =
        asOf.apply(
            "ReadCustomerVersions",
            read(
                ds,
                KpiState.CUSTOMER_VERSIONS_SQL,
                KpiState.CUSTOMER_VERSIONS_BOUNDS,
                new CustomerMapper(),
                KpiCoders.CustomerVersionCoder.of()));
    List<PCollection<MartRow>> outputs = new ArrayList<>();
    outputs.add(
        PCollectionTuple.of(ComputeMarts.FIGURES, figures)
            .and(ComputeMarts.CUSTOMERS, customers)
            .apply(
                "CustomerMarts",
                ComputeMarts.forAsOf(d).withTimezone(timezone()).withCategories(categories())));

    outputs.add(
        asOf.apply(
            "ReadDailySales",
            read(
                ds,
                KpiState.DAILY_SQL,
                KpiState.DAILY_BOUNDS,
                new SalesMarts.TotalsMapper(MartTable.DAILY_SALES, d),
                MartRowCoder.of())));
    outputs.add(
        asOf.apply(
            "ReadMonthlySales",
            read(
                ds,
                KpiState.MONTHLY_SQL,
                KpiState.MONTHLY_BOUNDS,
                new SalesMarts.TotalsMapper(MartTable.MONTHLY_SALES, d),
                MartRowCoder.of())));
    outputs.add(
        asOf.apply(
            "ReadProductPerformance",
            read(
                ds,
                KpiState.PRODUCTS_SQL,
                KpiState.PRODUCTS_BOUNDS,
                new SalesMarts.ProductMapper(d),
                MartRowCoder.of())));
    outputs.add(
        asOf.apply(
            "ReadTrafficRevenue",
            read(
                ds,
                KpiState.TRAFFIC_SQL,
                KpiState.TRAFFIC_BOUNDS,
                new TrafficMarts.TrafficMapper(d),
                MartRowCoder.of())));
    outputs.add(
        asOf.apply(
                "ReadIndustryRevenue",
                read(
                    ds,
                    KpiState.INDUSTRIES_SQL,
                    KpiState.WINDOW_BOUNDS,
                    new KpiState.IndustryMapper(),
                    KvCoder.of(StringUtf8Coder.of(), BigDecimalCoder.of())))
            .apply("CollectIndustries", Combine.globally(new KpiCombines.ToList<>()))
            .apply("IndustryExposure", ParDo.of(new SalesMarts.IndustryFn(d))));

    // numeric_stats of sales and the IQR fences from the window's value histograms
    PCollection<KpiCombines.Histograms> histograms =
        asOf.apply(
                "ReadHistograms",
                read(
                    ds,
                    KpiState.HISTOGRAMS_SQL,
                    KpiState.WINDOW_TWICE,
                    new KpiState.HistogramMapper(),
                    KvCoder.of(
                        StringUtf8Coder.of(), KvCoder.of(BigDecimalCoder.of(), VarLongCoder.of()))))
            .apply("SalesHistograms", Combine.globally(new KpiCombines.HistogramOf()));
    outputs.add(histograms.apply("SalesStats", ParDo.of(new SalesMarts.SalesStatsFn(d))));
    // the IQR outliers never leave PostgreSQL: the replace selects them into mart.anomalies with
    // these fences (a year of history puts about 6 % of the window's sales outside them)
    PCollection<List<BigDecimal>> fences =
        histograms
            .apply("IqrFences", ParDo.of(new SalesMarts.FencesFn()))
            .setCoder(ListCoder.of(BigDecimalCoder.of()));
    outputs.add(
        asOf.apply(
                "ReadZScoreCandidates",
                read(
                    ds,
                    KpiState.ZSCORE_CANDIDATES_SQL,
                    KpiState.WINDOW_THRICE,
                    new KpiState.ZCandidateMapper(),
                    KpiCoders.ZCandidateCoder.of()))
            .apply("ZScoreAmountAnomalies", ParDo.of(new SalesMarts.ZScoreFn(d))));

    // SPEC §8 and §9: web funnel, campaigns, inventory, next best category
    outputs.add(
        asOf.apply("WebCampaignInventoryMarts", CommerceMarts.of(ds, d, timezone(), categories())));

    PCollection<MartRow> rows =
        PCollectionList.of(outputs)
            .apply("FlattenMarts", Flatten.pCollections())
            .setCoder(MartRowCoder.of());

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

    return fences
        .apply("WithLoadId", ParDo.of(new WithLoadIdFn(loadId)))
        .setCoder(REPLACE_CODER)
        .apply("AfterStaging", Wait.on(staged))
        .apply("ReplaceMarts", ParDo.of(new ReplaceFn(pg, d)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));
  }

  /** A state read for D: one query, its bounds as parameters, results not reshuffled. */
  private static <T> JdbcIO.ReadAll<String, T> read(
      JdbcIO.DataSourceConfiguration ds,
      String sql,
      KpiState.Bound[] bounds,
      JdbcIO.RowMapper<T> mapper,
      org.apache.beam.sdk.coders.Coder<T> coder) {
    return JdbcIO.<String, T>readAll()
        .withDataSourceConfiguration(ds)
        .withQuery(sql)
        .withParameterSetter(new KpiState.BoundsSetter(bounds))
        .withRowMapper(mapper)
        .withCoder(coder)
        // small results, or grouped next anyway; JdbcIO's reshuffle is one Direct bundle per row
        .withOutputParallelization(false);
  }

  /** (load id, IQR fences [lower, upper] or none): what the replace of one load takes. */
  static final KvCoder<String, List<BigDecimal>> REPLACE_CODER =
      KvCoder.of(StringUtf8Coder.of(), ListCoder.of(BigDecimalCoder.of()));

  static final class WithLoadIdFn extends DoFn<List<BigDecimal>, KV<String, List<BigDecimal>>> {
    private final String loadId;

    WithLoadIdFn(String loadId) {
      this.loadId = loadId;
    }

    @ProcessElement
    public void process(
        @Element List<BigDecimal> fences, OutputReceiver<KV<String, List<BigDecimal>>> out) {
      out.output(KV.of(loadId, fences));
    }
  }

  static final class ToStagedRowsFn extends DoFn<MartRow, Row> {
    @ProcessElement
    public void process(@Element MartRow r, OutputReceiver<Row> out) {
      out.output(
          Row.withSchema(STAGED).addValues(r.table().tableName(), r.rowKey(), r.toJson()).build());
    }
  }

  /**
   * One transaction: for every mart, delete as_of = D and insert the staged rows; anomalies also
   * gets the IQR outliers of the load's fences, selected server-side.
   */
  static final class ReplaceFn extends DoFn<KV<String, List<BigDecimal>>, KV<String, Long>> {
    private final PgConnection pg;
    private final LocalDate asOf;
    private final Counter replaced = Metrics.counter("c360.kpi", "martRowsReplaced");

    ReplaceFn(PgConnection pg, LocalDate asOf) {
      this.pg = pg;
      this.asOf = asOf;
    }

    @ProcessElement
    public void process(
        @Element KV<String, List<BigDecimal>> load, OutputReceiver<KV<String, Long>> out)
        throws SQLException {
      String loadId = load.getKey();
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
              long n = ins.executeUpdate();
              if (t == MartTable.ANOMALIES) {
                n += SalesMarts.insertIqrOutliers(c, asOf, load.getValue());
              }
              written.put(t.tableName(), n);
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
          PgConnection.rollbackAfter(c, e);
          throw e;
        }
      }
      for (java.util.Map.Entry<String, Long> e : written.entrySet()) {
        replaced.inc(e.getValue());
        out.output(KV.of(e.getKey(), e.getValue()));
      }
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
}
