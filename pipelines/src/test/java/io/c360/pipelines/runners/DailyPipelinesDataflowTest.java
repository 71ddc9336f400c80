package io.c360.pipelines.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.google.api.services.dataflow.model.Job;
import io.c360.pipelines.daily.LoadStage;
import io.c360.pipelines.daily.RunContext;
import io.c360.pipelines.testing.DataflowTranslation;
import io.c360.transforms.kpi.Marts;
import io.c360.transforms.model.Entities;
import io.c360.transforms.scd2.Scd2;
import io.c360.transforms.testing.TestDatabase;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import org.apache.beam.runners.dataflow.DataflowPipelineTranslator;
import org.apache.beam.runners.dataflow.options.DataflowPipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Offline: both Beam pipelines of the daily run (load and KPI), built for every entity and snapshot
 * customers, translate into Dataflow job specifications through the real DataflowRunner (fake GCS
 * utility and client) as batch jobs, with stable human step names (every top-level stage
 * UpperCamel) and deterministic grouping keys. Steps inside Beam's own composites keep Beam's names
 * (a Filter is ParDo(Anonymous) inside), which are stable for a Beam version. What Dataflow itself
 * would then do with the job is not proven here.
 */
class DailyPipelinesDataflowTest implements Serializable {
  @RegisterExtension static final TestDatabase DB = new TestDatabase();

  private static final LocalDate DAY = LocalDate.of(2025, 3, 31);

  @Test
  void loadPipelineTranslates() throws Exception {
    DataflowPipelineOptions options = DataflowTranslation.offlineOptions();
    Pipeline p = Pipeline.create(options);
    RunContext ctx = new RunContext(1, DAY, DAY, ZoneId.of("UTC"), DB.connection());
    LoadStage.setup(
        p,
        ctx,
        Entities.ALL,
        DataflowTranslation.BUCKET + "/landing",
        ',',
        true,
        Scd2.Mode.SNAPSHOT);
    check(
        p,
        options,
        "load",
        List.of("ReadSales", "CleanSales", "DedupSales", "MergeDimCustomer", "LoadAllFacts"));
  }

  @Test
  void kpiPipelineTranslates() throws Exception {
    DataflowPipelineOptions options = DataflowTranslation.offlineOptions();
    Pipeline p = Pipeline.create(options);
    Marts.computeAndReplace(p, DB.connection(), DAY, ZoneId.of("UTC"));
    check(p, options, "kpi", List.of("ComputeAndReplaceMarts"));
  }

  private static void check(
      Pipeline p, DataflowPipelineOptions options, String name, List<String> stages)
      throws Exception {
    DataflowTranslation.assertStableNamesAndDeterministicKeys(p);
    Job job = DataflowTranslation.translate(p, options);
    Files.writeString(
        Path.of("target", "dataflow-" + name + "-job.json"),
        DataflowPipelineTranslator.jobToString(job));
    assertThat(job.getName(), equalTo("c360-offline-translation"));
    assertThat(job.getType(), equalTo("JOB_TYPE_BATCH"));
    List<String> steps = DataflowTranslation.stepNames(job);
    assertThat(steps, not(empty()));
    assertThat("step names are unique", new HashSet<>(steps).size(), equalTo(steps.size()));
    HashSet<String> top = new HashSet<>();
    steps.forEach(s -> top.add(s.split("/", 2)[0]));
    for (String s : stages) {
      assertThat(top, hasItem(s));
    }
    for (String stage : top) {
      assertThat(stage, stage.matches("[A-Z][A-Za-z0-9]*"), is(true));
    }
  }
}
