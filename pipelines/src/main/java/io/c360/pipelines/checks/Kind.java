package io.c360.pipelines.checks;

/**
 * The kinds of check a checks file may declare (SPEC §5), with what each block must and may say.
 */
public enum Kind {
  not_null(Column.REQUIRED, false),
  unique(Column.REQUIRED, false),
  accepted_values(Column.REQUIRED, false),
  relationships(Column.REQUIRED, false),
  freshness(Column.REQUIRED, true),
  row_count_change(Column.NONE, false),
  outliers_iqr(Column.REQUIRED, false),
  outliers_zscore(Column.REQUIRED, false),
  reconciliation(Column.NONE, false),
  quarantine_rate(Column.NONE, false),
  scd2_intervals(Column.NONE, false);

  /** Whether a block of the kind names a column. */
  enum Column {
    REQUIRED,
    NONE
  }

  final Column column;
  final boolean window;

  Kind(Column column, boolean window) {
    this.column = column;
    this.window = window;
  }
}
