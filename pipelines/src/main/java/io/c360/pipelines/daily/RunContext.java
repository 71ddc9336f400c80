package io.c360.pipelines.daily;

import io.c360.transforms.jdbc.PgConnection;
import io.c360.transforms.model.Entities;
import io.c360.transforms.model.EntitySpec;
import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/** What every stage of one run needs to know; serializable so steps can carry it to workers. */
public final class RunContext implements Serializable {
  private final long runId;
  private final LocalDate runDate;
  private final LocalDate asOf;
  private final String timezone;
  private final PgConnection pg;

  /** Accepted values by column from the run's checks file; a column not in it keeps the model's. */
  private final Map<String, List<String>> acceptedValues;

  public RunContext(
      long runId, LocalDate runDate, LocalDate asOf, ZoneId timezone, PgConnection pg) {
    this(runId, runDate, asOf, timezone.getId(), pg, Map.of());
  }

  private RunContext(
      long runId,
      LocalDate runDate,
      LocalDate asOf,
      String timezone,
      PgConnection pg,
      Map<String, List<String>> acceptedValues) {
    this.runId = runId;
    this.runDate = runDate;
    this.asOf = asOf;
    this.timezone = timezone;
    this.pg = pg;
    this.acceptedValues = Map.copyOf(acceptedValues);
  }

  /** This context with the accepted values of the run's checks file (SPEC §1, §5). */
  public RunContext withAcceptedValues(Map<String, List<String>> values) {
    return new RunContext(runId, runDate, asOf, timezone, pg, values);
  }

  /** The entity with its enumerated columns accepting the run's lists. */
  public EntitySpec accepting(EntitySpec entity) {
    EntitySpec e = entity;
    for (Map.Entry<String, List<String>> a : acceptedValues.entrySet()) {
      if (e.column(a.getKey()).isPresent()) {
        e = e.withAcceptedValues(a.getKey(), a.getValue());
      }
    }
    return e;
  }

  /** The run's product categories: one customer_360 amount each (SPEC §1, §4). */
  public List<String> categories() {
    return acceptedValues.getOrDefault("category", Entities.CATEGORIES);
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
