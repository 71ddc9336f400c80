package io.c360.transforms.ingest;

import io.c360.transforms.model.EntitySpec;
import java.time.LocalDate;
import java.util.List;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.*;

public class ReadEntity extends PTransform<PBegin, PCollectionTuple> {
  public static final TupleTag<Row> ROWS = new TupleTag<>() {};
  public static final TupleTag<Row> FAILURES = new TupleTag<>() {};

  public static ReadEntity of(EntitySpec e) {
    return new ReadEntity();
  }

  public ReadEntity from(String s) {
    return this;
  }

  public ReadEntity forDate(LocalDate d) {
    return this;
  }

  public ReadEntity withCsvDelimiter(char c) {
    return this;
  }

  public PCollectionTuple expand(PBegin b) {
    throw new UnsupportedOperationException("stub");
  }

  public interface Partition {
    boolean exists();

    List<String> files();

    String folder();
  }

  public static Partition partition(String root, EntitySpec e, LocalDate d) {
    throw new UnsupportedOperationException("stub");
  }
}
