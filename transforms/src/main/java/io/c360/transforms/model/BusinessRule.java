package io.c360.transforms.model;

import java.io.Serializable;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.values.Row;

/**
 * A named row-level rule of an entity (SPEC §2 {@code business:<name>}), declared on its {@link
 * EntitySpec} and checked on the typed, cleaned row after derivations (so an imputed amount is
 * seen). A rule that can only be decided after derivations but belongs to another family of SPEC §2
 * (sales: amount and unit_price both missing is {@code not_null:amount}) says so in {@link
 * #family()}.
 *
 * <p>A rule is skipped for a row where any of its {@link #inputs()} failed its {@code type:} or
 * {@code accepted_values:} check: the row is already rejected for that column, and a rule reading a
 * value that could not be read would only add noise. Null inputs are passed as null; a rule decides
 * what null means for it.
 */
public interface BusinessRule extends Serializable {
  /** The rule's name without the family: {@code negative_amount} for {@code business:...}. */
  String name();

  /** The rule family of SPEC §2 the rule reports under: {@code business} unless it says so. */
  default String family() {
    return RuleNames.BUSINESS;
  }

  /** The columns the rule reads. */
  List<String> inputs();

  /**
   * Checks a typed row ({@link EntitySpec#typedSchema()}).
   *
   * @return a readable message when the row breaks the rule, else empty
   */
  Optional<String> check(Row typed, RuleContext context);

  /** The full rule name as stored in {@code dq.rejected_rows.rule}. */
  default String ruleName() {
    return RuleNames.of(family(), name());
  }
}
