package io.c360.transforms.grouping;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;

/** ShardedCountDistinct counts what Distinct then Count.perKey count, on every sharding. */
class ShardedCountDistinctTest implements Serializable {

  /** 3,000 pairs over 40 keys and 200 values, many repeated; pairs whose concatenations collide. */
  private static List<KV<String, String>> input() {
    Random r = new Random(11);
    List<KV<String, String>> in = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      in.add(KV.of("c" + r.nextInt(40), "s" + r.nextInt(r.nextBoolean() ? 5 : 200)));
    }
    // "a" + "bc" and "ab" + "c" are the same text: still two keys, one value each
    in.add(KV.of("a", "bc"));
    in.add(KV.of("ab", "c"));
    in.add(KV.of("", "x")); // the empty key and the empty value are values like any other
    in.add(KV.of("", ""));
    in.add(KV.of("", ""));
    return in;
  }

  /** The reference: key → number of distinct values. */
  private static Map<String, Long> expected(List<KV<String, String>> in) {
    Map<String, Set<String>> sets = new TreeMap<>();
    for (KV<String, String> kv : in) {
      sets.computeIfAbsent(kv.getKey(), k -> new HashSet<>()).add(kv.getValue());
    }
    Map<String, Long> counts = new TreeMap<>();
    sets.forEach((k, v) -> counts.put(k, (long) v.size()));
    return counts;
  }

  static final class SameCounts implements SerializableFunction<Iterable<KV<String, Long>>, Void> {
    private final Map<String, Long> expected;

    SameCounts(Map<String, Long> expected) {
      this.expected = expected;
    }

    @Override
    public Void apply(Iterable<KV<String, Long>> out) {
      Map<String, Long> got = new TreeMap<>();
      for (KV<String, Long> kv : out) {
        assertThat(
            "key " + kv.getKey() + " emitted twice",
            got.put(kv.getKey(), kv.getValue()),
            equalTo(null));
      }
      assertThat(got, equalTo(expected));
      return null;
    }
  }

  @Test
  void countsDistinctValuesPerKeyOnEverySharding() {
    List<KV<String, String>> in = input();
    Map<String, Long> expected = expected(in);
    assertThat(expected.get("a"), equalTo(1L));
    assertThat(expected.get(""), equalTo(2L));
    for (Integer shards : new Integer[] {null, 0, 1, 7}) {
      Pipeline p =
          Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
      ShardedCountDistinct t = ShardedCountDistinct.create();
      if (shards != null) {
        t = t.withShards(shards);
      }
      PCollection<KV<String, Long>> out =
          p.apply(Create.of(in).withCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of())))
              .apply("Count", t);
      PAssert.that(out).satisfies(new SameCounts(expected));
      p.run().waitUntilFinish();
    }
  }

  @Test
  void rejectsNegativeShards() {
    assertThrows(
        IllegalArgumentException.class, () -> ShardedCountDistinct.create().withShards(-1));
  }
}
