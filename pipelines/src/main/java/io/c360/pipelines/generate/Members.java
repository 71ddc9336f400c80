package io.c360.pipelines.generate;

import io.c360.transforms.model.Entities;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The customers and products of a run: each member's attributes derive from its id alone (its own
 * seeded stream), and the changes written so far are kept as the member's current state, so a later
 * day's change starts from what the loader already holds. Written by the dimension files of a day
 * before its fact parts read it.
 */
final class Members {
  private final Plan plan;
  private final Map<Long, Cust> custState = new HashMap<>();
  private final Map<Long, Prod> prodState = new HashMap<>();

  Members(Plan plan) {
    this.plan = plan;
  }

  record Cust(
      long id,
      long account,
      String name,
      String email,
      String city,
      String country,
      String segment,
      String industry,
      LocalDate created,
      long updated) {
    Cust withUpdated(long at) {
      return new Cust(id, account, name, email, city, country, segment, industry, created, at);
    }

    Cust withCity(String newCity, String newCountry, long at) {
      return new Cust(
          id, account, name, email, newCity, newCountry, segment, industry, created, at);
    }

    Cust withSegment(String newSegment, long at) {
      return new Cust(id, account, name, email, city, country, newSegment, industry, created, at);
    }

    Cust withIndustry(String newIndustry, long at) {
      return new Cust(id, account, name, email, city, country, segment, newIndustry, created, at);
    }

    Cust withName(String newName, long at) {
      return new Cust(id, account, newName, email, city, country, segment, industry, created, at);
    }

    Cust withEmail(String newEmail, long at) {
      return new Cust(id, account, name, newEmail, city, country, segment, industry, created, at);
    }
  }

  record Prod(long id, String name, String category, String brand, long price, long updated) {}

  static long account(long customerId) {
    return 500_000L + (customerId + 2) / 3;
  }

  Cust baseCustomer(long id) {
    Rng r = Rng.of(plan.seed, "customer", id, 0);
    String name = companyName(r);
    String email = emailFor(name, id, r);
    String[] city = r.pick(Vocab.CITIES);
    double seg = r.nextDouble();
    String segment =
        seg < 0.02
            ? null
            : seg < 0.6
                ? Entities.SEGMENTS.get(0)
                : seg < 0.9 ? Entities.SEGMENTS.get(1) : "Enterprise";
    String industry = r.chance(0.03) ? null : r.pick(Vocab.INDUSTRIES);
    String cityName = r.chance(0.02) ? null : city[0];
    LocalDate created;
    long updated;
    if (id <= plan.customers) {
      int age = r.between(30, 2000);
      created = plan.cfg.start().minusDays(age);
      updated = plan.dayStart(1) - 1 - r.nextLong(age * Plan.DAY);
    } else {
      int intro = (int) (2 + (id - plan.customers - 1) / plan.newCustomersPerDay);
      created = plan.date(intro);
      updated = plan.dayStart(intro) + r.nextLong(Plan.DAY);
    }
    return new Cust(
        id, account(id), name, email, cityName, city[1], segment, industry, created, updated);
  }

  private String companyName(Rng r) {
    String n = r.pick(Vocab.ADJECTIVES) + " " + r.pick(Vocab.NOUNS) + " " + r.pick(Vocab.TRADES);
    String suffix = r.pick(Vocab.SUFFIXES);
    n = suffix.startsWith(",") ? n + suffix : n + " " + suffix;
    // Names that need CSV quoting: embedded quotes and line breaks (cleaning removes the latter).
    double q = r.nextDouble();
    if (q < plan.spelling * 0.2) {
      n = "The \"" + n + "\"";
    } else if (q < plan.spelling * 0.3) {
      n = n.replaceFirst(" ", "\n");
    }
    return n;
  }

  private static String emailFor(String name, long id, Rng r) {
    StringBuilder b = new StringBuilder();
    for (char c : name.toLowerCase(Locale.ROOT).toCharArray()) {
      if (c >= 'a' && c <= 'z') {
        b.append(c);
      }
      if (b.length() >= 12) {
        break;
      }
    }
    return b.append('.').append(id).append('@').append(r.pick(Vocab.DOMAINS)).toString();
  }

  /** The customer's current state: its last change written, else its base attributes. */
  Cust customer(long id) {
    Cust c = custState.get(id);
    return c != null ? c : baseCustomer(id);
  }

  /** Makes {@code c} the customer's current state. */
  void put(Cust c) {
    custState.put(c.id(), c);
  }

  /**
   * The versions of an initial customer over the history window, oldest first: its base attributes
   * valid from just before the window (or its creation), then changes at random instants of the
   * window; the last one is the customer's state on day 1.
   */
  List<Cust> historyVersions(long id) {
    Cust base = baseCustomer(id);
    Rng r = Rng.of(plan.seed, "customer-history", id, 0);
    int historyDays = plan.cfg.historyDays();
    long end = plan.dayStart(1) - 1;
    long from =
        Math.max(
            plan.dayStart(1) - historyDays * Plan.DAY,
            (base.created().toEpochDay() + 1) * Plan.DAY);
    // uniform in [0, 2 x the expected count]
    long most = Math.round(2 * Plan.HISTORY_CHANGE_RATE * historyDays);
    int n = from >= end ? 0 : r.nextInt((int) most + 1);
    long[] at = new long[n];
    for (int i = 0; i < n; i++) {
      at[i] = from + r.nextLong(end - from);
    }
    Arrays.sort(at);
    List<Cust> out = new ArrayList<>();
    if (n == 0) {
      out.add(base);
      return out;
    }
    Cust c = base.withUpdated(from - 1 - r.nextLong(Plan.DAY / 2));
    out.add(c);
    for (long t : at) {
      if (t <= c.updated()) {
        continue; // two changes in one second: one version
      }
      c = r.chance(0.2) ? industryChange(c, r, t) : change(c, r, t);
      out.add(c);
    }
    return out;
  }

  private static Cust industryChange(Cust c, Rng r, long updated) {
    String industry = r.pick(Vocab.INDUSTRIES);
    while (industry.equals(c.industry())) {
      industry = r.pick(Vocab.INDUSTRIES);
    }
    return c.withIndustry(industry, updated);
  }

  /** One tracked attribute changed, valid from {@code updated}. */
  Cust change(Cust c, Rng r, long updated) {
    switch (r.nextInt(4)) {
      case 0:
        String[] city = r.pick(Vocab.CITIES);
        while (city[0].equals(c.city())) {
          city = r.pick(Vocab.CITIES);
        }
        return c.withCity(city[0], city[1], updated);
      case 1:
        String seg = r.pick(Entities.SEGMENTS);
        while (seg.equals(c.segment())) {
          seg = r.pick(Entities.SEGMENTS);
        }
        return c.withSegment(seg, updated);
      case 2:
        String name = companyName(r);
        return c.withName(name, updated);
      default:
        String email = "contact." + c.id() + "." + r.nextInt(1000) + "@" + r.pick(Vocab.DOMAINS);
        return c.withEmail(email, updated);
    }
  }

  Prod baseProduct(long id) {
    Rng r = Rng.of(plan.seed, "product", id, 0);
    String brand = r.pick(Vocab.BRANDS);
    String category = r.pick(Entities.CATEGORIES);
    if (id <= Entities.CATEGORIES.size()) {
      // the first products cover every category, so each customer's categories can be bought
      category = Entities.CATEGORIES.get((int) id - 1);
    }
    String name = brand + " " + r.pick(Vocab.PRODUCT_WORDS) + " " + r.between(100, 999);
    long price = r.between(199, 49_999);
    long updated;
    if (id <= plan.products) {
      updated = plan.dayStart(1) - 1 - r.nextLong(400 * Plan.DAY);
    } else {
      int intro = 2 + (int) ((id - plan.products - 1) / plan.newProductsPerDay);
      updated = plan.dayStart(intro) + r.nextLong(Plan.DAY);
    }
    return new Prod(id, name, category, r.chance(0.05) ? null : brand, price, updated);
  }

  /** The product's current state: its last change written, else its base attributes. */
  Prod product(long id) {
    Prod p = prodState.get(id);
    return p != null ? p : baseProduct(id);
  }

  /** Makes {@code p} the product's current state. */
  void put(Prod p) {
    prodState.put(p.id(), p);
  }
}
