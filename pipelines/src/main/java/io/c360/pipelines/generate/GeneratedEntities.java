package io.c360.pipelines.generate;

import static io.c360.transforms.model.Column.oneOf;
import static io.c360.transforms.model.Column.optional;
import static io.c360.transforms.model.Column.required;
import static io.c360.transforms.model.ColumnType.DATE;
import static io.c360.transforms.model.ColumnType.DECIMAL;
import static io.c360.transforms.model.ColumnType.ID;
import static io.c360.transforms.model.ColumnType.INTEGER;
import static io.c360.transforms.model.ColumnType.NAME;
import static io.c360.transforms.model.ColumnType.TIMESTAMP;

import io.c360.transforms.model.Entities;
import io.c360.transforms.model.EntitySpec;
import io.c360.transforms.model.RuleNames;
import java.util.List;

/**
 * The entities the generator writes: the five of {@link Entities#ALL} and the three of SPEC §8
 * (campaigns, web_events, inventory), with exactly SPEC's columns in SPEC's order. The generator
 * declares §8's three itself because the entity model ({@code transforms.model}) gains them in a
 * parallel change (issue 16); it only needs their names, columns, natural keys and references to
 * write and count files, and the loader matches columns by header name, so the two declarations
 * cannot disagree on anything a file carries. Once the model declares them, these three should
 * become references to it.
 */
public final class GeneratedEntities {
  /** SPEC §8 accepted values of {@code web_events.event_type}, in funnel order. */
  public static final List<String> EVENT_TYPES =
      List.of("page_view", "product_view", "add_to_cart", "checkout", "purchase");

  /** {@code business:negative_stock}: an inventory snapshot with on_hand &lt; 0 (SPEC §8). */
  public static final String NEGATIVE_STOCK = RuleNames.of(RuleNames.BUSINESS, "negative_stock");

  /** {@code business:campaign_dates}: a campaign whose end_date is before its start_date. */
  public static final String CAMPAIGN_DATES = RuleNames.of(RuleNames.BUSINESS, "campaign_dates");

  public static final EntitySpec CAMPAIGNS =
      EntitySpec.builder("campaigns")
          .column(required("campaign_id", ID))
          .column(required("campaign_name", NAME))
          .column(optional("channel_id", ID))
          .column(required("start_date", DATE))
          .column(optional("end_date", DATE))
          .column(optional("budget_eur", DECIMAL))
          .column(optional("updated_at", TIMESTAMP))
          .naturalKey("campaign_id")
          .build();

  public static final EntitySpec WEB_EVENTS =
      EntitySpec.builder("web_events")
          .column(required("event_id", ID))
          .column(required("session_id", ID))
          .column(optional("customer_id", ID))
          .column(oneOf("event_type", true, EVENT_TYPES))
          .column(optional("product_id", ID))
          .column(optional("campaign_id", ID))
          .column(required("event_ts", TIMESTAMP))
          .naturalKey("event_id")
          .relationship("customer_id", "customers")
          .relationship("product_id", "products")
          .relationship("campaign_id", "campaigns")
          .build();

  public static final EntitySpec INVENTORY =
      EntitySpec.builder("inventory")
          .column(required("snapshot_date", DATE))
          .column(required("product_id", ID))
          .column(required("shop_id", ID))
          .column(required("on_hand", INTEGER))
          .column(optional("on_order", INTEGER))
          .column(optional("unit_cost", DECIMAL))
          .naturalKey("snapshot_date", "product_id", "shop_id")
          .relationship("product_id", "products")
          .build();

  /** Every entity the generator writes, dimensions before the facts that reference them. */
  public static final List<EntitySpec> ALL =
      List.of(
          Entities.CUSTOMERS,
          Entities.PRODUCTS,
          Entities.CHANNELS,
          CAMPAIGNS,
          Entities.SALES,
          Entities.TRAFFIC,
          WEB_EVENTS,
          INVENTORY);

  private GeneratedEntities() {}

  /** The declaration of a generated entity by name. */
  public static EntitySpec byName(String name) {
    for (EntitySpec e : ALL) {
      if (e.name().equals(name)) {
        return e;
      }
    }
    throw new IllegalArgumentException(
        "unknown entity '"
            + name
            + "', expected one of "
            + ALL.stream().map(EntitySpec::name).toList());
  }
}
