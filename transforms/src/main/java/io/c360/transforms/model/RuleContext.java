package io.c360.transforms.model;

import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;

/** What a rule may know about the run besides the row: the run date and the run timezone. */
public final class RuleContext implements Serializable {
  private final LocalDate runDate;
  private final ZoneId timezone;

  public RuleContext(LocalDate runDate, ZoneId timezone) {
    this.runDate = Objects.requireNonNull(runDate, "runDate");
    this.timezone = Objects.requireNonNull(timezone, "timezone");
  }

  public LocalDate runDate() {
    return runDate;
  }

  public ZoneId timezone() {
    return timezone;
  }

  /** The first instant of {@code date} in the run timezone. */
  public Instant startOf(LocalDate date) {
    return date.atStartOfDay(timezone).toInstant();
  }
}
