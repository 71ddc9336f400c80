package io.c360.pipelines.daily;

import io.c360.transforms.jdbc.PgConnection;
import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/** What every stage of one run needs to know; serializable so steps can carry it to workers. */
public final class RunContext implements Serializable {
  private final long runId;
  private final LocalDate runDate;
  private final LocalDate asOf;
  private final String timezone;
  private final PgConnection pg;

  public RunContext(
      long runId, LocalDate runDate, LocalDate asOf, ZoneId timezone, PgConnection pg) {
    this.runId = runId;
    this.runDate = runDate;
    this.asOf = asOf;
    this.timezone = timezone.getId();
    this.pg = pg;
  }

  public long runId() {
    return runId;
  }

  public LocalDate runDate() {
    return runDate;
  }

  public LocalDate asOf() {
    return asOf;
  }

  public ZoneId zone() {
    return ZoneId.of(timezone);
  }

  /** runDate 00:00 in the run's time zone: valid_from of versions without updated_at. */
  public Instant runDateStart() {
    return runDate.atStartOfDay(zone()).toInstant();
  }

  public PgConnection pg() {
    return pg;
  }
}
