package io.c360.transforms.kpi;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.beam.sdk.values.KV;

/**
 * The recommender and attribution rules of SPEC §8/§9 against simple reference models: the lift
 * computed as P(c|b)/P(c) with exact fractions by counting over the customer list for every
 * candidate, and last touch as "the touch in the 7-day window no other touch there beats".
 */
class RecommenderProperties {
  static final List<String> CATEGORIES = List.of("Apps", "Books", "Kitchen", "Movies", "Toys");

  @Provide
  Arbitrary<List<Set<String>>> populations() {
    return Arbitraries.of(CATEGORIES).set().ofMaxSize(5).list().ofMinSize(1).ofMaxSize(25);
  }

  @Property(tries = 300)
  void recommendationsFollowTheDefinition(@ForAll("populations") List<Set<String>> customers) {
    CategoryAffinity affinity = new CategoryAffinity();
    customers.forEach(affinity::add);
    for (Set<String> bought : customers) {
      List<String> expected = reference(customers, bought);
      List<String> actual = new ArrayList<>();
      for (CategoryAffinity.Scored s : affinity.recommend(bought, CATEGORIES, 3)) {
        actual.add(s.rank() + " " + s.category() + " " + s.score().toPlainString());
      }
      assertThat(bought.toString(), actual, equalTo(expected));
    }
  }

  /** Top 3 by the score rounded to 6 decimals, from exact fractions counted over the list. */
  private static List<String> reference(List<Set<String>> customers, Set<String> bought) {
    long n = customers.size();
    List<String[]> scored = new ArrayList<>();
    for (String c : CATEGORIES) {
      if (bought.contains(c)) {
        continue;
      }
      BigInteger[] score = {BigInteger.ZERO, BigInteger.ONE};
      for (String b : new TreeSet<>(bought)) {
        long withB = customers.stream().filter(s -> s.contains(b)).count();
        long withC = customers.stream().filter(s -> s.contains(c)).count();
        long both = customers.stream().filter(s -> s.contains(b) && s.contains(c)).count();
        if (both == 0) {
          continue; // a pair with no customer contributes 0
        }
        // P(c|b) / P(c) = (both / withB) / (withC / n)
        BigInteger num = BigInteger.valueOf(both * n);
        BigInteger den = BigInteger.valueOf(withB * withC);
        score =
            new BigInteger[] {
              score[0].multiply(den).add(num.multiply(score[1])), score[1].multiply(den)
            };
      }
      BigDecimal exact =
          new BigDecimal(score[0])
              .divide(new BigDecimal(score[1]), new MathContext(50, RoundingMode.HALF_EVEN))
              .setScale(6, RoundingMode.HALF_UP);
      scored.add(new String[] {c, exact.toPlainString()});
    }
    scored.sort(
        Comparator.comparing((String[] s) -> new BigDecimal(s[1]))
            .reversed()
            .thenComparing(s -> s[0]));
    List<String> out = new ArrayList<>();
    for (int i = 0; i < Math.min(3, scored.size()); i++) {
      out.add((i + 1) + " " + scored.get(i)[0] + " " + scored.get(i)[1]);
    }
    return out;
  }

  @Provide
  Arbitrary<List<KV<Long, String>>> touches() {
    // seconds within ±9 days of the sale (at 0), on a coarse grid so ties and boundaries occur
    long week = 7L * 24 * 3600;
    Arbitrary<Long> ts =
        Arbitraries.oneOf(
            Arbitraries.longs().between(-9, 2).map(d -> d * 24 * 3600 * 1_000_000L),
            Arbitraries.of(-week * 1_000_000L, -week * 1_000_000L - 1, 0L, 1L));
    Arbitrary<String> campaign = Arbitraries.of("K1", "K2", "K10", "K3");
    return net.jqwik.api.Combinators.combine(ts, campaign).as(KV::of).list().ofMaxSize(8);
  }

  @Property(tries = 500)
  void lastTouchIsTheLatestTouchOfTheWeekWithTheSmallerIdOnTies(
      @ForAll("touches") List<KV<Long, String>> touches) {
    long sale = 0;
    long week = 7L * 24 * 3600 * 1_000_000L;
    String expected = null;
    for (KV<Long, String> t : touches) {
      boolean inWeek = t.getKey() >= sale - week && t.getKey() <= sale;
      boolean beaten = false;
      for (KV<Long, String> o : touches) {
        boolean oInWeek = o.getKey() >= sale - week && o.getKey() <= sale;
        if (oInWeek
            && (o.getKey() > t.getKey()
                || (o.getKey().equals(t.getKey()) && o.getValue().compareTo(t.getValue()) < 0))) {
          beaten = true;
        }
      }
      if (inWeek && !beaten) {
        expected = t.getValue();
      }
    }
    assertThat(touches.toString(), WebMarts.lastTouch(touches, sale), equalTo(expected));
  }
}
