package io.c360.transforms.kpi;

import java.math.BigDecimal;
import java.time.LocalDate;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Revenue by calendar period for one as_of (customer_revenue_by_period, traffic_revenue_by_period):
 * month to date, previous full month, previous full quarter, the quarter before it, year to date,
 * and the quarter-over-quarter change in percent (null when the quarter before is 0).
 */
public final class PeriodRevenue {
  private final Periods periods;
  private BigDecimal mtd = BigDecimal.ZERO;
  private BigDecimal lastMonth = BigDecimal.ZERO;
  private BigDecimal lastQuarter = BigDecimal.ZERO;
  private BigDecimal quarterBefore = BigDecimal.ZERO;
  private BigDecimal ytd = BigDecimal.ZERO;

  public PeriodRevenue(Periods periods) {
    this.periods = periods;
  }

  /** Adds one dated amount; dates after as_of are ignored. */
  public PeriodRevenue add(LocalDate d, BigDecimal amount) {
    if (d.isAfter(periods.asOf())) {
      return this;
    }
    if (!d.isBefore(periods.monthStart())) {
      mtd = mtd.add(amount);
    }
    if (Periods.between(d, periods.lastMonthStart(), periods.lastMonthEnd())) {
      lastMonth = lastMonth.add(amount);
    }
    if (Periods.between(d, periods.lastQuarterStart(), periods.lastQuarterEnd())) {
      lastQuarter = lastQuarter.add(amount);
    }
    if (Periods.between(d, periods.quarterBeforeStart(), periods.quarterBeforeEnd())) {
      quarterBefore = quarterBefore.add(amount);
    }
    if (!d.isBefore(periods.yearStart())) {
      ytd = ytd.add(amount);
    }
    return this;
  }

  public BigDecimal mtd() {
    return KpiMath.round(mtd, 4);
  }

  public BigDecimal lastMonth() {
    return KpiMath.round(lastMonth, 4);
  }

  public BigDecimal lastQuarter() {
    return KpiMath.round(lastQuarter, 4);
  }

  public BigDecimal quarterBefore() {
    return KpiMath.round(quarterBefore, 4);
  }

  public BigDecimal ytd() {
    return KpiMath.round(ytd, 4);
  }

  public @Nullable BigDecimal increasePctQoq() {
    return KpiMath.pctChange(lastQuarter, quarterBefore);
  }
}
