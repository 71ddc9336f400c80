package io.c360.transforms.kpi;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.c360.transforms.model.Entities;
import io.c360.transforms.testing.TestDatabase;
import java.math.BigDecimal;
import java.sql.Connection;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each mart's declaration ({@link MartTable}: the columns the KPI stage stages and the row key) is
 * the table the migrations create: same columns in the same order after as_of, and the primary key
 * (as_of, key…); customer_360 has one amount column per accepted category of the entity model.
 */
class MartTableDdlIT {
  @RegisterExtension static final TestDatabase DB = new TestDatabase();

  @Test
  void everyMartDeclarationMatchesItsTable() throws Exception {
    try (Connection c = DB.open()) {
      for (MartTable t : MartTable.values()) {
        List<String> expected = new ArrayList<>(List.of("as_of"));
        expected.addAll(t.columns());
        assertThat(
            t.tableName(),
            TestDatabase.column(
                c,
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'mart'"
                    + " AND table_name = '"
                    + t.tableName()
                    + "' ORDER BY ordinal_position"),
            equalTo(expected));
        List<String> key = new ArrayList<>(List.of("as_of"));
        key.addAll(t.keyColumns());
        assertThat(
            t.tableName() + " primary key",
            TestDatabase.column(
                c,
                "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
                    + " AND a.attnum = ANY(i.indkey) WHERE i.indisprimary AND i.indrelid = 'mart."
                    + t.tableName()
                    + "'::regclass ORDER BY array_position(i.indkey::int2[], a.attnum)"),
            equalTo(key));
      }
    }
  }

  /**
   * Each mart record's field types and nullability are the table's: what the staged payload holds
   * is what jsonb_populate_record reads back, and a row that could not be inserted cannot be made.
   */
  @Test
  void everyMartRecordIsTypedAndNullableAsItsTable() throws Exception {
    try (Connection c = DB.open()) {
      for (MartTable t : MartTable.values()) {
        List<String> expected = new ArrayList<>();
        for (Schema.Field f : t.schema().getFields()) {
          expected.add(
              f.getName()
                  + " "
                  + pgType(f.getType())
                  + (f.getType().getNullable() ? "" : " not null"));
        }
        assertThat(
            t.tableName(),
            TestDatabase.column(
                c,
                "SELECT column_name || ' ' || data_type"
                    + " || CASE WHEN is_nullable = 'NO' THEN ' not null' ELSE '' END"
                    + " FROM information_schema.columns WHERE table_schema = 'mart'"
                    + " AND table_name = '"
                    + t.tableName()
                    + "' ORDER BY ordinal_position"),
            equalTo(expected));
      }
    }
  }

  /** The PostgreSQL type (information_schema.columns.data_type) a mart field maps to. */
  private static String pgType(Schema.FieldType type) {
    Class<?> java = MartTable.javaType(type);
    if (java == String.class) {
      return "text";
    } else if (java == BigDecimal.class) {
      return "numeric";
    } else if (java == Long.class) {
      return "bigint";
    } else if (java == Integer.class) {
      return "integer";
    } else if (java == Map.class) {
      return "jsonb";
    } else if (java == LocalDate.class) {
      return "date";
    } else if (java == Instant.class) {
      return "timestamp with time zone";
    }
    throw new IllegalArgumentException(type.toString());
  }

  @Test
  void customer360HasAnAmountColumnPerAcceptedCategory() {
    List<String> amounts = new ArrayList<>();
    for (String col : MartTable.CUSTOMER_360.columns()) {
      if (col.endsWith("_amount")) {
        amounts.add(col);
      }
    }
    List<String> expected = new ArrayList<>();
    for (String category : Entities.CATEGORIES) {
      expected.add(
          category.toLowerCase().replace("&", "and").replaceAll("[^a-z0-9]+", "_") + "_amount");
    }
    assertThat(amounts, equalTo(expected));
  }
}
