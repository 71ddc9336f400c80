package io.c360.pipelines.runners;

import io.c360.pipelines.testing.RunnerOptions;
import io.c360.transforms.testing.TestDatabase;
import java.io.Serializable;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --runner=FlinkRunner --flinkMaster=[local] --parallelism=2} gives the Direct runner's
 * warehouse.
 */
class FlinkLocalIT implements Serializable {
  @RegisterExtension static final TestDatabase FLINK_DB = new TestDatabase();
  @RegisterExtension static final TestDatabase DIRECT_DB = new TestDatabase();

  @Test
  void twoDaysOnEmbeddedFlinkEqualTheDirectRunner(@TempDir Path landing) throws Exception {
    RunnerEquivalence.assertSameAsDirect(
        "FlinkRunner[local]", () -> RunnerOptions.flinkLocal(2), landing, FLINK_DB, DIRECT_DB);
  }
}
