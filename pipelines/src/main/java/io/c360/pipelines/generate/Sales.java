package io.c360.pipelines.generate;

import io.c360.transforms.model.Entities;
import io.c360.transforms.model.RuleNames;
import io.c360.transforms.model.SalesRules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The sales parts of a day: the day's own volume in parts of at most {@code partRows} rows, then
 * the day's slice of the history, each part from its own stream so parts can be written in
 * parallel. Orders have 1–6 lines; statuses, discounts and returns follow SPEC's mix; a row carries
 * at most one knob. A line's product is one of the categories its customer has adopted by the
 * order's time ({@link Tastes}: category affinities for the recommender of SPEC §9).
 */
final class Sales {
  private static final String NEGATIVE_AMOUNT = SalesRules.negativeAmount().ruleName();
  private static final String FUTURE_DATE = SalesRules.futureDate().ruleName();
  private static final String AMOUNT_MISMATCH = SalesRules.amountMismatch().ruleName();
  private static final String UNKNOWN_CUSTOMER = RuleNames.relationships("customer_id");
  private static final String UNKNOWN_PRODUCT = RuleNames.relationships("product_id");

  private final Plan plan;
  private final Members members;
  private final Defects defects;
  private final PartWriter writer;
  private final Tastes tastes;

  Sales(Plan plan, Members members, Defects defects, PartWriter writer) {
    this.plan = plan;
    this.members = members;
    this.defects = defects;
    this.writer = writer;
    this.tastes = new Tastes(plan);
  }

  /** Per category (index into {@code Entities.CATEGORIES}), the products 1..max facts may use. */
  private int[][] productsByCategory(int max) {
    List<List<Integer>> byCat = new ArrayList<>();
    for (int c = 0; c < Entities.CATEGORIES.size(); c++) {
      byCat.add(new ArrayList<>());
    }
    for (int id = 1; id <= max; id++) {
      if (!defects.brokenProduct(id)) {
        byCat.get(Entities.CATEGORIES.indexOf(members.product(id).category())).add(id);
      }
    }
    int[][] out = new int[byCat.size()][];
    for (int c = 0; c < out.length; c++) {
      out[c] = byCat.get(c).stream().mapToInt(Integer::intValue).toArray();
    }
    return out;
  }

  /** The writes of day k's sales parts; they read only the day's frozen dimension state. */
  List<Callable<PartWriter.Result>> tasks(int k) {
    GeneratorConfig cfg = plan.cfg;
    long[] prices = new long[plan.maxProductId(k) + 1];
    for (int id = 1; id < prices.length; id++) {
      prices[id] = members.product(id).price();
    }
    long salesPerDay = plan.salesPerDay;
    int nParts = (int) ((salesPerDay + cfg.partRows() - 1) / cfg.partRows());
    List<Callable<PartWriter.Result>> tasks = new ArrayList<>();
    long dayMaxCustomer = plan.maxCustomerId(k);
    long dayStart = plan.dayStart(k);
    int[][] byCategory = productsByCategory(plan.maxProductId(k));
    for (int p = 0; p < nParts; p++) {
      int part = p;
      long target = Math.min(cfg.partRows(), salesPerDay - (long) p * cfg.partRows());
      tasks.add(
          () ->
              writer.write(
                  Entities.SALES,
                  k,
                  part,
                  new SalesSource(k, part, prices, byCategory, dayStart, Plan.DAY, dayMaxCustomer),
                  target,
                  Map.of()));
    }
    // History slice k, in parts after the day's own, so every transaction id stays distinct.
    int hFrom = plan.historyFrom(k);
    int hDays = plan.historyFrom(k + 1) - hFrom;
    long hRows = plan.historySalesPerDay * hDays;
    long hStart = plan.dayStart(1) - (cfg.historyDays() - (long) hFrom) * Plan.DAY;
    long[] basePrices = Arrays.copyOf(prices, plan.products + 1);
    int[][] baseByCategory = productsByCategory(plan.products);
    int hParts = (int) ((hRows + cfg.partRows() - 1) / cfg.partRows());
    for (int h = 0; h < hParts; h++) {
      int part = nParts + h;
      long target = Math.min(cfg.partRows(), hRows - (long) h * cfg.partRows());
      tasks.add(
          () ->
              writer.write(
                  Entities.SALES,
                  k,
                  part,
                  new SalesSource(
                      k,
                      part,
                      basePrices,
                      baseByCategory,
                      hStart,
                      hDays * Plan.DAY,
                      plan.customers),
                  target,
                  Map.of()));
    }
    return tasks;
  }

  /**
   * Sales rows of one part: orders of 1–6 lines within [from, from + span) (the run date, or a
   * history slice), for customers 1..maxCustomer and the products {@code prices} covers, plus the
   * row knobs (dated relative to the run date).
   */
  private final class SalesSource implements PartWriter.RowSource {
    private final int day;
    private final long dayStart;
    private final long from;
    private final long span;
    private final long maxCustomer;
    private final long idBase;
    private final long[] prices;
    private final int[][] byCategory;
    private Tastes.Taste orderTaste;
    private long seq;
    private long orderId;
    private long orderCust;
    private long orderTs;
    private long orderShop;
    private int linesLeft;

    SalesSource(
        int day,
        int part,
        long[] prices,
        int[][] byCategory,
        long from,
        long span,
        long maxCustomer) {
      this.day = day;
      this.dayStart = plan.dayStart(day);
      this.from = from;
      this.span = span;
      this.maxCustomer = maxCustomer;
      this.idBase = day * 10_000_000_000L + (long) part * plan.cfg.partRows();
      this.prices = prices;
      this.byCategory = byCategory;
    }

    /**
     * A product of one of the customer's categories at the order's time ({@link Tastes}), drawn
     * from the line's own stream: the part's stream still draws the uniform product it drew before
     * tastes existed, so every other value of every row (statuses, quantities, knobs) is as it was.
     */
    private long pickProduct(Rng r, long ts, long txn) {
      long uniform = pickProduct(r);
      Rng t = Rng.of(plan.seed, "sales-taste", txn, 0);
      int[] pool = byCategory[Tastes.category(orderTaste, ts, t)];
      return pool.length == 0 ? uniform : pool[t.nextInt(pool.length)];
    }

    private long pickCustomer(Rng r) {
      long max = maxCustomer;
      while (true) {
        long id = 1 + r.nextLong(max);
        if (!defects.brokenCustomer(id)) {
          return id;
        }
      }
    }

    private long pickProduct(Rng r) {
      int max = prices.length - 1;
      while (true) {
        int id = 1 + r.nextInt(max);
        if (!defects.brokenProduct(id)) {
          return id;
        }
      }
    }

    @Override
    public String[] next(PartContext ctx) {
      Rng r = ctx.rng;
      seq++;
      if (linesLeft == 0) {
        double u = r.nextDouble();
        linesLeft = u < 0.55 ? 1 : u < 0.8 ? 2 : u < 0.92 ? 3 : r.between(4, 6);
        orderId = linesLeft == 1 && r.chance(0.4) ? 0 : idBase + seq;
        orderCust = pickCustomer(r);
        orderTaste = tastes.of(orderCust);
        orderTs = from + r.nextLong(span - 60);
        orderShop = r.chance(0.3) ? 0 : r.between(1, 50);
      }
      linesLeft--;
      Sale s = new Sale();
      s.txn = idBase + seq;
      s.order = orderId;
      s.cust = orderCust;
      s.product = pickProduct(r, orderTs, idBase + seq);
      s.shop = orderShop;
      s.ts = orderTs + r.nextInt(60);
      s.q = r.chance(0.7) ? 1 : r.between(2, 5);
      s.price = prices[(int) s.product];
      if (r.chance(0.2)) {
        s.price = s.price * 9 / 10;
      }
      double st = r.nextDouble();
      if (st < 0.9) {
        s.status = "completed";
        s.amount = s.q * s.price;
      } else if (st < 0.95) {
        s.status = "cancelled";
        s.amount = s.q * s.price;
      } else {
        s.status = "returned";
        if (r.chance(0.5)) {
          // Negative quantity: amount = quantity x unit_price stays consistent.
          s.q = -s.q;
          s.amount = s.q * s.price;
        } else {
          // Positive quantity with a refund: no unit_price, so amount_mismatch does not apply.
          s.amount = -s.q * s.price;
          s.price = null;
        }
      }

      Defect d = defects.roll(r, Defects.SALES_KNOBS);
      if (d == Defect.PENDING_CUSTOMER && day >= plan.cfg.days()) {
        d = null; // no next day in this run for the customer to arrive in
      }
      if ((d == Defect.DUPLICATE || d == Defect.CONFLICT) && !ctx.roomForExtra()) {
        d = null;
      }
      String rule = null;
      if (d != null) {
        switch (d) {
          case NEGATIVE_AMOUNT:
            s.normalise(prices);
            switch (r.nextInt(3)) {
              case 0 -> {
                s.q = -s.q;
                s.amount = s.q * s.price;
              }
              case 1 -> {
                s.q = 0;
                s.amount = 0L;
              }
              default -> s.status = "returned";
            }
            rule = NEGATIVE_AMOUNT;
            break;
          case FUTURE_DATE:
            s.ts = dayStart + (3L + r.nextInt(28)) * Plan.DAY + r.nextLong(Plan.DAY);
            rule = FUTURE_DATE;
            break;
          case AMOUNT_MISMATCH:
            s.normalise(prices);
            s.amount = s.q * s.price * r.between(2, 5) + r.nextInt(100);
            rule = AMOUNT_MISMATCH;
            break;
          case MISSING_AMOUNT:
            s.normalise(prices);
            s.amount = null;
            break;
          case FK_BREAK:
            s.order = 0;
            if (r.chance(0.5)) {
              s.cust = Plan.NO_SUCH_ID + r.nextLong(1_000_000);
              rule = UNKNOWN_CUSTOMER;
            } else {
              s.product = Plan.NO_SUCH_ID + r.nextLong(1_000_000);
              rule = UNKNOWN_PRODUCT;
            }
            break;
          case PENDING_CUSTOMER:
            s.order = 0;
            s.cust = plan.firstNewCustomer(day + 1) + r.nextLong(plan.newCustomersPerDay);
            break;
          case OUTLIER:
            s.product = 1 + r.nextInt(Math.min(3, plan.products));
            s.price = prices[(int) s.product];
            s.normalise(prices);
            s.q = r.between(200, 2000);
            s.amount = s.q * s.price;
            break;
          case LATE_SALE:
            s.ts = dayStart - 1 - r.nextLong(3 * Plan.DAY);
            break;
          default:
            break;
        }
      }
      String[] v = s.render(r, ctx);
      if (d == null) {
        return v;
      }
      switch (d) {
        case NOT_NULL, TYPE_ERROR, ACCEPTED_VALUES ->
            rule = Defects.breakValue(Entities.SALES, d, v, r);
        case DUPLICATE -> ctx.queue(v.clone(), r, d, null);
        case CONFLICT -> {
          Sale c = s.copy();
          if (c.price != null && c.q > 0 && "completed".equals(c.status)) {
            c.q += 1;
            c.amount = c.q * c.price;
          } else {
            c.shop = c.shop == 0 ? 51 : c.shop + 100;
          }
          ctx.conflict(c.render(r, ctx), r);
        }
        default -> {}
      }
      if (d != Defect.DUPLICATE && d != Defect.CONFLICT) {
        ctx.count(d, rule);
      }
      return v;
    }
  }

  /** One sale line before rendering; money in cents. */
  private static final class Sale {
    long txn;
    long order;
    long cust;
    long product;
    long shop;
    long q;
    Long price;
    Long amount;
    String status;
    long ts;

    void normalise(long[] prices) {
      status = "completed";
      if (q <= 0) {
        q = q == 0 ? 1 : -q;
      }
      if (price == null) {
        price = product < prices.length ? prices[(int) product] : 999L;
      }
      amount = q * price;
    }

    Sale copy() {
      Sale c = new Sale();
      c.txn = txn;
      c.order = order;
      c.cust = cust;
      c.product = product;
      c.shop = shop;
      c.q = q;
      c.price = price;
      c.amount = amount;
      c.status = status;
      c.ts = ts;
      return c;
    }

    String[] render(Rng r, PartContext ctx) {
      String st = status;
      if (ctx.spell(r)) {
        st = "completed".equals(st) && r.chance(0.5) ? "" : Cells.oddCase(st, r);
      }
      return new String[] {
        Cells.id(txn, r, ctx),
        order == 0 ? "" : Cells.id(order, r, ctx),
        Cells.id(cust, r, ctx),
        Cells.id(product, r, ctx),
        shop == 0 ? "" : Long.toString(shop),
        Long.toString(q),
        price == null ? "" : Cells.money(price),
        amount == null ? "" : Cells.money(amount),
        st,
        Cells.ts(ts, r, ctx)
      };
    }
  }
}
