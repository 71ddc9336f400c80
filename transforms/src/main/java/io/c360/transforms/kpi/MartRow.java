package io.c360.transforms.kpi;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One row of a mart for one as_of: the values of {@link MartTable#columns()} in order, each of the
 * Java type its field in {@link MartTable#schema()} has (String, BigDecimal, Long, Integer,
 * LocalDate, Instant, or for a map field a map of names to BigDecimal amounts, a jsonb object such
 * as customer_360's amounts per declared category), null only where the table allows it. A row that
 * does not fit its record fails where it is made, naming the column, not at the insert.
 */
@DefaultCoder(MartRowCoder.class)
public final class MartRow implements Serializable {
  private final MartTable table;
  private final LocalDate asOf;
  private final Object[] values;

  private MartRow(MartTable table, LocalDate asOf, Object[] values) {
    if (values.length != table.columns().size()) {
      throw new IllegalArgumentException(
          table.tableName() + " has " + table.columns().size() + " columns, got " + values.length);
    }
    List<Schema.Field> fields = table.schema().getFields();
    for (int i = 0; i < values.length; i++) {
      Schema.Field f = fields.get(i + 1);
      Object v = values[i];
      if (v == null ? !f.getType().getNullable() : !MartTable.javaType(f.getType()).isInstance(v)) {
        throw new IllegalArgumentException(
            table.tableName()
                + "."
                + f.getName()
                + " is "
                + f.getType()
                + ", got "
                + (v == null ? "null" : v.getClass().getSimpleName() + " " + v));
      }
    }
    this.table = table;
    this.asOf = Objects.requireNonNull(asOf, "asOf");
    this.values = values;
  }

  public static MartRow of(MartTable table, LocalDate asOf, @Nullable Object... values) {
    return new MartRow(table, asOf, values.clone());
  }

  public MartTable table() {
    return table;
  }

  public LocalDate asOf() {
    return asOf;
  }

  public @Nullable Object get(String column) {
    int i = table.columns().indexOf(column);
    if (i < 0) {
      throw new IllegalArgumentException(table.tableName() + " has no column " + column);
    }
    return values[i];
  }

  public List<Object> values() {
    return Arrays.asList(values.clone());
  }

  /** The primary key (after as_of) as one string, unique within the mart and as_of. */
  public String rowKey() {
    StringBuilder b = new StringBuilder();
    for (String k : table.keyColumns()) {
      if (b.length() > 0) {
        b.append('\u001f');
      }
      b.append(text(get(k)));
    }
    return b.toString();
  }

  /** The row as a Beam {@link Row} of its table's schema (as_of first). */
  public Row toRow() {
    return Row.withSchema(table.schema()).addValue(asOf).addValues(values).build();
  }

  /**
   * The row as a JSON object keyed by column name, for jsonb_populate_record: numbers as JSON
   * numbers (exact, any size), everything else as text.
   */
  public String toJson() {
    StringBuilder b = new StringBuilder("{\"as_of\":\"").append(asOf).append('"');
    List<Schema.Field> fields = table.schema().getFields();
    for (int i = 0; i < values.length; i++) {
      Schema.Field f = fields.get(i + 1);
      b.append(",\"").append(f.getName()).append("\":");
      Object v = values[i];
      if (v == null) {
        b.append("null");
      } else if (v instanceof Map<?, ?> m) {
        appendJsonObject(b, m);
      } else if (f.getType().getTypeName().isNumericType()) {
        b.append(text(v));
      } else {
        appendJsonString(b, text(v));
      }
    }
    return b.append('}').toString();
  }

  private static void appendJsonObject(StringBuilder b, Map<?, ?> m) {
    b.append('{');
    boolean first = true;
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (!first) {
        b.append(',');
      }
      first = false;
      appendJsonString(b, String.valueOf(e.getKey()));
      b.append(':').append(text(e.getValue()));
    }
    b.append('}');
  }

  private static String text(@Nullable Object v) {
    if (v == null) {
      return "";
    }
    if (v instanceof Map<?, ?> m) {
      StringBuilder b = new StringBuilder();
      appendJsonObject(b, m);
      return b.toString();
    }
    if (v instanceof BigDecimal) {
      return ((BigDecimal) v).toPlainString();
    }
    if (v instanceof String
        || v instanceof Long
        || v instanceof Integer
        || v instanceof LocalDate
        || v instanceof Instant) {
      return v.toString();
    }
    throw new IllegalArgumentException("unsupported mart value type: " + v.getClass());
  }

  private static void appendJsonString(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof MartRow r
        && r.table == table
        && r.asOf.equals(asOf)
        && Arrays.equals(r.values, values);
  }

  @Override
  public int hashCode() {
    return Objects.hash(table, asOf, Arrays.hashCode(values));
  }

  @Override
  public String toString() {
    return table.tableName() + toJson();
  }
}
