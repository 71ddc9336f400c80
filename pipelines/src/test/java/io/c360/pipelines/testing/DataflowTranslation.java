package io.c360.pipelines.testing;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.google.api.services.dataflow.Dataflow;
import com.google.api.services.dataflow.model.Job;
import com.google.api.services.dataflow.model.Step;
import com.google.api.services.storage.model.StorageObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.runners.dataflow.DataflowRunner;
import org.apache.beam.runners.dataflow.options.DataflowPipelineOptions;
import org.apache.beam.runners.dataflow.util.PropertyNames;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory;
import org.apache.beam.sdk.extensions.gcp.util.GcsUtil;
import org.apache.beam.sdk.extensions.gcp.util.gcsfs.GcsPath;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.reflect.DoFnSignatures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Translates a pipeline into the Dataflow job specification offline, the way Beam's own
 * DataflowRunnerTest does: a real {@link DataflowRunner} with a fake GCS utility (staging writes go
 * to local temporary files) and a fake Dataflow client that captures the {@code jobs.create}
 * request instead of sending it. Nothing leaves the machine.
 *
 * <pre>{@code
 * DataflowPipelineOptions o = DataflowTranslation.offlineOptions();
 * Pipeline p = DailyPipeline.create(o, ...);
 * DataflowTranslation.assertStableNamesAndDeterministicKeys(p);
 * Job job = DataflowTranslation.translate(p, o);
 * }</pre>
 */
public final class DataflowTranslation {
  public static final String PROJECT = "c360-offline";
  public static final String REGION = "europe-west1";
  public static final String BUCKET = "gs://c360-offline-bucket";

  /** A stable, human step name: UpperCamel, no Beam default such as {@code ParDo(Anonymous)}. */
  private static final Pattern HUMAN = Pattern.compile("[A-Z][A-Za-z0-9]*");

  private static final Pattern UNIQUIFIED = Pattern.compile("(.*\\D)\\d+");

  private DataflowTranslation() {}

  /** Dataflow options with fake project, region, gs:// temp location, GCS utility and client. */
  public static DataflowPipelineOptions offlineOptions() {
    DataflowPipelineOptions o = PipelineOptionsFactory.as(DataflowPipelineOptions.class);
    o.setRunner(DataflowRunner.class);
    o.setProject(PROJECT);
    o.setRegion(REGION);
    o.setJobName("c360-offline-translation");
    o.setTempLocation(BUCKET + "/temp");
    o.setStagingLocation(BUCKET + "/staging");
    o.setFilesToStage(new ArrayList<>()); // nothing to upload; the jar is what a template ships
    o.setCredentialFactoryClass(NoopCredentialFactory.class);
    o.setGcsUtil(fakeGcsUtil());
    return o;
  }

  /**
   * Runs {@code pipeline} through the real DataflowRunner (transform overrides, proto translation,
   * {@code DataflowPipelineTranslator}, staging, job submission) against the fakes in {@code
   * options}, and returns the {@link Job} it would have submitted.
   */
  public static Job translate(Pipeline pipeline, DataflowPipelineOptions options) {
    AtomicReference<Job> submitted = new AtomicReference<>();
    options.setDataflowClient(fakeDataflow(submitted));
    FileSystems.setDefaultPipelineOptions(options); // gs:// resolves through the fake GcsUtil
    DataflowRunner.fromOptions(options).run(pipeline);
    if (submitted.get() == null) {
      throw new AssertionError("DataflowRunner submitted no job");
    }
    return submitted.get();
  }

  /**
   * Fails unless every name the pipeline's author controls is stable and human, and every grouping
   * key coder is deterministic.
   *
   * <p>Names checked: top-level applies and applies inside c360's own composites ({@code io.c360}
   * classes); Beam's internals below them are Beam's and stable across releases of the same
   * version. A name fails if it is not UpperCamel (a Beam default like {@code ParDo(ParseFn)},
   * {@code Combine.perKey(Sum)} or {@code ParMultiDo(Anonymous)}), equals the transform's default
   * name ({@code GroupByKey}, {@code MapElements}), or carries the numeric suffix Beam adds to a
   * duplicate ({@code Foo2} next to {@code Foo}). Keys checked: the input key coder of every
   * GroupByKey, Combine.perKey and stateful ParDo.
   */
  public static void assertStableNamesAndDeterministicKeys(Pipeline pipeline) {
    List<String> problems = new ArrayList<>();
    Map<String, Set<String>> siblings = new LinkedHashMap<>();
    List<TransformHierarchy.Node> named = new ArrayList<>();
    pipeline.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
            if (!node.isRootNode()) {
              visit(node);
            }
            return CompositeBehavior.ENTER_TRANSFORM;
          }

          @Override
          public void visitPrimitiveTransform(TransformHierarchy.Node node) {
            visit(node);
          }

          private void visit(TransformHierarchy.Node node) {
            TransformHierarchy.Node parent = node.getEnclosingNode();
            if (parent.isRootNode() || isOurs(parent.getTransform())) {
              named.add(node);
              siblings
                  .computeIfAbsent(parent.getFullName(), k -> new HashSet<>())
                  .add(lastSegment(node.getFullName()));
            }
            checkKeyCoder(node, problems);
          }
        });
    for (TransformHierarchy.Node node : named) {
      String name = lastSegment(node.getFullName());
      if (!HUMAN.matcher(name).matches()) {
        problems.add("step '" + node.getFullName() + "' is not a stable UpperCamel name");
      } else if (name.equals(node.getTransform().getName())) {
        problems.add("step '" + node.getFullName() + "' carries Beam's default name");
      } else {
        Matcher m = UNIQUIFIED.matcher(name);
        if (m.matches()
            && siblings.get(node.getEnclosingNode().getFullName()).contains(m.group(1))) {
          problems.add("step '" + node.getFullName() + "' looks like a uniquified duplicate");
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new AssertionError(String.join("\n", problems));
    }
  }

  /** The names of the job's steps ({@code user_name}), failing on a step without one. */
  public static List<String> stepNames(Job job) {
    List<String> out = new ArrayList<>();
    for (Step s : job.getSteps()) {
      Object name =
          s.getProperties() == null ? null : s.getProperties().get(PropertyNames.USER_NAME);
      if (name instanceof Map) { // a CloudObject: {"@type": "http://schema.org/Text", "value": …}
        name = ((Map<?, ?>) name).get("value");
      }
      if (!(name instanceof String) || ((String) name).isEmpty()) {
        throw new AssertionError("step " + s.getName() + " (" + s.getKind() + ") has no user name");
      }
      out.add((String) name);
    }
    return out;
  }

  private static void checkKeyCoder(TransformHierarchy.Node node, List<String> problems) {
    PTransform<?, ?> t = node.getTransform();
    boolean keyed =
        t instanceof GroupByKey
            || t instanceof Combine.PerKey
            || (t instanceof ParDo.MultiOutput
                && DoFnSignatures.isStateful(((ParDo.MultiOutput<?, ?>) t).getFn()));
    if (!keyed) {
      return;
    }
    for (Map.Entry<TupleTag<?>, PCollection<?>> in : node.getInputs().entrySet()) {
      PValue v = in.getValue();
      Coder<?> coder = ((PCollection<?>) v).getCoder();
      if (!(coder instanceof KvCoder)) {
        problems.add("step '" + node.getFullName() + "' groups a non-KV input: " + coder);
        continue;
      }
      try {
        ((KvCoder<?, ?>) coder).getKeyCoder().verifyDeterministic();
      } catch (Coder.NonDeterministicException e) {
        problems.add(
            "step '"
                + node.getFullName()
                + "' has a non-deterministic key coder: "
                + e.getMessage());
      }
    }
  }

  private static boolean isOurs(PTransform<?, ?> t) {
    return t != null && t.getClass().getName().startsWith("io.c360.");
  }

  private static String lastSegment(String fullName) {
    return fullName.substring(fullName.lastIndexOf('/') + 1);
  }

  /** Writes go to local temp files; every gs:// path exists; buckets are accessible. */
  private static GcsUtil fakeGcsUtil() {
    GcsUtil gcs = mock(GcsUtil.class);
    try {
      when(gcs.create(any(GcsPath.class), any(GcsUtil.CreateOptions.class)))
          .then(
              i ->
                  FileChannel.open(
                      Files.createTempFile("c360-fake-gcs-", ".tmp"),
                      StandardOpenOption.CREATE,
                      StandardOpenOption.WRITE,
                      StandardOpenOption.DELETE_ON_CLOSE));
      when(gcs.expand(any(GcsPath.class))).then(i -> List.of((GcsPath) i.getArgument(0)));
      when(gcs.bucketAccessible(any(GcsPath.class))).thenReturn(true);
      when(gcs.getObjects(anyList()))
          .then(
              i -> {
                List<GcsUtil.StorageObjectOrIOException> found = new ArrayList<>();
                for (Object o : (List<?>) i.getArgument(0)) {
                  GcsPath path = (GcsPath) o;
                  found.add(
                      GcsUtil.StorageObjectOrIOException.create(
                          new StorageObject()
                              .setBucket(path.getBucket())
                              .setName(path.getObject())));
                }
                return found;
              });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return gcs;
  }

  /** A Dataflow client whose jobs.create captures the job and answers with an id. */
  private static Dataflow fakeDataflow(AtomicReference<Job> submitted) {
    Dataflow client = mock(Dataflow.class);
    Dataflow.Projects projects = mock(Dataflow.Projects.class);
    Dataflow.Projects.Locations locations = mock(Dataflow.Projects.Locations.class);
    Dataflow.Projects.Locations.Jobs jobs = mock(Dataflow.Projects.Locations.Jobs.class);
    Dataflow.Projects.Locations.Jobs.Create create =
        mock(Dataflow.Projects.Locations.Jobs.Create.class);
    try {
      when(client.projects()).thenReturn(projects);
      when(client.getBaseUrl()).thenReturn("https://dataflow.googleapis.com/");
      when(projects.locations()).thenReturn(locations);
      when(locations.jobs()).thenReturn(jobs);
      when(jobs.create(anyString(), anyString(), any(Job.class)))
          .then(
              i -> {
                submitted.set(i.getArgument(2));
                return create;
              });
      when(create.execute()).thenReturn(new Job().setId("c360-offline-job-id"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return client;
  }
}
