package io.c360.transforms.quality;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.c360.transforms.model.EntitySpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;

/**
 * The one shape every failure takes on its way to {@code dq.rejected_rows} (SPEC §2): entity,
 * lineage, the rule that failed (e.g. {@code not_null:email}), a readable message and the original
 * record as JSON. A row that fails several rules yields one reject per rule.
 */
public final class Quarantine {
  public static final Schema SCHEMA =
      Schema.builder()
          .addStringField("entity")
          .addStringField(EntitySpec.SOURCE_FILE)
          .addInt64Field(EntitySpec.LINE_NO)
          .addStringField("rule")
          .addStringField("message")
          .addStringField("record")
          .build();

  private static final ObjectMapper JSON = new ObjectMapper();

  /** How a NUL character of a landed value appears in a quarantined record. */
  public static final String NUL_SHOWN = "\u2400";

  /** Jackson's escape of a NUL; after an odd run of backslashes it is text, not an escape. */
  private static final Pattern ESCAPED_NUL = Pattern.compile("(?<!\\\\)((?:\\\\\\\\)*)\\\\u0000");

  private Quarantine() {}

  public static Row reject(
      String entity, String sourceFile, long lineNo, String rule, String message, String record) {
    return Row.withSchema(SCHEMA)
        .addValues(entity, sourceFile, lineNo, rule, message, record)
        .build();
  }

  /** A reject for a raw (as landed) row of {@code entity}; the record is its landed columns. */
  public static Row reject(EntitySpec entity, Row raw, String rule, String message) {
    return reject(
        entity.name(),
        raw.getString(EntitySpec.SOURCE_FILE),
        raw.getInt64(EntitySpec.LINE_NO),
        rule,
        message,
        recordJson(raw));
  }

  /** The non-lineage fields of a row as a JSON object, values as their string form. */
  public static String recordJson(Row row) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (Schema.Field f : row.getSchema().getFields()) {
      String n = f.getName();
      if (n.equals(EntitySpec.SOURCE_FILE) || n.equals(EntitySpec.LINE_NO)) {
        continue;
      }
      Object v = row.getValue(n);
      m.put(n, v == null ? null : v.toString());
    }
    return toJson(m);
  }

  /**
   * {@code values} as a JSON object that PostgreSQL {@code jsonb} accepts: jsonb cannot hold
   * U+0000, so a NUL in a landed value or name is shown as {@value #NUL_SHOWN} (U+2400, the symbol
   * for null) instead of failing the write of every reject of the run.
   */
  public static String toJson(Map<String, ?> values) {
    try {
      String json = JSON.writeValueAsString(values);
      return json.contains("\\u0000")
          ? ESCAPED_NUL.matcher(json).replaceAll("$1" + NUL_SHOWN)
          : json;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode record as JSON", e);
    }
  }

  /** The rule family ({@code not_null}) of a rule name ({@code not_null:email}). */
  public static String family(String rule) {
    int i = rule.indexOf(':');
    return i < 0 ? rule : rule.substring(0, i);
  }
}
