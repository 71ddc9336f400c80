package io.c360.transforms.ingest;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.sameInstance;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** Partition paths and which file names count as data (SPEC §1 landing layout). */
class DataFilesTest {
  private static final LocalDate DT = LocalDate.of(2026, 1, 2);

  @Test
  void partitionFolderJoinsRootEntityAndDate() {
    assertThat(
        DataFiles.partitionFolder("s3://b/in/", "sales", DT),
        equalTo("s3://b/in/sales/dt=2026-01-02/"));
    assertThat(
        DataFiles.partitionFolder("gs://b", "sales", DT), equalTo("gs://b/sales/dt=2026-01-02/"));
    assertThat(
        DataFiles.partitionFolder("/data/landing//", "traffic", DT),
        equalTo("/data/landing/traffic/dt=2026-01-02/"));
  }

  @Test
  void kindsByName() {
    assertThat(DataFiles.kindOf("part-0.csv"), equalTo(DataFiles.Kind.CSV));
    assertThat(DataFiles.kindOf("PART-0.CSV.GZ"), equalTo(DataFiles.Kind.CSV_GZ));
    assertThat(DataFiles.kindOf("part-0.snappy.parquet"), equalTo(DataFiles.Kind.PARQUET));
    for (String other : new String[] {"_SUCCESS", ".part-0.csv.crc", "_tmp.csv", "a.txt", "a.gz"}) {
      assertThat(other, DataFiles.kindOf(other), equalTo(DataFiles.Kind.OTHER));
    }
  }

  @Test
  void findsIngestExceptionInACauseChain() {
    IngestException e = new IngestException("f.csv: bad");
    assertThat(
        IngestException.findIn(new RuntimeException(new IllegalStateException(e))),
        sameInstance(e));
  }
}
