package io.c360.transforms.grouping;

import static io.c360.transforms.common.Args.checkArgument;

import com.google.auto.value.AutoValue;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGbkResultSchema;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple.TaggedKeyedPCollection;
import org.apache.beam.sdk.transforms.join.RawUnionValue;
import org.apache.beam.sdk.transforms.join.UnionCoder;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@code CoGroupByKey} for String keys built on {@link ShardedGroupByKey}: same {@link CoGbkResult}
 * per key, a few bundles instead of one per key on the Direct runner, a plain {@code CoGroupByKey}
 * on other runners (unless {@link #withShards} says otherwise).
 *
 * <pre>{@code
 * PCollection<KV<String, CoGbkResult>> joined =
 *     KeyedPCollectionTuple.of(SALES, salesByCustomer).and(VERSIONS, versionsByCustomer)
 *         .apply("JoinSalesToCustomers", ShardedCoGroupByKey.create());
 * }</pre>
 */
@AutoValue
public abstract class ShardedCoGroupByKey
    extends PTransform<KeyedPCollectionTuple<String>, PCollection<KV<String, CoGbkResult>>> {
  abstract @Nullable Integer shards();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setShards(@Nullable Integer n);

    abstract ShardedCoGroupByKey build();
  }

  public static ShardedCoGroupByKey create() {
    return new AutoValue_ShardedCoGroupByKey.Builder().build();
  }

  /** Number of shards; 0 = plain {@code CoGroupByKey}. */
  public ShardedCoGroupByKey withShards(int shards) {
    checkArgument(shards >= 0, "shards must be >= 0: %s", shards);
    return toBuilder().setShards(shards).build();
  }

  @Override
  public PCollection<KV<String, CoGbkResult>> expand(KeyedPCollectionTuple<String> input) {
    ShardedGroupByKey<RawUnionValue> group = ShardedGroupByKey.create();
    if (shards() != null) {
      group = group.withShards(shards());
    }
    if (group.shardsFor(input.getPipeline().getOptions()) == 0) {
      return input.apply("CoGroupInShuffle", CoGroupByKey.create());
    }
    CoGbkResultSchema schema = input.getCoGbkResultSchema();
    List<TaggedKeyedPCollection<String, ?>> inputs = input.getKeyedCollections();
    List<Coder<?>> valueCoders = new ArrayList<>();
    for (TaggedKeyedPCollection<String, ?> t : inputs) {
      Coder<?> coder = t.getCollection().getCoder();
      checkArgument(
          coder instanceof KvCoder, "ShardedCoGroupByKey needs KvCoder inputs, got %s", coder);
      valueCoders.add(((KvCoder<?, ?>) coder).getValueCoder());
    }
    UnionCoder unionCoder = UnionCoder.of(valueCoders);
    KvCoder<String, RawUnionValue> taggedCoder = KvCoder.of(StringUtf8Coder.of(), unionCoder);
    PCollectionList<KV<String, RawUnionValue>> tagged = PCollectionList.empty(input.getPipeline());
    for (TaggedKeyedPCollection<String, ?> t : inputs) {
      int index = schema.getIndex(t.getTupleTag());
      tagged =
          tagged.and(
              t.getCollection()
                  .apply("Tag" + index, ParDo.of(new TagFn<>(index)))
                  .setCoder(taggedCoder));
    }
    return tagged
        .apply("FlattenTagged", Flatten.pCollections())
        .setCoder(taggedCoder)
        .apply("Group", group)
        .apply("ToCoGbkResult", ParDo.of(new ToResultFn(schema)))
        .setCoder(
            KvCoder.of(StringUtf8Coder.of(), CoGbkResult.CoGbkResultCoder.of(schema, unionCoder)));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.addIfNotNull(DisplayData.item("shards", shards()));
  }

  static final class TagFn<V> extends DoFn<KV<String, V>, KV<String, RawUnionValue>> {
    private final int index;

    TagFn(int index) {
      this.index = index;
    }

    @ProcessElement
    public void process(@Element KV<String, V> kv, OutputReceiver<KV<String, RawUnionValue>> out) {
      out.output(KV.of(kv.getKey(), new RawUnionValue(index, kv.getValue())));
    }
  }

  static final class ToResultFn
      extends DoFn<KV<String, Iterable<RawUnionValue>>, KV<String, CoGbkResult>> {
    private final CoGbkResultSchema schema;

    ToResultFn(CoGbkResultSchema schema) {
      this.schema = schema;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Iterable<RawUnionValue>> kv,
        OutputReceiver<KV<String, CoGbkResult>> out) {
      out.output(KV.of(kv.getKey(), new CoGbkResult(schema, kv.getValue())));
    }
  }
}
