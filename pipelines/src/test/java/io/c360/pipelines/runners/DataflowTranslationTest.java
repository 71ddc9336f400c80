package io.c360.pipelines.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.c360.pipelines.testing.DataflowTranslation;
import java.io.Serializable;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.junit.jupiter.api.Test;

/**
 * The checks {@link DataflowTranslation} makes of a pipeline (used on the real daily pipelines by
 * {@link DailyPipelinesDataflowTest}) are themselves shown to catch an anonymous step and a
 * non-deterministic key, and to pass a pipeline with neither.
 */
class DataflowTranslationTest implements Serializable {
  @Test
  void anonymousOrDefaultNamedStepsFail() {
    Pipeline p = Pipeline.create(DataflowTranslation.offlineOptions());
    p.apply("Words", Create.of("a", "b")).apply(ParDo.of(new Echo()));
    AssertionError e =
        assertThrows(
            AssertionError.class,
            () -> DataflowTranslation.assertStableNamesAndDeterministicKeys(p));
    assertThat(e.getMessage(), containsString("ParDo(Echo)"));
  }

  /**
   * Beam itself refuses a non-deterministic key when a grouping is applied, so a pipeline that
   * constructs cannot reach the helper with one; the helper re-checks the finished graph (e.g. a
   * pipeline assembled elsewhere) and these cases pin down the construction-time guard it relies
   * on.
   */
  @Test
  void nonDeterministicGroupingKeysAreRejectedWhenApplied() {
    KvCoder<Key, String> coder = KvCoder.of(SerializableCoder.of(Key.class), StringUtf8Coder.of());
    Pipeline p = Pipeline.create(DataflowTranslation.offlineOptions());
    IllegalStateException gbk =
        assertThrows(
            IllegalStateException.class,
            () ->
                p.apply("Pairs", Create.of(KV.of(new Key("a"), "x")).withCoder(coder))
                    .apply("GroupPairs", GroupByKey.create()));
    assertThat(gbk.getMessage(), containsString("deterministic"));

    Pipeline q = Pipeline.create(DataflowTranslation.offlineOptions());
    IllegalStateException combine =
        assertThrows(
            IllegalStateException.class,
            () ->
                q.apply("Pairs", Create.of(KV.of(new Key("a"), "x")).withCoder(coder))
                    .apply("CountPairs", Count.perKey()));
    assertThat(combine.getMessage(), containsString("deterministic"));
  }

  @Test
  void deterministicKeysAndNamedStepsPass() {
    Pipeline p = Pipeline.create(DataflowTranslation.offlineOptions());
    p.apply("Words", Create.of(KV.of("a", 1L), KV.of("b", 2L)))
        .apply("GroupWords", GroupByKey.create())
        .apply("CountValues", Count.globally());
    DataflowTranslation.assertStableNamesAndDeterministicKeys(p);
  }

  static final class Echo extends DoFn<String, String> {
    @ProcessElement
    public void process(@Element String s, OutputReceiver<String> out) {
      out.output(s);
    }
  }

  record Key(String value) implements Serializable {}
}
