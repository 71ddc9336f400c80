package io.c360.transforms.ingest;

import java.util.List;
import org.apache.beam.sdk.testing.CoderProperties;
import org.junit.jupiter.api.Test;

/** The planners' work items survive their coders whole, and equal values encode equally. */
class PlanCodersTest {
  @Test
  void aCsvRangeDecodesToAnEqualRange() throws Exception {
    CsvRange whole =
        CsvRange.create("s3://b/sales/dt=2026-03-14/a.csv.gz", true, 0, -1, 1, List.of());
    CsvRange middle =
        CsvRange.create(
            "/l/sales/dt=2026-03-14/b.csv",
            false,
            8 << 20,
            16 << 20,
            98_765,
            List.of("Transaction_ID", " é ", ""));
    for (CsvRange r : List.of(whole, middle)) {
      CoderProperties.coderDecodeEncodeEqual(CsvRange.CODER, r);
      CoderProperties.coderDeterministic(
          CsvRange.CODER,
          r,
          CsvRange.create(
              r.file(),
              r.gzip(),
              r.startByte(),
              r.endByte(),
              r.firstLine(),
              List.copyOf(r.header())));
    }
  }

  @Test
  void aParquetSliceDecodesToAnEqualSlice() throws Exception {
    ParquetSlice s =
        ParquetSlice.create(
            "/l/products/dt=2026-03-14/p.parquet",
            4096,
            4,
            2048,
            1000,
            500,
            List.of("product_id", "", "Category"),
            "{\"type\":\"record\",\"name\":\"schema\",\"fields\":[]}");
    CoderProperties.coderDecodeEncodeEqual(ParquetSlice.CODER, s);
  }
}
