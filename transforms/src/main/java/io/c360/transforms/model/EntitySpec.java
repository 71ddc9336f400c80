package io.c360.transforms.model;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;

/**
 * The contract of one landed entity (SPEC §1–§2): its columns, natural key, the column that
 * identifies a version (SCD2 entities) and the dimension each foreign key points to.
 *
 * <p>Every stage reads this declaration, so a new entity or column is a change here, not a new
 * pipeline. Two schemas derive from it: {@link #rawSchema()} (lineage plus every column as landed
 * text) and {@link #typedSchema()} (lineage plus typed, cleaned columns).
 */
public final class EntitySpec implements Serializable {
  /** Lineage: the file a row came from (full path or URI). */
  public static final String SOURCE_FILE = "source_file";

  /** Lineage: 1-based physical line of the record's first line in a CSV, or Parquet row index. */
  public static final String LINE_NO = "line_no";

  private final String name;
  private final List<Column> columns;
  private final List<String> naturalKey;
  private final String versionColumn;
  private final Map<String, String> relationships;
  private final List<Column> derived;
  private final List<Derivation> derivations;
  private final List<BusinessRule> businessRules;

  private EntitySpec(Builder b) {
    this.name = b.name;
    this.columns = List.copyOf(b.columns);
    this.naturalKey = List.copyOf(b.naturalKey);
    this.versionColumn = b.versionColumn;
    this.relationships = Collections.unmodifiableMap(new LinkedHashMap<>(b.relationships));
    this.derived = List.copyOf(b.derived);
    this.derivations = List.copyOf(b.derivations);
    this.businessRules = List.copyOf(b.businessRules);
  }

  private EntitySpec(EntitySpec e, List<Column> columns) {
    this.name = e.name;
    this.columns = List.copyOf(columns);
    this.naturalKey = e.naturalKey;
    this.versionColumn = e.versionColumn;
    this.relationships = e.relationships;
    this.derived = e.derived;
    this.derivations = e.derivations;
    this.businessRules = e.businessRules;
  }

  /**
   * This entity with its enumerated column {@code column} accepting {@code values} (SPEC §1: a
   * user's checks file may replace any list).
   */
  public EntitySpec withAcceptedValues(String column, List<String> values) {
    Column c =
        column(column)
            .orElseThrow(() -> new IllegalArgumentException(name + " has no column " + column));
    Column replaced = c.withAcceptedValues(values);
    return new EntitySpec(
        this, columns.stream().map(x -> x.name().equals(column) ? replaced : x).toList());
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Folder name under the landing root and suffix of the raw/staging tables. */
  public String name() {
    return name;
  }

  public List<Column> columns() {
    return columns;
  }

  public List<String> columnNames() {
    return columns.stream().map(Column::name).toList();
  }

  public List<String> requiredColumnNames() {
    return columns.stream().filter(Column::isRequired).map(Column::name).toList();
  }

  public Optional<Column> column(String columnName) {
    return columns.stream().filter(c -> c.name().equals(columnName)).findFirst();
  }

  /** Columns that identify a row across runs (sales: transaction_id). */
  public List<String> naturalKey() {
    return naturalKey;
  }

  /** For SCD2 entities, the column whose value identifies a version (updated_at); else empty. */
  public Optional<String> versionColumn() {
    return Optional.ofNullable(versionColumn);
  }

  /**
   * Foreign-key column → entity name of the dimension it must exist in (SPEC §2), in declaration
   * order: a row failing several is reported under the first.
   */
  public Map<String, String> relationships() {
    return relationships;
  }

  /** Columns computed by cleaning rather than landed (sales: amount_imputed). */
  public List<Column> derivedColumns() {
    return derived;
  }

  /** How derived values are computed during cleaning, in order (sales: amount imputation). */
  public List<Derivation> derivations() {
    return derivations;
  }

  /** Row-level rules checked after cleaning ({@code business:<name>}), in declaration order. */
  public List<BusinessRule> businessRules() {
    return businessRules;
  }

  /** Lineage and every declared column as nullable text, as landed. */
  public Schema rawSchema() {
    Schema.Builder s = lineage();
    for (Column c : columns) {
      s.addNullableField(c.name(), FieldType.STRING);
    }
    return s.build();
  }

  /** Lineage and every declared and derived column, typed. */
  public Schema typedSchema() {
    Schema.Builder s = lineage();
    for (Column c : columns) {
      s.addNullableField(c.name(), fieldType(c.type()));
    }
    for (Column c : derived) {
      s.addNullableField(c.name(), fieldType(c.type()));
    }
    return s.build();
  }

  /** The Beam field type a cleaned value of this column type has. */
  public static FieldType fieldType(ColumnType type) {
    switch (type) {
      case DATE:
        return FieldType.logicalType(SqlTypes.DATE);
      case TIMESTAMP:
        return FieldType.logicalType(SqlTypes.TIMESTAMP);
      case DECIMAL:
        return FieldType.DECIMAL;
      case INTEGER:
        return FieldType.INT64;
      case BOOLEAN:
        return FieldType.BOOLEAN;
      default:
        return FieldType.STRING;
    }
  }

  private static Schema.Builder lineage() {
    return Schema.builder().addStringField(SOURCE_FILE).addInt64Field(LINE_NO);
  }

  @Override
  public String toString() {
    return name;
  }

  /** Builds an {@link EntitySpec}. */
  public static final class Builder {
    private final String name;
    private final List<Column> columns = new ArrayList<>();
    private final List<String> naturalKey = new ArrayList<>();
    private String versionColumn;
    private final Map<String, String> relationships = new LinkedHashMap<>();
    private final List<Column> derived = new ArrayList<>();
    private final List<Derivation> derivations = new ArrayList<>();
    private final List<BusinessRule> businessRules = new ArrayList<>();

    private Builder(String name) {
      if (!name.matches("[a-z][a-z0-9_]*")) {
        throw new IllegalArgumentException("entity name must be snake_case: " + name);
      }
      this.name = name;
    }

    public Builder column(Column c) {
      if (columns.stream().anyMatch(x -> x.name().equals(c.name()))) {
        throw new IllegalArgumentException("duplicate column " + c.name() + " in " + name);
      }
      columns.add(c);
      return this;
    }

    public Builder naturalKey(String... keyColumns) {
      naturalKey.addAll(List.of(keyColumns));
      return this;
    }

    public Builder versionColumn(String column) {
      this.versionColumn = column;
      return this;
    }

    public Builder relationship(String column, String dimensionEntity) {
      relationships.put(column, dimensionEntity);
      return this;
    }

    public Builder derived(Column c) {
      derived.add(c);
      return this;
    }

    public Builder derivation(Derivation d) {
      derivations.add(d);
      return this;
    }

    public Builder businessRule(BusinessRule r) {
      if (businessRules.stream().anyMatch(x -> x.ruleName().equals(r.ruleName()))) {
        throw new IllegalArgumentException("duplicate rule " + r.ruleName() + " in " + name);
      }
      businessRules.add(r);
      return this;
    }

    public EntitySpec build() {
      List<String> names = columns.stream().map(Column::name).toList();
      for (String k : naturalKey) {
        if (!names.contains(k)) {
          throw new IllegalArgumentException(name + ": natural key column " + k + " not declared");
        }
      }
      if (versionColumn != null && !names.contains(versionColumn)) {
        throw new IllegalArgumentException(name + ": version column not declared");
      }
      for (String fk : relationships.keySet()) {
        if (!names.contains(fk)) {
          throw new IllegalArgumentException(
              name + ": relationship column " + fk + " not declared");
        }
      }
      List<String> all = new ArrayList<>(names);
      derived.forEach(c -> all.add(c.name()));
      for (BusinessRule r : businessRules) {
        if (!all.containsAll(r.inputs())) {
          throw new IllegalArgumentException(
              name + ": business rule " + r.name() + " reads undeclared columns " + r.inputs());
        }
      }
      for (Derivation d : derivations) {
        if (!all.containsAll(d.inputs()) || !all.containsAll(d.outputs())) {
          throw new IllegalArgumentException(
              name + ": derivation uses undeclared columns " + d.inputs() + " → " + d.outputs());
        }
      }
      return new EntitySpec(this);
    }
  }
}
