package io.c360.transforms.model;

import static io.c360.transforms.model.Column.oneOf;
import static io.c360.transforms.model.Column.optional;
import static io.c360.transforms.model.Column.required;
import static io.c360.transforms.model.ColumnType.COUNTRY;
import static io.c360.transforms.model.ColumnType.DATE;
import static io.c360.transforms.model.ColumnType.DECIMAL;
import static io.c360.transforms.model.ColumnType.EMAIL;
import static io.c360.transforms.model.ColumnType.ID;
import static io.c360.transforms.model.ColumnType.INTEGER;
import static io.c360.transforms.model.ColumnType.NAME;
import static io.c360.transforms.model.ColumnType.STRING;
import static io.c360.transforms.model.ColumnType.TIMESTAMP;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The landed entities of SPEC §1 and §8, declared once. */
public final class Entities {
  public static final List<String> SEGMENTS = List.of("SMB", "Mid-Market", "Enterprise");

  public static final List<String> CATEGORIES =
      List.of(
          "Apps & Games",
          "Beauty",
          "Books",
          "Clothing Shoes & Accessories",
          "Kitchen",
          "Movies & TV",
          "Sports Fitness & Outdoors");

  public static final List<String> STATUSES = List.of("completed", "cancelled", "returned");

  /** SPEC §8: the web event types, in funnel order. */
  public static final List<String> EVENT_TYPES =
      List.of("page_view", "product_view", "add_to_cart", "checkout", "purchase");

  public static final EntitySpec CUSTOMERS =
      EntitySpec.builder("customers")
          .column(required("customer_id", ID))
          .column(optional("account_id", ID))
          .column(required("name", NAME))
          .column(optional("email", EMAIL))
          .column(optional("city", NAME))
          .column(optional("country", COUNTRY))
          .column(oneOf("segment", false, SEGMENTS))
          .column(optional("industry", NAME).asKey()) // keys the KPI state and industry_exposure
          .column(optional("created_date", DATE))
          .column(optional("updated_at", TIMESTAMP))
          .naturalKey("customer_id")
          .versionColumn("updated_at")
          .build();

  public static final EntitySpec PRODUCTS =
      EntitySpec.builder("products")
          .column(required("product_id", ID))
          .column(required("product_name", NAME))
          .column(oneOf("category", true, CATEGORIES))
          .column(optional("brand", NAME))
          .column(optional("list_price", DECIMAL))
          .column(optional("updated_at", TIMESTAMP))
          .naturalKey("product_id")
          .versionColumn("updated_at")
          .build();

  public static final EntitySpec CHANNELS =
      EntitySpec.builder("channels")
          .column(required("channel_id", ID))
          .column(required("channel_name", NAME))
          .column(optional("channel_type", STRING))
          .column(optional("unit_price_eur", DECIMAL).numeric(18, 6))
          .naturalKey("channel_id")
          .build();

  public static final EntitySpec SALES =
      EntitySpec.builder("sales")
          .column(required("transaction_id", ID))
          .column(optional("order_id", ID))
          .column(required("customer_id", ID))
          .column(optional("product_id", ID))
          .column(optional("shop_id", ID))
          .column(required("quantity", INTEGER))
          .column(optional("unit_price", DECIMAL))
          .column(optional("amount", DECIMAL))
          .column(oneOf("status", false, STATUSES).withDefault("completed"))
          .column(required("transaction_ts", TIMESTAMP))
          .derived(optional("amount_imputed", ColumnType.BOOLEAN))
          .derivation(SalesRules.amountImputation())
          .businessRule(SalesRules.amountPresent())
          .businessRule(SalesRules.negativeAmount())
          .businessRule(SalesRules.futureDate())
          .businessRule(SalesRules.amountMismatch())
          .naturalKey("transaction_id")
          .relationship("customer_id", "customers")
          .relationship("product_id", "products")
          .build();

  public static final EntitySpec TRAFFIC =
      EntitySpec.builder("traffic")
          .column(required("send_date", DATE))
          .column(optional("account_id", ID))
          .column(required("customer_id", ID))
          .column(required("channel_id", ID))
          .column(required("interactions_count", INTEGER))
          .column(required("revenue_eur", DECIMAL))
          .naturalKey("send_date", "account_id", "customer_id", "channel_id")
          .relationship("customer_id", "customers")
          .relationship("channel_id", "channels")
          .build();

  /**
   * SPEC §8, a Type 1 dimension like channels. channel_id is not a relationship: SPEC §2 makes only
   * facts wait for their dimension members, so a campaign naming an unknown channel loads (a
   * declared {@code relationships} check can report it).
   */
  public static final EntitySpec CAMPAIGNS =
      EntitySpec.builder("campaigns")
          .column(required("campaign_id", ID))
          .column(required("campaign_name", NAME))
          .column(optional("channel_id", ID))
          .column(required("start_date", DATE))
          .column(optional("end_date", DATE))
          .column(optional("budget_eur", DECIMAL))
          .column(optional("updated_at", TIMESTAMP))
          .businessRule(StockAndCampaignRules.campaignDates())
          .naturalKey("campaign_id")
          .build();

  /**
   * SPEC §8 clickstream. customer_id may be empty (an anonymous visitor); a non-null customer_id,
   * product_id or campaign_id unknown to its dimension waits in dq.pending_rows, as sales do.
   */
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

  /**
   * SPEC §8 daily stock snapshots per product and shop. product_id is a relationship as a sale's
   * is: a snapshot of a product in no version of dw.dim_product waits in dq.pending_rows until the
   * product arrives (shops have no dimension, shop_id is not checked).
   */
  public static final EntitySpec INVENTORY =
      EntitySpec.builder("inventory")
          .column(required("snapshot_date", DATE))
          .column(required("product_id", ID))
          .column(required("shop_id", ID))
          .column(required("on_hand", INTEGER))
          .column(optional("on_order", INTEGER))
          .column(optional("unit_cost", DECIMAL))
          .businessRule(StockAndCampaignRules.negativeStock())
          .naturalKey("snapshot_date", "product_id", "shop_id")
          .relationship("product_id", "products")
          .build();

  /** In load order: dimensions before the facts that reference them. */
  public static final List<EntitySpec> ALL =
      List.of(CUSTOMERS, PRODUCTS, CHANNELS, CAMPAIGNS, SALES, TRAFFIC, WEB_EVENTS, INVENTORY);

  private static final Map<String, EntitySpec> BY_NAME =
      ALL.stream().collect(Collectors.toMap(EntitySpec::name, Function.identity()));

  private Entities() {}

  public static EntitySpec byName(String name) {
    EntitySpec e = BY_NAME.get(name);
    if (e == null) {
      throw new IllegalArgumentException(
          "unknown entity '" + name + "', expected one of " + BY_NAME.keySet());
    }
    return e;
  }
}
