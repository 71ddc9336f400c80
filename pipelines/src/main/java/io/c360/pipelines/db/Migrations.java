package io.c360.pipelines.db;

import io.c360.transforms.jdbc.PgConnection;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/** Applies the {@code sql/} migrations (packaged as classpath:db/migration) with Flyway. */
public final class Migrations {
  private Migrations() {}

  public static MigrateResult migrate(PgConnection pg) {
    Flyway flyway =
        Flyway.configure()
            .dataSource(pg.dataSource())
            .locations("classpath:db/migration")
            .schemas("ops")
            .createSchemas(true)
            .table("flyway_schema_history")
            .load();
    return flyway.migrate();
  }
}
