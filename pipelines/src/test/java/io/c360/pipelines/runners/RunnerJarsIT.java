package io.c360.pipelines.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The runnable jars carry their own runner and no other: the default build's c360-direct.jar has no
 * Flink and no Dataflow runner classes; c360-flink.jar (-Pflink) and c360-dataflow.jar
 * (-Pdataflow), when built, carry their runner. Runs after {@code package}, so this build's jar
 * exists.
 */
class RunnerJarsIT {
  private static final Path TARGET = Path.of("target");
  private static final String FLINK = "org/apache/flink/";
  private static final String BEAM_FLINK = "org/apache/beam/runners/flink/";
  private static final String DATAFLOW_API = "com/google/api/services/dataflow/";
  private static final String BEAM_DATAFLOW = "org/apache/beam/runners/dataflow/";

  @Test
  void eachRunnerJarCarriesOnlyItsRunner() throws IOException {
    List<String> built = new ArrayList<>();
    Path direct = TARGET.resolve("c360-direct.jar");
    if (Files.exists(direct)) {
      built.add("direct");
      List<String> entries = entries(direct);
      assertThat(entries, hasItem("org/apache/beam/runners/direct/DirectRunner.class"));
      // The Dataflow API model (com/google/api/services/dataflow/, ~0.3 MB) stays: Beam's
      // runners-core-java, which the Direct runner uses, encodes metrics with it.
      assertThat(offending(entries, FLINK, BEAM_FLINK, BEAM_DATAFLOW), is(empty()));
    }
    Path flink = TARGET.resolve("c360-flink.jar");
    if (Files.exists(flink)) {
      built.add("flink");
      List<String> entries = entries(flink);
      assertThat(entries, hasItem(BEAM_FLINK + "FlinkRunner.class"));
      assertThat(offending(entries, BEAM_DATAFLOW), is(empty()));
    }
    Path dataflow = TARGET.resolve("c360-dataflow.jar");
    if (Files.exists(dataflow)) {
      built.add("dataflow");
      List<String> entries = entries(dataflow);
      assertThat(entries, hasItem(BEAM_DATAFLOW + "DataflowRunner.class"));
      assertThat(entries, hasItem(DATAFLOW_API + "Dataflow.class"));
      assertThat(offending(entries, FLINK, BEAM_FLINK), is(empty()));
    }
    assertThat("no runner jar in target/ although package ran", built, is(not(empty())));
  }

  private static List<String> entries(Path jar) throws IOException {
    try (JarFile j = new JarFile(jar.toFile())) {
      return Collections.list(j.entries()).stream().map(ZipEntry::getName).toList();
    }
  }

  /** Up to ten entries under any of the prefixes, for a readable failure. */
  private static List<String> offending(List<String> entries, String... prefixes) {
    return entries.stream()
        .filter(e -> List.of(prefixes).stream().anyMatch(e::startsWith))
        .limit(10)
        .toList();
  }
}
