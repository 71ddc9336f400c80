package io.c360.pipelines.cli;

import io.c360.pipelines.db.Migrations;
import io.c360.pipelines.db.Warehouse;
import java.util.concurrent.Callable;
import org.flywaydb.core.api.output.MigrateResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code c360 migrate}: applies the sql/ migrations to the target database. */
@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    description = "Apply the sql/ migrations (Flyway) to the target PostgreSQL.")
public final class MigrateCommand implements Callable<Integer> {
  @Mixin DbOptions db;

  @Override
  public Integer call() throws Exception {
    try (Warehouse wh = db.open(System.err)) {
      MigrateResult r = Migrations.migrate(wh.connection());
      System.out.printf(
          "Migrated %s: %d migration(s) applied, schema version %s%n",
          wh.describe(),
          r.migrationsExecuted,
          r.targetSchemaVersion == null ? "unchanged" : r.targetSchemaVersion);
      return 0;
    }
  }
}
