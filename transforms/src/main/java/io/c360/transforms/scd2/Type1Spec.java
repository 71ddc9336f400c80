package io.c360.transforms.scd2;

import io.c360.transforms.jdbc.SqlNames;
import io.c360.transforms.model.Entities;
import io.c360.transforms.model.EntitySpec;
import java.util.List;

/**
 * A Type 1 dimension: one row per natural key, overwritten in place by the latest delivery (SPEC
 * §3: channels). Its columns are its entity's, under the same names.
 */
public enum Type1Spec {
  CHANNEL(Entities.CHANNELS, "dw.dim_channel");

  private final EntitySpec entity;
  private final String table;

  Type1Spec(EntitySpec entity, String table) {
    this.entity = entity;
    this.table = SqlNames.table(table);
  }

  public EntitySpec entity() {
    return entity;
  }

  public String table() {
    return table;
  }

  public String naturalKey() {
    return entity.naturalKey().get(0);
  }

  /**
   * Upserts the run's staged rows ({@code ?} = run id): a changed member is overwritten, an
   * unchanged one is not touched.
   */
  String upsertSql() {
    String k = naturalKey();
    List<String> cols = entity.columnNames();
    List<String> values = cols.stream().filter(c -> !c.equals(k)).toList();
    return "INSERT INTO "
        + table
        + " AS d ("
        + String.join(", ", cols)
        + ", run_id) SELECT "
        + String.join(", ", cols)
        + ", run_id FROM "
        + SqlNames.table("staging." + entity.name())
        + " WHERE run_id = ? ON CONFLICT ("
        + k
        + ") DO UPDATE SET "
        + String.join(", ", values.stream().map(c -> c + " = excluded." + c).toList())
        + ", run_id = excluded.run_id, updated_at = now() WHERE ("
        + String.join(", ", values.stream().map(c -> "d." + c).toList())
        + ") IS DISTINCT FROM ("
        + String.join(", ", values.stream().map(c -> "excluded." + c).toList())
        + ")";
  }
}
