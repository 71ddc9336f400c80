package io.c360.pipelines.generate;

import io.c360.transforms.model.EntitySpec;
import io.c360.transforms.model.RuleNames;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The inventory parts of a day (SPEC §8): one snapshot per product of the day and shop ({@code
 * shops} of them), product by product, then the day's slice of the history with a full snapshot per
 * history date (products of day 1). Stock follows a saw-tooth per product and shop: a shop restocks
 * to its capacity (20–400 units), sells a product-specific share of it a day (2–25 %, so turnover
 * differs by product), and after running dry stays at 0 for a stretch (2–8 days for a quarter of
 * the products, at most a day for the others) before the next delivery; on_order holds the capacity
 * once stock is below a third of it. The same (product, shop, date) always gets the same level;
 * each row may carry a knob, and {@link Defect#NEGATIVE_STOCK} makes a share of the day's own
 * snapshots negative.
 */
final class Inventory {
  static final EntitySpec SPEC = GeneratedEntities.INVENTORY;
  private static final String UNKNOWN_PRODUCT = RuleNames.relationships("product_id");

  private final Plan plan;
  private final Members members;
  private final Defects defects;
  private final PartWriter writer;

  Inventory(Plan plan, Members members, Defects defects, PartWriter writer) {
    this.plan = plan;
    this.members = members;
    this.defects = defects;
    this.writer = writer;
  }

  /** The on_hand of a product in a shop at the end of an epoch day (never negative). */
  long onHand(long product, long shop, long epochDay) {
    Stock s = stock(product, shop);
    long t = Math.floorMod(epochDay + s.phase, s.cycle);
    if (t >= s.depletion) {
      return 0;
    }
    return Math.max(1, Math.round(s.capacity * (1 - s.sellShare * t)));
  }

  /** Capacity, daily sell share and cycle of one product in one shop. */
  private record Stock(long capacity, double sellShare, int depletion, int cycle, int phase) {}

  private Stock stock(long product, long shop) {
    Rng pr = Rng.of(plan.seed, "stock-product", product, 0);
    double share = 0.02 + 0.23 * pr.nextDouble();
    boolean fragile = pr.chance(0.25);
    Rng r = Rng.of(plan.seed, "stock", product, shop);
    long capacity = r.between(20, 400);
    int depletion = (int) Math.ceil(1 / share);
    int out = fragile ? r.between(2, 8) : r.chance(0.3) ? 1 : 0;
    int cycle = depletion + out;
    return new Stock(capacity, share, depletion, cycle, r.nextInt(cycle));
  }

  /** The writes of day k's inventory parts. */
  List<Callable<PartWriter.Result>> tasks(int k) {
    GeneratorConfig cfg = plan.cfg;
    int shops = plan.shops;
    int dayProducts = plan.maxProductId(k);
    long[] cost = unitCosts(dayProducts);
    long pairs = (long) dayProducts * shops;
    long perPart = rowsPerPart();
    Set<Long> negative = negativePositions(k, pairs);
    List<Callable<PartWriter.Result>> out = new ArrayList<>();
    int nParts = (int) Math.max(1, (pairs + perPart - 1) / perPart);
    LocalDate dt = plan.date(k);
    for (int p = 0; p < nParts; p++) {
      int part = p;
      long first = p * perPart;
      long last = Math.min(pairs, first + perPart);
      PartWriter.RowSource src =
          new PartWriter.RowSource() {
            long pos = first;

            @Override
            public String[] next(PartContext ctx) {
              while (pos < last) {
                long i = pos++;
                long product = i / shops + 1;
                if (defects.brokenProduct(product)) {
                  continue;
                }
                return row(ctx, dt, product, i % shops + 1, cost, negative.contains(i));
              }
              return null;
            }
          };
      out.add(() -> writer.write(SPEC, k, part, src, Long.MAX_VALUE, Map.of()));
    }
    // History slice k: a full snapshot per history date, whole dates per part.
    int hFrom = plan.historyFrom(k);
    int hDays = plan.historyFrom(k + 1) - hFrom;
    long basePairs = (long) plan.products * shops;
    long[] baseCost = unitCosts(plan.products);
    int datesPerPart = (int) Math.max(1, perPart / basePairs);
    for (int h = 0; h * datesPerPart < hDays; h++) {
      int part = nParts + h;
      int firstDate = hFrom + h * datesPerPart;
      int lastDate = Math.min(hFrom + hDays, firstDate + datesPerPart); // exclusive
      PartWriter.RowSource src =
          new PartWriter.RowSource() {
            int date = firstDate;
            long pos;

            @Override
            public String[] next(PartContext ctx) {
              while (date < lastDate) {
                if (pos >= basePairs) {
                  date++;
                  pos = 0;
                  continue;
                }
                long i = pos++;
                long product = i / shops + 1;
                if (defects.brokenProduct(product)) {
                  continue;
                }
                return row(ctx, plan.historyDate(date), product, i % shops + 1, baseCost, false);
              }
              return null;
            }
          };
      out.add(() -> writer.write(SPEC, k, part, src, Long.MAX_VALUE, Map.of()));
    }
    return out;
  }

  /** Base rows per part, leaving room for the duplicate and conflict rows queued behind them. */
  private long rowsPerPart() {
    double extra = plan.cfg.rate(Defect.DUPLICATE) + plan.cfg.rate(Defect.CONFLICT);
    long room = (long) Math.ceil(plan.cfg.partRows() * extra * 2) + 10;
    return Math.max(1, plan.cfg.partRows() - room);
  }

  /** Unit cost in cents per product: 50–70 % of its list price when it first landed. */
  private long[] unitCosts(int max) {
    long[] cost = new long[max + 1];
    for (int id = 1; id <= max; id++) {
      int pct = Rng.of(plan.seed, "stock-product", id, 1).between(50, 70);
      cost[id] = members.baseProduct(id).price() * pct / 100;
    }
    return cost;
  }

  /** Pair positions of day k whose snapshot is negative: a share of the day's, at least one. */
  private Set<Long> negativePositions(int k, long pairs) {
    double rate = plan.cfg.rate(Defect.NEGATIVE_STOCK);
    Set<Long> out = new HashSet<>();
    if (rate == 0 || pairs == 0) {
      return out;
    }
    long n = Math.min(pairs, Math.max(1, Math.round(rate * pairs)));
    Rng r = Rng.of(plan.seed, "negative-stock", k, 0);
    while (out.size() < n) {
      out.add(r.nextLong(pairs));
    }
    return out;
  }

  private String[] row(
      PartContext ctx, LocalDate date, long product, long shop, long[] cost, boolean negative) {
    Rng r = ctx.rng;
    Stock s = stock(product, shop);
    long onHand = onHand(product, shop, date.toEpochDay());
    long onOrder = onHand * 3 < s.capacity ? s.capacity : 0;
    Defect d = negative ? Defect.NEGATIVE_STOCK : defects.roll(r, Defects.INVENTORY_KNOBS);
    if ((d == Defect.DUPLICATE || d == Defect.CONFLICT) && !ctx.roomForExtra()) {
      d = null;
    }
    String rule = null;
    long ref = product;
    if (d == Defect.NEGATIVE_STOCK) {
      onHand = -r.between(1, 20);
      rule = GeneratedEntities.NEGATIVE_STOCK;
    } else if (d == Defect.FK_BREAK) {
      ref = Plan.NO_SUCH_ID + r.nextLong(1_000_000);
      rule = UNKNOWN_PRODUCT;
    }
    String[] v = {
      date.toString(),
      Cells.id(ref, r, ctx),
      Cells.id(shop, r, ctx),
      Long.toString(onHand),
      Long.toString(onOrder),
      Cells.money(cost[(int) product])
    };
    if (d == null) {
      return v;
    }
    switch (d) {
      case NOT_NULL, TYPE_ERROR -> rule = Defects.breakValue(SPEC, d, v, r);
      case DUPLICATE -> ctx.queue(v.clone(), r, d, null);
      case CONFLICT -> {
        String[] c = v.clone();
        c[3] = Long.toString(onHand + 1);
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
