package io.c360.pipelines.generate;

import io.c360.transforms.model.Column;
import io.c360.transforms.model.ColumnType;
import io.c360.transforms.model.Entities;
import io.c360.transforms.model.EntitySpec;
import io.c360.transforms.model.RuleNames;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Which row knob a row carries, and how a rejecting knob breaks a rendered row. A dimension row's
 * knob depends on (entity, id, day) alone, so the members whose day-1 row is rejected are known up
 * front ({@link #brokenCustomer}, {@link #brokenProduct}) and facts never reference them.
 */
final class Defects {
  static final List<Defect> DIM_KNOBS =
      List.of(
          Defect.DUPLICATE,
          Defect.CONFLICT,
          Defect.NOT_NULL,
          Defect.TYPE_ERROR,
          Defect.ACCEPTED_VALUES);
  static final List<Defect> SALES_KNOBS =
      List.of(
          Defect.DUPLICATE,
          Defect.CONFLICT,
          Defect.NOT_NULL,
          Defect.TYPE_ERROR,
          Defect.ACCEPTED_VALUES,
          Defect.NEGATIVE_AMOUNT,
          Defect.FUTURE_DATE,
          Defect.AMOUNT_MISMATCH,
          Defect.MISSING_AMOUNT,
          Defect.FK_BREAK,
          Defect.PENDING_CUSTOMER,
          Defect.OUTLIER,
          Defect.LATE_SALE);
  static final List<Defect> TRAFFIC_KNOBS =
      List.of(
          Defect.DUPLICATE, Defect.CONFLICT, Defect.NOT_NULL, Defect.TYPE_ERROR, Defect.FK_BREAK);
  static final List<Defect> WEB_KNOBS =
      List.of(
          Defect.DUPLICATE,
          Defect.CONFLICT,
          Defect.NOT_NULL,
          Defect.TYPE_ERROR,
          Defect.ACCEPTED_VALUES,
          Defect.FK_BREAK,
          Defect.PENDING_CUSTOMER);
  static final List<Defect> INVENTORY_KNOBS =
      List.of(
          Defect.DUPLICATE, Defect.CONFLICT, Defect.NOT_NULL, Defect.TYPE_ERROR, Defect.FK_BREAK);

  /** What a dimension row may carry. */
  enum Exempt {
    /** any knob */
    NONE,
    /** duplicates and conflicts only: the row is never rejected */
    REJECTS,
    /** duplicates only */
    ALL_BUT_DUPLICATE
  }

  private final Plan plan;
  private final BitSet brokenCustomers;
  private final BitSet brokenProducts;

  Defects(Plan plan) {
    this.plan = plan;
    this.brokenCustomers = brokenMembers(Entities.CUSTOMERS.name(), plan.customers);
    this.brokenProducts = brokenMembers(Entities.PRODUCTS.name(), plan.products);
  }

  /** Whether an initial customer's day-1 row carries a rejecting knob. */
  boolean brokenCustomer(long id) {
    return id <= plan.customers && brokenCustomers.get((int) id);
  }

  /** Whether an initial product's day-1 row carries a rejecting knob. */
  boolean brokenProduct(long id) {
    return id <= plan.products && brokenProducts.get((int) id);
  }

  /** The knob a dimension row carries: decided by (entity, id, day) alone. */
  Defect dimDefect(String entity, long id, int day, Exempt exempt, Rng r) {
    double u = r.nextDouble();
    for (Defect d : DIM_KNOBS) {
      double rate = plan.cfg.rate(d);
      if (u < rate) {
        boolean allowed =
            exempt == Exempt.NONE
                || (exempt == Exempt.REJECTS && (d == Defect.DUPLICATE || d == Defect.CONFLICT))
                || (exempt == Exempt.ALL_BUT_DUPLICATE && d == Defect.DUPLICATE);
        if (d == Defect.ACCEPTED_VALUES
            && (entity.equals(Entities.CHANNELS.name())
                || entity.equals(GeneratedEntities.CAMPAIGNS.name()))) {
          allowed = false;
        }
        return allowed ? d : null;
      }
      u -= rate;
    }
    return null;
  }

  /** The stream a dimension row's knob and rendering draw from. */
  Rng dimStream(String entity, long id, int day) {
    return Rng.of(plan.seed, entity + "#defect", id, day);
  }

  /** The knob a fact row carries, from the row's stream. */
  Defect roll(Rng r, List<Defect> knobs) {
    double u = r.nextDouble();
    for (Defect d : knobs) {
      double rate = plan.cfg.rate(d);
      if (u < rate) {
        return d;
      }
      u -= rate;
    }
    return null;
  }

  /** Whether the knob gets the row quarantined. */
  static boolean rejecting(Defect d) {
    return d == Defect.NOT_NULL || d == Defect.TYPE_ERROR || d == Defect.ACCEPTED_VALUES;
  }

  private BitSet brokenMembers(String entity, long count) {
    BitSet b = new BitSet();
    for (long id = 4; id <= count; id++) {
      Rng r = dimStream(entity, id, 1);
      if (rejecting(dimDefect(entity, id, 1, Exempt.NONE, r))) {
        b.set((int) id);
      }
    }
    return b;
  }

  /** Applies a not_null, type or accepted_values knob to a rendered row; returns the rule. */
  static String breakValue(EntitySpec spec, Defect d, String[] v, Rng r) {
    List<Column> cols = spec.columns();
    List<Integer> candidates = new ArrayList<>();
    for (int i = 0; i < cols.size(); i++) {
      Column c = cols.get(i);
      boolean ok =
          switch (d) {
            case NOT_NULL -> c.isRequired();
            case TYPE_ERROR -> badValues(c.type()) != null;
            case ACCEPTED_VALUES -> c.type() == ColumnType.ENUM;
            default -> false;
          };
      if (ok) {
        candidates.add(i);
      }
    }
    if (candidates.isEmpty()) {
      throw new IllegalStateException(spec.name() + " has no column for " + d.key());
    }
    int i = candidates.get(r.nextInt(candidates.size()));
    Column c = cols.get(i);
    switch (d) {
      case NOT_NULL:
        v[i] = r.chance(0.5) ? "" : "   ";
        return RuleNames.notNull(c.name());
      case TYPE_ERROR:
        v[i] = r.pick(badValues(c.type()));
        return RuleNames.type(c.name());
      default:
        v[i] =
            r.pick(
                switch (c.name()) {
                  case "segment" -> Vocab.BAD_SEGMENTS;
                  case "category" -> Vocab.BAD_CATEGORIES;
                  case "event_type" -> Vocab.BAD_EVENT_TYPES;
                  default -> Vocab.BAD_STATUSES;
                });
        return RuleNames.acceptedValues(c.name());
    }
  }

  private static String[] badValues(ColumnType t) {
    return switch (t) {
      case DATE -> Vocab.BAD_DATES;
      case TIMESTAMP -> Vocab.BAD_TIMESTAMPS;
      case DECIMAL -> Vocab.BAD_DECIMALS;
      case INTEGER -> Vocab.BAD_INTEGERS;
      case EMAIL -> Vocab.BAD_EMAILS;
      default -> null;
    };
  }
}
