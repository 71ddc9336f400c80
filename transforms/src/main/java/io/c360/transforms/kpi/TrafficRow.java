package io.c360.transforms.kpi;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.SerializableCoder;

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
}
