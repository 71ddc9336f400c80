package io.c360.pipelines.generate;

import io.c360.transforms.model.Entities;
import io.c360.transforms.model.RuleNames;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The traffic parts of a day: distinct (customer, channel) pairs of the day's customers, walked in
 * the order of a seeded affine permutation cut into part-sized strides, then the day's slice of the
 * history (whole dates per part, a permutation of their own per date).
 */
final class Traffic {
  private static final String UNKNOWN_CUSTOMER = RuleNames.relationships("customer_id");
  private static final String UNKNOWN_CHANNEL = RuleNames.relationships("channel_id");

  private final Plan plan;
  private final Defects defects;
  private final PartWriter writer;

  Traffic(Plan plan, Defects defects, PartWriter writer) {
    this.plan = plan;
    this.defects = defects;
    this.writer = writer;
  }

  /** The writes of day k's traffic parts. */
  List<Callable<PartWriter.Result>> tasks(int k) {
    GeneratorConfig cfg = plan.cfg;
    long channels = plan.channels;
    long m = plan.maxCustomerId(k) * channels;
    Rng pr = Rng.of(plan.seed, "traffic-permutation", k, 0);
    long a = 1 + pr.nextLong(Math.max(1, m - 1));
    while (gcd(a, m) != 1) {
      a = 1 + pr.nextLong(Math.max(1, m - 1));
    }
    long b = pr.nextLong(m);
    long mul = a;
    int nParts = (int) ((plan.trafficPerDay + cfg.partRows() - 1) / cfg.partRows());
    long stride = cfg.partRows() + cfg.partRows() / 5 + 100;
    List<Callable<PartWriter.Result>> out = new ArrayList<>();
    for (int p = 0; p < nParts; p++) {
      int part = p;
      long target = Math.min(cfg.partRows(), plan.trafficPerDay - (long) p * cfg.partRows());
      long firstPos = p * stride;
      String dt = plan.date(k).toString();
      PartWriter.RowSource src =
          new PartWriter.RowSource() {
            long pos = firstPos;

            @Override
            public String[] next(PartContext ctx) {
              long cust;
              long chan;
              do {
                if (pos >= m || pos >= firstPos + stride) {
                  return null;
                }
                long idx = mulMod(mul, pos++, m, b);
                cust = idx / channels + 1;
                chan = idx % channels + 1;
              } while (defects.brokenCustomer(cust));
              return row(ctx, dt, cust, chan);
            }
          };
      out.add(() -> writer.write(Entities.TRAFFIC, k, part, src, target, Map.of()));
    }
    // History slice k: whole dates per part, after the day's own parts.
    int hFrom = plan.historyFrom(k);
    int hDays = plan.historyFrom(k + 1) - hFrom;
    long perDate = plan.historyTrafficPerDay;
    int datesPerPart = (int) Math.max(1, cfg.partRows() / Math.max(1, perDate));
    for (int h = 0; h * datesPerPart < hDays && perDate > 0; h++) {
      int part = nParts + h;
      int first = hFrom + h * datesPerPart;
      int last = Math.min(hFrom + hDays, first + datesPerPart); // exclusive
      // no target: every date gets all its pairs, plus any duplicate or conflict rows
      out.add(
          () ->
              writer.write(
                  Entities.TRAFFIC,
                  k,
                  part,
                  new HistoryTraffic(first, last),
                  Long.MAX_VALUE,
                  Map.of()));
    }
    return out;
  }

  /** One traffic row of (cust, chan) on {@code dt}, with its row knob. */
  private String[] row(PartContext ctx, String dt, long cust, long chan) {
    Rng r = ctx.rng;
    long interactions = r.between(1, 40);
    long revenue = interactions * r.between(20, 400);
    Defect d = defects.roll(r, Defects.TRAFFIC_KNOBS);
    if ((d == Defect.DUPLICATE || d == Defect.CONFLICT) && !ctx.roomForExtra()) {
      d = null;
    }
    String rule = null;
    if (d == Defect.FK_BREAK) {
      if (r.chance(0.5)) {
        cust = Plan.NO_SUCH_ID + r.nextLong(1_000_000);
        rule = UNKNOWN_CUSTOMER;
      } else {
        chan = 9_000 + r.nextInt(1000) + plan.channels;
        rule = UNKNOWN_CHANNEL;
      }
    }
    String[] v = {
      dt,
      Cells.id(Members.account(cust), r, ctx),
      Cells.id(cust, r, ctx),
      Cells.id(chan, r, ctx),
      Long.toString(interactions),
      Cells.money(revenue)
    };
    if (d == null) {
      return v;
    }
    switch (d) {
      case NOT_NULL, TYPE_ERROR -> rule = Defects.breakValue(Entities.TRAFFIC, d, v, r);
      case DUPLICATE -> ctx.queue(v.clone(), r, d, null);
      case CONFLICT -> {
        String[] c = v.clone();
        c[4] = Long.toString(interactions + 1);
        c[5] = Cells.money(revenue + 100);
        ctx.conflict(c, r);
      }
      default -> {}
    }
    if (d != Defect.DUPLICATE && d != Defect.CONFLICT) {
      ctx.count(d, rule);
    }
    return v;
  }

  /**
   * Backdated traffic of history dates [first, last) (indices as {@link Plan#historyFrom}): {@code
   * historyTrafficPerDay} distinct (initial customer, channel) pairs a date, from a permutation of
   * its own per date.
   */
  private final class HistoryTraffic implements PartWriter.RowSource {
    private final int last;
    private final long m = plan.customers * plan.channels;
    private int date;
    private long pos;
    private long emitted;
    private long a;
    private long b;

    HistoryTraffic(int first, int last) {
      this.last = last;
      this.date = first - 1;
      nextDate();
    }

    private void nextDate() {
      date++;
      pos = 0;
      emitted = 0;
      Rng pr =
          Rng.of(plan.seed, "traffic-history-permutation", plan.historyDate(date).toEpochDay(), 0);
      a = 1 + pr.nextLong(Math.max(1, m - 1));
      while (gcd(a, m) != 1) {
        a = 1 + pr.nextLong(Math.max(1, m - 1));
      }
      b = pr.nextLong(m);
    }

    @Override
    public String[] next(PartContext ctx) {
      while (date < last) {
        if (emitted >= plan.historyTrafficPerDay || pos >= m) {
          nextDate();
          continue;
        }
        long idx = mulMod(a, pos++, m, b);
        long cust = idx / plan.channels + 1;
        long chan = idx % plan.channels + 1;
        if (defects.brokenCustomer(cust)) {
          continue;
        }
        emitted++;
        return row(ctx, plan.historyDate(date).toString(), cust, chan);
      }
      return null;
    }
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return Math.abs(a);
  }

  /** (a·x + b) mod m, exact when a·x would overflow. */
  private static long mulMod(long a, long x, long m, long b) {
    if (m < 3_000_000_000L) {
      return (a * x + b) % m;
    }
    return BigInteger.valueOf(a)
        .multiply(BigInteger.valueOf(x))
        .add(BigInteger.valueOf(b))
        .mod(BigInteger.valueOf(m))
        .longValue();
  }
}
