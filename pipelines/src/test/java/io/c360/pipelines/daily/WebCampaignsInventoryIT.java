package io.c360.pipelines.daily;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import io.c360.transforms.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §8's entities (campaigns, web_events, inventory) through whole daily runs, on hand-made
 * files whose fate is derived line by line in the comments: they load through the same cleaning,
 * quarantine, dedup, pending, upsert and reconciliation as the five entities of §1, and an entity
 * without a folder is skipped and reported. Runs in --timezone=Europe/Paris so event dates are
 * calendar dates there.
 *
 * <p>Three days, in order: day 1 loads, quarantines, deduplicates and parks rows; day 2 delivers
 * the missing members (the parked rows load), overwrites a campaign (Type 1), re-delivers an event
 * and a snapshot (upsert; the event moving to another month's partition is not duplicated) and
 * re-cuts a product's history (facts re-pointed); day 3 has none of the three folders.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebCampaignsInventoryIT {
  @RegisterExtension static final TestDatabase DB = new TestDatabase();

  @TempDir static Path landing;

  static final String TZ = "Europe/Paris";

  static long day1Run;

  private static RunSummary run(String day, ByteArrayOutputStream out) throws Exception {
    return DailyRun.execute(
        DailyRun.options(
            "--runDate=" + day,
            "--input=" + landing,
            "--jdbcUrl=" + DB.jdbcUrl(),
            "--dbUser=postgres",
            "--timezone=" + TZ),
        new PrintStream(out, true, StandardCharsets.UTF_8.name()));
  }

  private static Path write(String entity, String day, String csv) throws Exception {
    Path f = landing.resolve(entity + "/dt=" + day + "/" + entity + ".csv");
    Files.createDirectories(f.getParent());
    Files.writeString(f, csv, StandardCharsets.UTF_8);
    return f;
  }

  @Test
  @Order(1)
  void dayOneLoadsQuarantinesDeduplicatesAndParksTheNewEntities() throws Exception {
    String d = "2025-05-01";
    write(
        "customers",
        d,
        "customer_id,name,segment,updated_at\n"
            + "C1,Ann Lee,SMB,2025-01-01T00:00:00Z\n"
            + "C2,Bob Roe,Enterprise,2025-01-01T00:00:00Z\n");
    write(
        "products",
        d,
        "product_id,product_name,category,updated_at\n"
            + "P1,Widget,Books,2025-01-01T00:00:00Z\n"
            + "P2,Gadget,Kitchen,2025-01-01T00:00:00Z\n");
    write("channels", d, "channel_id,channel_name\nCH1,Mail\n");
    // line 2 loads; 3 ends before it starts; 4 has no name; 5 is an exact copy of 2; 6, 7 load
    Path campaigns =
        write(
            "campaigns",
            d,
            "campaign_id,campaign_name,channel_id,start_date,end_date,budget_eur,updated_at\n"
                + "CA1,Spring,CH1,2025-04-01,2025-05-31,1000,\n"
                + "CA2,Bad dates,CH1,2025-05-10,2025-05-01,,\n"
                + "CA3,,CH1,2025-04-01,,,\n"
                + "CA1,Spring,CH1,2025-04-01,2025-05-31,1000,\n"
                + "CA4,Open ended,,2025-04-15,,500,\n"
                + "CA5,No budget,CH9,2025-03-01,2025-03-31,,\n");
    // 2, 3 load; 4 is anonymous and loads; 5, 6, 7 wait for C9, P9, CA9; 8 has an unknown type;
    // 9 has no event_ts; 10 copies 2; 11 is superseded by 12; 13 is 00:30 on 1 May in Paris
    // (22:30 UTC on 30 April) and 14 is 23:30 on 30 April in Paris: another month's partition.
    Path events =
        write(
            "web_events",
            d,
            "event_id,session_id,customer_id,event_type,product_id,campaign_id,event_ts\n"
                + "E1,S1,C1,page_view,,CA1,2025-05-01T10:00:00Z\n"
                + "E2,S1,C1,Product_View,P1,CA1,2025-05-01T10:01:00Z\n"
                + "E3,S2,,add_to_cart,P2,,2025-05-01T11:00:00Z\n"
                + "E4,S3,C9,page_view,,,2025-05-01T12:00:00Z\n"
                + "E5,S3,,product_view,P9,,2025-05-01T12:01:00Z\n"
                + "E6,S3,,page_view,,CA9,2025-05-01T12:02:00Z\n"
                + "E7,S4,C1,click,,,2025-05-01T13:00:00Z\n"
                + "E8,S4,C1,purchase,,,\n"
                + "E1,S1,C1,page_view,,CA1,2025-05-01T10:00:00Z\n"
                + "E9,S5,C2,add_to_cart,P1,,2025-05-01T14:00:00Z\n"
                + "E9,S5,C2,checkout,P1,,2025-05-01T14:00:00Z\n"
                + "E10,S6,C2,page_view,,,2025-04-30T22:30:00Z\n"
                + "E11,S6,C2,page_view,,,2025-04-30T21:30:00Z\n");
    // 2, 3 load; 4 is negative stock; 5 waits for P9; 6 copies 2; 7 has an unreadable on_hand
    Path inventory =
        write(
            "inventory",
            d,
            "snapshot_date,product_id,shop_id,on_hand,on_order,unit_cost\n"
                + "2025-05-01,P1,SH1,10,5,2.50\n"
                + "2025-05-01,P2,SH1,0,,\n"
                + "2025-05-01,P1,SH2,-3,,\n"
                + "2025-05-01,P9,SH1,4,,\n"
                + "2025-05-01,P1,SH1,10,5,2.50\n"
                + "2025-05-01,P2,SH2,abc,,\n");

    RunSummary s = run(d, new ByteArrayOutputStream());
    assertThat(s.message(), s.status(), is("succeeded"));
    day1Run = s.runId();

    // read, loaded, quarantined, deduplicated, pending
    assertCounts(s.entities().get("campaigns"), 6, 3, 2, 1, 0);
    assertCounts(s.entities().get("web_events"), 13, 6, 2, 2, 3);
    assertCounts(s.entities().get("inventory"), 6, 2, 2, 1, 1);
    for (String e : List.of("campaigns", "web_events", "inventory")) {
      assertThat(e, s.entities().get(e).reconciles(), is(true));
      assertThat(
          e + " in ops.pipeline_runs",
          DB.column(
              "SELECT concat_ws(' ', entity_counts->'"
                  + e
                  + "'->>'status', entity_counts->'"
                  + e
                  + "'->>'read', entity_counts->'"
                  + e
                  + "'->>'reconciled') FROM ops.pipeline_runs WHERE run_id = "
                  + day1Run),
          equalTo(List.of(EntityCounts.PRESENT + " " + s.entities().get(e).read() + " " + "true")));
    }

    // every quarantined row with its file, line and rule
    assertThat(
        rejects(day1Run),
        containsInAnyOrder(
            "campaigns " + campaigns + ":3 business:campaign_dates",
            "campaigns " + campaigns + ":4 not_null:campaign_name",
            "web_events " + events + ":8 accepted_values:event_type",
            "web_events " + events + ":9 not_null:event_ts",
            "inventory " + inventory + ":4 business:negative_stock",
            "inventory " + inventory + ":7 type:on_hand"));
    assertThat(
        DB.column(
            "SELECT message FROM dq.rejected_rows WHERE run_id = "
                + day1Run
                + " AND rule LIKE 'business:%' ORDER BY rule"),
        equalTo(
            List.of(
                "end_date 2025-05-01 is before start_date 2025-05-10",
                "on_hand -3 is negative (stock must be ≥ 0)")));

    // rows waiting for a member, under the first unmet relationship
    assertThat(
        pending(),
        containsInAnyOrder(
            "web_events E4 relationships:customer_id " + events + ":5",
            "web_events E5 relationships:product_id " + events + ":6",
            "web_events E6 relationships:campaign_id " + events + ":7",
            "inventory 2025-05-01|P9|SH1 relationships:product_id " + inventory + ":5"));

    // Type 1 campaigns, stored as cleaned
    assertThat(
        DB.column(
            "SELECT concat_ws(' ', campaign_id, campaign_name, coalesce(channel_id, '-'),"
                + " start_date, coalesce(end_date::text, '-'), coalesce(budget_eur::text, '-'))"
                + " FROM dw.dim_campaign ORDER BY 1"),
        equalTo(
            List.of(
                "CA1 Spring CH1 2025-04-01 2025-05-31 1000.0000",
                "CA4 Open ended - 2025-04-15 - 500.0000",
                "CA5 No budget CH9 2025-03-01 2025-03-31 -")));

    // events: the later of two conflicting lines, the date in Paris, the versions valid at the
    // event's time, null keys for an anonymous visitor
    assertThat(
        DB.column(
            "SELECT concat_ws(' ', f.event_id, f.session_id, coalesce(f.customer_id, '-'),"
                + " f.event_type, f.event_date, f.date_key, coalesce(c.customer_id, '-'),"
                + " coalesce(p.product_id, '-')) FROM dw.fact_web_events f LEFT JOIN"
                + " dw.dim_customer c ON c.customer_sk = f.customer_sk LEFT JOIN dw.dim_product p"
                + " ON p.product_sk = f.product_sk ORDER BY f.event_id"),
        equalTo(
            List.of(
                "E1 S1 C1 page_view 2025-05-01 20250501 C1 -",
                "E10 S6 C2 page_view 2025-05-01 20250501 C2 -",
                "E11 S6 C2 page_view 2025-04-30 20250430 C2 -",
                "E2 S1 C1 product_view 2025-05-01 20250501 C1 P1",
                "E3 S2 - add_to_cart 2025-05-01 20250501 - P2",
                "E9 S5 C2 checkout 2025-05-01 20250501 C2 P1")));
    assertThat(
        "one monthly partition per month of event_date",
        DB.column(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE"
                + " i.inhparent = 'dw.fact_web_events'::regclass AND c.relname <>"
                + " 'fact_web_events_default' ORDER BY 1"),
        equalTo(List.of("fact_web_events_202504", "fact_web_events_202505")));
    assertThat(DB.column("SELECT count(*) FROM dw.fact_web_events_default"), equalTo(List.of("0")));
    assertThat(
        DB.column("SELECT count(*) FROM dw.dim_date WHERE date_key = 20250430"),
        equalTo(List.of("1")));

    assertThat(
        DB.column(
            "SELECT concat_ws(' ', f.snapshot_date, f.product_id, f.shop_id, f.on_hand,"
                + " coalesce(f.on_order::text, '-'), coalesce(f.unit_cost::text, '-'),"
                + " p.product_id, (f.run_id = "
                + day1Run
                + ")::text) FROM dw.fact_inventory f JOIN dw.dim_product p ON p.product_sk ="
                + " f.product_sk ORDER BY 1"),
        equalTo(
            List.of("2025-05-01 P1 SH1 10 5 2.5000 P1 true", "2025-05-01 P2 SH1 0 - - P2 true")));
  }

  @Test
  @Order(2)
  void dayTwoResolvesPendingRowsOverwritesCampaignsAndUpsertsFacts() throws Exception {
    String d = "2025-05-02";
    write("customers", d, "customer_id,name\nC9,Cy Doe\n");
    // P9 arrives; P2 gets a version from 15 April: the facts after it point at it now
    write(
        "products",
        d,
        "product_id,product_name,category,updated_at\n"
            + "P9,Gizmo,Beauty,2025-01-01T00:00:00Z\n"
            + "P2,Gadget Pro,Kitchen,2025-04-15T00:00:00Z\n");
    write(
        "campaigns",
        d,
        "campaign_id,campaign_name,channel_id,start_date,end_date,budget_eur,updated_at\n"
            + "CA1,Spring Sale,CH1,2025-04-01,2025-06-15,2000,2025-05-02T08:00:00Z\n"
            + "CA9,Late,,2025-05-01,,,\n");
    // E2 re-delivered at 22:00 on 30 April in Paris: its date moves to April's partition
    write(
        "web_events",
        d,
        "event_id,session_id,customer_id,event_type,product_id,campaign_id,event_ts\n"
            + "E2,S1,C1,add_to_cart,P1,CA1,2025-04-30T20:00:00Z\n");
    // a re-delivered snapshot and a new one
    write(
        "inventory",
        d,
        "snapshot_date,product_id,shop_id,on_hand,on_order,unit_cost\n"
            + "2025-05-01,P2,SH1,7,,\n"
            + "2025-05-02,P1,SH1,9,,\n");

    RunSummary s = run(d, new ByteArrayOutputStream());
    assertThat(s.message(), s.status(), is("succeeded"));

    EntityCounts web = s.entities().get("web_events");
    assertCounts(web, 1, 1, 0, 0, 0);
    assertThat("parked events that loaded", web.resolved(), is(3L));
    assertThat(web.stillPending(), is(0L));
    EntityCounts inv = s.entities().get("inventory");
    assertCounts(inv, 2, 2, 0, 0, 0);
    assertThat("parked snapshots that loaded", inv.resolved(), is(1L));
    assertCounts(s.entities().get("campaigns"), 2, 2, 0, 0, 0);
    assertThat("nothing waits any more", pending(), empty());

    // Type 1: CA1 overwritten in place, CA9 added
    assertThat(
        DB.column(
            "SELECT concat_ws(' ', campaign_id, campaign_name, coalesce(end_date::text, '-'),"
                + " coalesce(budget_eur::text, '-'), coalesce(to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'), '-'),"
                + " (run_id = "
                + s.runId()
                + ")::text) FROM dw.dim_campaign WHERE campaign_id IN ('CA1', 'CA9') ORDER BY 1"),
        equalTo(
            List.of(
                "CA1 Spring Sale 2025-06-15 2000.0000 2025-05-02 08:00 true",
                "CA9 Late - - - true")));

    assertThat(
        DB.column(
            "SELECT concat_ws(' ', f.event_id, f.event_type, f.event_date,"
                + " coalesce(c.customer_id, '-'), coalesce(p.product_id, '-'),"
                + " coalesce(f.campaign_id, '-')) FROM dw.fact_web_events f LEFT JOIN"
                + " dw.dim_customer c ON c.customer_sk = f.customer_sk LEFT JOIN dw.dim_product p"
                + " ON p.product_sk = f.product_sk WHERE f.event_id IN ('E2', 'E4', 'E5', 'E6')"
                + " ORDER BY 1"),
        equalTo(
            List.of(
                "E2 add_to_cart 2025-04-30 C1 P1 CA1",
                "E4 page_view 2025-05-01 C9 - -",
                "E5 product_view 2025-05-01 - P9 -",
                "E6 page_view 2025-05-01 - - CA9")));
    assertThat(
        "a re-delivered event is updated, not duplicated",
        DB.column(
            "SELECT count(*) || ' ' || (SELECT count(*) FROM dw.web_event_keys) FROM"
                + " dw.fact_web_events"),
        equalTo(List.of("9 9")));
    assertThat(
        DB.column("SELECT event_date::text FROM dw.web_event_keys WHERE event_id = 'E2'"),
        equalTo(List.of("2025-04-30")));

    // E3 (P2 at 1 May 11:00, not re-delivered) was re-pointed to the version from 15 April
    assertThat(
        DB.column(
            "SELECT p.product_name || ' ' || (p.valid_from AT TIME ZONE 'UTC')::date FROM dw.fact_web_events f JOIN"
                + " dw.dim_product p ON p.product_sk = f.product_sk WHERE f.event_id = 'E3'"),
        equalTo(List.of("Gadget Pro 2025-04-15")));

    assertThat(
        DB.column(
            "SELECT concat_ws(' ', f.snapshot_date, f.product_id, f.shop_id, f.on_hand,"
                + " p.product_name) FROM dw.fact_inventory f JOIN dw.dim_product p ON"
                + " p.product_sk = f.product_sk ORDER BY f.snapshot_date, f.product_id,"
                + " f.shop_id"),
        equalTo(
            List.of(
                "2025-05-01 P1 SH1 10 Widget",
                "2025-05-01 P2 SH1 7 Gadget Pro",
                "2025-05-01 P9 SH1 4 Gizmo",
                "2025-05-02 P1 SH1 9 Widget")));

    // re-running the day changes nothing
    RunSummary again = run(d, new ByteArrayOutputStream());
    assertThat(again.message(), again.status(), is("succeeded"));
    assertThat(
        DB.column(
            "SELECT (SELECT count(*) FROM dw.fact_web_events) || ' ' || (SELECT count(*) FROM"
                + " dw.fact_inventory) || ' ' || (SELECT count(*) FROM dw.dim_campaign)"),
        equalTo(List.of("9 4 4")));
  }

  @Test
  @Order(3)
  void aDayWithoutTheirFoldersSkipsAndReportsThem() throws Exception {
    String d = "2025-05-03";
    write("customers", d, "customer_id,name\nC2,Bob Roe\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RunSummary s = run(d, out);
    assertThat(s.message(), s.status(), is("succeeded"));
    String printed = out.toString(StandardCharsets.UTF_8);
    for (String e : List.of("campaigns", "web_events", "inventory")) {
      EntityCounts c = s.entities().get(e);
      assertThat(e, c.status(), equalTo(EntityCounts.SKIPPED));
      assertThat(e, c.reconciles(), is(true));
      assertThat(printed, containsString(e + " skipped: no folder"));
      assertThat(
          DB.column(
              "SELECT entity_counts->'"
                  + e
                  + "'->>'status' FROM ops.pipeline_runs WHERE run_id = "
                  + s.runId()),
          equalTo(List.of(EntityCounts.SKIPPED)));
    }
  }

  @Test
  @Order(4)
  void theShareViewsHideCustomersSessionsAndSurrogateKeys() throws Exception {
    assertThat(
        DB.column(
            "SELECT table_name || '.' || column_name FROM information_schema.columns WHERE"
                + " table_schema = 'share' AND table_name IN ('dim_campaign',"
                + " 'fact_web_events', 'fact_inventory')"),
        everyItem(
            not(
                org.hamcrest.Matchers.matchesPattern(
                    "fact_web_events\\.(customer_id|session_id|event_id)|.*_sk|.*\\.run_id"))));
    assertThat(
        DB.column(
            "SELECT table_name FROM information_schema.views WHERE table_schema = 'share' AND"
                + " table_name IN ('dim_campaign', 'fact_web_events', 'fact_inventory') ORDER BY"
                + " 1"),
        equalTo(List.of("dim_campaign", "fact_inventory", "fact_web_events")));
    // the pseudonym is the keyed hash the other share views use; none is an id in clear
    assertThat(
        DB.column(
            "SELECT count(*) FILTER (WHERE w.customer_key = share.keyed_hash(f.customer_id))"
                + " || ' ' || count(*) FILTER (WHERE f.customer_id IS NOT NULL) || ' ' ||"
                + " count(*) FILTER (WHERE w.customer_key IS NULL) || ' ' || count(*) FILTER"
                + " (WHERE w.session_key = f.session_id OR w.event_key = f.event_id OR"
                + " w.customer_key = f.customer_id OR w.session_key IS NULL) FROM"
                + " share.fact_web_events w JOIN dw.fact_web_events f ON w.event_key ="
                + " share.keyed_hash(f.event_id)"),
        equalTo(List.of("6 6 3 0")));
    assertThat(
        DB.column("SELECT count(*) FROM share.fact_inventory"),
        equalTo(DB.column("SELECT count(*) FROM dw.fact_inventory")));
    assertThat(
        DB.column("SELECT campaign_name FROM share.dim_campaign WHERE campaign_id = 'CA1'"),
        equalTo(List.of("Spring Sale")));
  }

  private static List<String> rejects(long runId) throws Exception {
    return DB.column(
        "SELECT entity || ' ' || source_file || ':' || line_no || ' ' || rule FROM"
            + " dq.rejected_rows WHERE run_id = "
            + runId
            + " AND entity IN ('campaigns', 'web_events', 'inventory')");
  }

  private static List<String> pending() throws Exception {
    return DB.column(
        "SELECT concat_ws(' ', entity, natural_key, rule, source_file || ':' || line_no) FROM"
            + " dq.pending_rows WHERE entity IN ('web_events', 'inventory')");
  }

  private static void assertCounts(
      EntityCounts c, long read, long loaded, long quarantined, long dedup, long pending) {
    assertThat(
        c.entity() + " " + c,
        List.of(c.read(), c.loaded(), c.quarantined(), c.deduplicated(), c.pending()),
        equalTo(List.of(read, loaded, quarantined, dedup, pending)));
  }
}
