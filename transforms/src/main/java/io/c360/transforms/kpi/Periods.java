package io.c360.transforms.kpi;

import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Objects;

/**
 * The calendar windows of SPEC §4 for one as_of D. All bounds are calendar dates and inclusive
 * unless named otherwise; "(D − 12 months, D]" uses PostgreSQL month arithmetic, which clamps to
 * the end of month as {@link LocalDate#minusMonths} does (2024-02-29 − 12 months = 2023-02-28).
 */
public final class Periods implements Serializable {
  private final LocalDate asOf;

  private Periods(LocalDate asOf) {
    this.asOf = Objects.requireNonNull(asOf, "asOf");
  }

  public static Periods of(LocalDate asOf) {
    return new Periods(asOf);
  }

  public LocalDate asOf() {
    return asOf;
  }

  /** The first instant after D in the timezone: a version is valid at D when it spans it. */
  public Instant endOfDay(ZoneId tz) {
    return asOf.plusDays(1).atStartOfDay(tz).toInstant();
  }

  public LocalDate yearStart() {
    return asOf.withDayOfYear(1);
  }

  public LocalDate monthStart() {
    return asOf.withDayOfMonth(1);
  }

  public LocalDate lastMonthStart() {
    return monthStart().minusMonths(1);
  }

  public LocalDate lastMonthEnd() {
    return monthStart().minusDays(1);
  }

  public LocalDate quarterStart() {
    int firstMonth = (asOf.getMonthValue() - 1) / 3 * 3 + 1;
    return LocalDate.of(asOf.getYear(), firstMonth, 1);
  }

  public LocalDate lastQuarterStart() {
    return quarterStart().minusMonths(3);
  }

  public LocalDate lastQuarterEnd() {
    return quarterStart().minusDays(1);
  }

  public LocalDate quarterBeforeStart() {
    return quarterStart().minusMonths(6);
  }

  public LocalDate quarterBeforeEnd() {
    return lastQuarterStart().minusDays(1);
  }

  /** Exclusive lower bound of the 12-month window (D − 12 months, D]. */
  public LocalDate window12mExclusiveStart() {
    return asOf.minusMonths(12);
  }

  public boolean inWindow12m(LocalDate d) {
    return d.isAfter(window12mExclusiveStart()) && !d.isAfter(asOf);
  }

  /** [1st of month(D) − 11 months, D]: the 12 calendar months ending with month(D). */
  public boolean inMonthly12(LocalDate d) {
    return !d.isBefore(monthStart().minusMonths(11)) && !d.isAfter(asOf);
  }

  /** The 30 days ending D: [D − 29, D]. */
  public boolean inLast30Days(LocalDate d) {
    return !d.isBefore(asOf.minusDays(29)) && !d.isAfter(asOf);
  }

  /** Index 0..11 of d among the 12 full calendar months before month(D) (0 = oldest), else -1. */
  public int fullMonthIndex(LocalDate d) {
    YearMonth first = YearMonth.from(asOf).minusMonths(12);
    long i = first.until(YearMonth.from(d), java.time.temporal.ChronoUnit.MONTHS);
    return i >= 0 && i < 12 ? (int) i : -1;
  }

  static boolean between(LocalDate d, LocalDate from, LocalDate to) {
    return !d.isBefore(from) && !d.isAfter(to);
  }
}
