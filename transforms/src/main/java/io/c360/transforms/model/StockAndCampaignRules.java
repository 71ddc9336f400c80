package io.c360.transforms.model;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.values.Row;

/** The business rules of SPEC §8's entities, as declarations (like {@link SalesRules}). */
public final class StockAndCampaignRules {
  private StockAndCampaignRules() {}

  /** {@code business:negative_stock}: an inventory snapshot with on_hand < 0. */
  public static BusinessRule negativeStock() {
    return new NegativeStock();
  }

  /** {@code business:campaign_dates}: a campaign whose end_date is before its start_date. */
  public static BusinessRule campaignDates() {
    return new CampaignDates();
  }

  private static final class NegativeStock implements BusinessRule {
    @Override
    public String name() {
      return "negative_stock";
    }

    @Override
    public List<String> inputs() {
      return List.of("on_hand");
    }

    @Override
    public Optional<String> check(Row typed, RuleContext context) {
      Long onHand = typed.getInt64("on_hand");
      if (onHand != null && onHand < 0) {
        return Optional.of("on_hand " + onHand + " is negative (stock must be ≥ 0)");
      }
      return Optional.empty();
    }
  }

  private static final class CampaignDates implements BusinessRule {
    @Override
    public String name() {
      return "campaign_dates";
    }

    @Override
    public List<String> inputs() {
      return List.of("start_date", "end_date");
    }

    @Override
    public Optional<String> check(Row typed, RuleContext context) {
      LocalDate start = typed.getLogicalTypeValue("start_date", LocalDate.class);
      LocalDate end = typed.getLogicalTypeValue("end_date", LocalDate.class);
      if (start != null && end != null && end.isBefore(start)) {
        return Optional.of("end_date " + end + " is before start_date " + start);
      }
      return Optional.empty();
    }
  }
}
