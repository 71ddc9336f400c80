package io.c360.transforms.kpi;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import org.apache.beam.sdk.testing.CoderProperties;
import org.junit.jupiter.api.Test;

/** Mart rows of every value type survive their coder unchanged, scale of decimals included. */
class MartRowCoderTest {
  static final LocalDate D = LocalDate.of(2025, 4, 1);

  @Test
  void everyValueTypeRoundTripsAndEncodesDeterministically() throws Exception {
    MartRow[] rows = {
      MartRow.of(MartTable.CUSTOMER_YTD_SPENDING, D, "C1", new BigDecimal("12.5000")),
      MartRow.of(MartTable.CUSTOMER_DAYS_SINCE_LAST_PURCHASE, D, "C2", null, null),
      MartRow.of(MartTable.CUSTOMER_DAYS_SINCE_LAST_PURCHASE, D, "C3", D.minusDays(4), 4),
      MartRow.of(MartTable.DAILY_SALES, D, D, new BigDecimal("-1.0000"), 3L, 2L, 7L),
      MartRow.of(
          MartTable.SEGMENT_CHANGES_12M,
          D,
          "C\u001fü",
          D,
          Instant.parse("2025-03-31T22:00:00.123456Z"),
          null,
          "SMB")
    };
    // every PCollection<MartRow> gets this coder, also where none is set (Flink unions require it)
    org.hamcrest.MatcherAssert.assertThat(
        org.apache.beam.sdk.coders.CoderRegistry.createDefault().getCoder(MartRow.class),
        org.hamcrest.Matchers.instanceOf(MartRowCoder.class));
    for (MartRow r : rows) {
      CoderProperties.coderDecodeEncodeEqual(MartRowCoder.of(), r);
      CoderProperties.coderDeterministic(MartRowCoder.of(), r, r);
    }
  }
}
