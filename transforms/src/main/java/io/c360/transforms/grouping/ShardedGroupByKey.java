package io.c360.transforms.grouping;

import static io.c360.transforms.common.Args.checkArgument;

import com.google.auto.value.AutoValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.IterableCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@code GroupByKey} for String keys, with the same output (one {@code KV<key, values>} per key, no
 * order promised), that the Direct runner runs in a few bundles instead of one per key.
 *
 * <p>Why: the Direct runner (Beam 2.62) emits every key of a {@code GroupByKey} as its own bundle,
 * and each bundle of every downstream ParDo costs it a re-translation of the DoFn (serialize,
 * compress, deserialize) plus watermark bookkeeping, about a millisecond; downstream writes also
 * commit once per bundle. A daily run groups ~20,000 sales by key, so that overhead, not the data,
 * was most of its time. Here keys are first grouped into {@link #withShards shards} by {@code
 * hashCode} and then grouped by key in memory, one shard at a time.
 *
 * <p>Default: {@value #DIRECT_RUNNER_SHARDS} shards on the Direct runner (which holds every
 * collection in its one JVM's memory anyway, so grouping a shard in memory adds no new limit), and
 * a plain {@code GroupByKey} on every other runner, whose shuffle spills groups to disk and spreads
 * keys over workers. {@code withShards(n)} forces n shards, {@code withShards(0)} a plain {@code
 * GroupByKey}, on any runner.
 *
 * <pre>{@code
 * PCollection<KV<String, Iterable<Row>>> byKey =
 *     keyed.apply("GroupByTransaction", ShardedGroupByKey.<Row>create());
 * }</pre>
 */
@AutoValue
public abstract class ShardedGroupByKey<V>
    extends PTransform<PCollection<KV<String, V>>, PCollection<KV<String, Iterable<V>>>> {
  /** Shards used on the Direct runner unless {@link #withShards} says otherwise. */
  public static final int DIRECT_RUNNER_SHARDS = 16;

  abstract @Nullable Integer shards();

  abstract Builder<V> toBuilder();

  @AutoValue.Builder
  abstract static class Builder<V> {
    abstract Builder<V> setShards(@Nullable Integer n);

    abstract ShardedGroupByKey<V> build();
  }

  public static <V> ShardedGroupByKey<V> create() {
    return new AutoValue_ShardedGroupByKey.Builder<V>().build();
  }

  /** Number of shards; 0 = plain {@code GroupByKey}. */
  public ShardedGroupByKey<V> withShards(int shards) {
    checkArgument(shards >= 0, "shards must be >= 0: %s", shards);
    return toBuilder().setShards(shards).build();
  }

  /** The shard count this transform uses under {@code options}; 0 = plain GroupByKey. */
  public int shardsFor(PipelineOptions options) {
    if (shards() != null) {
      return shards();
    }
    return isDirectRunner(options) ? DIRECT_RUNNER_SHARDS : 0;
  }

  /** True when {@code options} name Beam's Direct runner (by name: no compile-time dependency). */
  public static boolean isDirectRunner(PipelineOptions options) {
    return options.getRunner().getName().equals("org.apache.beam.runners.direct.DirectRunner");
  }

  @Override
  public PCollection<KV<String, Iterable<V>>> expand(PCollection<KV<String, V>> input) {
    checkArgument(
        input.getCoder() instanceof KvCoder,
        "ShardedGroupByKey needs a KvCoder input, got %s",
        input.getCoder());
    int n = shardsFor(input.getPipeline().getOptions());
    if (n == 0) {
      return input.apply("GroupInShuffle", GroupByKey.create());
    }
    @SuppressWarnings("unchecked")
    Coder<V> valueCoder = ((KvCoder<String, V>) input.getCoder()).getValueCoder();
    KvCoder<String, V> kvCoder = KvCoder.of(StringUtf8Coder.of(), valueCoder);
    return input
        .apply("AssignShard", ShardedGroupByKey.<V>assignShard(n))
        .setCoder(KvCoder.of(VarIntCoder.of(), kvCoder))
        .apply("GroupShards", GroupByKey.create())
        .apply("GroupInShard", ParDo.of(new GroupInShardFn<V>()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), IterableCoder.of(valueCoder)));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.addIfNotNull(DisplayData.item("shards", shards()));
  }

  /**
   * Keys each element by its shard, {@code floorMod(key.hashCode(), shards)}: the first step of the
   * sharded grouping, also for callers that batch already-grouped keys per shard (SCD2 lookups).
   */
  public static <V> ParDo.SingleOutput<KV<String, V>, KV<Integer, KV<String, V>>> assignShard(
      int shards) {
    checkArgument(shards > 0, "shards must be > 0: %s", shards);
    return ParDo.of(new AssignShardFn<V>(shards));
  }

  static final class AssignShardFn<V> extends DoFn<KV<String, V>, KV<Integer, KV<String, V>>> {
    private final int shards;

    AssignShardFn(int shards) {
      this.shards = shards;
    }

    @ProcessElement
    public void process(@Element KV<String, V> kv, OutputReceiver<KV<Integer, KV<String, V>>> out) {
      if (kv.getKey() == null) {
        throw new IllegalArgumentException(
            "ShardedGroupByKey: null key for value " + kv.getValue());
      }
      out.output(KV.of(Math.floorMod(kv.getKey().hashCode(), shards), kv));
    }
  }

  static final class GroupInShardFn<V>
      extends DoFn<KV<Integer, Iterable<KV<String, V>>>, KV<String, Iterable<V>>> {
    @ProcessElement
    public void process(
        @Element KV<Integer, Iterable<KV<String, V>>> shard,
        OutputReceiver<KV<String, Iterable<V>>> out) {
      Map<String, List<V>> groups = new LinkedHashMap<>();
      for (KV<String, V> kv : shard.getValue()) {
        groups.computeIfAbsent(kv.getKey(), k -> new ArrayList<>()).add(kv.getValue());
      }
      for (Map.Entry<String, List<V>> g : groups.entrySet()) {
        out.output(KV.of(g.getKey(), g.getValue()));
      }
    }
  }
}
