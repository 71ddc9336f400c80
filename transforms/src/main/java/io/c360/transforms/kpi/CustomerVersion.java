package io.c360.transforms.kpi;

import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.checkerframework.checker.nullness.qual.Nullable;

/** One SCD2 version of {@code dw.dim_customer}: [validFrom, validTo), maybe a tombstone. */
@DefaultCoder(KpiCoders.CustomerVersionCoder.class)
public final class CustomerVersion implements Serializable {
  final String customerId;
  final @Nullable String accountId;
  final String name;
  final @Nullable String email;
  final @Nullable String city;
  final @Nullable String country;
  final @Nullable String segment;
  final @Nullable String industry;
  final @Nullable LocalDate createdDate;
  final Instant validFrom;
  final Instant validTo;
  final boolean deleted;

  public CustomerVersion(
      String customerId,
      @Nullable String accountId,
      String name,
      @Nullable String email,
      @Nullable String city,
      @Nullable String country,
      @Nullable String segment,
      @Nullable String industry,
      @Nullable LocalDate createdDate,
      Instant validFrom,
      Instant validTo,
      boolean deleted) {
    this.customerId = Objects.requireNonNull(customerId, "customerId");
    this.accountId = accountId;
    this.name = name;
    this.email = email;
    this.city = city;
    this.country = country;
    this.segment = segment;
    this.industry = industry;
    this.createdDate = createdDate;
    this.validFrom = Objects.requireNonNull(validFrom, "validFrom");
    this.validTo = Objects.requireNonNull(validTo, "validTo");
    this.deleted = deleted;
  }

  /** Valid at the last instant before {@code end}: validFrom &lt; end &lt;= validTo. */
  boolean validJustBefore(Instant end) {
    return validFrom.isBefore(end) && !validTo.isBefore(end);
  }

  @Override
  public boolean equals(@Nullable Object other) {
    if (!(other instanceof CustomerVersion o)) {
      return false;
    }
    return java.util.Objects.equals(customerId, o.customerId)
        && java.util.Objects.equals(accountId, o.accountId)
        && java.util.Objects.equals(name, o.name)
        && java.util.Objects.equals(email, o.email)
        && java.util.Objects.equals(city, o.city)
        && java.util.Objects.equals(country, o.country)
        && java.util.Objects.equals(segment, o.segment)
        && java.util.Objects.equals(industry, o.industry)
        && java.util.Objects.equals(createdDate, o.createdDate)
        && java.util.Objects.equals(validFrom, o.validFrom)
        && java.util.Objects.equals(validTo, o.validTo)
        && java.util.Objects.equals(deleted, o.deleted);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(
        customerId,
        accountId,
        name,
        email,
        city,
        country,
        segment,
        industry,
        createdDate,
        validFrom,
        validTo,
        deleted);
  }
}
