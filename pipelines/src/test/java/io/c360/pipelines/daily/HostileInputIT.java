package io.c360.pipelines.daily;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import io.c360.pipelines.testing.HostileCsv;
import io.c360.pipelines.testing.HostileCsv.Fate;
import io.c360.pipelines.testing.HostileCsv.Written;
import io.c360.pipelines.testing.ParquetFiles;
import io.c360.transforms.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.GZIPOutputStream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input through a whole daily run (issue 14): one file per entity whose every record is
 * written with the fate SPEC §2 gives it — values at and past each bound, NaN and Infinity, 200 KB
 * strings, control characters and NUL, invalid UTF-8, years 0001 and 99999, ragged rows, an
 * unclosed quote at the end of the file, a BOM and CRLF, SQL text in ids. The run must succeed and
 * account for every record exactly once; a corrupt file must fail the run naming the file and leave
 * the warehouse as it was.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputIT {
  @RegisterExtension static final TestDatabase DB = new TestDatabase();

  @TempDir static Path tmp;

  static final String DAY = "2025-06-10";
  static final String INJ_C = "'); DROP TABLE dw.dim_customer;--";
  static final String INJ_P = "x' OR '1'='1";
  static final String INJ_CH = "CH'; DELETE FROM dw.dim_channel;--";
  static final String INJ_T = "'); DROP TABLE dw.fact_sales;--";
  static final String INJ_A = "'; TRUNCATE dw.fact_traffic;--";

  /** 200 KB of letters that do not compress: a value no index entry can hold. */
  static final String BIG = big(200_000, 1);

  static final String BIG_OTHER = big(200_000, 2);

  static final Map<String, HostileCsv> CSV = new LinkedHashMap<>();
  static final Map<String, Path> FILE = new LinkedHashMap<>();

  /** Parquet channels: row index → fate and rules, as for the CSV files. */
  static final List<Written> CHANNELS = new ArrayList<>();

  static String big(int n, long seed) {
    Random r = new Random(seed);
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append((char) ('a' + r.nextInt(26)));
    }
    return b.toString();
  }

  /** The values of {@code header}, from {@code base} with {@code kv} pairs replaced. */
  static List<String> row(List<String> header, Map<String, String> base, String... kv) {
    Map<String, String> m = new LinkedHashMap<>(base);
    for (int i = 0; i < kv.length; i += 2) {
      if (!m.containsKey(kv[i])) {
        throw new IllegalArgumentException("no column " + kv[i]);
      }
      m.put(kv[i], kv[i + 1]);
    }
    List<String> out = new ArrayList<>();
    for (String h : header) {
      out.add(m.get(h.trim().toLowerCase(java.util.Locale.ROOT)));
    }
    return out;
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** {@code before}, the bytes C3 28 (invalid UTF-8), then {@code after}. */
  static byte[] badUtf8(String before, String after) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(bytes(before));
    b.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF});
    b.writeBytes(bytes(after));
    return b.toByteArray();
  }

  static Path landing() {
    return tmp.resolve("landing");
  }

  static HostileCsv customers() {
    // Header in another order and spelling: matched by name, trimmed, case-insensitively.
    List<String> h =
        List.of(
            " Customer_ID",
            "NAME ",
            "email",
            "account_id",
            "city",
            "country",
            "segment",
            "industry",
            "created_date",
            "updated_at");
    Map<String, String> base = new LinkedHashMap<>();
    base.put("customer_id", "C0");
    base.put("name", "Ann Lee");
    base.put("email", "Ann@Example.com");
    base.put("account_id", "A1");
    base.put("city", "Paris");
    base.put("country", "fr");
    base.put("segment", "smb");
    base.put("industry", "Retail");
    base.put("created_date", "2020-01-01");
    base.put("updated_at", "2025-06-01T10:00:00Z");
    HostileCsv f = new HostileCsv(h, true, "\r\n");
    f.loaded(row(h, base, "customer_id", "C1"));
    f.loaded(row(h, base, "customer_id", INJ_C));
    f.loaded(row(h, base, "customer_id", "C3", "name", "Bo\u0000b\u0007 \t Smith"));
    f.loaded(row(h, base, "customer_id", "C4", "name", BIG));
    f.rejected(row(h, base, "customer_id", BIG), "type:customer_id");
    f.loaded(row(h, base, "customer_id", "C6", "name", "Ann,\r\nLee"));
    f.rejected(row(h, base, "customer_id", "C7", "email", "a@b@c.com"), "type:email");
    f.rejected(
        row(h, base, "customer_id", "C8", "created_date", "0001-01-01"), "type:created_date");
    f.rejected(
        row(h, base, "customer_id", "C9", "created_date", "99999-01-01"), "type:created_date");
    f.loaded(
        row(
            h,
            base,
            "customer_id",
            "C10",
            "created_date",
            "1900-01-01",
            "updated_at",
            "2999-12-31T23:59:59Z"));
    f.rejected(
        row(h, base, "customer_id", "C11", "updated_at", "3000-01-01T00:00:00Z"),
        "type:updated_at");
    f.rejected(row(h, base, "customer_id", "C12", "segment", "NaN"), "accepted_values:segment");
    f.rejected(row(h, base, "customer_id", "C13", "industry", BIG), "type:industry");
    f.rawRejected(
        badUtf8("C14,Ann,ann@example.com,A1,Par", "is,fr,SMB,Retail,,"), true, "parse:encoding");
    f.rawRejected(bytes("C15,Ann"), true, "parse:csv");
    f.rawRejected(
        bytes(String.join(",", row(h, base, "customer_id", "C16")) + ",extra,x"),
        true,
        "parse:csv");
    f.rawLoaded(bytes(String.join(",", row(h, base, "customer_id", "C17")) + ",,, "));
    f.rejected(row(h, base, "customer_id", "C18", "name", ""), "not_null:name");
    f.rejected(row(h, base, "customer_id", "C19", "name", "\u0001\u0002 \u200B"), "not_null:name");
    f.duplicate(row(h, base, "customer_id", "C1"));
    f.rejected(row(h, base, "customer_id", "\u0000"), "not_null:customer_id");
    f.rejected(
        row(h, base, "customer_id", "C21", "email", "no-at", "segment", "Huge"),
        "type:email",
        "accepted_values:segment");
    for (int i = 100; i < 120; i++) {
      f.loaded(row(h, base, "customer_id", "C" + i, "name", "Pad " + i));
    }
    // The last record opens a quote it never closes, and the file ends without a line end.
    f.rawRejected(bytes("C99,\"Ann"), false, "parse:csv");
    return f;
  }

  static HostileCsv products() {
    List<String> h =
        List.of("product_id", "product_name", "category", "brand", "list_price", "updated_at");
    Map<String, String> base = new LinkedHashMap<>();
    base.put("product_id", "P0");
    base.put("product_name", "Widget");
    base.put("category", "books");
    base.put("brand", "Acme");
    base.put("list_price", "10.5");
    base.put("updated_at", "2025-06-01T00:00:00Z");
    HostileCsv f = new HostileCsv(h, false, "\n");
    f.loaded(row(h, base, "product_id", "P1"));
    f.loaded(row(h, base, "product_id", INJ_P));
    f.rejected(row(h, base, "product_id", "P3", "list_price", "1e20"), "type:list_price");
    f.rejected(row(h, base, "product_id", "P4", "list_price", "NaN"), "type:list_price");
    f.rejected(row(h, base, "product_id", "P5", "list_price", "Infinity"), "type:list_price");
    f.rejected(row(h, base, "product_id", "P6", "list_price", "-Infinity"), "type:list_price");
    f.loaded(row(h, base, "product_id", "P7", "list_price", "9999999999999.9999"));
    f.rejected(row(h, base, "product_id", "P8", "list_price", "10000000000000"), "type:list_price");
    f.rejected(
        row(h, base, "product_id", "P9", "list_price", "9999999999999.99995"), "type:list_price");
    f.loaded(row(h, base, "product_id", "P10", "list_price", "1e-20"));
    f.loaded(row(h, base, "product_id", "P11", "list_price", "1E+3"));
    f.rejected(
        row(h, base, "product_id", "P12", "category", "Books'); DROP TABLE dw.dim_product;--"),
        "accepted_values:category");
    f.rejected(row(h, base, "product_id", "P13", "list_price", "12,50"), "type:list_price");
    f.rejected(
        row(h, base, "product_id", "P14", "updated_at", "0001-01-01T00:00:00Z"), "type:updated_at");
    f.rejected(
        row(h, base, "product_id", "P15", "updated_at", "99999-01-01T00:00:00"), "type:updated_at");
    f.rejected(row(h, base, "product_id", BIG_OTHER), "type:product_id");
    for (int i = 100; i < 115; i++) {
      f.loaded(row(h, base, "product_id", "P" + i));
    }
    return f;
  }

  static HostileCsv sales() {
    List<String> h =
        List.of(
            "transaction_id",
            "order_id",
            "customer_id",
            "product_id",
            "shop_id",
            "quantity",
            "unit_price",
            "amount",
            "status",
            "transaction_ts");
    Map<String, String> base = new LinkedHashMap<>();
    base.put("transaction_id", "T0");
    base.put("order_id", "O1");
    base.put("customer_id", "C100");
    base.put("product_id", "P100");
    base.put("shop_id", "S1");
    base.put("quantity", "1");
    base.put("unit_price", "10");
    base.put("amount", "10");
    base.put("status", "completed");
    base.put("transaction_ts", DAY + "T10:00:00Z");
    HostileCsv f = new HostileCsv(h, true, "\r\n");
    f.loaded(row(h, base, "transaction_id", "T1"));
    f.loaded(row(h, base, "transaction_id", INJ_T, "customer_id", INJ_C, "product_id", INJ_P));
    f.rejected(
        row(h, base, "transaction_id", "T3", "quantity", "9223372036854775808"), "type:quantity");
    f.rejected(row(h, base, "transaction_id", "T5", "quantity", "1e20"), "type:quantity");
    f.rejected(row(h, base, "transaction_id", "T6", "quantity", "1.5"), "type:quantity");
    f.rejected(row(h, base, "transaction_id", "T7", "amount", "1e20"), "type:amount");
    f.rejected(row(h, base, "transaction_id", "T8", "unit_price", "NaN"), "type:unit_price");
    f.rejected(
        row(h, base, "transaction_id", "T9", "amount", "Infinity", "unit_price", ""),
        "type:amount");
    f.rejected(
        row(h, base, "transaction_id", "T10", "transaction_ts", "0001-01-01T00:00:00Z"),
        "type:transaction_ts");
    f.rejected(
        row(h, base, "transaction_id", "T11", "transaction_ts", "99999-01-01T00:00:00Z"),
        "type:transaction_ts");
    f.rejected(
        row(h, base, "transaction_id", "T12", "transaction_ts", "2999-12-31T00:00:00Z"),
        "business:future_date");
    f.rejected(
        row(h, base, "transaction_id", "T13", "amount", "", "unit_price", ""), "not_null:amount");
    f.rejected(
        row(h, base, "transaction_id", "T14", "amount", "-5", "unit_price", ""),
        "business:negative_amount");
    f.pending(row(h, base, "transaction_id", "T15", "customer_id", "C404'--"));
    f.pending(row(h, base, "transaction_id", "T16", "product_id", "P404\"; SELECT pg_sleep(5);--"));
    f.rejected(row(h, base, "transaction_id", BIG), "type:transaction_id");
    f.rejected(row(h, base, "transaction_id", "T18", "customer_id", ""), "not_null:customer_id");
    f.duplicate(row(h, base, "transaction_id", "T19", "shop_id", "S-old"));
    f.loaded(row(h, base, "transaction_id", "T19", "shop_id", "S-new"));
    f.rawRejected(
        badUtf8("T20,O1,C100,P100,S", ",1,10,10,completed," + DAY + "T10:00:00Z"),
        true,
        "parse:encoding");
    f.rawRejected(bytes("T21,O1,C100"), true, "parse:csv");
    f.loaded(
        row(
            h,
            base,
            "transaction_id",
            "T22",
            "customer_id",
            "C3",
            "transaction_ts",
            DAY + " 10:00"));
    f.loaded(row(h, base, "transaction_id", "T24", "customer_id", "C4"));
    f.rejected(
        row(h, base, "transaction_id", "T25", "status", "shipped"), "accepted_values:status");
    f.loaded(
        row(h, base, "transaction_id", "T26", "amount", "9999999999999.9999", "unit_price", ""));
    f.loaded(row(h, base, "transaction_id", "T27\u0000\u0007", "order_id", "\u0000"));
    for (int i = 100; i < 125; i++) {
      f.loaded(
          row(
              h,
              base,
              "transaction_id",
              "T" + i,
              "customer_id",
              "C" + (100 + i % 20),
              "product_id",
              "P" + (100 + i % 15)));
    }
    f.rawRejected(bytes("T99,O1,\"C100,P100"), false, "parse:csv");
    return f;
  }

  static HostileCsv traffic() {
    List<String> h =
        List.of(
            "send_date",
            "account_id",
            "customer_id",
            "channel_id",
            "interactions_count",
            "revenue_eur");
    Map<String, String> base = new LinkedHashMap<>();
    base.put("send_date", DAY);
    base.put("account_id", "A0");
    base.put("customer_id", "C100");
    base.put("channel_id", "CH100");
    base.put("interactions_count", "1");
    base.put("revenue_eur", "1.5");
    HostileCsv f = new HostileCsv(h, false, "\n");
    f.loaded(row(h, base, "account_id", "A1"));
    f.loaded(row(h, base, "account_id", INJ_A, "customer_id", INJ_C, "channel_id", INJ_CH));
    f.rejected(row(h, base, "account_id", "A3", "send_date", "0001-01-01"), "type:send_date");
    f.rejected(row(h, base, "account_id", "A4", "send_date", "99999-01-01"), "type:send_date");
    f.rejected(
        row(h, base, "account_id", "A5", "interactions_count", "9223372036854775808"),
        "type:interactions_count");
    f.rejected(row(h, base, "account_id", "A6", "revenue_eur", "NaN"), "type:revenue_eur");
    f.rejected(row(h, base, "account_id", "A7", "revenue_eur", "1e20"), "type:revenue_eur");
    // Two different keys whose parts only differ by where a '|' sits; both wait for a customer.
    f.pending(row(h, base, "account_id", "A|B", "customer_id", "C404"));
    f.pending(row(h, base, "account_id", "A", "customer_id", "B|C404"));
    f.loaded(row(h, base, "account_id", ""));
    f.rejected(row(h, base, "account_id", "A10", "channel_id", ""), "not_null:channel_id");
    f.rejected(row(h, base, "account_id", BIG), "type:account_id");
    for (int i = 100; i < 112; i++) {
      f.loaded(row(h, base, "account_id", "A" + i, "customer_id", "C" + i));
    }
    return f;
  }

  /** Channels as Parquet (doubles for the price): NaN, Infinity, 1e20, NUL in names. */
  static Path channelsParquet(Path file) throws Exception {
    Schema s =
        SchemaBuilder.record("channels")
            .fields()
            .optionalString("channel_id")
            .optionalString("channel_name")
            .optionalString("channel_type")
            .optionalDouble("unit_price_eur")
            .endRecord();
    List<GenericRecord> rows = new ArrayList<>();
    java.util.function.BiConsumer<Object[], Written> add =
        (v, w) -> {
          GenericRecord r = new GenericData.Record(s);
          for (int i = 0; i < v.length; i++) {
            r.put(i, v[i]);
          }
          rows.add(r);
          CHANNELS.add(w);
        };
    long[] idx = {0};
    java.util.function.Function<Fate, Written> ok =
        fate -> new Written(idx[0]++, fate, new TreeSet<>());
    java.util.function.Function<String, Written> bad =
        rule -> new Written(idx[0]++, Fate.REJECTED, new TreeSet<>(List.of(rule)));
    add.accept(new Object[] {"CH1", "Mail", "email", 0.05}, ok.apply(Fate.LOADED));
    add.accept(new Object[] {INJ_CH, "Inject", "sms", 0.01}, ok.apply(Fate.LOADED));
    add.accept(new Object[] {"CH3", "Nan", "sms", Double.NaN}, bad.apply("type:unit_price_eur"));
    add.accept(
        new Object[] {"CH4", "Inf", "sms", Double.POSITIVE_INFINITY},
        bad.apply("type:unit_price_eur"));
    add.accept(new Object[] {"CH5", "Big", "sms", 1.5e10}, ok.apply(Fate.LOADED));
    add.accept(new Object[] {"CH6", "\u0000", "sms", 1.0}, bad.apply("not_null:channel_name"));
    add.accept(new Object[] {"CH7", "Mail\u0000box", "sms", 1.0}, ok.apply(Fate.LOADED));
    add.accept(new Object[] {"CH8", "Huge", "sms", 1e20}, bad.apply("type:unit_price_eur"));
    for (int i = 100; i < 106; i++) {
      add.accept(new Object[] {"CH" + i, "Pad " + i, "push", 0.1}, ok.apply(Fate.LOADED));
    }
    ParquetFiles.write(file, s, rows);
    return file;
  }

  private static RunSummary run(Path input, String date) throws Exception {
    return DailyRun.execute(
        DailyRun.options(
            "--runDate=" + date,
            "--input=" + input,
            "--jdbcUrl=" + DB.jdbcUrl(),
            "--dbUser=postgres"),
        System.out);
  }

  @Test
  @Order(1)
  void aDayOfHostileFilesSucceedsAndAccountsForEveryRecordOnce() throws Exception {
    CSV.put("customers", customers());
    CSV.put("products", products());
    CSV.put("sales", sales());
    CSV.put("traffic", traffic());
    FILE.put(
        "customers",
        CSV.get("customers").writeTo(landing().resolve("customers/dt=" + DAY + "/customers.csv")));
    FILE.put(
        "products",
        CSV.get("products").writeTo(landing().resolve("products/dt=" + DAY + "/products.csv.gz")));
    FILE.put("sales", CSV.get("sales").writeTo(landing().resolve("sales/dt=" + DAY + "/s.csv")));
    FILE.put(
        "traffic", CSV.get("traffic").writeTo(landing().resolve("traffic/dt=" + DAY + "/t.csv")));
    FILE.put("channels", channelsParquet(landing().resolve("channels/dt=" + DAY + "/c.parquet")));

    RunSummary s = run(landing(), DAY);
    assertThat(s.message(), s.status(), is("succeeded"));

    Map<String, List<Written>> written = new LinkedHashMap<>();
    CSV.forEach((e, f) -> written.put(e, f.written()));
    written.put("channels", CHANNELS);
    for (Map.Entry<String, List<Written>> e : written.entrySet()) {
      String entity = e.getKey();
      List<Written> w = e.getValue();
      String file = FILE.get(entity).toString();
      EntityCounts c = s.entities().get(entity);
      assertThat(
          entity + " " + c,
          List.of(c.read(), c.loaded(), c.quarantined(), c.deduplicated(), c.pending()),
          equalTo(
              List.of(
                  (long) w.size(),
                  count(w, Fate.LOADED),
                  count(w, Fate.REJECTED),
                  count(w, Fate.DEDUPLICATED),
                  count(w, Fate.PENDING))));
      // The run's own reconciliation, as stored, against the number of records written.
      assertThat(
          entity,
          DB.column(
              "SELECT concat_ws(' ', entity_counts->'"
                  + entity
                  + "'->>'read',"
                  + " entity_counts->'"
                  + entity
                  + "'->>'reconciled') FROM ops.pipeline_runs"
                  + " WHERE run_id = "
                  + s.runId()),
          containsInAnyOrder(w.size() + " true"));
      assertThat(
          entity,
          DB.column(
              "SELECT status FROM dq.check_results WHERE check_name = 'reconciliation' AND run_id"
                  + " = "
                  + s.runId()
                  + " AND entity = '"
                  + entity
                  + "'"),
          containsInAnyOrder("pass"));
      // Every reject names its rule, file and line; exactly the rules each record was written for.
      List<String> expected = new ArrayList<>();
      for (Written x : w) {
        x.rules().forEach(r -> expected.add(x.line() + " " + r));
      }
      assertThat(
          entity,
          DB.column(
              "SELECT line_no || ' ' || rule FROM dq.rejected_rows WHERE run_id = "
                  + s.runId()
                  + " AND entity = '"
                  + entity
                  + "' AND source_file = '"
                  + file
                  + "'"
                  + " AND message <> '' AND record IS NOT NULL"),
          containsInAnyOrder(expected.toArray()));
      // Loaded and pending records are staged, under their own line; nothing else is.
      List<String> staged = new ArrayList<>();
      for (Written x : w) {
        if (x.fate() == Fate.LOADED || x.fate() == Fate.PENDING) {
          staged.add(Long.toString(x.line()));
        }
      }
      assertThat(
          entity,
          DB.column(
              "SELECT line_no FROM staging."
                  + entity
                  + " WHERE run_id = "
                  + s.runId()
                  + " AND source_file = '"
                  + file
                  + "'"),
          containsInAnyOrder(staged.toArray()));
    }
    for (String fact : List.of("sales", "traffic")) {
      List<String> pending = new ArrayList<>();
      for (Written x : written.get(fact)) {
        if (x.fate() == Fate.PENDING) {
          pending.add(Long.toString(x.line()));
        }
      }
      assertThat(
          fact,
          DB.column(
              "SELECT line_no FROM dq.pending_rows WHERE entity = '"
                  + fact
                  + "' AND first_run_id = "
                  + s.runId()),
          containsInAnyOrder(pending.toArray()));
    }

    // Nothing was executed: every table is still there and the SQL text is stored as data.
    assertThat(
        DB.column(
            "SELECT to_regclass(t) IS NOT NULL FROM unnest(ARRAY['dw.dim_customer',"
                + " 'dw.dim_product', 'dw.dim_channel', 'dw.fact_sales', 'dw.fact_traffic'])"
                + " t"),
        containsInAnyOrder("t", "t", "t", "t", "t"));
    try (Connection c = DB.open()) {
      assertThat(
          one(c, "SELECT count(*) FROM dw.dim_customer WHERE customer_id = ?", INJ_C), is("1"));
      assertThat(
          one(c, "SELECT count(*) FROM dw.dim_product WHERE product_id = ?", INJ_P), is("1"));
      assertThat(
          one(c, "SELECT count(*) FROM dw.dim_channel WHERE channel_id = ?", INJ_CH), is("1"));
      assertThat(
          one(
              c,
              "SELECT f.customer_id || '|' || f.product_id FROM dw.fact_sales f WHERE"
                  + " transaction_id = ?",
              INJ_T),
          is(INJ_C + "|" + INJ_P));
      assertThat(
          one(c, "SELECT channel_id FROM dw.fact_traffic WHERE account_id = ?", INJ_A), is(INJ_CH));
    }
    assertThat(
        DB.column("SELECT count(*) FROM dw.fact_sales"),
        containsInAnyOrder(Long.toString(count(written.get("sales"), Fate.LOADED))));
    assertThat(
        DB.column("SELECT count(*) FROM dw.fact_traffic"),
        containsInAnyOrder(Long.toString(count(written.get("traffic"), Fate.LOADED))));

    // Cleaning: controls and NUL removed, whitespace collapsed, bounds and rounding kept.
    assertThat(
        DB.column(
            "SELECT customer_id || '=' || CASE WHEN length(name) > 100 THEN length(name)::text"
                + " ELSE name END FROM dw.dim_customer WHERE customer_id IN ('C3', 'C4', 'C6')"),
        containsInAnyOrder("C3=Bob Smith", "C4=200000", "C6=Ann, Lee"));
    assertThat(
        DB.column(
            "SELECT product_id || '=' || list_price FROM dw.dim_product WHERE product_id IN"
                + " ('P7', 'P10', 'P11')"),
        containsInAnyOrder("P7=9999999999999.9999", "P10=0.0000", "P11=1000.0000"));
    assertThat(
        DB.column("SELECT channel_name FROM dw.dim_channel WHERE channel_id = 'CH7'"),
        containsInAnyOrder("Mailbox"));
    assertThat(
        DB.column(
            "SELECT transaction_id || '|' || coalesce(order_id, 'null') FROM dw.fact_sales WHERE"
                + " transaction_id LIKE 'T27%'"),
        containsInAnyOrder("T27|null"));
    assertThat(
        DB.column("SELECT status FROM ops.pipeline_runs WHERE run_id = " + s.runId()),
        containsInAnyOrder("succeeded"));
  }

  static long count(List<Written> w, Fate fate) {
    return w.stream().filter(x -> x.fate() == fate).count();
  }

  static String one(Connection c, String sql, String param) throws Exception {
    try (var ps = c.prepareStatement(sql)) {
      ps.setString(1, param);
      try (var rs = ps.executeQuery()) {
        List<String> out = new ArrayList<>();
        while (rs.next()) {
          out.add(rs.getString(1));
        }
        assertThat(sql, out.size(), is(1));
        return out.get(0);
      }
    }
  }

  /** A checksum of every row of every table in dw, mart and kpi. */
  static Map<String, String> checksums() throws Exception {
    Map<String, String> m = new TreeMap<>();
    for (String t :
        DB.column(
            "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c JOIN"
                + " pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND"
                + " NOT c.relispartition AND n.nspname IN ('dw', 'mart', 'kpi') ORDER BY 1")) {
      m.put(
          t,
          DB.column(
                  "SELECT count(*) || ':' || coalesce(md5(string_agg(x::text, E'\\n' ORDER BY"
                      + " x::text)), '') FROM "
                      + t
                      + " x")
              .get(0));
    }
    return m;
  }

  /** A good customers file for {@code day} with a new customer, so a commit would show. */
  static void goodCustomers(Path root, String day) throws Exception {
    List<String> h = List.of("customer_id", "name");
    new HostileCsv(h, false, "\n")
        .loaded(List.of("NEW-" + day, "New Customer"))
        .loaded(List.of("C1", "Ann Changed"))
        .writeTo(root.resolve("customers/dt=" + day + "/customers.csv"));
  }

  @Test
  @Order(2)
  void aTruncatedGzipFailsTheRunNamingItAndLeavesTheWarehouseUnchanged() throws Exception {
    String day = "2025-06-11";
    Path root = tmp.resolve("truncated");
    goodCustomers(root, day);
    HostileCsv sales =
        new HostileCsv(
            List.of("transaction_id", "customer_id", "quantity", "amount", "transaction_ts"),
            false,
            "\n");
    for (int i = 0; i < 20_000; i++) {
      sales.loaded(List.of("G" + i, "C1", "1", "1", day + "T10:00:00Z"));
    }
    ByteArrayOutputStream z = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(z)) {
      gz.write(sales.bytes());
    }
    byte[] whole = z.toByteArray();
    Path file = root.resolve("sales/dt=" + day + "/part-1.csv.gz");
    Files.createDirectories(file.getParent());
    Files.write(file, java.util.Arrays.copyOf(whole, whole.length / 2));
    assertFailsNamingAndChangesNothing(root, day, file);
  }

  @Test
  @Order(3)
  void aGarbageParquetFileFailsTheRunNamingItAndLeavesTheWarehouseUnchanged() throws Exception {
    String day = "2025-06-12";
    Path root = tmp.resolve("garbage");
    goodCustomers(root, day);
    Path file = root.resolve("sales/dt=" + day + "/part-1.parquet");
    Files.createDirectories(file.getParent());
    byte[] garbage = new byte[4096];
    new Random(7).nextBytes(garbage);
    System.arraycopy(bytes("PAR1"), 0, garbage, 0, 4);
    Files.write(file, garbage);
    assertFailsNamingAndChangesNothing(root, day, file);
  }

  private void assertFailsNamingAndChangesNothing(Path root, String day, Path file)
      throws Exception {
    Map<String, String> before = checksums();
    assertThat(before.get("dw.fact_sales"), not(is("0:")));
    RunSummary s = run(root, day);
    assertThat(s.status(), is("failed"));
    assertThat(s.exitCode(), is(1));
    assertThat(s.message(), containsString(file.toString()));
    assertThat(
        DB.column(
            "SELECT status || ' ' || (strpos(message, '"
                + file
                + "') > 0) FROM"
                + " ops.pipeline_runs WHERE run_id = "
                + s.runId()),
        containsInAnyOrder("failed true"));
    assertThat(checksums(), equalTo(before));
  }
}
