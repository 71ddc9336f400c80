package io.c360.transforms.kpi;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.checkerframework.checker.nullness.qual.Nullable;

/** One row of {@code dw.fact_traffic} as the KPI stage needs it. */
@DefaultCoder(SerializableCoder.class)
public final class TrafficRow implements Serializable {
  final String customerId;
  final String channelId;
  final LocalDate sendDate;
  final BigDecimal revenue;

  public TrafficRow(String customerId, String channelId, LocalDate sendDate, BigDecimal revenue) {
    this.customerId = Objects.requireNonNull(customerId, "customerId");
    this.channelId = Objects.requireNonNull(channelId, "channelId");
    this.sendDate = Objects.requireNonNull(sendDate, "sendDate");
    this.revenue = Objects.requireNonNull(revenue, "revenue");
  }

  @Override
  public boolean equals(@Nullable Object other) {
    if (!(other instanceof TrafficRow o)) {
      return false;
    }
    return java.util.Objects.equals(customerId, o.customerId)
        && java.util.Objects.equals(channelId, o.channelId)
        && java.util.Objects.equals(sendDate, o.sendDate)
        && java.util.Objects.equals(revenue, o.revenue);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(customerId, channelId, sendDate, revenue);
  }
}
