package io.c360.pipelines.generate;

import io.c360.pipelines.generate.Defects.Exempt;
import io.c360.transforms.model.EntitySpec;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The campaigns of a run (SPEC §8) and their files. Every campaign lands on day 1; later days carry
 * an occasional Type-1 change (a new budget or name, about 2 % of the campaigns a day, at least
 * one), as products carry price changes. Campaigns 1 and 2 are evergreen (started before the
 * generated time, no end date) and never rejected, so every date has a running campaign, and they
 * convert very differently (quality 2.5 and 0.4); the others run 14–90 days (a few open-ended)
 * starting anywhere in the generated time, each with its own conversion quality and reach. A
 * campaign whose day-1 row is rejected (a rejecting row knob or {@link Defect#CAMPAIGN_DATES}) is
 * never referenced by web events. Everything derives from the campaign's id.
 */
final class Campaigns {
  static final EntitySpec SPEC = GeneratedEntities.CAMPAIGNS;

  /** Campaigns that run the whole time. */
  static final int EVERGREEN = 2;

  /** Conversion multipliers by {@code (id − 1) % 6}: campaign 1 converts best, 2 worst. */
  static final double[] QUALITY = {2.5, 0.4, 1.0, 1.6, 0.7, 1.2};

  /**
   * One campaign as it lands on day 1.
   *
   * @param end null = open-ended
   * @param budget cents, null = none
   * @param channel 0 = none
   * @param quality multiplies the chance that a session of the campaign adds to its cart
   * @param reach relative share of the campaign sessions among the campaigns running
   */
  record Campaign(
      int id,
      String name,
      long channel,
      LocalDate start,
      LocalDate end,
      Long budget,
      long updated,
      double quality,
      double reach) {
    boolean runsOn(LocalDate d) {
      return !d.isBefore(start) && (end == null || !d.isAfter(end));
    }
  }

  private final Plan plan;
  private final Defects defects;
  private final PartWriter writer;
  private final List<Campaign> all = new ArrayList<>();
  private final Set<Integer> badDates = new HashSet<>();
  private final BitSet broken = new BitSet();

  /** Current name and budget per campaign, as the loader holds them after the last file. */
  private final Map<Integer, Campaign> state = new TreeMap<>();

  Campaigns(Plan plan, Defects defects, PartWriter writer) {
    this.plan = plan;
    this.defects = defects;
    this.writer = writer;
    int n = plan.campaigns;
    int history = Math.max(plan.cfg.historyDays(), 30);
    LocalDate first = plan.cfg.start().minusDays(history + 30L);
    int span = history + plan.cfg.days() + 30;
    for (int id = 1; id <= n; id++) {
      Rng r = Rng.of(plan.seed, "campaign", id, 0);
      String name =
          r.pick(Vocab.CAMPAIGN_THEMES) + " " + (id <= EVERGREEN ? "Always On" : "#" + id);
      long channel = r.chance(0.1) ? 0 : 1 + r.nextInt(plan.channels);
      LocalDate start;
      LocalDate end;
      if (id <= EVERGREEN) {
        start = first;
        end = null;
      } else {
        start = first.plusDays(r.nextInt(span));
        end = r.chance(0.05) ? null : start.plusDays(r.between(14, 90));
      }
      Long budget = id > EVERGREEN && r.chance(0.1) ? null : 100L * r.between(1_000, 50_000);
      long updated = plan.dayStart(1) - 1 - r.nextLong(30 * Plan.DAY);
      double reach = r.between(5, 20) / 10.0;
      all.add(
          new Campaign(
              id, name, channel, start, end, budget, updated, QUALITY[(id - 1) % 6], reach));
    }
    long bad =
        plan.cfg.rate(Defect.CAMPAIGN_DATES) == 0
            ? 0
            : Math.max(1, Math.round(plan.cfg.rate(Defect.CAMPAIGN_DATES) * n));
    Rng br = Rng.of(plan.seed, "campaign-dates", 0, 0);
    for (int i = 0; i < bad && badDates.size() < n - EVERGREEN; i++) {
      int id;
      do {
        id = EVERGREEN + 1 + br.nextInt(n - EVERGREEN);
      } while (!badDates.add(id));
    }
    for (Campaign c : all) {
      Rng r = defects.dimStream(SPEC.name(), c.id(), 1);
      if (badDates.contains(c.id())
          || Defects.rejecting(defects.dimDefect(SPEC.name(), c.id(), 1, exempt(c.id()), r))) {
        broken.set(c.id());
      }
      state.put(c.id(), c);
    }
  }

  private static Exempt exempt(int id) {
    return id <= EVERGREEN ? Exempt.REJECTS : Exempt.NONE;
  }

  /** Whether a campaign's day-1 row is rejected (web events never reference it). */
  boolean broken(long id) {
    return id >= 1 && id <= all.size() && broken.get((int) id);
  }

  /** The campaigns a web event of date {@code d} may carry: running that date, not rejected. */
  List<Campaign> running(LocalDate d) {
    List<Campaign> out = new ArrayList<>();
    for (Campaign c : all) {
      if (!broken.get(c.id()) && c.runsOn(d)) {
        out.add(c);
      }
    }
    return out;
  }

  /** Day k's campaigns file: every campaign on day 1, a few Type-1 changes later; none if empty. */
  List<PartWriter.Result> write(int k) throws IOException {
    List<Campaign> rows = new ArrayList<>();
    if (k == 1) {
      rows.addAll(all);
    } else {
      Rng r = Rng.of(plan.seed, "campaign-changes", k, 0);
      Set<Integer> touched = new HashSet<>();
      int candidates = all.size() - broken.cardinality();
      for (int i = 0; i < plan.campaignChangesPerDay && touched.size() < candidates; i++) {
        int id;
        do {
          id = 1 + r.nextInt(all.size());
        } while (broken.get(id) || !touched.add(id));
        Campaign c = state.get(id);
        long at = plan.dayStart(k) + r.nextLong(Plan.DAY);
        Campaign changed =
            r.chance(0.3) || c.budget() == null
                ? with(c, c.name() + " (renamed " + plan.date(k) + ")", c.budget(), at)
                : with(c, c.name(), Math.max(10_000L, c.budget() * r.between(80, 150) / 100), at);
        state.put(id, changed);
        rows.add(changed);
      }
    }
    if (rows.isEmpty()) {
      return List.of();
    }
    PartWriter.RowSource src =
        new PartWriter.RowSource() {
          int i;

          @Override
          public String[] next(PartContext ctx) {
            if (i >= rows.size()) {
              return null;
            }
            Campaign c = rows.get(i++);
            Rng r = defects.dimStream(SPEC.name(), c.id(), k);
            Defect d = defects.dimDefect(SPEC.name(), c.id(), k, exempt(c.id()), r);
            if (k == 1 && badDates.contains(c.id())) {
              LocalDate end = c.start().minusDays(r.between(1, 30));
              ctx.count(Defect.CAMPAIGN_DATES, GeneratedEntities.CAMPAIGN_DATES);
              return render(with(c, end), r, ctx);
            }
            String[] v = render(c, r, ctx);
            if (d == null) {
              return v;
            }
            switch (d) {
              case DUPLICATE -> ctx.queue(v.clone(), r, Defect.DUPLICATE, null);
              case CONFLICT -> {
                if (ctx.roomForExtra()) {
                  long budget = (c.budget() == null ? 0 : c.budget()) + 10_000;
                  Campaign variant = with(c, c.name(), budget, c.updated());
                  state.put(c.id(), variant); // the later line wins
                  ctx.queue(render(variant, r, ctx), r, Defect.CONFLICT, null);
                }
              }
              default -> ctx.count(d, Defects.breakValue(SPEC, d, v, r));
            }
            return v;
          }
        };
    return List.of(writer.write(SPEC, k, 0, src, Long.MAX_VALUE, Map.of()));
  }

  private static Campaign with(Campaign c, String name, Long budget, long updated) {
    return new Campaign(
        c.id(), name, c.channel(), c.start(), c.end(), budget, updated, c.quality(), c.reach());
  }

  private static Campaign with(Campaign c, LocalDate end) {
    return new Campaign(
        c.id(),
        c.name(),
        c.channel(),
        c.start(),
        end,
        c.budget(),
        c.updated(),
        c.quality(),
        c.reach());
  }

  private static String[] render(Campaign c, Rng r, PartContext ctx) {
    return new String[] {
      Cells.id(c.id(), r, ctx),
      Cells.name(c.name(), r, ctx),
      c.channel() == 0 ? "" : Cells.id(c.channel(), r, ctx),
      c.start().toString(),
      c.end() == null ? "" : c.end().toString(),
      c.budget() == null ? "" : Cells.money(c.budget()),
      Cells.ts(c.updated(), r, ctx)
    };
  }
}
