package io.c360.transforms.grouping;

import static io.c360.transforms.common.Args.checkArgument;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The number of distinct values per key, {@code Distinct.create()} then {@code Count.perKey()} in
 * one step, built on {@link ShardedGroupByKey}: the distinct (key, value) pairs are grouped in a
 * few bundles on the Direct runner instead of one bundle per pair, and in the shuffle on every
 * other runner; the counts are then summed per key with a lifted combine.
 *
 * <p>Why: {@code Distinct} groups by the element itself, so a count of the distinct sessions of 50
 * campaigns over a year makes one Direct-runner bundle per (campaign, session) pair, hundreds of
 * thousands of them, and the run's time goes to the runner's per-bundle bookkeeping (see {@link
 * ShardedGroupByKey}), not to counting.
 *
 * <pre>{@code
 * PCollection<KV<String, Long>> sessionsPerCampaign =
 *     campaignSessions.apply("CountCampaignSessions", ShardedCountDistinct.create());
 * }</pre>
 */
@AutoValue
public abstract class ShardedCountDistinct
    extends PTransform<PCollection<KV<String, String>>, PCollection<KV<String, Long>>> {
  abstract @Nullable Integer shards();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setShards(@Nullable Integer n);

    abstract ShardedCountDistinct build();
  }

  public static ShardedCountDistinct create() {
    return new AutoValue_ShardedCountDistinct.Builder().build();
  }

  /** Number of shards of the pair grouping, as {@link ShardedGroupByKey#withShards}. */
  public ShardedCountDistinct withShards(int shards) {
    checkArgument(shards >= 0, "shards must be >= 0: %s", shards);
    return toBuilder().setShards(shards).build();
  }

  @Override
  public PCollection<KV<String, Long>> expand(PCollection<KV<String, String>> pairs) {
    ShardedGroupByKey<String> group = ShardedGroupByKey.create();
    if (shards() != null) {
      group = group.withShards(shards());
    }
    return pairs
        .apply("KeyByPair", ParDo.of(new KeyByPairFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
        .apply("GroupPairs", group)
        .apply("OnePerPair", ParDo.of(new OnePerPairFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))
        .apply("SumPerKey", Sum.longsPerKey());
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.addIfNotNull(DisplayData.item("shards", shards()));
  }

  /**
   * The pair as one String key, unambiguous for any key and value: the key's length, ':', the key,
   * the value.
   */
  static String pairKey(String key, String value) {
    return key.length() + ":" + key + value;
  }

  static final class KeyByPairFn extends DoFn<KV<String, String>, KV<String, String>> {
    @ProcessElement
    public void process(@Element KV<String, String> kv, OutputReceiver<KV<String, String>> out) {
      if (kv.getKey() == null || kv.getValue() == null) {
        throw new IllegalArgumentException("ShardedCountDistinct: null key or value in " + kv);
      }
      out.output(KV.of(pairKey(kv.getKey(), kv.getValue()), kv.getKey()));
    }
  }

  static final class OnePerPairFn extends DoFn<KV<String, Iterable<String>>, KV<String, Long>> {
    @ProcessElement
    public void process(
        @Element KV<String, Iterable<String>> pair, OutputReceiver<KV<String, Long>> out) {
      out.output(KV.of(pair.getValue().iterator().next(), 1L));
    }
  }
}
