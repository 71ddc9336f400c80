package io.c360.transforms.clean;

import io.c360.transforms.model.Entities;
import io.c360.transforms.model.EntitySpec;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.values.Row;

/** Valid landed rows of every entity, to vary one column at a time. */
public final class Fixtures {
  public static final LocalDate RUN_DATE = LocalDate.of(2024, 6, 10);
  public static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  public static final String FILE = "s3://landing/sales/dt=2024-06-10/part-1.csv";

  private static final Map<String, Map<String, String>> VALID =
      Map.of(
          "customers",
          Map.of(
              "customer_id", "C1",
              "account_id", "A1",
              "name", "Ana Lopez",
              "email", "ana@example.com",
              "city", "Paris",
              "country", "FR",
              "segment", "SMB",
              "industry", "Retail",
              "created_date", "2020-01-01",
              "updated_at", "2024-06-10 08:00:00"),
          "products",
          Map.of(
              "product_id", "P1",
              "product_name", "Widget",
              "category", "Books",
              "brand", "Acme",
              "list_price", "9.99",
              "updated_at", "2024-06-10T08:00:00Z"),
          "channels",
          Map.of(
              "channel_id", "CH1",
              "channel_name", "Email",
              "channel_type", "email",
              "unit_price_eur", "0.01"),
          "sales",
          Map.of(
              "transaction_id", "T1",
              "order_id", "O1",
              "customer_id", "C1",
              "product_id", "P1",
              "shop_id", "S1",
              "quantity", "2",
              "unit_price", "5.00",
              "amount", "10.00",
              "status", "completed",
              "transaction_ts", "2024-06-10 12:00:00"),
          "traffic",
          Map.of(
              "send_date", "2024-06-10",
              "account_id", "A1",
              "customer_id", "C1",
              "channel_id", "CH1",
              "interactions_count", "3",
              "revenue_eur", "1.50"),
          "campaigns",
          Map.of(
              "campaign_id", "CA1",
              "campaign_name", "Spring sale",
              "channel_id", "CH1",
              "start_date", "2024-01-01",
              "end_date", "2024-12-31",
              "budget_eur", "1000.00",
              "updated_at", "2024-06-10 08:00:00"),
          "web_events",
          Map.of(
              "event_id", "E1",
              "session_id", "SE1",
              "customer_id", "C1",
              "event_type", "product_view",
              "product_id", "P1",
              "campaign_id", "CA1",
              "event_ts", "2024-06-10 12:00:00"),
          "inventory",
          Map.of(
              "snapshot_date", "2024-06-10",
              "product_id", "P1",
              "shop_id", "S1",
              "on_hand", "5",
              "on_order", "2",
              "unit_cost", "3.50"));

  private Fixtures() {}

  /** A valid landed value of a column. */
  public static String valid(EntitySpec entity, String column) {
    return VALID.get(entity.name()).get(column);
  }

  /** A valid landed row of {@code entity} at {@link #FILE}:{@code line}, with overrides. */
  public static Row raw(EntitySpec entity, long line, Map<String, String> overrides) {
    return raw(entity, FILE, line, overrides);
  }

  public static Row raw(EntitySpec entity, String file, long line, Map<String, String> overrides) {
    Map<String, String> values = new HashMap<>(VALID.get(entity.name()));
    values.putAll(overrides);
    Row.Builder b = Row.withSchema(entity.rawSchema()).addValues(file, line);
    for (String c : entity.columnNames()) {
      b.addValue(values.get(c));
    }
    return b.build();
  }

  /** Overrides from alternating column, value pairs; a null value stays null. */
  public static Map<String, String> with(String... pairs) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], pairs[i + 1]);
    }
    return m;
  }

  public static EntitySpec[] all() {
    return Entities.ALL.toArray(new EntitySpec[0]);
  }
}
