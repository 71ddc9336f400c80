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
import java.util.HexFormat;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies the {@code sql/} migrations (packaged as classpath:db/migration) with Flyway, then makes
 * sure the share layer has its pseudonymisation key.
 */
public final class Migrations {
  /** The key for share.keyed_hash, or a file holding it (first line). */
  public static final String SHARE_KEY_ENV = "C360_SHARE_KEY";

  public static final String SHARE_KEY_FILE_ENV = "C360_SHARE_KEY_FILE";

  private Migrations() {}

  public static MigrateResult migrate(PgConnection pg) throws SQLException, IOException {
    Flyway flyway =
        Flyway.configure()
            .dataSource(pg.dataSource())
            .locations("classpath:db/migration")
            .schemas("ops")
            .createSchemas(true)
            .table("flyway_schema_history")
            .load();
    MigrateResult result = flyway.migrate();
    ensureShareKey(pg, configuredShareKey());
    return result;
  }

  /**
   * Stores the configured key (replacing another one), or a random one when none is configured and
   * none is stored yet. The key is never logged.
   */
  public static void ensureShareKey(PgConnection pg, String configured) throws SQLException {
    try (Connection c = pg.open()) {
      if (configured != null) {
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO ops.share_key (key) VALUES (?) ON CONFLICT (id) DO UPDATE SET key ="
                    + " excluded.key, set_at = now() WHERE ops.share_key.key <> excluded.key")) {
          ps.setString(1, configured);
          ps.executeUpdate();
        }
      } else {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO ops.share_key (key) VALUES (?) ON CONFLICT DO NOTHING")) {
          ps.setString(1, HexFormat.of().formatHex(b));
          ps.executeUpdate();
        }
      }
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
