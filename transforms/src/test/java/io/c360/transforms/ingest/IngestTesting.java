package io.c360.transforms.ingest;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.c360.transforms.model.EntitySpec;
import java.nio.file.Path;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.Pipeline.PipelineExecutionException;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;

/** Pipelines for ingest tests: Direct runner, one ReadEntity, projections to compare. */
final class IngestTesting {
  private IngestTesting() {}

  static Pipeline pipeline() {
    PipelineOptions options = PipelineOptionsFactory.create();
    options.setRunner(DirectRunner.class);
    return Pipeline.create(options);
  }

  static PCollectionTuple read(Pipeline p, String name, Path root, EntitySpec entity) {
    return p.apply(name, ReadEntity.of(entity).from(root.toString()).forDate(IngestFixtures.DT));
  }

  static PCollection<String> lineAndContent(PCollection<Row> rows, String name) {
    return rows.apply(
        name, MapElements.into(TypeDescriptors.strings()).via(IngestFixtures::lineAndContent));
  }

  static PCollection<String> content(PCollection<Row> rows, String name) {
    return rows.apply(
        name, MapElements.into(TypeDescriptors.strings()).via(IngestFixtures::content));
  }

  static PCollection<String> rules(PCollection<Row> failures, String name) {
    return failures.apply(
        name, MapElements.into(TypeDescriptors.strings()).via(IngestFixtures::rule));
  }

  /** Runs {@code p}, expects it to fail with an {@link IngestException}, returns it. */
  static IngestException runExpectingFailure(Pipeline p) {
    PipelineExecutionException e =
        assertThrows(PipelineExecutionException.class, () -> p.run().waitUntilFinish());
    IngestException ie = IngestException.findIn(e);
    assertThat("IngestException in the cause chain of " + e, ie, notNullValue());
    return ie;
  }
}
