package io.c360.transforms.scd2;

import io.c360.transforms.jdbc.SqlNames;
import io.c360.transforms.model.Entities;
import io.c360.transforms.model.EntitySpec;
import java.util.List;
import java.util.Optional;

/**
 * A Type 1 dimension: one row per natural key, overwritten in place by the latest delivery (SPEC
 * §3: channels; §8: campaigns). Its columns are its entity's, under the same names, plus run_id and
 * the time the row was last written ({@link #writtenAtColumn()}).
 */
public enum Type1Spec {
  CHANNEL(Entities.CHANNELS, "dw.dim_channel", "updated_at"),
  // campaigns land an updated_at of their own (SPEC §8), so the write time is loaded_at (sql/V65)
  CAMPAIGN(Entities.CAMPAIGNS, "dw.dim_campaign", "loaded_at");

  private final EntitySpec entity;
  private final String table;
  private final String writtenAt;

  Type1Spec(EntitySpec entity, String table, String writtenAt) {
    this.entity = entity;
    this.table = SqlNames.table(table);
    this.writtenAt = SqlNames.column(writtenAt);
    if (entity.columnNames().contains(writtenAt)) {
      throw new IllegalStateException(table + ": " + writtenAt + " is a landed column");
    }
  }

  /** The dimension of {@code entity}, if it is a Type 1 one. */
  public static Optional<Type1Spec> of(EntitySpec entity) {
    for (Type1Spec t : values()) {
      if (t.entity.name().equals(entity.name())) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /** The column holding the time the row was last written (not a landed column). */
  public String writtenAtColumn() {
    return writtenAt;
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
        + ", run_id = excluded.run_id, "
        + writtenAt
        + " = now() WHERE ("
        + String.join(", ", values.stream().map(c -> "d." + c).toList())
        + ") IS DISTINCT FROM ("
        + String.join(", ", values.stream().map(c -> "excluded." + c).toList())
        + ")";
  }
}
