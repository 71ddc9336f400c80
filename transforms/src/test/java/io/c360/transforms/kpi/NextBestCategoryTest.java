package io.c360.transforms.kpi;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import io.c360.transforms.model.Entities;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;

/**
 * A hand-worked example of SPEC §9. Five customers with a completed sale in the window:
 *
 * <pre>
 *   A {Books, Kitchen}   B {Books, Kitchen, Beauty}   C {Books}   D {Beauty, Movies & TV}
 *   E {} (a completed sale without a product: counts in N, buys no category)
 * </pre>
 *
 * N = 5; n(Books) = 3, n(Kitchen) = 2, n(Beauty) = 2, n(Movies & TV) = 1; pairs: Books+Kitchen 2
 * (A, B), Books+Beauty 1 (B), Kitchen+Beauty 1 (B), Beauty+Movies 1 (D). lift(b → c) = P(c|b) /
 * P(c) = (n_bc / n_b) / (n_c / N):
 *
 * <pre>
 *   lift(Books → Kitchen)  = (2/3) / (2/5) = 5/3  = 1.666667   (and Kitchen → Books the same)
 *   lift(Books → Beauty)   = (1/3) / (2/5) = 5/6  = 0.833333   (Beauty → Books the same)
 *   lift(Kitchen → Beauty) = (1/2) / (2/5) = 5/4  = 1.25       (Beauty → Kitchen the same)
 *   lift(Beauty → Movies)  = (1/2) / (1/5) = 5/2  = 2.5        (Movies → Beauty: (1/1)/(2/5) = 2.5)
 *   every other pair: nobody bought it, 0
 * </pre>
 *
 * Scores of the unbought categories, top 3 (ties by name):
 *
 * <pre>
 *   A: Beauty = 5/6 + 5/4 = 25/12 = 2.083333; then Apps & Games 0, Clothing Shoes & Accessories 0
 *   B: Movies & TV = 2.5 (from Beauty); then Apps & Games 0, Clothing Shoes & Accessories 0
 *   C: Kitchen 1.666667, Beauty 0.833333, Apps & Games 0
 *   D: Kitchen = 5/4 + 0 = 1.25, Books = 5/6 + 0 = 0.833333, Apps & Games 0
 *   E: Apps & Games 0, Beauty 0, Books 0
 * </pre>
 *
 * Popularity baseline for C (unbought, by buyers): Beauty 2 and Kitchen 2 (tie, by name), Movies 1.
 */
class NextBestCategoryTest implements Serializable {
  static final LocalDate D = LocalDate.of(2025, 5, 15);
  static final String APPS = "Apps & Games";
  static final String CLOTHING = "Clothing Shoes & Accessories";
  static final String MOVIES = "Movies & TV";

  static CategoryAffinity example() {
    return new CategoryAffinity()
        .add(Set.of("Books", "Kitchen"))
        .add(Set.of("Books", "Kitchen", "Beauty"))
        .add(Set.of("Books"))
        .add(Set.of("Beauty", MOVIES))
        .add(Set.of());
  }

  static MartRow row(String customer, int rank, String category, String score) {
    return MartRow.of(
        MartTable.NEXT_BEST_CATEGORY, D, customer, rank, category, new BigDecimal(score));
  }

  @Test
  void liftsAreTheHandComputedOnes() {
    CategoryAffinity a = example();
    assertThat(KpiMath.round(a.lift("Books", "Kitchen"), 6), equalTo(new BigDecimal("1.666667")));
    assertThat(KpiMath.round(a.lift("Kitchen", "Books"), 6), equalTo(new BigDecimal("1.666667")));
    assertThat(KpiMath.round(a.lift("Books", "Beauty"), 6), equalTo(new BigDecimal("0.833333")));
    assertThat(KpiMath.round(a.lift("Kitchen", "Beauty"), 6), equalTo(new BigDecimal("1.250000")));
    assertThat(KpiMath.round(a.lift("Beauty", MOVIES), 6), equalTo(new BigDecimal("2.500000")));
    assertThat(KpiMath.round(a.lift(MOVIES, "Beauty"), 6), equalTo(new BigDecimal("2.500000")));
    assertThat(a.lift("Books", MOVIES).signum(), equalTo(0));
    assertThat(a.lift("Books", APPS).signum(), equalTo(0));
  }

  @Test
  void popularityBaselineSkipsBoughtCategoriesAndBreaksTiesByName() {
    List<String> popular =
        example().popular(Set.of("Books"), Entities.CATEGORIES, 3).stream()
            .map(CategoryAffinity.Scored::category)
            .toList();
    assertThat(popular, contains("Beauty", "Kitchen", MOVIES));
  }

  @Test
  void transformRecommendsTheTopThreeUnboughtCategories() {
    DirectOptions options = PipelineOptionsFactory.create().as(DirectOptions.class);
    options.setEnforceEncodability(true);
    Pipeline p = Pipeline.create(options);
    List<KV<String, String>> purchases =
        Arrays.asList(
            KV.of("A", "Books"),
            KV.of("A", "Kitchen"),
            KV.of("A", "Books"), // a second sale of a bought category changes nothing
            KV.of("B", "Books"),
            KV.of("B", "Kitchen"),
            KV.of("B", "Beauty"),
            KV.of("C", "Books"),
            KV.of("D", "Beauty"),
            KV.of("D", MOVIES),
            KV.of("E", null));
    PCollection<MartRow> rows =
        p.apply(
                "Purchases",
                Create.of(purchases)
                    .withCoder(
                        KvCoder.of(StringUtf8Coder.of(), NullableCoder.of(StringUtf8Coder.of()))))
            .apply("RankUnboughtCategories", NextBestCategory.forAsOf(D));
    PAssert.that(rows)
        .containsInAnyOrder(
            row("A", 1, "Beauty", "2.083333"),
            row("A", 2, APPS, "0.000000"),
            row("A", 3, CLOTHING, "0.000000"),
            row("B", 1, MOVIES, "2.500000"),
            row("B", 2, APPS, "0.000000"),
            row("B", 3, CLOTHING, "0.000000"),
            row("C", 1, "Kitchen", "1.666667"),
            row("C", 2, "Beauty", "0.833333"),
            row("C", 3, APPS, "0.000000"),
            row("D", 1, "Kitchen", "1.250000"),
            row("D", 2, "Books", "0.833333"),
            row("D", 3, APPS, "0.000000"),
            row("E", 1, APPS, "0.000000"),
            row("E", 2, "Beauty", "0.000000"),
            row("E", 3, "Books", "0.000000"));
    p.run().waitUntilFinish();
  }

  @Test
  void onlyTheRunsAcceptedCategoriesAreRecommended() {
    List<String> accepted = List.of("Beauty", "Books", "Kitchen", MOVIES);
    List<String> got =
        example().recommend(Set.of("Books", "Kitchen", "Beauty"), accepted, 3).stream()
            .map(CategoryAffinity.Scored::category)
            .toList();
    assertThat("fewer than 3 remain", got, contains(MOVIES));
  }
}
