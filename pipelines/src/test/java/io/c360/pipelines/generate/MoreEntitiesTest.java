package io.c360.pipelines.generate;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

import io.c360.transforms.model.Entities;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generator's SPEC §8 entities (campaigns, web_events, inventory) and the structure planted for
 * §8's marts and §9's recommender, read back from the files with the independent readers of {@link
 * Landing} and {@link Observed}.
 */
class MoreEntitiesTest {
  static final LocalDate D1 = LocalDate.of(2025, 1, 1);
  static final int HISTORY = 90;

  @TempDir static Path shared;
  static GenerationReport report;
  static Landing landing;

  /** Scale 0.005, 2 days and 90 days of history, default rates. */
  @BeforeAll
  static void generate() throws IOException {
    report =
        Generator.generate(
            GeneratorConfig.builder(shared.resolve("history"))
                .scale(0.005)
                .days(2)
                .historyDays(HISTORY)
                .build());
    landing = new Landing(shared.resolve("history"));
  }

  @Test
  void sizesScaleLinearlyWithMinimums(@TempDir Path tmp) {
    Plan one = new Plan(GeneratorConfig.builder(tmp).scale(1).build());
    assertThat(one.webEventsPerDay, equalTo(2_000_000L));
    assertThat(one.campaigns, equalTo(50));
    assertThat(one.shops, equalTo(10));
    assertThat(one.products, equalTo(1_000));
    Plan ten = new Plan(GeneratorConfig.builder(tmp).scale(10).build());
    assertThat(ten.webEventsPerDay, equalTo(20_000_000L));
    assertThat(ten.campaigns, equalTo(500));
    assertThat(ten.shops, equalTo(100));
    Plan tiny = new Plan(GeneratorConfig.builder(tmp).scale(0.0001).build());
    assertThat(tiny.webEventsPerDay, equalTo(Plan.MIN_WEB_EVENTS));
    assertThat(tiny.campaigns, equalTo(Plan.MIN_CAMPAIGNS));
    assertThat(tiny.shops, equalTo(Plan.MIN_SHOPS));
  }

  @Test
  void eachDayLandsTheThreeEntitiesWithSpecHeadersAndSizes(@TempDir Path tmp) throws IOException {
    GenerationReport r =
        Generator.generate(GeneratorConfig.builder(tmp).scale(0.01).days(3).noDefects().build());
    Landing l = new Landing(tmp);
    for (LocalDate d : List.of(D1, D1.plusDays(1), D1.plusDays(2))) {
      // 20,000 web events a day at scale 0.01, every one a distinct event
      assertThat(r.rows("web_events", d), equalTo(20_000L));
      assertThat((long) l.rows("web_events", d).size(), equalTo(20_000L));
      assertThat(distinct(l, "web_events", d, "event_id").size(), equalTo(20_000));
      // one snapshot per product of the day and shop: 3 shops (the minimum), 10+ products
      Set<String> pairs = new HashSet<>();
      for (Map<String, String> row : l.rows("inventory", d)) {
        assertThat(row.get("snapshot_date"), equalTo(d.toString()));
        pairs.add(Observed.id(row.get("product_id")) + "/" + Observed.id(row.get("shop_id")));
      }
      Set<String> products = new TreeSet<>();
      for (LocalDate p = D1; !p.isAfter(d); p = p.plusDays(1)) {
        products.addAll(distinct(l, "products", p, "product_id"));
      }
      assertThat(pairs.size(), equalTo(products.size() * 3));
      assertThat((long) l.rows("inventory", d).size(), equalTo(r.rows("inventory", d)));
    }
    // campaigns land on day 1 (6, the minimum), then one Type-1 change a day
    assertThat(distinct(l, "campaigns", D1, "campaign_id").size(), equalTo(6));
    assertThat(l.rows("campaigns", D1.plusDays(1)).size(), equalTo(1));
    for (String e : List.of("campaigns", "web_events", "inventory")) {
      for (Landing.LandedFile f : l.files(e)) {
        assertThat(f.path(), f.header(), equalTo(GeneratedEntities.byName(e).columnNames()));
        assertThat(f.path(), f.path().startsWith(e + "/dt=" + f.date() + "/"), is(true));
      }
    }
    assertThat(new Observed(l).rules, equalTo(Map.of()));
  }

  @Test
  void everyDefectOfTheNewEntitiesIsCountedAsTheFilesShow(@TempDir Path tmp) throws IOException {
    GeneratorConfig.Builder b = GeneratorConfig.builder(tmp).scale(0.01).days(3);
    for (Defect d :
        List.of(
            Defect.DUPLICATE,
            Defect.CONFLICT,
            Defect.NOT_NULL,
            Defect.TYPE_ERROR,
            Defect.ACCEPTED_VALUES,
            Defect.FK_BREAK,
            Defect.PENDING_CUSTOMER)) {
      b.rate(d, 0.04);
    }
    GenerationReport r = Generator.generate(b.rate(Defect.CAMPAIGN_DATES, 0.3).build());
    Observed o = new Observed(new Landing(tmp));
    for (String e : List.of("campaigns", "web_events", "inventory")) {
      assertThat(e, o.rules(e), equalTo(r.expectedRules(e)));
    }
    assertThat(
        r.expectedRules("web_events").keySet(),
        hasItems(
            "not_null:event_id",
            "not_null:session_id",
            "not_null:event_type",
            "not_null:event_ts",
            "type:event_ts",
            "accepted_values:event_type",
            "relationships:customer_id",
            "relationships:product_id",
            "relationships:campaign_id"));
    Set<String> inventoryRules = r.expectedRules("inventory").keySet();
    assertThat(inventoryRules, hasItems("business:negative_stock", "relationships:product_id"));
    assertThat(inventoryRules.stream().anyMatch(k -> k.startsWith("not_null:")), is(true));
    assertThat(inventoryRules.stream().anyMatch(k -> k.startsWith("type:")), is(true));
    assertThat(r.expectedRules("campaigns").keySet(), hasItems("business:campaign_dates"));
    assertThat(r.injected("campaigns", Defect.CAMPAIGN_DATES), equalTo(2L)); // 30 % of 6
    assertThat(r.injected("web_events", Defect.PENDING_CUSTOMER), greaterThan(0L));
    for (Defect d : List.of(Defect.DUPLICATE, Defect.CONFLICT)) {
      assertThat(d.key(), r.injected("web_events", d), greaterThan(0L));
      assertThat(d.key(), r.injected("inventory", d), greaterThan(0L));
    }
    // the reconciliation a loader should report adds up, day by day
    for (String e : List.of("campaigns", "web_events", "inventory")) {
      for (int k = 0; k < 3; k++) {
        GenerationReport.Expected x = r.expected(e, D1.plusDays(k));
        assertThat(
            x.rowsRead(), equalTo(x.loaded() + x.quarantined() + x.deduplicated() + x.pending()));
        assertThat(x.loaded(), greaterThanOrEqualTo(0L));
      }
    }
  }

  // ------------------------------------------------------------------ planted structure

  /** A valid web event as the files say. */
  record Event(String session, String customer, String type, String campaign, Instant ts) {}

  static List<Event> events() {
    List<Event> out = new ArrayList<>();
    for (LocalDate d : List.of(D1, D1.plusDays(1))) {
      for (Map<String, String> row : landing.rows("web_events", d)) {
        if (Observed.firstRule(GeneratedEntities.WEB_EVENTS, row, d) == null) {
          out.add(
              new Event(
                  Observed.id(row.get("session_id")),
                  Observed.id(row.get("customer_id")),
                  Landing.key(row.get("event_type")),
                  Observed.id(row.get("campaign_id")),
                  Observed.ts(row.get("event_ts"))));
        }
      }
    }
    return out;
  }

  @Test
  void sessionsFollowTheFunnelAndConvertAtCampaignDependentRates() {
    Map<String, Set<String>> typesBySession = new HashMap<>();
    Map<String, String> campaignOf = new HashMap<>();
    Map<String, Set<LocalDate>> datesOf = new HashMap<>();
    Set<String> anonymous = new HashSet<>();
    for (Event e : events()) {
      typesBySession.computeIfAbsent(e.session(), s -> new HashSet<>()).add(e.type());
      campaignOf.put(e.session(), e.campaign());
      datesOf
          .computeIfAbsent(e.session(), s -> new HashSet<>())
          .add(LocalDate.ofInstant(e.ts(), ZoneOffset.UTC));
      if (e.customer().isEmpty()) {
        anonymous.add(e.session());
      }
    }
    int sessions = typesBySession.size();
    long[] funnel = new long[GeneratedEntities.EVENT_TYPES.size()];
    Map<String, long[]> byCampaign = new TreeMap<>(); // campaign → {sessions, purchases}
    for (Map.Entry<String, Set<String>> s : typesBySession.entrySet()) {
      for (int i = 0; i < funnel.length; i++) {
        funnel[i] += s.getValue().contains(GeneratedEntities.EVENT_TYPES.get(i)) ? 1 : 0;
      }
      long[] c = byCampaign.computeIfAbsent(campaignOf.get(s.getKey()), x -> new long[2]);
      c[0]++;
      c[1] += s.getValue().contains("purchase") ? 1 : 0;
    }
    // drop-off at every step: page views > product views > carts > checkouts > purchases > 0
    for (int i = 1; i < funnel.length; i++) {
      assertThat(GeneratedEntities.EVENT_TYPES.get(i), funnel[i], lessThan(funnel[i - 1]));
      assertThat(GeneratedEntities.EVENT_TYPES.get(i), funnel[i], greaterThan(0L));
    }
    // a third of the sessions anonymous; some sessions span midnight
    assertThat(anonymous.size() * 100L / sessions, greaterThanOrEqualTo(25L));
    assertThat(anonymous.size() * 100L / sessions, lessThan(42L));
    assertThat(datesOf.values().stream().filter(d -> d.size() > 1).count(), greaterThan(5L));
    // the evergreen campaign 1 converts far better than campaign 2, no campaign in between
    double best = rate(byCampaign.get("1"));
    double worst = rate(byCampaign.get("2"));
    double none = rate(byCampaign.get(""));
    assertThat(byCampaign.get("2")[0], greaterThan(500L));
    assertThat(best, greaterThan(3 * worst));
    assertThat(none, greaterThan(worst));
    assertThat(best, greaterThan(none));
  }

  private static double rate(long[] sessionsAndPurchases) {
    return (double) sessionsAndPurchases[1] / sessionsAndPurchases[0];
  }

  @Test
  void convertingCampaignVisitorsBuyWithinSevenDaysForLastTouchAttribution() {
    Map<String, List<Instant>> completed = new HashMap<>();
    for (LocalDate d : List.of(D1, D1.plusDays(1))) {
      for (Map<String, String> s : landing.rows("sales", d)) {
        if (Observed.firstRule(Entities.SALES, s, d) == null
            && Observed.status(s.get("status")).equals("completed")) {
          completed
              .computeIfAbsent(Observed.id(s.get("customer_id")), c -> new ArrayList<>())
              .add(Observed.ts(s.get("transaction_ts")));
        }
      }
    }
    Instant lastDay = D1.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    long converted = 0;
    long attributed = 0;
    for (Event e : events()) {
      if (e.type().equals("purchase")
          && !e.customer().isEmpty()
          && !e.campaign().isEmpty()
          && e.ts().isBefore(lastDay)) {
        converted++;
        Instant until = e.ts().plusSeconds(7 * Plan.DAY);
        if (completed.getOrDefault(e.customer(), List.of()).stream()
            .anyMatch(t -> !t.isBefore(e.ts()) && !t.isAfter(until))) {
          attributed++;
        }
      }
    }
    assertThat(converted, greaterThan(50L));
    assertThat(attributed * 100 / converted, greaterThanOrEqualTo(95L));
  }

  @Test
  void inventoryHasStockOutStretchesAndTurnoverThatDiffersByProduct() {
    Map<String, TreeMap<LocalDate, Long>> stock = new HashMap<>();
    Map<String, Long> onHandSum = new HashMap<>();
    Map<String, Set<LocalDate>> snapshotDates = new HashMap<>();
    for (LocalDate d : List.of(D1, D1.plusDays(1))) {
      for (Map<String, String> row : landing.rows("inventory", d)) {
        if (Observed.firstRule(GeneratedEntities.INVENTORY, row, d) != null) {
          continue;
        }
        String product = Observed.id(row.get("product_id"));
        LocalDate date = LocalDate.parse(row.get("snapshot_date").trim());
        long onHand = Observed.integer(row.get("on_hand"));
        stock
            .computeIfAbsent(product + "/" + Observed.id(row.get("shop_id")), k -> new TreeMap<>())
            .put(date, onHand);
        onHandSum.merge(product, onHand, Long::sum);
        snapshotDates.computeIfAbsent(product, k -> new TreeSet<>()).add(date);
      }
    }
    long stretches = 0;
    for (TreeMap<LocalDate, Long> byDate : stock.values()) {
      int run = 0;
      for (Map.Entry<LocalDate, Long> e : byDate.entrySet()) {
        run = e.getValue() == 0 ? run + 1 : 0;
        stretches += run == 3 ? 1 : 0;
      }
    }
    assertThat("stock-outs of three days or more", stretches, greaterThan(10L));
    // turnover = units sold / mean daily on_hand over the same dates
    Map<String, Long> units = new HashMap<>();
    for (LocalDate d : List.of(D1, D1.plusDays(1))) {
      for (Map<String, String> s : landing.rows("sales", d)) {
        if (Observed.firstRule(Entities.SALES, s, d) == null
            && Observed.status(s.get("status")).equals("completed")) {
          units.merge(
              Observed.id(s.get("product_id")), Observed.integer(s.get("quantity")), Long::sum);
        }
      }
    }
    List<Double> turnover = new ArrayList<>();
    onHandSum.forEach(
        (p, sum) -> {
          double mean = (double) sum / snapshotDates.get(p).size();
          if (mean > 0 && units.containsKey(p)) {
            turnover.add(units.get(p) / mean);
          }
        });
    turnover.sort(null);
    assertThat(turnover.size(), greaterThan(5));
    assertThat(turnover.get(turnover.size() - 1), greaterThan(3 * turnover.get(0)));
  }

  /**
   * SPEC §9 computed here from the files: category sets per customer over (D − 12 months, D] for D
   * = the last day − 30 days, lifts, top 3 unseen categories; hit rate@3 on the last 30 days beside
   * the popularity baseline. The affinity pairs have lift well above 1, and the recommender beats
   * the baseline.
   */
  @Test
  void categoryAffinitiesGiveALiftRecommenderTheEdgeOverPopularity() {
    Map<String, String> categoryOf = new HashMap<>();
    for (LocalDate d : List.of(D1, D1.plusDays(1))) {
      for (Map<String, String> p : landing.rows("products", d)) {
        if (Observed.firstRule(Entities.PRODUCTS, p, d) == null) {
          String c = p.get("category").trim();
          categoryOf.put(
              Observed.id(p.get("product_id")),
              Entities.CATEGORIES.stream().filter(c::equalsIgnoreCase).findFirst().orElseThrow());
        }
      }
    }
    Set<String> customers = new HashSet<>();
    for (LocalDate d : List.of(D1, D1.plusDays(1))) {
      customers.addAll(distinct(landing, "customers", d, "customer_id"));
    }
    LocalDate last = D1.plusDays(1);
    LocalDate asOf = last.minusDays(30);
    Map<String, Set<String>> before = new TreeMap<>();
    Map<String, Set<String>> after = new TreeMap<>();
    for (LocalDate d : List.of(D1, last)) {
      for (Map<String, String> s : landing.rows("sales", d)) {
        String category = categoryOf.get(Observed.id(s.get("product_id")));
        if (Observed.firstRule(Entities.SALES, s, d) != null
            || category == null
            || !customers.contains(Observed.id(s.get("customer_id")))
            || !Observed.status(s.get("status")).equals("completed")) {
          continue;
        }
        LocalDate date = LocalDate.ofInstant(Observed.ts(s.get("transaction_ts")), ZoneOffset.UTC);
        String customer = Observed.id(s.get("customer_id"));
        if (date.isAfter(asOf) && !date.isAfter(last)) {
          after.computeIfAbsent(customer, c -> new HashSet<>()).add(category);
        } else if (!date.isAfter(asOf) && date.isAfter(asOf.minusMonths(12))) {
          before.computeIfAbsent(customer, c -> new HashSet<>()).add(category);
        }
      }
    }
    List<String> cats = Entities.CATEGORIES;
    int n = before.size();
    Map<String, Long> buyers = new HashMap<>();
    Map<String, Long> pairs = new HashMap<>();
    for (Set<String> set : before.values()) {
      for (String b : set) {
        buyers.merge(b, 1L, Long::sum);
        for (String c : set) {
          pairs.merge(b + "→" + c, 1L, Long::sum);
        }
      }
    }
    java.util.function.BiFunction<String, String, Double> lift =
        (b, c) ->
            pairs.getOrDefault(b + "→" + c, 0L) == 0
                ? 0.0
                : ((double) pairs.get(b + "→" + c) / buyers.get(b)) / ((double) buyers.get(c) / n);
    for (Map.Entry<String, String> a : Tastes.AFFINITY.entrySet()) {
      if (buyers.getOrDefault(a.getKey(), 0L) >= 20) {
        assertThat(a.toString(), lift.apply(a.getKey(), a.getValue()), greaterThan(1.5));
      }
    }
    List<String> byPopularity = new ArrayList<>(cats);
    byPopularity.sort(
        java.util.Comparator.comparing((String c) -> -buyers.getOrDefault(c, 0L))
            .thenComparing(c -> c));
    long hits = 0;
    long baselineHits = 0;
    for (Map.Entry<String, Set<String>> e : before.entrySet()) {
      Set<String> bought = e.getValue();
      List<String> unseen = cats.stream().filter(c -> !bought.contains(c)).toList();
      List<String> ranked = new ArrayList<>(unseen);
      Map<String, Double> score = new HashMap<>();
      for (String c : unseen) {
        score.put(c, bought.stream().mapToDouble(b -> lift.apply(b, c)).sum());
      }
      ranked.sort(
          java.util.Comparator.comparing((String c) -> -score.get(c)).thenComparing(c -> c));
      List<String> top = ranked.subList(0, Math.min(3, ranked.size()));
      List<String> popular = byPopularity.stream().filter(unseen::contains).limit(3).toList();
      Set<String> later = after.getOrDefault(e.getKey(), Set.of());
      hits += top.stream().anyMatch(later::contains) ? 1 : 0;
      baselineHits += popular.stream().anyMatch(later::contains) ? 1 : 0;
    }
    assertThat(n, greaterThan(300));
    assertThat(hits, greaterThan(baselineHits + baselineHits / 4));
    System.out.printf(
        "next best category on generated data: %d customers, hit rate@3 %.3f, baseline %.3f%n",
        n, (double) hits / n, (double) baselineHits / n);
  }

  private static Set<String> distinct(Landing l, String entity, LocalDate d, String column) {
    Set<String> out = new TreeSet<>();
    for (Map<String, String> r : l.rows(entity, d)) {
      if (!r.get(column).isBlank()) {
        out.add(Observed.id(r.get(column)));
      }
    }
    return out;
  }
}
