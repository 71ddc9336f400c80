package io.c360.pipelines.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.api.services.dataflow.model.Job;
import io.c360.pipelines.testing.DataflowTranslation;
import io.c360.pipelines.testing.PipelineUnderTest;
import io.c360.transforms.testing.TestDatabase;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.runners.dataflow.DataflowPipelineTranslator;
import org.apache.beam.runners.dataflow.options.DataflowPipelineOptions;
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
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The pipeline under test translates into a Dataflow job specification offline (no GCP here): it
 * builds, every step has a stable human name, and no grouping key has a non-deterministic coder.
 * The helper's checks are themselves shown to catch an anonymous step and a non-deterministic key.
 */
class DataflowTranslationTest implements Serializable {
  @RegisterExtension static final TestDatabase DB = new TestDatabase();

  private static final LocalDate DAY = LocalDate.of(2026, 3, 31);

  @Test
  void pipelineTranslatesToADataflowJobWithStableNamesAndDeterministicKeys() throws Exception {
    DataflowPipelineOptions options = DataflowTranslation.offlineOptions();
    Pipeline p =
        PipelineUnderTest.DAILY.create(
            options, DataflowTranslation.BUCKET + "/landing", DAY, DB.connection());

    DataflowTranslation.assertStableNamesAndDeterministicKeys(p);
    Job job = DataflowTranslation.translate(p, options);
    // Kept for reading: the job specification Dataflow would have received.
    Files.writeString(
        Path.of("target", "dataflow-job.json"), DataflowPipelineTranslator.jobToString(job));

    assertThat(job.getName(), equalTo("c360-offline-translation"));
    assertThat(job.getType(), equalTo("JOB_TYPE_BATCH"));
    List<String> steps = DataflowTranslation.stepNames(job);
    assertThat(steps, not(empty()));
    assertThat("step names are unique", new HashSet<>(steps).size(), equalTo(steps.size()));
    for (String s : steps) {
      assertThat(s, not(containsString("Anonymous")));
    }
    // Every step traces back to a named top-level stage of the pipeline.
    Set<String> stages = new HashSet<>();
    steps.forEach(s -> stages.add(s.split("/", 2)[0]));
    assertThat(stages, hasItem("GroupBySalesDate"));
    assertThat(stages, hasItem("SumRevenuePerCustomer"));
    assertThat(stages, hasItem("WriteDailySales"));
    for (String stage : stages) {
      assertThat(stage, stage.matches("[A-Z][A-Za-z0-9]*"), is(true));
    }
  }

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
