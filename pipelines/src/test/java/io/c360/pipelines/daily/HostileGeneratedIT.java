package io.c360.pipelines.daily;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import io.c360.pipelines.testing.HostileCsv;
import io.c360.pipelines.testing.HostileCsv.Written;
import io.c360.transforms.model.Entities;
import io.c360.transforms.model.EntitySpec;
import io.c360.transforms.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Generated hostile days through whole daily runs (issue 14): every entity's file mixes valid rows
 * with rows whose cells are replaced by hostile values (bounds, NaN, Infinity, controls, NUL, SQL
 * text, overlong ids, years 0001 and 99999), ragged and mis-encoded records, exact copies, a BOM,
 * CRLF or gzip. Which rule each generated row breaks is the cleaning's business; what must hold
 * whatever it is: the run succeeds, reads exactly the records written, and puts each of them in
 * exactly one place (quarantined, staged, or counted as a duplicate), as its own reconciliation
 * says. Few tries: each is a real run against the embedded PostgreSQL.
 */
class HostileGeneratedIT {
  static final TestDatabase DB = new TestDatabase();
  static final LocalDate FIRST_DAY = LocalDate.of(2025, 7, 1);
  static final AtomicInteger TRY = new AtomicInteger();
  static Path root;

  @BeforeContainer
  static void startDatabase() throws Exception {
    DB.beforeAll(null);
    root = Files.createTempDirectory("c360-hostile-generated");
  }

  @AfterContainer
  static void dropDatabase() throws Exception {
    DB.afterAll(null);
  }

  /** Cells a hostile source writes; one of them replaces a valid value. */
  static final List<String> HOSTILE =
      List.of(
          "1e20",
          "-1e20",
          "NaN",
          "Infinity",
          "-Infinity",
          "9999999999999.99995",
          "10000000000000",
          "9223372036854775808",
          "-9223372036854775809",
          "1.5",
          "12,50",
          "0001-01-01",
          "99999-01-01",
          "2999-12-31T23:59:59Z",
          "3000-01-01T00:00:00Z",
          "1900-01-01T00:00:00+18:00",
          "2025-02-30",
          "\u0000",
          "\u0000\u0007\u001F",
          " \t\r\n ",
          "a\u0000b",
          "\u00A0x\u200B",
          "'); DROP TABLE dw.fact_sales;--",
          "x' OR '1'='1",
          "A|B",
          "\\",
          "\"quoted\", \"twice\"",
          "line\r\nbreak",
          "x".repeat(201),
          "é".repeat(200),
          "Mid - Market",
          "CANCELLED",
          "");

  static final Map<String, Map<String, String>> VALID = new LinkedHashMap<>();

  static {
    VALID.put(
        "customers",
        Map.of(
            "customer_id",
            "C",
            "account_id",
            "A1",
            "name",
            "Ann Lee",
            "email",
            "a@x.com",
            "city",
            "Paris",
            "country",
            "fr",
            "segment",
            "SMB",
            "industry",
            "Retail",
            "created_date",
            "2020-01-01",
            "updated_at",
            "2025-06-01T00:00:00Z"));
    VALID.put(
        "products",
        Map.of(
            "product_id",
            "P",
            "product_name",
            "Widget",
            "category",
            "Books",
            "brand",
            "Acme",
            "list_price",
            "9.99",
            "updated_at",
            "2025-06-01T00:00:00Z"));
    VALID.put(
        "channels",
        Map.of(
            "channel_id",
            "CH",
            "channel_name",
            "Mail",
            "channel_type",
            "email",
            "unit_price_eur",
            "0.01"));
    VALID.put(
        "sales",
        Map.of(
            "transaction_id",
            "T",
            "order_id",
            "O1",
            "customer_id",
            "C0",
            "product_id",
            "P0",
            "shop_id",
            "S1",
            "quantity",
            "2",
            "unit_price",
            "5",
            "amount",
            "10",
            "status",
            "completed",
            "transaction_ts",
            "2025-06-30T10:00:00Z"));
    VALID.put(
        "traffic",
        Map.of(
            "send_date",
            "2025-06-30",
            "account_id",
            "A",
            "customer_id",
            "C0",
            "channel_id",
            "CH0",
            "interactions_count",
            "3",
            "revenue_eur",
            "1.5"));
    VALID.put(
        "campaigns",
        Map.of(
            "campaign_id",
            "CA",
            "campaign_name",
            "Summer",
            "channel_id",
            "CH0",
            "start_date",
            "2025-06-01",
            "end_date",
            "2025-08-31",
            "budget_eur",
            "1000",
            "updated_at",
            "2025-06-01T00:00:00Z"));
    VALID.put(
        "web_events",
        Map.of(
            "event_id",
            "E",
            "session_id",
            "S",
            "customer_id",
            "C0",
            "event_type",
            "product_view",
            "product_id",
            "P0",
            "campaign_id",
            "CA0",
            "event_ts",
            "2025-06-30T10:00:00Z"));
    VALID.put(
        "inventory",
        Map.of(
            "snapshot_date",
            "2025-06-30",
            "product_id",
            "P",
            "shop_id",
            "S1",
            "on_hand",
            "12",
            "on_order",
            "3",
            "unit_cost",
            "4.5"));
  }

  @Provide
  Arbitrary<Long> seeds() {
    return Arbitraries.longs();
  }

  @Property(tries = 2, shrinking = ShrinkingMode.OFF)
  void aGeneratedHostileDaySucceedsAndPutsEveryRecordInExactlyOnePlace(@ForAll("seeds") long seed)
      throws Exception {
    int n = TRY.getAndIncrement();
    String day = FIRST_DAY.plusDays(n).toString();
    Random r = new Random(seed);
    Path landing = root.resolve("try-" + n);
    Map<String, HostileCsv> files = new LinkedHashMap<>();
    Map<String, Path> paths = new LinkedHashMap<>();
    for (EntitySpec e : Entities.ALL) {
      HostileCsv f = generate(e, r, n);
      String name = e.name() + (r.nextInt(3) == 0 ? ".csv.gz" : ".csv");
      files.put(e.name(), f);
      paths.put(e.name(), f.writeTo(landing.resolve(e.name() + "/dt=" + day + "/" + name)));
    }

    RunSummary s =
        DailyRun.execute(
            DailyRun.options(
                "--runDate=" + day,
                "--input=" + landing,
                "--jdbcUrl=" + DB.jdbcUrl(),
                "--dbUser=postgres"),
            System.out);
    assertThat("seed " + seed + ": " + s.message(), s.status(), is("succeeded"));

    for (EntitySpec e : Entities.ALL) {
      String entity = e.name();
      List<Written> written = files.get(entity).written();
      String file = paths.get(entity).toString();
      EntityCounts c = s.entities().get(entity);
      assertThat(entity + " " + c, c.read(), is((long) written.size()));
      assertThat(
          entity,
          DB.column(
              "SELECT concat_ws(' ', entity_counts->'"
                  + entity
                  + "'->>'read', entity_counts->'"
                  + entity
                  + "'->>'reconciled') FROM ops.pipeline_runs WHERE run_id = "
                  + s.runId()),
          containsInAnyOrder(written.size() + " true"));
      Set<Long> lines = new HashSet<>();
      written.forEach(w -> lines.add(w.line()));
      List<Long> rejected =
          longs(
              "SELECT DISTINCT line_no FROM dq.rejected_rows WHERE run_id = "
                  + s.runId()
                  + " AND entity = '"
                  + entity
                  + "' AND source_file = '"
                  + file
                  + "'");
      List<Long> staged =
          longs(
              "SELECT line_no FROM staging."
                  + entity
                  + " WHERE run_id = "
                  + s.runId()
                  + " AND source_file = '"
                  + file
                  + "'");
      assertThat(entity + " rejects at written lines", lines.containsAll(rejected), is(true));
      assertThat(entity + " staged at written lines", lines.containsAll(staged), is(true));
      Set<Long> both = new HashSet<>(rejected);
      both.retainAll(new HashSet<>(staged));
      assertThat(entity + " rejected and staged", both, empty());
      assertThat(c.quarantined(), is((long) rejected.size()));
      assertThat(
          entity + " the rest are duplicates",
          c.deduplicated(),
          is((long) (written.size() - rejected.size() - staged.size())));
      assertThat(c.loaded() + c.pending(), is((long) staged.size()));
      assertThat(
          entity + " every reject names a rule",
          DB.column(
              "SELECT rule FROM dq.rejected_rows WHERE run_id = "
                  + s.runId()
                  + " AND entity = '"
                  + entity
                  + "'"),
          everyItem(
              org.hamcrest.Matchers.matchesPattern(
                  "(parse:(csv|encoding)|(type|not_null|accepted_values|relationships):[a-z_]+"
                      + "|business:[a-z_]+)")));
      assertThat(c.quarantined() * 2, lessThanOrEqualTo((long) written.size()));
    }
    assertThat(
        DB.column(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'dw' AND tablename IN"
                + " ('dim_customer', 'dim_product', 'dim_channel', 'fact_sales', 'fact_traffic')"),
        equalTo(List.of("5")));
  }

  /**
   * 40 records: 28 valid (ids unique in the try, facts referring to members in the same day), 9
   * with one or two hostile cells, a ragged or mis-encoded one, and two exact copies. At most 12
   * can be rejected, so the day stays under the 50% quarantine-rate check.
   */
  static HostileCsv generate(EntitySpec e, Random r, int tryNo) {
    List<String> header = new ArrayList<>(e.columnNames());
    java.util.Collections.shuffle(header, r);
    HostileCsv f = new HostileCsv(header, r.nextBoolean(), r.nextBoolean() ? "\r\n" : "\n");
    List<List<String>> rows = new ArrayList<>();
    for (int i = 0; i < 37; i++) {
      Map<String, String> v = new LinkedHashMap<>(VALID.get(e.name()));
      String key = e.naturalKey().get(e.naturalKey().size() == 1 ? 0 : 1);
      v.put(key, v.get(key) + tryNo + "-" + i);
      if (e == Entities.SALES || e == Entities.TRAFFIC || e == Entities.WEB_EVENTS) {
        v.put("customer_id", "C" + tryNo + "-" + r.nextInt(37));
      }
      if (e == Entities.SALES || e == Entities.WEB_EVENTS) {
        v.put("product_id", "P" + tryNo + "-" + r.nextInt(37));
      }
      if (e == Entities.WEB_EVENTS) {
        v.put("campaign_id", "CA" + tryNo + "-" + r.nextInt(37));
      }
      if (e == Entities.TRAFFIC) {
        v.put("channel_id", "CH" + tryNo + "-" + r.nextInt(37));
      }
      if (i >= 28) {
        for (int k = 0, cells = 1 + r.nextInt(2); k < cells; k++) {
          v.put(header.get(r.nextInt(header.size())), HOSTILE.get(r.nextInt(HOSTILE.size())));
        }
      }
      List<String> values = new ArrayList<>();
      for (String h : header) {
        values.add(v.get(h));
      }
      rows.add(values);
    }
    java.util.Collections.shuffle(rows, r);
    for (List<String> row : rows) {
      f.any(row);
    }
    f.any(rows.get(0));
    f.any(rows.get(1));
    // One line, no quotes: a record with too few fields or bytes that are not UTF-8.
    String joined = String.join(",", rows.get(2)).replaceAll("[\"\r\n]", "");
    byte[] bad =
        r.nextBoolean()
            ? (joined.split(",", 2)[0] + ",x").getBytes(StandardCharsets.UTF_8)
            : concat(joined.getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xFF, 'z'});
    f.rawAny(bad);
    return f;
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  static List<Long> longs(String sql) throws Exception {
    List<Long> out = new ArrayList<>();
    for (String s : DB.column(sql)) {
      out.add(Long.parseLong(s));
    }
    return out;
  }
}
