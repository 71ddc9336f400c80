package io.c360.pipelines.generate;

import io.c360.transforms.model.Entities;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What each customer buys, planted so that a next-best-category recommender (SPEC §9) has signal
 * that a popularity baseline lacks. Every customer has a home category (drawn with a skewed
 * popularity), adopts the home category's fixed partner of {@link #AFFINITY} at an instant of its
 * own, and 30 % of the customers also adopt one other category at random at another instant. From
 * then on the customer's order lines pick among the adopted categories (home 50 %, partner 35 %,
 * other 15 %, renormalised over those adopted). Adoption instants are uniform over the generated
 * time: from {@code start − max(historyDays, 30)} days to the end of the last day, so some
 * customers adopt in any 30-day window. The customer's profile derives from its id alone.
 */
final class Tastes {
  /**
   * b → c: customers whose home is b buy c later. A fixed map, the same for every seed: mostly
   * pairs that point at each other (Books ↔ Movies & TV, Sports ↔ Clothing, Kitchen ↔ Beauty, and
   * Apps & Games → Movies & TV), so the customers who buy both of a pair stand out against each
   * category's own popularity (lift well above 1).
   */
  static final Map<String, String> AFFINITY;

  static {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("Apps & Games", "Movies & TV");
    m.put("Beauty", "Kitchen");
    m.put("Books", "Movies & TV");
    m.put("Clothing Shoes & Accessories", "Sports Fitness & Outdoors");
    m.put("Kitchen", "Beauty");
    m.put("Movies & TV", "Books");
    m.put("Sports Fitness & Outdoors", "Clothing Shoes & Accessories");
    AFFINITY = java.util.Collections.unmodifiableMap(m);
  }

  /** Share of customers whose home is each category, in {@link Entities#CATEGORIES} order. */
  private static final double[] HOME_WEIGHTS = {0.16, 0.10, 0.18, 0.16, 0.12, 0.10, 0.18};

  /** Line weights of the home, partner and other category once adopted. */
  private static final double HOME = 0.5;

  private static final double PARTNER = 0.35;
  private static final double OTHER = 0.15;

  /**
   * One customer's categories, as indices into {@link Entities#CATEGORIES}.
   *
   * @param partnerFrom epoch second from which the customer buys its partner category
   * @param other -1 when the customer never adopts another category
   */
  record Taste(int home, int partner, long partnerFrom, int other, long otherFrom) {}

  private final Plan plan;
  private final long from;
  private final long span;

  Tastes(Plan plan) {
    this.plan = plan;
    List<String> cats = Entities.CATEGORIES;
    if (HOME_WEIGHTS.length != cats.size() || !AFFINITY.keySet().containsAll(cats)) {
      throw new IllegalStateException("Tastes must cover every category of " + cats);
    }
    this.from = plan.dayStart(1) - Math.max(plan.cfg.historyDays(), 30) * Plan.DAY;
    this.span = plan.dayStart(1) + plan.cfg.days() * Plan.DAY - from;
  }

  Taste of(long customerId) {
    Rng r = Rng.of(plan.seed, "customer-taste", customerId, 0);
    double u = r.nextDouble();
    int home = 0;
    while (home < HOME_WEIGHTS.length - 1 && u >= HOME_WEIGHTS[home]) {
      u -= HOME_WEIGHTS[home];
      home++;
    }
    List<String> cats = Entities.CATEGORIES;
    int partner = cats.indexOf(AFFINITY.get(cats.get(home)));
    long partnerFrom = from + r.nextLong(span);
    int other = -1;
    long otherFrom = Long.MAX_VALUE;
    if (r.chance(0.3)) {
      do {
        other = r.nextInt(cats.size());
      } while (other == home || other == partner);
      otherFrom = from + r.nextLong(span);
    }
    return new Taste(home, partner, partnerFrom, other, otherFrom);
  }

  /** The category of one order line of the customer at epoch second {@code ts}. */
  static int category(Taste t, long ts, Rng r) {
    double partner = ts >= t.partnerFrom() ? PARTNER : 0;
    double other = t.other() >= 0 && ts >= t.otherFrom() ? OTHER : 0;
    double u = r.nextDouble() * (HOME + partner + other);
    if (u < HOME) {
      return t.home();
    }
    return u < HOME + partner ? t.partner() : t.other();
  }
}
