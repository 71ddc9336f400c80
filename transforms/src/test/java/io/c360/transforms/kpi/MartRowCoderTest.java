package io.c360.transforms.kpi;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import org.apache.beam.sdk.testing.CoderProperties;
import org.junit.jupiter.api.Test;

/**
 * Mart rows of every value type, and the KPI stage's other values, survive their coders unchanged
 * (scale of decimals included), and the registry finds those coders by itself.
 */
class MartRowCoderTest {
  static final LocalDate D = LocalDate.of(2025, 4, 1);

  @Test
  void everyValueTypeRoundTripsAndEncodesDeterministically() throws Exception {
    MartRow[] rows = {
      MartRow.of(MartTable.CUSTOMER_YTD_SPENDING, D, "C1", new BigDecimal("12.5000")),
      MartRow.of(MartTable.CUSTOMER_DAYS_SINCE_LAST_PURCHASE, D, "C2", null, null),
      MartRow.of(MartTable.CUSTOMER_DAYS_SINCE_LAST_PURCHASE, D, "C3", D.minusDays(4), 4),
      MartRow.of(
          MartTable.DAILY_SALES, D, D, new BigDecimal("-1.0000"), 3L, 2L, new BigDecimal("7")),
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

  @Test
  void customerValuesRoundTripThroughTheirCoders() throws Exception {
    org.apache.beam.sdk.coders.CoderRegistry registry =
        org.apache.beam.sdk.coders.CoderRegistry.createDefault();
    org.hamcrest.MatcherAssert.assertThat(
        registry.getCoder(CustomerVersion.class),
        org.hamcrest.Matchers.instanceOf(KpiCoders.CustomerVersionCoder.class));
    org.hamcrest.MatcherAssert.assertThat(
        registry.getCoder(CustomerFigures.class),
        org.hamcrest.Matchers.instanceOf(KpiCoders.CustomerFiguresCoder.class));
    org.hamcrest.MatcherAssert.assertThat(
        registry.getCoder(RankingMarts.CustomerWindow.class),
        org.hamcrest.Matchers.instanceOf(KpiCoders.CustomerWindowCoder.class));
    CoderProperties.coderDecodeEncodeEqual(
        KpiCoders.CustomerVersionCoder.of(),
        new CustomerVersion(
            "C1",
            null,
            "Ann",
            null,
            "Oslo",
            "NO",
            "SMB",
            null,
            D,
            Instant.parse("2024-01-01T00:00:00Z"),
            Instant.parse("9999-12-31T00:00:00Z"),
            true));
    CoderProperties.coderDecodeEncodeEqual(
        KpiCoders.CustomerFiguresCoder.of(),
        new CustomerFigures(
            "C1",
            3,
            new BigDecimal("10.5000"),
            2,
            new java.util.LinkedHashMap<>(java.util.Map.of("Books", new BigDecimal("10.5000"))),
            D.minusDays(3),
            null,
            java.util.List.of(D.withDayOfMonth(1)),
            java.util.List.of(new BigDecimal("10.5000")),
            java.util.List.of(2L),
            new BigDecimal("-1.0000"),
            1L));
    CoderProperties.coderDecodeEncodeEqual(
        KpiCoders.CustomerWindowCoder.of(),
        new RankingMarts.CustomerWindow("C1", new BigDecimal("3.2500"), true));
  }

  @Test
  void aRowMustFitItsMartsRecord() {
    // a Long where the record has numeric (units, sql/V63), a null in a NOT NULL column, one
    // value too few: each fails where the row is made, naming the column
    IllegalArgumentException wrongType =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () -> MartRow.of(MartTable.DAILY_SALES, D, D, BigDecimal.ONE, 3L, 2L, 7L));
    org.hamcrest.MatcherAssert.assertThat(
        wrongType.getMessage(), org.hamcrest.Matchers.containsString("daily_sales.units"));
    IllegalArgumentException nullKey =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () -> MartRow.of(MartTable.CUSTOMER_YTD_SPENDING, D, null, BigDecimal.ONE));
    org.hamcrest.MatcherAssert.assertThat(
        nullKey.getMessage(),
        org.hamcrest.Matchers.containsString("customer_ytd_spending.customer_id"));
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> MartRow.of(MartTable.CUSTOMER_YTD_SPENDING, D, "C1"));
  }

  @Test
  void aRowIsABeamRowOfItsRecordAndItsPayloadNamesEveryColumn() {
    MartRow r =
        MartRow.of(
            MartTable.SEGMENT_CHANGES_12M,
            D,
            "C1",
            D,
            Instant.parse("2025-03-31T22:00:00.123456Z"),
            null,
            "SMB");
    org.apache.beam.sdk.values.Row row = r.toRow();
    org.hamcrest.MatcherAssert.assertThat(
        row.getSchema(), org.hamcrest.Matchers.equalTo(MartTable.SEGMENT_CHANGES_12M.schema()));
    org.hamcrest.MatcherAssert.assertThat(
        row.getLogicalTypeValue("changed_at", Instant.class),
        org.hamcrest.Matchers.equalTo(Instant.parse("2025-03-31T22:00:00.123456Z")));
    org.hamcrest.MatcherAssert.assertThat(
        r.toJson(),
        org.hamcrest.Matchers.equalTo(
            "{\"as_of\":\"2025-04-01\",\"customer_id\":\"C1\",\"change_date\":\"2025-04-01\","
                + "\"changed_at\":\"2025-03-31T22:00:00.123456Z\",\"old_segment\":null,"
                + "\"new_segment\":\"SMB\"}"));
    MartRow sales =
        MartRow.of(
            MartTable.PRODUCT_PERFORMANCE,
            D,
            "P1",
            "Books",
            new BigDecimal("2.0000"),
            new BigDecimal("18446744073709551614"),
            2L);
    org.hamcrest.MatcherAssert.assertThat(
        sales.toJson(),
        org.hamcrest.Matchers.equalTo(
            "{\"as_of\":\"2025-04-01\",\"product_id\":\"P1\",\"category\":\"Books\","
                + "\"revenue\":2.0000,\"units\":18446744073709551614,\"orders\":2}"));
    org.hamcrest.MatcherAssert.assertThat(
        sales.toRow().getDecimal("units"),
        org.hamcrest.Matchers.equalTo(new BigDecimal("18446744073709551614")));
  }
}
