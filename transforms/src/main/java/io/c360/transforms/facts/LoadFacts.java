package io.c360.transforms.facts;

import com.google.auto.value.AutoValue;
import io.c360.transforms.jdbc.PgConnection;
import java.sql.Connection;
import java.time.ZoneId;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Wait;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;

/**
 * Loads the run's staged facts into {@code dw} once its input is complete (typically the signal
 * that every dimension of the run is committed), one transaction per fact: each staged row, and
 * each row still waiting in {@code dq.pending_rows}, takes the surrogate keys of the dimension
 * versions valid at its time and is upserted on its natural key, or waits under {@code
 * relationships:<column>}. Pending rows are retried even when the day has no file for the fact.
 *
 * <p>Emits one {@link FactLoadStats} per fact, after its commit: a {@code Wait.on} signal, like
 * JdbcIO's {@code withResults()}, and the counts of the run's reconciliation.
 *
 * <pre>{@code
 * PCollection<FactLoadStats> stats =
 *     dimensionsCommitted.apply(
 *         LoadFacts.of(FactSpec.SALES, FactSpec.TRAFFIC)
 *             .withConnection(pg)
 *             .withRunId(runId)
 *             .withTimezone(zone));
 * }</pre>
 */
@AutoValue
public abstract class LoadFacts extends PTransform<PCollection<?>, PCollection<FactLoadStats>> {
  abstract List<FactSpec> facts();

  abstract @Nullable PgConnection connection();

  abstract long runId();

  abstract @Nullable ZoneId timezone();

  abstract Builder toBuilder();

  public static LoadFacts of(FactSpec... facts) {
    if (facts.length == 0) {
      throw new IllegalArgumentException("at least one fact is required");
    }
    return new AutoValue_LoadFacts.Builder().setFacts(List.of(facts)).setRunId(-1).build();
  }

  public LoadFacts withConnection(PgConnection connection) {
    if (connection == null) {
      throw new IllegalArgumentException("connection can not be null");
    }
    return toBuilder().setConnection(connection).build();
  }

  public LoadFacts withRunId(long runId) {
    if (runId < 0) {
      throw new IllegalArgumentException("runId must be >= 0, was " + runId);
    }
    return toBuilder().setRunId(runId).build();
  }

  /** --timezone: the date of a timestamp and the start of a date (SPEC §3) are taken here. */
  public LoadFacts withTimezone(ZoneId timezone) {
    if (timezone == null) {
      throw new IllegalArgumentException("timezone can not be null");
    }
    return toBuilder().setTimezone(timezone).build();
  }

  @Override
  public PCollection<FactLoadStats> expand(PCollection<?> after) {
    if (connection() == null) {
      throw new IllegalArgumentException("withConnection() is required");
    }
    if (runId() < 0) {
      throw new IllegalArgumentException("withRunId() is required");
    }
    if (timezone() == null) {
      throw new IllegalArgumentException("withTimezone() is required");
    }
    return after
        .getPipeline()
        .apply("Facts", Create.of(facts().stream().map(FactSpec::name).toList()))
        .apply("WaitForInput", Wait.on(after))
        .apply("Load", ParDo.of(new LoadFn(connection(), runId(), timezone())));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("facts", facts().toString()));
    builder.add(DisplayData.item("runId", runId()));
    if (timezone() != null) {
      builder.add(DisplayData.item("timezone", timezone().getId()));
    }
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setFacts(List<FactSpec> facts);

    abstract Builder setConnection(PgConnection c);

    abstract Builder setRunId(long runId);

    abstract Builder setTimezone(ZoneId zone);

    abstract LoadFacts build();
  }

  private static final class LoadFn extends DoFn<String, FactLoadStats> {
    private final PgConnection pg;
    private final long runId;
    private final ZoneId zone;

    LoadFn(PgConnection pg, long runId, ZoneId zone) {
      this.pg = pg;
      this.runId = runId;
      this.zone = zone;
    }

    @ProcessElement
    public void process(@Element String fact, OutputReceiver<FactLoadStats> out) throws Exception {
      try (Connection c = pg.open()) {
        out.output(FactStore.load(c, FactSpec.valueOf(fact), runId, zone));
      }
    }
  }
}
