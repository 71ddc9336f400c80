package io.c360.transforms.kpi;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The back-test of SPEC §9 for as_of D: the recommendations of next_best_category as of E = D − 30
 * days ({@link CategoryAffinity} over the category sets of (E − 12 months, E]), and for the
 * customers who got any, the share who made a completed purchase of a recommended category in (E,
 * D] (hit rate@3), beside the same share for the popularity baseline (each customer's 3 unbought
 * accepted categories bought by the most customers of that window, ties by name). Written to
 * mart.recommender_eval(as_of = D), replacing that as_of's row.
 *
 * <p>Where SPEC §9 is silent: the hit rates are shares in [0, 1] with 6 decimals (null when no
 * customer had a recommendation); a customer who bought every accepted category gets none and is
 * not counted; categories are those of the product versions at sale time, as for the mart.
 *
 * <pre>{@code
 * try (Connection c = pg.open()) {
 *   RecommenderEval.Result r = RecommenderEval.evaluate(c, asOf, categories);
 *   RecommenderEval.write(c, r);
 * }
 * }</pre>
 */
public final class RecommenderEval {
  private RecommenderEval() {}

  /** Days between the recommendations and D. */
  public static final int HORIZON_DAYS = 30;

  /** One evaluation: D, customers with recommendations, their hits and the rates. */
  public record Result(
      LocalDate asOf,
      long customers,
      long hits,
      long baselineHits,
      @Nullable BigDecimal hitRateAt3,
      @Nullable BigDecimal baselineHitRateAt3) {}

  /** Computes the evaluation for D from the warehouse (reads two windows of completed sales). */
  public static Result evaluate(Connection c, LocalDate asOf, List<String> categories)
      throws SQLException {
    LocalDate e = asOf.minusDays(HORIZON_DAYS);
    Map<String, Set<String>> sets = purchases(c, Periods.of(e).window12mExclusiveStart(), e);
    Map<String, Set<String>> after = purchases(c, e, asOf);
    CategoryAffinity affinity = new CategoryAffinity();
    sets.values().forEach(affinity::add);
    long customers = 0;
    long hits = 0;
    long baselineHits = 0;
    for (Map.Entry<String, Set<String>> s : sets.entrySet()) {
      List<CategoryAffinity.Scored> recommended =
          affinity.recommend(s.getValue(), categories, NextBestCategory.TOP);
      if (recommended.isEmpty()) {
        continue;
      }
      customers++;
      Set<String> bought = after.getOrDefault(s.getKey(), Set.of());
      if (anyBought(recommended, bought)) {
        hits++;
      }
      if (anyBought(affinity.popular(s.getValue(), categories, NextBestCategory.TOP), bought)) {
        baselineHits++;
      }
    }
    return new Result(
        asOf,
        customers,
        hits,
        baselineHits,
        share(hits, customers),
        share(baselineHits, customers));
  }

  /** Replaces mart.recommender_eval's row for the result's as_of, in one transaction. */
  public static void write(Connection c, Result r) throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try (PreparedStatement del =
            c.prepareStatement("DELETE FROM mart.recommender_eval WHERE as_of = ?");
        PreparedStatement ins =
            c.prepareStatement(
                "INSERT INTO mart.recommender_eval (as_of, customers, hit_rate_at_3,"
                    + " baseline_hit_rate_at_3) VALUES (?, ?, ?, ?)")) {
      del.setObject(1, r.asOf());
      del.executeUpdate();
      ins.setObject(1, r.asOf());
      ins.setLong(2, r.customers());
      ins.setBigDecimal(3, r.hitRateAt3());
      ins.setBigDecimal(4, r.baselineHitRateAt3());
      ins.executeUpdate();
      c.commit();
    } catch (SQLException | RuntimeException ex) {
      c.rollback();
      throw ex;
    } finally {
      c.setAutoCommit(auto);
    }
  }

  private static boolean anyBought(List<CategoryAffinity.Scored> recommended, Set<String> bought) {
    for (CategoryAffinity.Scored s : recommended) {
      if (bought.contains(s.category())) {
        return true;
      }
    }
    return false;
  }

  private static @Nullable BigDecimal share(long part, long base) {
    if (base == 0) {
      return null;
    }
    return KpiMath.round(
        BigDecimal.valueOf(part).divide(BigDecimal.valueOf(base), KpiMath.PRECISE),
        CategoryAffinity.SCALE);
  }

  /** Category sets of the customers with a completed sale in (from, to]; empty for no category. */
  private static Map<String, Set<String>> purchases(Connection c, LocalDate from, LocalDate to)
      throws SQLException {
    Map<String, Set<String>> out = new TreeMap<>();
    try (PreparedStatement ps = c.prepareStatement(CommerceMarts.PURCHASES_SQL)) {
      ps.setObject(1, from);
      ps.setObject(2, to);
      ps.setFetchSize(10_000);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Set<String> set = out.computeIfAbsent(rs.getString(1), k -> new HashSet<>());
          String category = rs.getString(2);
          if (category != null) {
            set.add(category);
          }
        }
      }
    }
    return out;
  }
}
