package io.c360.pipelines.generate;

import io.c360.pipelines.generate.Campaigns.Campaign;
import io.c360.transforms.model.EntitySpec;
import io.c360.transforms.model.RuleNames;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The web_events parts of a day (SPEC §8): the day's own volume in parts of at most {@code
 * partRows} rows, then the day's slice of the history (a tenth of a day's events per history date,
 * as sales), each part from its own stream. Events come in sessions: 1–3 page views, then (65 %)
 * 1–3 product views, an add to cart (25 % × the campaign's quality, at most 95 %), a checkout (60
 * %) and a purchase (70 %), a few seconds to minutes apart, so a session that starts late in the
 * day runs past midnight. A third of the sessions are anonymous (no customer_id); half carry one of
 * the campaigns running that date (weighted by its reach) on every event, so conversion differs by
 * campaign. Known visitors are customers who buy about ten sales lines a day, so a converting
 * campaign visitor has completed sales within 7 days after the event for last-touch attribution. A
 * row carries at most one knob; a part may cut its last session short.
 */
final class WebEvents {
  static final EntitySpec SPEC = GeneratedEntities.WEB_EVENTS;
  private static final String UNKNOWN_CUSTOMER = RuleNames.relationships("customer_id");
  private static final String UNKNOWN_PRODUCT = RuleNames.relationships("product_id");
  private static final String UNKNOWN_CAMPAIGN = RuleNames.relationships("campaign_id");

  static final double ANONYMOUS = 1.0 / 3;
  static final double WITH_CAMPAIGN = 0.5;

  private final Plan plan;
  private final Defects defects;
  private final Campaigns campaigns;
  private final PartWriter writer;

  WebEvents(Plan plan, Defects defects, Campaigns campaigns, PartWriter writer) {
    this.plan = plan;
    this.defects = defects;
    this.campaigns = campaigns;
    this.writer = writer;
  }

  /** The writes of day k's web event parts. */
  List<Callable<PartWriter.Result>> tasks(int k) {
    GeneratorConfig cfg = plan.cfg;
    List<Callable<PartWriter.Result>> tasks = new ArrayList<>();
    long perDay = plan.webEventsPerDay;
    int nParts = (int) ((perDay + cfg.partRows() - 1) / cfg.partRows());
    int[] products = validProducts(plan.maxProductId(k));
    for (int p = 0; p < nParts; p++) {
      int part = p;
      long target = Math.min(cfg.partRows(), perDay - (long) p * cfg.partRows());
      Sessions src =
          new Sessions(k, part, products, plan.dayStart(k), Plan.DAY, plan.maxCustomerId(k));
      tasks.add(() -> writer.write(SPEC, k, part, src, target, Map.of()));
    }
    int hFrom = plan.historyFrom(k);
    int hDays = plan.historyFrom(k + 1) - hFrom;
    long hRows = plan.historyWebEventsPerDay * hDays;
    long hStart = plan.dayStart(1) - (cfg.historyDays() - (long) hFrom) * Plan.DAY;
    int[] baseProducts = validProducts(plan.products);
    int hParts = (int) ((hRows + cfg.partRows() - 1) / cfg.partRows());
    for (int h = 0; h < hParts; h++) {
      int part = nParts + h;
      long target = Math.min(cfg.partRows(), hRows - (long) h * cfg.partRows());
      Sessions src = new Sessions(k, part, baseProducts, hStart, hDays * Plan.DAY, plan.customers);
      tasks.add(() -> writer.write(SPEC, k, part, src, target, Map.of()));
    }
    return tasks;
  }

  private int[] validProducts(int max) {
    List<Integer> ids = new ArrayList<>();
    for (int id = 1; id <= max; id++) {
      if (!defects.brokenProduct(id)) {
        ids.add(id);
      }
    }
    return ids.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Sessions starting in [from, from + span), emitted one event at a time. */
  private final class Sessions implements PartWriter.RowSource {
    private final int day;
    private final int[] products;
    private final long from;
    private final long span;
    private final long maxCustomer;
    private final long idBase;
    private long eventSeq;
    private long sessionSeq;
    private final List<long[]> pending = new ArrayList<>(); // {type, product, ts}
    private int next;
    private long session;
    private long customer;
    private long campaign;
    private long runningDay = Long.MIN_VALUE;
    private List<Campaign> running = List.of();
    private double runningReach;

    Sessions(int day, int part, int[] products, long from, long span, long maxCustomer) {
      this.day = day;
      this.products = products;
      this.from = from;
      this.span = span;
      this.maxCustomer = maxCustomer;
      this.idBase = day * 10_000_000_000L + (long) part * plan.cfg.partRows();
    }

    private long pickCustomer(Rng r) {
      while (true) {
        long id = 1 + r.nextLong(maxCustomer);
        if (!defects.brokenCustomer(id)) {
          return id;
        }
      }
    }

    private Campaign pickCampaign(long ts, Rng r) {
      long epochDay = Math.floorDiv(ts, Plan.DAY);
      if (epochDay != runningDay) {
        runningDay = epochDay;
        running = campaigns.running(LocalDate.ofEpochDay(epochDay));
        runningReach = running.stream().mapToDouble(Campaign::reach).sum();
      }
      if (running.isEmpty()) {
        return null;
      }
      double u = r.nextDouble() * runningReach;
      for (Campaign c : running) {
        u -= c.reach();
        if (u < 0) {
          return c;
        }
      }
      return running.get(running.size() - 1);
    }

    private void newSession(Rng r) {
      pending.clear();
      next = 0;
      session = idBase + sessionSeq++;
      customer = r.chance(ANONYMOUS) ? 0 : pickCustomer(r);
      long ts = from + r.nextLong(span);
      Campaign c = r.chance(WITH_CAMPAIGN) ? pickCampaign(ts, r) : null;
      campaign = c == null ? 0 : c.id();
      double quality = c == null ? 1.0 : c.quality();
      int views = r.chance(0.5) ? 1 : r.chance(0.6) ? 2 : 3;
      for (int i = 0; i < views; i++) {
        ts = add(0, 0, ts, r);
      }
      if (products.length > 0 && r.chance(0.65)) {
        long product = 0;
        int looks = r.between(1, 3);
        for (int i = 0; i < looks; i++) {
          product = products[r.nextInt(products.length)];
          ts = add(1, product, ts, r);
        }
        if (r.chance(Math.min(0.95, 0.25 * quality))) {
          ts = add(2, product, ts, r);
          if (r.chance(0.6)) {
            ts = add(3, product, ts, r);
            if (r.chance(0.7)) {
              add(4, product, ts, r);
            }
          }
        }
      }
    }

    /** Queues an event at {@code ts}; returns the next event's time. */
    private long add(int type, long product, long ts, Rng r) {
      pending.add(new long[] {type, product, ts});
      return ts + r.between(5, 240);
    }

    @Override
    public String[] next(PartContext ctx) {
      Rng r = ctx.rng;
      if (next >= pending.size()) {
        newSession(r);
      }
      long[] e = pending.get(next++);
      long cust = customer;
      long product = e[1];
      long camp = campaign;
      Defect d = defects.roll(r, Defects.WEB_KNOBS);
      if (d == Defect.PENDING_CUSTOMER && day >= plan.cfg.days()) {
        d = null; // no next day in this run for the customer to arrive in
      }
      if ((d == Defect.DUPLICATE || d == Defect.CONFLICT) && !ctx.roomForExtra()) {
        d = null;
      }
      String rule = null;
      if (d == Defect.FK_BREAK) {
        switch (r.nextInt(3)) {
          case 0 -> {
            cust = Plan.NO_SUCH_ID + r.nextLong(1_000_000);
            rule = UNKNOWN_CUSTOMER;
          }
          case 1 -> {
            product = Plan.NO_SUCH_ID + r.nextLong(1_000_000);
            rule = UNKNOWN_PRODUCT;
          }
          default -> {
            camp = Plan.NO_SUCH_ID + r.nextLong(1_000_000);
            rule = UNKNOWN_CAMPAIGN;
          }
        }
      } else if (d == Defect.PENDING_CUSTOMER) {
        cust = plan.firstNewCustomer(day + 1) + r.nextLong(plan.newCustomersPerDay);
      }
      String[] v = {
        Cells.id(idBase + eventSeq++, r, ctx),
        Cells.id(session, r, ctx),
        cust == 0 ? "" : Cells.id(cust, r, ctx),
        Cells.enumValue(GeneratedEntities.EVENT_TYPES.get((int) e[0]), r, ctx),
        product == 0 ? "" : Cells.id(product, r, ctx),
        camp == 0 ? "" : Cells.id(camp, r, ctx),
        Cells.ts(e[2], r, ctx)
      };
      if (d == null) {
        return v;
      }
      switch (d) {
        case NOT_NULL, TYPE_ERROR, ACCEPTED_VALUES -> rule = Defects.breakValue(SPEC, d, v, r);
        case DUPLICATE -> ctx.queue(v.clone(), r, d, null);
        case CONFLICT -> {
          String[] c = v.clone();
          c[6] = Cells.ts(e[2] + 1 + r.nextInt(30), r, ctx);
          ctx.conflict(c, r);
        }
        default -> {}
      }
      if (d != Defect.DUPLICATE && d != Defect.CONFLICT) {
        ctx.count(d, rule);
      }
      return v;
    }
  }
}
