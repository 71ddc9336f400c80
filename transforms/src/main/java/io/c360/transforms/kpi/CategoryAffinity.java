package io.c360.transforms.kpi;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * The category statistics of SPEC §9 over the category sets of one population of customers (those
 * with a completed sale in a 12-month window): how many customers there are (N), how many bought
 * each category (n_c) and each pair (n_bc). From them:
 *
 * <ul>
 *   <li>lift(b → c) = P(c | b) / P(c) = (n_bc / n_b) / (n_c / N) = n_bc·N / (n_b·n_c), 0 when no
 *       customer bought the pair;
 *   <li>score(c) for a customer = Σ over the categories b they bought of lift(b → c);
 *   <li>{@link #recommend}: the {@code k} accepted categories they did not buy with the highest
 *       score, ties by category name (code-point order);
 *   <li>{@link #popular}: the popularity baseline, the {@code k} accepted categories they did not
 *       buy bought by the most customers, ties by name.
 * </ul>
 *
 * <p>Scores are rounded to 6 decimals (the mart's scale) before ranking, so the rank order is that
 * of the stored scores. One class for the Beam transform ({@link NextBestCategory}) and the
 * evaluation ({@link RecommenderEval}): the rule lives here once.
 *
 * <pre>{@code
 * CategoryAffinity a = new CategoryAffinity();
 * a.add(Set.of("Books", "Kitchen"));
 * a.add(Set.of("Books"));
 * List<CategoryAffinity.Scored> top3 = a.recommend(Set.of("Books"), Entities.CATEGORIES, 3);
 * }</pre>
 */
public final class CategoryAffinity implements Serializable {
  static final int SCALE = 6;

  private long customers;
  private final TreeMap<String, Long> buyers = new TreeMap<>();
  private final TreeMap<String, TreeMap<String, Long>> pairs = new TreeMap<>();

  /** One customer's category set (may be empty: a completed sale without a category). */
  public CategoryAffinity add(Collection<String> categories) {
    customers++;
    Set<String> set = new java.util.TreeSet<>(categories);
    for (String b : set) {
      buyers.merge(b, 1L, Long::sum);
      TreeMap<String, Long> row = pairs.computeIfAbsent(b, x -> new TreeMap<>());
      for (String c : set) {
        if (!c.equals(b)) {
          row.merge(c, 1L, Long::sum);
        }
      }
    }
    return this;
  }

  /** Adds another population's counts (for a combine). */
  public CategoryAffinity merge(CategoryAffinity other) {
    customers += other.customers;
    other.buyers.forEach((c, n) -> buyers.merge(c, n, Long::sum));
    other.pairs.forEach(
        (b, row) -> {
          TreeMap<String, Long> mine = pairs.computeIfAbsent(b, x -> new TreeMap<>());
          row.forEach((c, n) -> mine.merge(c, n, Long::sum));
        });
    return this;
  }

  public long customers() {
    return customers;
  }

  /** Customers who bought {@code c}. */
  public long buyers(String c) {
    return buyers.getOrDefault(c, 0L);
  }

  /** Customers who bought both {@code b} and {@code c} (b ≠ c). */
  public long pair(String b, String c) {
    TreeMap<String, Long> row = pairs.get(b);
    return row == null ? 0 : row.getOrDefault(c, 0L);
  }

  /** lift(b → c), exact to 40 digits; 0 when no customer bought both. */
  public BigDecimal lift(String b, String c) {
    long both = pair(b, c);
    if (both == 0) {
      return BigDecimal.ZERO;
    }
    return BigDecimal.valueOf(both)
        .multiply(BigDecimal.valueOf(customers))
        .divide(
            BigDecimal.valueOf(buyers(b)).multiply(BigDecimal.valueOf(buyers(c))), KpiMath.PRECISE);
  }

  /** score(c) of a customer who bought {@code bought}, rounded to the mart's 6 decimals. */
  public BigDecimal score(Collection<String> bought, String c) {
    BigDecimal s = BigDecimal.ZERO;
    for (String b : new java.util.TreeSet<>(bought)) {
      s = s.add(lift(b, c));
    }
    return KpiMath.round(s, SCALE);
  }

  /** A recommended category with its rank (1…k) and score. */
  public record Scored(int rank, String category, BigDecimal score) implements Serializable {}

  /** The top {@code k} accepted categories not in {@code bought} by score, ties by name. */
  public List<Scored> recommend(Collection<String> bought, List<String> accepted, int k) {
    List<Scored> candidates = new ArrayList<>();
    for (String c : accepted) {
      if (!bought.contains(c)) {
        candidates.add(new Scored(0, c, score(bought, c)));
      }
    }
    candidates.sort(Comparator.comparing(Scored::score).reversed().thenComparing(Scored::category));
    return ranked(candidates, k);
  }

  /** The popularity baseline: the top {@code k} accepted categories not bought, by buyers. */
  public List<Scored> popular(Collection<String> bought, List<String> accepted, int k) {
    List<Scored> candidates = new ArrayList<>();
    for (String c : accepted) {
      if (!bought.contains(c)) {
        candidates.add(new Scored(0, c, BigDecimal.valueOf(buyers(c))));
      }
    }
    candidates.sort(Comparator.comparing(Scored::score).reversed().thenComparing(Scored::category));
    return ranked(candidates, k);
  }

  private static List<Scored> ranked(List<Scored> sorted, int k) {
    List<Scored> out = new ArrayList<>();
    for (int i = 0; i < Math.min(k, sorted.size()); i++) {
      out.add(new Scored(i + 1, sorted.get(i).category(), sorted.get(i).score()));
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CategoryAffinity a
        && a.customers == customers
        && a.buyers.equals(buyers)
        && a.pairs.equals(pairs);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(customers) * 31 + buyers.hashCode();
  }

  @Override
  public String toString() {
    return "CategoryAffinity{customers=" + customers + ", buyers=" + buyers + "}";
  }
}
