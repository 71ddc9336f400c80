package io.c360.pipelines.daily;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Counts the elements that pass into the run's reconciliation counters ("c360", "entity.stage").
 */
final class Tally<T> extends DoFn<T, Void> {
  static final String NAMESPACE = "c360";

  private final Counter counter;

  private Tally(String entity, String stage) {
    this.counter = Metrics.counter(NAMESPACE, counterName(entity, stage));
  }

  static String counterName(String entity, String stage) {
    return entity + "." + stage;
  }

  static <T> void count(PCollection<T> input, String name, String entity, String stage) {
    input.apply(name, ParDo.of(new Tally<T>(entity, stage)));
  }

  @ProcessElement
  public void process() {
    counter.inc();
  }
}
