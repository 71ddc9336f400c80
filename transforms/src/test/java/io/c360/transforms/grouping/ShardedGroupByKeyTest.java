package io.c360.transforms.grouping;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TupleTag;
import org.junit.jupiter.api.Test;

/** ShardedGroupByKey and ShardedCoGroupByKey give exactly what GroupByKey/CoGroupByKey give. */
class ShardedGroupByKeyTest implements Serializable {
  private static final TupleTag<Integer> LEFT = new TupleTag<>("left") {};
  private static final TupleTag<String> RIGHT = new TupleTag<>("right") {};

  /** 2,000 values over 300 keys, some keys repeated many times, values repeated within a key. */
  private static List<KV<String, Integer>> input() {
    Random r = new Random(7);
    List<KV<String, Integer>> in = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      int k = r.nextInt(10) == 0 ? 1 : r.nextInt(300);
      in.add(KV.of("k" + k, r.nextInt(5)));
    }
    in.add(KV.of("", 42)); // the empty key is a key like any other
    return in;
  }

  /** key → sorted values: the grouping's content, independent of order. */
  private static Map<String, List<Integer>> expected(List<KV<String, Integer>> in) {
    Map<String, List<Integer>> m = new TreeMap<>();
    for (KV<String, Integer> kv : in) {
      m.computeIfAbsent(kv.getKey(), k -> new ArrayList<>()).add(kv.getValue());
    }
    m.values().forEach(l -> l.sort(null));
    return m;
  }

  static final class SameGroups
      implements SerializableFunction<Iterable<KV<String, Iterable<Integer>>>, Void> {
    private final Map<String, List<Integer>> expected;

    SameGroups(Map<String, List<Integer>> expected) {
      this.expected = expected;
    }

    @Override
    public Void apply(Iterable<KV<String, Iterable<Integer>>> out) {
      Map<String, List<Integer>> got = new TreeMap<>();
      for (KV<String, Iterable<Integer>> kv : out) {
        List<Integer> values = new ArrayList<>();
        kv.getValue().forEach(values::add);
        values.sort(null);
        // each key exactly once
        assertThat(
            "key " + kv.getKey() + " emitted twice", got.put(kv.getKey(), values), equalTo(null));
      }
      assertThat(got, equalTo(expected));
      return null;
    }
  }

  private static PipelineOptions direct() {
    return PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create();
  }

  private void groupsLikeGroupByKey(ShardedGroupByKey<Integer> transform) {
    Pipeline p = Pipeline.create(direct());
    List<KV<String, Integer>> in = input();
    PCollection<KV<String, Iterable<Integer>>> out =
        p.apply(Create.of(in).withCoder(KvCoder.of(StringUtf8Coder.of(), VarIntCoder.of())))
            .apply("Group", transform);
    PAssert.that(out).satisfies(new SameGroups(expected(in)));
    p.run().waitUntilFinish();
  }

  @Test
  void defaultOnDirectRunnerGroupsEveryKeyOnce() {
    assertThat(
        ShardedGroupByKey.<Integer>create().shardsFor(direct()),
        equalTo(ShardedGroupByKey.DIRECT_RUNNER_SHARDS));
    groupsLikeGroupByKey(ShardedGroupByKey.create());
  }

  @Test
  void oneShardAndManyShardsGroupTheSame() {
    groupsLikeGroupByKey(ShardedGroupByKey.<Integer>create().withShards(1));
    groupsLikeGroupByKey(ShardedGroupByKey.<Integer>create().withShards(1_000));
  }

  @Test
  void zeroShardsIsPlainGroupByKey() {
    groupsLikeGroupByKey(ShardedGroupByKey.<Integer>create().withShards(0));
  }

  @Test
  void otherRunnersGetPlainGroupByKeyByDefault() {
    PipelineOptions flink = PipelineOptionsFactory.create();
    flink.setRunner(NotDirect.class);
    assertThat(ShardedGroupByKey.<Integer>create().shardsFor(flink), equalTo(0));
    assertThat(ShardedGroupByKey.<Integer>create().withShards(4).shardsFor(flink), equalTo(4));
  }

  /** Stands for any runner other than Direct; never run. */
  abstract static class NotDirect
      extends org.apache.beam.sdk.PipelineRunner<org.apache.beam.sdk.PipelineResult> {}

  @Test
  void rejectsNegativeShardsAndNonKvInput() {
    assertThrows(IllegalArgumentException.class, () -> ShardedGroupByKey.create().withShards(-1));
    assertThrows(IllegalArgumentException.class, () -> ShardedCoGroupByKey.create().withShards(-1));
    Pipeline p = Pipeline.create(direct());
    PCollection<KV<String, Integer>> notKv =
        p.apply(
                Create.of(KV.of("a", 1))
                    .withCoder(KvCoder.of(StringUtf8Coder.of(), VarIntCoder.of())))
            .setCoder(new NotAKvCoder());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> notKv.apply("Group", ShardedGroupByKey.create()));
    assertThat(e.getMessage(), containsString("KvCoder"));
  }

  /** A coder for KVs that is not a KvCoder: the transform can not find the value coder. */
  static final class NotAKvCoder
      extends org.apache.beam.sdk.coders.CustomCoder<KV<String, Integer>> {
    private final KvCoder<String, Integer> inner =
        KvCoder.of(StringUtf8Coder.of(), VarIntCoder.of());

    @Override
    public void encode(KV<String, Integer> value, java.io.OutputStream out)
        throws java.io.IOException {
      inner.encode(value, out);
    }

    @Override
    public KV<String, Integer> decode(java.io.InputStream in) throws java.io.IOException {
      return inner.decode(in);
    }
  }

  @Test
  void coGroupJoinsLikeCoGroupByKeyOnAllShardings() {
    for (Integer shards : new Integer[] {null, 0, 1, 7}) {
      Pipeline p = Pipeline.create(direct());
      List<KV<String, Integer>> left = input();
      List<KV<String, String>> right = new ArrayList<>();
      for (int k = 250; k < 400; k++) { // overlaps the left keys 250..299 only
        right.add(KV.of("k" + k, "r" + k));
        right.add(KV.of("k" + k, "r" + k + "b"));
      }
      ShardedCoGroupByKey t = ShardedCoGroupByKey.create();
      if (shards != null) {
        t = t.withShards(shards);
      }
      PCollection<KV<String, CoGbkResult>> out =
          KeyedPCollectionTuple.of(
                  LEFT,
                  p.apply(
                      "Left",
                      Create.of(left)
                          .withCoder(KvCoder.of(StringUtf8Coder.of(), VarIntCoder.of()))))
              .and(
                  RIGHT,
                  p.apply(
                      "Right",
                      Create.of(right)
                          .withCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))))
              .apply("Join", t);
      Map<String, List<Integer>> leftExpected = expected(left);
      PAssert.that(out).satisfies(new SameJoin(leftExpected));
      p.run().waitUntilFinish();
    }
  }

  static final class SameJoin
      implements SerializableFunction<Iterable<KV<String, CoGbkResult>>, Void> {
    private final Map<String, List<Integer>> left;

    SameJoin(Map<String, List<Integer>> left) {
      this.left = left;
    }

    @Override
    public Void apply(Iterable<KV<String, CoGbkResult>> out) {
      Map<String, String> got = new TreeMap<>();
      for (KV<String, CoGbkResult> kv : out) {
        List<Integer> l = new ArrayList<>();
        kv.getValue().getAll(LEFT).forEach(l::add);
        l.sort(null);
        List<String> r = new ArrayList<>();
        kv.getValue().getAll(RIGHT).forEach(r::add);
        r.sort(null);
        assertThat(got.put(kv.getKey(), l + " " + r), equalTo(null));
      }
      Map<String, String> want = new TreeMap<>();
      java.util.Set<String> keys = new java.util.TreeSet<>(left.keySet());
      for (int k = 250; k < 400; k++) {
        keys.add("k" + k);
      }
      for (String k : keys) {
        int n = k.startsWith("k") ? Integer.parseInt(k.substring(1)) : -1;
        List<String> r = n >= 250 && n < 400 ? List.of("r" + n, "r" + n + "b") : List.of();
        want.put(k, left.getOrDefault(k, List.of()) + " " + r);
      }
      assertThat(got, equalTo(want));
      return null;
    }
  }
}
