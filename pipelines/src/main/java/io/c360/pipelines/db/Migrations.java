package io.c360.pipelines.db;

import io.c360.transforms.jdbc.PgConnection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HexFormat;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies the {@code sql/} migrations (packaged as classpath:db/migration) with Flyway, then makes
 * sure the share layer has its pseudonymisation key.
 */
public final class Migrations {
  /** The key for share.keyed_hash, or a file holding it (first line). */
  public static final String SHARE_KEY_ENV = "C360_SHARE_KEY";

  public static final String SHARE_KEY_FILE_ENV = "C360_SHARE_KEY_FILE";

  /** (key, replace): replace = false only fills an empty slot. */
  private static final String SET_SHARE_KEY = "SELECT ops.set_share_key(?, ?)";

  /**
   * Flyway creates ops (its history table lives there) before V1 runs, so V1's {@code CREATE SCHEMA
   * IF NOT EXISTS ops} draws PostgreSQL's NOTICE "already exists, skipping", which Flyway logs as a
   * WARN on every fresh warehouse. V1 cannot change (its checksum is recorded), so migrations ask
   * for warnings and errors only: a NOTICE is informational by PostgreSQL's definition, and a real
   * WARNING (a grant that did not hold) still reaches the log.
   */
  static final String MIGRATION_SESSION = "SET client_min_messages = warning";

  private Migrations() {}

  public static MigrateResult migrate(PgConnection pg) throws SQLException, IOException {
    MigrateResult result = migrate(pg, MigrationVersion.LATEST);
    ensureShareKey(pg, configuredShareKey());
    return result;
  }

  /**
   * Flyway up to {@code target}. A failure while migrations were pending says which user tried: a
   * run calls this too, and its writer login may read the history but not apply migrations.
   */
  static MigrateResult migrate(PgConnection pg, MigrationVersion target) {
    Flyway flyway =
        Flyway.configure()
            .dataSource(pg.dataSource())
            .locations("classpath:db/migration")
            .schemas("ops")
            .createSchemas(true)
            .initSql(MIGRATION_SESSION)
            .table("flyway_schema_history")
            .target(target)
            .load();
    MigrationInfo[] pending = flyway.info().pending();
    try {
      return flyway.migrate();
    } catch (FlywayException e) {
      if (pending.length == 0) {
        throw e;
      }
      throw new IllegalStateException(
          String.format(
              "applying migrations %s as user %s failed; migrations run as the owner of the"
                  + " schemas (c360 migrate --dbUser=<owner>), not as the writer login of a run",
              Arrays.stream(pending).map(m -> "V" + m.getVersion()).toList(), pg.user()),
          e);
    }
  }

  /**
   * Stores the configured key (replacing another one), or a random one when none is configured and
   * none is stored yet. The key is never logged. Goes through {@code ops.set_share_key}, the
   * owner's function (sql/V60), so the writer role can keep the key without being able to read it.
   */
  public static void ensureShareKey(PgConnection pg, String configured) throws SQLException {
    String key = configured;
    if (key == null) {
      byte[] b = new byte[32];
      new SecureRandom().nextBytes(b);
      key = HexFormat.of().formatHex(b);
    }
    try (Connection c = pg.open();
        PreparedStatement ps = c.prepareStatement(SET_SHARE_KEY)) {
      ps.setString(1, key);
      ps.setBoolean(2, configured != null);
      ps.execute();
    }
  }

  static String configuredShareKey() throws IOException {
    String file = System.getenv(SHARE_KEY_FILE_ENV);
    if (file != null && !file.isBlank()) {
      return Files.readString(Path.of(file), StandardCharsets.UTF_8)
          .lines()
          .findFirst()
          .orElse("")
          .strip();
    }
    String key = System.getenv(SHARE_KEY_ENV);
    return key == null || key.isBlank() ? null : key;
  }
}
