package io.c360.pipelines.generate;

import io.c360.pipelines.generate.Defects.Exempt;
import io.c360.pipelines.generate.Members.Cust;
import io.c360.pipelines.generate.Members.Prod;
import io.c360.transforms.model.Entities;
import io.c360.transforms.model.EntitySpec;
import java.io.IOException;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongFunction;

/**
 * The customers, products and channels files of each day. Day 1 carries every member (customers
 * with their history versions when the run has history); later days carry new members and changes
 * (customer moves, segment, name and email changes, late changes, two versions in one file; product
 * price changes). Channels land on day 1 only. Members 1–3 never carry a rejecting knob, and a late
 * change only targets a customer whose latest row the loader accepted.
 */
final class DimensionFiles {
  private final Plan plan;
  private final Members members;
  private final Defects defects;
  private final PartWriter writer;
  private final List<Long> changedCustomers = new ArrayList<>();
  private final Map<Long, Boolean> lastRowRejected = new HashMap<>();

  DimensionFiles(Plan plan, Members members, Defects defects, PartWriter writer) {
    this.plan = plan;
    this.members = members;
    this.defects = defects;
    this.writer = writer;
  }

  /** A dimension row: the member, and which knobs it may carry. */
  private record DimRow<T>(long id, T member, Exempt exempt) {}

  /** How a dimension renders and varies its members. */
  private abstract static class Dim<T> {
    final EntitySpec spec;

    Dim(EntitySpec spec) {
      this.spec = spec;
    }

    abstract String[] render(T m, Rng r, PartContext ctx);

    /** Same key (and version), different content; becomes the member's state (later wins). */
    abstract T conflict(T m, Rng r);
  }

  private final Dim<Cust> custDim =
      new Dim<>(Entities.CUSTOMERS) {
        @Override
        String[] render(Cust c, Rng r, PartContext ctx) {
          String[] v = new String[10];
          v[0] = Cells.id(c.id(), r, ctx);
          v[1] = Cells.id(c.account(), r, ctx);
          v[2] = Cells.name(c.name(), r, ctx);
          v[3] = c.email();
          if (v[3] != null && ctx.spell(r)) {
            v[3] = v[3].toUpperCase(Locale.ROOT);
          }
          v[4] = c.city();
          v[5] = c.country();
          if (ctx.spell(r)) {
            v[5] = v[5].toLowerCase(Locale.ROOT);
          } else {
            v[5] = v[5].toUpperCase(Locale.ROOT);
          }
          v[6] = Cells.enumValue(c.segment(), r, ctx);
          v[7] = c.industry();
          v[8] = c.created().toString();
          v[9] = Cells.ts(c.updated(), r, ctx);
          return v;
        }

        @Override
        Cust conflict(Cust c, Rng r) {
          Cust moved = members.change(c, r, c.updated());
          if (moved.equals(c)) {
            moved = c.withCity("Springfield", "us", c.updated());
          }
          members.put(moved);
          return moved;
        }
      };

  private final Dim<Prod> prodDim =
      new Dim<>(Entities.PRODUCTS) {
        @Override
        String[] render(Prod p, Rng r, PartContext ctx) {
          return new String[] {
            Cells.id(p.id(), r, ctx),
            Cells.name(p.name(), r, ctx),
            Cells.enumValue(p.category(), r, ctx),
            p.brand(),
            Cells.money(p.price()),
            Cells.ts(p.updated(), r, ctx)
          };
        }

        @Override
        Prod conflict(Prod p, Rng r) {
          Prod out =
              new Prod(p.id(), p.name(), p.category(), p.brand(), p.price() + 100, p.updated());
          members.put(out);
          return out;
        }
      };

  /** A channel is {id, price in cents}. */
  private final Dim<long[]> chanDim =
      new Dim<>(Entities.CHANNELS) {
        @Override
        String[] render(long[] c, Rng r, PartContext ctx) {
          int i = (int) c[0] - 1;
          String[] base = Vocab.CHANNELS[i % Vocab.CHANNELS.length];
          String name = i < Vocab.CHANNELS.length ? base[0] : base[0] + " " + (i + 1);
          return new String[] {
            Cells.id(c[0], r, ctx), Cells.name(name, r, ctx), base[1], Cells.money(c[1])
          };
        }

        @Override
        long[] conflict(long[] c, Rng r) {
          return new long[] {c[0], c[1] + 1};
        }
      };

  private static Exempt firstMembersNeverRejected(long id) {
    return id <= 3 ? Exempt.REJECTS : Exempt.NONE;
  }

  /** Day 1's rows of members 1..size, made as they are written (a day-1 list can be large). */
  private static <T> List<DimRow<T>> firstDay(int size, LongFunction<T> member) {
    return new AbstractList<>() {
      @Override
      public DimRow<T> get(int i) {
        long id = i + 1L;
        return new DimRow<>(id, member.apply(id), firstMembersNeverRejected(id));
      }

      @Override
      public int size() {
        return size;
      }
    };
  }

  List<PartWriter.Result> writeCustomers(int k) throws IOException {
    Map<String, Long> pre = new TreeMap<>();
    List<DimRow<Cust>> list;
    if (k == 1 && plan.cfg.historyDays() > 0) {
      List<DimRow<Cust>> l = new ArrayList<>();
      for (long id = 1; id <= plan.customers; id++) {
        Exempt exempt = firstMembersNeverRejected(id);
        if (defects.brokenCustomer(id)) {
          // Its one row is rejected: no history of a customer the facts never reference.
          l.add(new DimRow<>(id, members.customer(id), exempt));
          continue;
        }
        List<Cust> versions = members.historyVersions(id);
        for (int i = 0; i < versions.size(); i++) {
          // Older versions may only be duplicated: a conflict or reject targets the current one.
          l.add(
              new DimRow<>(
                  id,
                  versions.get(i),
                  i == versions.size() - 1 ? exempt : Exempt.ALL_BUT_DUPLICATE));
        }
        members.put(versions.get(versions.size() - 1));
      }
      list = l;
    } else if (k == 1) {
      list = firstDay((int) plan.customers, members::customer);
    } else {
      Rng r = Rng.of(plan.seed, "customer-changes", k, 0);
      List<DimRow<Cust>> l = new ArrayList<>();
      long day0 = plan.dayStart(k);
      for (long id = plan.firstNewCustomer(k); id <= plan.maxCustomerId(k); id++) {
        l.add(new DimRow<>(id, members.baseCustomer(id), Exempt.ALL_BUT_DUPLICATE));
      }
      Set<Long> touched = new HashSet<>();
      long existing = plan.maxCustomerId(k - 1);
      for (int i = 0; i < plan.changesPerDay && touched.size() < existing; i++) {
        long id = distinct(r, existing, touched);
        Cust c = members.change(members.customer(id), r, day0 + r.nextLong(Plan.DAY));
        members.put(c);
        changedCustomers.add(id);
        Exempt exempt = firstMembersNeverRejected(id);
        Rng dr = defects.dimStream(Entities.CUSTOMERS.name(), id, k);
        lastRowRejected.put(
            id, Defects.rejecting(defects.dimDefect(Entities.CUSTOMERS.name(), id, k, exempt, dr)));
        l.add(new DimRow<>(id, c, exempt));
      }
      long late = plan.dayCount(Defect.LATE_CHANGE);
      for (int i = 0; i < late && touched.size() < existing; i++) {
        long id = -1;
        // A late change is only late against a version the loader actually holds.
        for (int t = 0; t < 5 && !changedCustomers.isEmpty(); t++) {
          long cand = changedCustomers.get(r.nextInt(changedCustomers.size()));
          if (!touched.contains(cand) && !lastRowRejected(cand)) {
            touched.add(cand);
            id = cand;
            break;
          }
        }
        for (int t = 0; id < 0 && t < 100; t++) {
          long cand = 1 + r.nextLong(existing);
          if (!touched.contains(cand) && !lastRowRejected(cand)) {
            touched.add(cand);
            id = cand;
          }
        }
        if (id < 0) {
          continue;
        }
        Cust cur = members.customer(id);
        Cust old = members.change(cur, r, cur.updated() - 3600 - r.nextLong(2 * Plan.DAY));
        l.add(new DimRow<>(id, old, Exempt.ALL_BUT_DUPLICATE));
        pre.merge(Defect.LATE_CHANGE.key(), 1L, Long::sum);
      }
      long twice = plan.dayCount(Defect.SAME_DAY_VERSIONS);
      for (int i = 0; i < twice && touched.size() < existing; i++) {
        long id = distinct(r, existing, touched);
        long t1 = day0 + r.nextLong(Plan.DAY / 2);
        Cust v1 = members.change(members.customer(id), r, t1);
        Cust v2 = members.change(v1, r, t1 + 1 + r.nextLong(Plan.DAY / 2 - 1));
        members.put(v2);
        changedCustomers.add(id);
        lastRowRejected.put(id, false);
        l.add(new DimRow<>(id, v1, Exempt.ALL_BUT_DUPLICATE));
        l.add(new DimRow<>(id, v2, Exempt.ALL_BUT_DUPLICATE));
        pre.merge(Defect.SAME_DAY_VERSIONS.key(), 1L, Long::sum);
      }
      r.shuffle(l);
      list = l;
    }
    return writeDim(custDim, k, list, pre);
  }

  /** Whether the latest row written for a customer carries a rejecting defect. */
  private boolean lastRowRejected(long id) {
    Boolean b = lastRowRejected.get(id);
    return b != null ? b : defects.brokenCustomer(id);
  }

  private static long distinct(Rng r, long bound, Set<Long> used) {
    while (true) {
      long id = 1 + r.nextLong(bound);
      if (used.add(id)) {
        return id;
      }
    }
  }

  List<PartWriter.Result> writeProducts(int k) throws IOException {
    List<DimRow<Prod>> list;
    if (k == 1) {
      list = firstDay(plan.products, members::product);
    } else {
      Rng r = Rng.of(plan.seed, "product-changes", k, 0);
      List<DimRow<Prod>> l = new ArrayList<>();
      for (long id = plan.maxProductId(k - 1) + 1L; id <= plan.maxProductId(k); id++) {
        l.add(new DimRow<>(id, members.baseProduct(id), Exempt.ALL_BUT_DUPLICATE));
      }
      Set<Long> touched = new HashSet<>();
      int existing = plan.maxProductId(k - 1);
      long day0 = plan.dayStart(k);
      for (int i = 0; i < plan.priceChangesPerDay && touched.size() < existing; i++) {
        long id = distinct(r, existing, touched);
        Prod p = members.product(id);
        long price = Math.max(99, p.price() * r.between(80, 125) / 100);
        if (price == p.price()) {
          price += 50;
        }
        Prod np =
            new Prod(id, p.name(), p.category(), p.brand(), price, day0 + r.nextLong(Plan.DAY));
        members.put(np);
        l.add(new DimRow<>(id, np, firstMembersNeverRejected(id)));
      }
      r.shuffle(l);
      list = l;
    }
    return writeDim(prodDim, k, list, new TreeMap<>());
  }

  List<PartWriter.Result> writeChannels() throws IOException {
    List<DimRow<long[]>> list = new ArrayList<>();
    for (long id = 1; id <= plan.channels; id++) {
      long price = Rng.of(plan.seed, "channel", id, 0).between(1, 25);
      // Traffic references every channel, so none carries a rejecting defect.
      list.add(new DimRow<>(id, new long[] {id, price}, Exempt.REJECTS));
    }
    return writeDim(chanDim, 1, list, new TreeMap<>());
  }

  private <T> List<PartWriter.Result> writeDim(
      Dim<T> dim, int k, List<DimRow<T>> list, Map<String, Long> pre) throws IOException {
    String entity = dim.spec.name();
    int chunk = baseRowsPerPart();
    int nParts = Math.max(1, (list.size() + chunk - 1) / chunk);
    List<PartWriter.Result> out = new ArrayList<>();
    for (int p = 0; p < nParts; p++) {
      int from = p * chunk;
      int to = Math.min(list.size(), from + chunk);
      PartWriter.RowSource src =
          new PartWriter.RowSource() {
            int i = from;

            @Override
            public String[] next(PartContext ctx) {
              if (i >= to) {
                return null;
              }
              DimRow<T> row = list.get(i++);
              Rng r = defects.dimStream(entity, row.id(), k);
              Defect d = defects.dimDefect(entity, row.id(), k, row.exempt(), r);
              String[] v = dim.render(row.member(), r, ctx);
              if (d == null) {
                return v;
              }
              switch (d) {
                case DUPLICATE:
                  ctx.queue(v.clone(), r, Defect.DUPLICATE, null);
                  break;
                case CONFLICT:
                  if (ctx.roomForExtra()) {
                    T variant = dim.conflict(row.member(), r);
                    ctx.queue(dim.render(variant, r, ctx), r, Defect.CONFLICT, null);
                  }
                  break;
                default:
                  ctx.count(d, Defects.breakValue(dim.spec, d, v, r));
              }
              return v;
            }
          };
      out.add(writer.write(dim.spec, k, p, src, Long.MAX_VALUE, p == 0 ? pre : Map.of()));
    }
    return out;
  }

  /** Base rows per part, leaving room for the duplicate and conflict rows queued behind them. */
  private int baseRowsPerPart() {
    double extra = plan.cfg.rate(Defect.DUPLICATE) + plan.cfg.rate(Defect.CONFLICT);
    int room = (int) Math.ceil(plan.cfg.partRows() * extra * 2) + 10;
    return Math.max(1, plan.cfg.partRows() - room);
  }
}
