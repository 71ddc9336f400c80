package io.c360.transforms.scd2;

import static io.c360.transforms.common.Args.checkArgument;

import com.google.auto.value.AutoValue;
import io.c360.transforms.common.BusyTime;
import io.c360.transforms.jdbc.PgConnection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import javax.annotation.Nullable;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Wait;
import org.apache.beam.sdk.values.PCollection;

/**
 * Type 1 upsert of a dimension from the run's staging table, once its input (the staged write) is
 * complete. Emits one element: the number of members inserted or changed.
 *
 * <pre>{@code
 * PCollection<Long> changed =
 *     stagedChannels.apply(Type1.upsert(Type1Spec.CHANNEL).withConnection(pg).withRunId(runId));
 * }</pre>
 */
@AutoValue
public abstract class Type1 extends PTransform<PCollection<?>, PCollection<Long>> {
  abstract Type1Spec dimension();

  abstract @Nullable PgConnection connection();

  abstract long runId();

  abstract Builder toBuilder();

  public static Type1 upsert(Type1Spec dimension) {
    return new AutoValue_Type1.Builder().setDimension(dimension).setRunId(-1).build();
  }

  public Type1 withConnection(PgConnection connection) {
    checkArgument(connection != null, "connection can not be null");
    return toBuilder().setConnection(connection).build();
  }

  public Type1 withRunId(long runId) {
    checkArgument(runId >= 0, "runId must be >= 0, was %s", runId);
    return toBuilder().setRunId(runId).build();
  }

  @Override
  public PCollection<Long> expand(PCollection<?> staged) {
    // Missing settings throw IllegalArgumentException here, as they always have.
    checkArgument(connection() != null, "withConnection() is required");
    checkArgument(runId() >= 0, "withRunId() is required");
    return staged
        .getPipeline()
        .apply("Signal", Create.of(dimension().name()))
        .apply("WaitForStaged", Wait.on(staged))
        .apply("Upsert", ParDo.of(new UpsertFn(connection(), dimension(), runId())));
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setDimension(Type1Spec d);

    abstract Builder setConnection(PgConnection c);

    abstract Builder setRunId(long runId);

    abstract Type1 build();
  }

  private static final class UpsertFn extends DoFn<String, Long> {
    private final PgConnection pg;
    private final Type1Spec dimension;
    private final long runId;
    private final BusyTime busy = BusyTime.of(BusyTime.Part.WRITE);

    UpsertFn(PgConnection pg, Type1Spec dimension, long runId) {
      this.pg = pg;
      this.dimension = dimension;
      this.runId = runId;
    }

    @ProcessElement
    public void process(OutputReceiver<Long> out) throws Exception {
      try (Connection c = pg.open();
          PreparedStatement ps = c.prepareStatement(dimension.upsertSql())) {
        ps.setLong(1, runId);
        long t = System.nanoTime();
        long upserted = ps.executeUpdate();
        busy.addSince(t);
        out.output(upserted);
      }
    }
  }
}
