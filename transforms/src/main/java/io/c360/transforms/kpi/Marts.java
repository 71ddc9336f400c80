package io.c360.transforms.kpi;

import io.c360.transforms.jdbc.PgConnection;
import java.time.*;
import org.apache.beam.sdk.Pipeline;

public class Marts {
  public static void computeAndReplace(Pipeline p, PgConnection pg, LocalDate d, ZoneId z) {
    throw new UnsupportedOperationException("stub");
  }
}
