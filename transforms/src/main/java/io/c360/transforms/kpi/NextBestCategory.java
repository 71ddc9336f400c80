package io.c360.transforms.kpi;

import com.google.auto.value.AutoValue;
import io.c360.transforms.grouping.ShardedGroupByKey;
import io.c360.transforms.model.Entities;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * mart.next_best_category of SPEC §9 for as_of D: from the (customer, category) pairs of the
 * completed sales in (D − 12 months, D] (category null for a sale without one: the customer still
 * counts in the population), the category set of each customer, the lift between categories over
 * all those sets ({@link CategoryAffinity}), and for each customer the 3 accepted categories they
 * did not buy with the highest score (ties by name).
 *
 * <pre>{@code
 * PCollection<MartRow> rows =
 *     purchases.apply("RankUnboughtCategories", NextBestCategory.forAsOf(d).withCategories(accepted));
 * }</pre>
 */
@AutoValue
public abstract class NextBestCategory
    extends PTransform<PCollection<KV<String, String>>, PCollection<MartRow>> {
  /** Recommendations per customer. */
  public static final int TOP = 3;

  abstract LocalDate asOf();

  abstract List<String> categories();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setAsOf(LocalDate d);

    abstract Builder setCategories(List<String> categories);

    abstract NextBestCategory build();
  }

  public static NextBestCategory forAsOf(LocalDate asOf) {
    if (asOf == null) {
      throw new IllegalArgumentException("asOf can not be null");
    }
    return new AutoValue_NextBestCategory.Builder()
        .setAsOf(asOf)
        .setCategories(Entities.CATEGORIES)
        .build();
  }

  /** The accepted categories that can be recommended (a checks file may replace the model's). */
  public NextBestCategory withCategories(List<String> categories) {
    if (categories == null || categories.isEmpty()) {
      throw new IllegalArgumentException("categories can not be empty");
    }
    return toBuilder().setCategories(List.copyOf(categories)).build();
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("asOf", asOf().toString()));
    builder.add(DisplayData.item("categories", String.join(", ", categories())));
  }

  @Override
  public PCollection<MartRow> expand(PCollection<KV<String, String>> purchases) {
    PCollection<KV<String, List<String>>> sets =
        purchases
            .apply("GroupByCustomer", ShardedGroupByKey.create())
            .apply("CategorySets", ParDo.of(new CategorySetFn()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), ListCoder.of(StringUtf8Coder.of())));
    PCollectionView<CategoryAffinity> affinity =
        sets.apply("CountCategoriesAndPairs", Combine.globally(new AffinityFn()))
            .apply("AffinityView", View.asSingleton());
    return sets.apply(
            "TopUnboughtCategories",
            ParDo.of(new RecommendFn(asOf(), categories(), affinity)).withSideInputs(affinity))
        .setCoder(MartRowCoder.of());
  }

  /** (customer, categories bought) with the categories distinct and sorted; nulls dropped. */
  static final class CategorySetFn
      extends DoFn<KV<String, Iterable<@Nullable String>>, KV<String, List<String>>> {
    @ProcessElement
    public void process(
        @Element KV<String, Iterable<@Nullable String>> in,
        OutputReceiver<KV<String, List<String>>> out) {
      TreeSet<String> set = new TreeSet<>();
      for (String c : in.getValue()) {
        if (c != null) {
          set.add(c);
        }
      }
      out.output(KV.of(in.getKey(), new ArrayList<>(set)));
    }
  }

  static final class AffinityFn
      extends Combine.CombineFn<KV<String, List<String>>, CategoryAffinity, CategoryAffinity> {
    @Override
    public CategoryAffinity createAccumulator() {
      return new CategoryAffinity();
    }

    @Override
    public CategoryAffinity addInput(CategoryAffinity acc, KV<String, List<String>> set) {
      return acc.add(set.getValue());
    }

    @Override
    public CategoryAffinity mergeAccumulators(Iterable<CategoryAffinity> accs) {
      CategoryAffinity out = new CategoryAffinity();
      for (CategoryAffinity a : accs) {
        out.merge(a);
      }
      return out;
    }

    @Override
    public CategoryAffinity extractOutput(CategoryAffinity acc) {
      return acc;
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<CategoryAffinity> getAccumulatorCoder(
        org.apache.beam.sdk.coders.CoderRegistry registry,
        org.apache.beam.sdk.coders.Coder<KV<String, List<String>>> inputCoder) {
      return SerializableCoder.of(CategoryAffinity.class);
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<CategoryAffinity> getDefaultOutputCoder(
        org.apache.beam.sdk.coders.CoderRegistry registry,
        org.apache.beam.sdk.coders.Coder<KV<String, List<String>>> inputCoder) {
      return SerializableCoder.of(CategoryAffinity.class);
    }
  }

  static final class RecommendFn extends DoFn<KV<String, List<String>>, MartRow> {
    private final LocalDate asOf;
    private final List<String> categories;
    private final PCollectionView<CategoryAffinity> affinity;

    RecommendFn(
        LocalDate asOf, List<String> categories, PCollectionView<CategoryAffinity> affinity) {
      this.asOf = asOf;
      this.categories = categories;
      this.affinity = affinity;
    }

    @ProcessElement
    public void process(
        @Element KV<String, List<String>> set, ProcessContext ctx, OutputReceiver<MartRow> out) {
      CategoryAffinity a = ctx.sideInput(affinity);
      for (CategoryAffinity.Scored s : a.recommend(set.getValue(), categories, TOP)) {
        out.output(
            MartRow.of(
                MartTable.NEXT_BEST_CATEGORY,
                asOf,
                set.getKey(),
                s.rank(),
                s.category(),
                s.score()));
      }
    }
  }
}
