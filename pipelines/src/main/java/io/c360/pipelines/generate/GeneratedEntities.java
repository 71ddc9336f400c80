package io.c360.pipelines.generate;

import io.c360.transforms.model.Entities;
import io.c360.transforms.model.EntitySpec;
import io.c360.transforms.model.StockAndCampaignRules;
import java.util.List;

/**
 * The entities the generator writes: every entity of the model ({@link Entities#ALL}: SPEC §1's
 * five and §8's campaigns, web_events and inventory), with exactly SPEC's columns in SPEC's order.
 * The names here are the model's own declarations, so the generator and the loader cannot disagree.
 */
public final class GeneratedEntities {
  /** SPEC §8 accepted values of {@code web_events.event_type}, in funnel order. */
  public static final List<String> EVENT_TYPES = Entities.EVENT_TYPES;

  /** {@code business:negative_stock}: an inventory snapshot with on_hand &lt; 0 (SPEC §8). */
  public static final String NEGATIVE_STOCK = StockAndCampaignRules.negativeStock().ruleName();

  /** {@code business:campaign_dates}: a campaign whose end_date is before its start_date. */
  public static final String CAMPAIGN_DATES = StockAndCampaignRules.campaignDates().ruleName();

  public static final EntitySpec CAMPAIGNS = Entities.CAMPAIGNS;

  public static final EntitySpec WEB_EVENTS = Entities.WEB_EVENTS;

  public static final EntitySpec INVENTORY = Entities.INVENTORY;

  /** Every entity the generator writes, dimensions before the facts that reference them. */
  public static final List<EntitySpec> ALL = Entities.ALL;

  private GeneratedEntities() {}

  /** The declaration of a generated entity by name. */
  public static EntitySpec byName(String name) {
    return Entities.byName(name);
  }
}
