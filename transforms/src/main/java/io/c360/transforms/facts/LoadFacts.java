package io.c360.transforms.facts;

import static io.c360.transforms.common.Args.checkArgument;

import com.google.auto.value.AutoValue;
import io.c360.transforms.common.BusyTime;
import io.c360.transforms.common.Counters;
import io.c360.transforms.jdbc.PgConnection;
import java.sql.Connection;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.metrics.Metrics;
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
 * JdbcIO's {@code withResults()}. The same counts go to the counters of {@link
 * #metricsNamespace(FactSpec)} ({@link #counters}), where the run's reconciliation reads them.
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

  /** Counter names: the fields of {@link FactLoadStats}. */
  public static final String LOADED = "loaded";

  public static final String PENDING = "pending";
  public static final String RESOLVED = "resolved";
  public static final String STILL_PENDING = "still_pending";
  public static final String INSERTED = "inserted";
  public static final String UPDATED = "updated";
  public static final String MOVED = "moved";

  /** The Beam metrics namespace of this fact's load counters. */
  public static String metricsNamespace(FactSpec fact) {
    return "c360.facts." + fact.entity().name();
  }

  /**
   * This fact's load counters from a finished run ({@link Counters#byName}), 0 when it never ran.
   */
  public static Map<String, Long> counters(MetricResults metrics, FactSpec fact) {
    return Counters.byName(
        metrics,
        metricsNamespace(fact),
        LOADED,
        PENDING,
        RESOLVED,
        STILL_PENDING,
        INSERTED,
        UPDATED,
        MOVED);
  }

  public static LoadFacts of(FactSpec... facts) {
    checkArgument(facts.length > 0, "at least one fact is required");
    return new AutoValue_LoadFacts.Builder().setFacts(List.of(facts)).setRunId(-1).build();
  }

  public LoadFacts withConnection(PgConnection connection) {
    checkArgument(connection != null, "connection can not be null");
    return toBuilder().setConnection(connection).build();
  }

  public LoadFacts withRunId(long runId) {
    checkArgument(runId >= 0, "runId must be >= 0, was %s", runId);
    return toBuilder().setRunId(runId).build();
  }

  /** --timezone: the date of a timestamp and the start of a date (SPEC §3) are taken here. */
  public LoadFacts withTimezone(ZoneId timezone) {
    checkArgument(timezone != null, "timezone can not be null");
    return toBuilder().setTimezone(timezone).build();
  }

  @Override
  public PCollection<FactLoadStats> expand(PCollection<?> after) {
    checkArgument(connection() != null, "LoadFacts.withConnection() is required");
    checkArgument(runId() >= 0, "LoadFacts.withRunId() is required");
    checkArgument(timezone() != null, "LoadFacts.withTimezone() is required");
    return after
        .getPipeline()
        .apply("Facts", Create.of(facts().stream().map(FactSpec::name).toList()))
        .apply("WaitForInput", Wait.on(after))
        .apply("Load", ParDo.of(new LoadFn(connection(), runId(), timezone())))
        .setCoder(SerializableCoder.of(FactLoadStats.class));
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
    private final BusyTime busy = BusyTime.of(BusyTime.Part.WRITE);

    LoadFn(PgConnection pg, long runId, ZoneId zone) {
      this.pg = pg;
      this.runId = runId;
      this.zone = zone;
    }

    @ProcessElement
    public void process(@Element String fact, OutputReceiver<FactLoadStats> out) throws Exception {
      FactSpec spec = FactSpec.valueOf(fact);
      FactLoadStats s;
      long t = System.nanoTime();
      try (Connection c = pg.open()) {
        s = FactStore.load(c, spec, runId, zone);
      }
      busy.addSince(t);
      String ns = metricsNamespace(spec);
      Metrics.counter(ns, LOADED).inc(s.loaded());
      Metrics.counter(ns, PENDING).inc(s.pending());
      Metrics.counter(ns, RESOLVED).inc(s.resolved());
      Metrics.counter(ns, STILL_PENDING).inc(s.stillPending());
      Metrics.counter(ns, INSERTED).inc(s.inserted());
      Metrics.counter(ns, UPDATED).inc(s.updated());
      Metrics.counter(ns, MOVED).inc(s.moved());
      out.output(s);
    }
  }
}
