package io.c360.transforms.kpi;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class PeriodsTest {
  private static LocalDate d(String s) {
    return LocalDate.parse(s);
  }

  @Test
  void boundariesRightAfterAYearBoundary() {
    Periods p = Periods.of(d("2025-01-02"));
    assertThat(p.yearStart(), equalTo(d("2025-01-01")));
    assertThat(p.monthStart(), equalTo(d("2025-01-01")));
    assertThat(p.lastMonthStart(), equalTo(d("2024-12-01")));
    assertThat(p.lastMonthEnd(), equalTo(d("2024-12-31")));
    assertThat(p.lastQuarterStart(), equalTo(d("2024-10-01")));
    assertThat(p.lastQuarterEnd(), equalTo(d("2024-12-31")));
    assertThat(p.quarterBeforeStart(), equalTo(d("2024-07-01")));
    assertThat(p.quarterBeforeEnd(), equalTo(d("2024-09-30")));
  }

  @Test
  void boundariesOnTheFirstDayOfAQuarter() {
    Periods p = Periods.of(d("2025-04-01"));
    assertThat(p.quarterStart(), equalTo(d("2025-04-01")));
    assertThat(p.lastQuarterStart(), equalTo(d("2025-01-01")));
    assertThat(p.lastQuarterEnd(), equalTo(d("2025-03-31")));
    assertThat(p.quarterBeforeStart(), equalTo(d("2024-10-01")));
    assertThat(p.quarterBeforeEnd(), equalTo(d("2024-12-31")));
    assertThat(p.lastMonthStart(), equalTo(d("2025-03-01")));
  }

  @Test
  void twelveMonthWindowIsExclusiveBelowInclusiveOfD() {
    Periods p = Periods.of(d("2025-04-01"));
    assertThat(p.inWindow12m(d("2024-04-01")), equalTo(false));
    assertThat(p.inWindow12m(d("2024-04-02")), equalTo(true));
    assertThat(p.inWindow12m(d("2025-04-01")), equalTo(true));
    assertThat(p.inWindow12m(d("2025-04-02")), equalTo(false));
  }

  @Test
  void leapDayWindowClampsLikePostgres() {
    // PostgreSQL: date '2024-02-29' - interval '12 months' = 2023-02-28
    assertThat(Periods.of(d("2024-02-29")).window12mExclusiveStart(), equalTo(d("2023-02-28")));
    assertThat(Periods.of(d("2024-02-29")).inWindow12m(d("2023-03-01")), equalTo(true));
  }

  @Test
  void newCustomerWindowIsThirtyDaysEndingD() {
    Periods p = Periods.of(d("2025-03-31"));
    assertThat(p.inLast30Days(d("2025-03-02")), equalTo(true));
    assertThat(p.inLast30Days(d("2025-03-01")), equalTo(false));
  }

  @Test
  void fullMonthsBeforeMonthOfD() {
    Periods p = Periods.of(d("2025-01-02"));
    assertThat(p.fullMonthIndex(d("2024-01-31")), equalTo(0));
    assertThat(p.fullMonthIndex(d("2024-12-31")), equalTo(11));
    assertThat(p.fullMonthIndex(d("2023-12-31")), equalTo(-1));
    assertThat(p.fullMonthIndex(d("2025-01-01")), equalTo(-1));
  }

  @Test
  void monthlyWindowStartsElevenMonthsBeforeMonthOfD() {
    Periods p = Periods.of(d("2025-05-15"));
    assertThat(p.inMonthly12(d("2024-06-01")), equalTo(true));
    assertThat(p.inMonthly12(d("2024-05-31")), equalTo(false));
    assertThat(p.inMonthly12(d("2025-05-16")), equalTo(false));
  }

  @Test
  void endOfDayIsNextMidnightInTheTimezone() {
    Instant end = Periods.of(d("2025-03-30")).endOfDay(ZoneId.of("Europe/Berlin"));
    assertThat(end, equalTo(Instant.parse("2025-03-30T22:00:00Z"))); // CEST after the DST switch
    CustomerVersion v =
        new CustomerVersion(
            "C1",
            null,
            "n",
            null,
            null,
            null,
            "SMB",
            null,
            null,
            Instant.parse("2025-01-01T00:00:00Z"),
            end,
            false);
    assertThat(
        "a version ending at D+1 00:00 is valid at D", v.validJustBefore(end), equalTo(true));
    CustomerVersion next =
        new CustomerVersion(
            "C1",
            null,
            "n",
            null,
            null,
            null,
            "SMB",
            null,
            null,
            end,
            Instant.parse("9999-12-31T00:00:00Z"),
            false);
    assertThat("a version from D+1 00:00 is not", next.validJustBefore(end), equalTo(false));
  }

  @Test
  void periodRevenueWithNoSalesIsZeroAndNullChange() {
    PeriodRevenue r = new PeriodRevenue(Periods.of(d("2025-04-01")));
    assertThat(r.ytd(), equalTo(new BigDecimal("0.0000")));
    assertThat(r.increasePctQoq(), nullValue());
  }

  @Test
  void periodRevenueSplitsByCalendarPeriodAndIgnoresDatesAfterD() {
    PeriodRevenue r = new PeriodRevenue(Periods.of(d("2025-04-01")));
    r.add(d("2025-04-01"), new BigDecimal("1")); // mtd, ytd
    r.add(d("2025-03-31"), new BigDecimal("10")); // last month, last quarter, ytd
    r.add(d("2025-01-01"), new BigDecimal("100")); // last quarter, ytd
    r.add(d("2024-12-31"), new BigDecimal("40")); // quarter before
    r.add(d("2024-10-01"), new BigDecimal("-20")); // quarter before (a return)
    r.add(d("2024-09-30"), new BigDecimal("1000")); // none
    r.add(d("2025-04-02"), new BigDecimal("5000")); // after D
    assertThat(r.mtd(), equalTo(new BigDecimal("1.0000")));
    assertThat(r.lastMonth(), equalTo(new BigDecimal("10.0000")));
    assertThat(r.lastQuarter(), equalTo(new BigDecimal("110.0000")));
    assertThat(r.quarterBefore(), equalTo(new BigDecimal("20.0000")));
    assertThat(r.ytd(), equalTo(new BigDecimal("111.0000")));
    assertThat(r.increasePctQoq(), equalTo(new BigDecimal("450.0000")));
  }
}
