package io.c360.transforms.model;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * Computes derived values of a row during cleaning (sales: {@code amount} imputation and its {@code
 * amount_imputed} flag), declared on its {@link EntitySpec}.
 *
 * <p>Runs after every landed column is typed and before business rules; it is skipped when any of
 * its {@link #inputs()} failed its type check (the row is rejected anyway).
 */
public interface Derivation extends Serializable {
  /** The landed columns it reads. */
  List<String> inputs();

  /** The columns it may write, landed or derived. */
  List<String> outputs();

  /** Reads and updates typed values by column name (nulls allowed). */
  void apply(Map<String, Object> values);
}
