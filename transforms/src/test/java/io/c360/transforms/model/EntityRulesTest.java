package io.c360.transforms.model;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;

/** Business rules, derivations and defaults are declarations on the entity contract. */
class EntityRulesTest {
  private static final BusinessRule ALWAYS =
      new BusinessRule() {
        @Override
        public String name() {
          return "always";
        }

        @Override
        public List<String> inputs() {
          return List.of("a");
        }

        @Override
        public Optional<String> check(Row typed, RuleContext context) {
          return Optional.of("always fails");
        }
      };

  @Test
  void salesDeclaresTheRulesOfSpecSection2() {
    assertThat(
        Entities.SALES.businessRules().stream().map(BusinessRule::ruleName).toList(),
        contains(
            "not_null:amount",
            "business:negative_amount",
            "business:future_date",
            "business:amount_mismatch"));
    assertThat(Entities.SALES.derivations().size(), equalTo(1));
    assertThat(
        Entities.SALES.column("status").orElseThrow().defaultValue(),
        equalTo(Optional.of("completed")));
    for (EntitySpec e : List.of(Entities.CUSTOMERS, Entities.PRODUCTS, Entities.CHANNELS)) {
      assertThat(e.businessRules().isEmpty(), equalTo(true));
    }
  }

  @Test
  void theEntitiesOfSpecSection8DeclareTheirRules() {
    assertThat(
        Entities.INVENTORY.businessRules().stream().map(BusinessRule::ruleName).toList(),
        contains("business:negative_stock"));
    assertThat(
        Entities.CAMPAIGNS.businessRules().stream().map(BusinessRule::ruleName).toList(),
        contains("business:campaign_dates"));
    assertThat(Entities.WEB_EVENTS.businessRules().isEmpty(), equalTo(true));
    assertThat(
        Entities.WEB_EVENTS.column("event_type").orElseThrow().acceptedValues(),
        contains("page_view", "product_view", "add_to_cart", "checkout", "purchase"));
    assertThat(
        Entities.WEB_EVENTS.relationships().keySet(),
        contains("customer_id", "product_id", "campaign_id"));
    assertThat(
        Entities.WEB_EVENTS.column("customer_id").orElseThrow().isRequired(), equalTo(false));
    assertThat(Entities.INVENTORY.relationships().keySet(), contains("product_id"));
  }

  @Test
  void negativeStockIsOnHandBelowZeroOnly() {
    RuleContext ctx = new RuleContext(java.time.LocalDate.of(2025, 5, 1), java.time.ZoneOffset.UTC);
    BusinessRule rule = Entities.INVENTORY.businessRules().get(0);
    assertThat(rule.check(inventory(-1L), ctx).isPresent(), equalTo(true));
    assertThat(rule.check(inventory(Long.MIN_VALUE), ctx).isPresent(), equalTo(true));
    assertThat(rule.check(inventory(0L), ctx), equalTo(Optional.empty()));
    assertThat(rule.check(inventory(5L), ctx), equalTo(Optional.empty()));
    assertThat(rule.check(inventory(null), ctx), equalTo(Optional.empty()));
  }

  @Test
  void campaignDatesRejectAnEndBeforeTheStartOnly() {
    RuleContext ctx = new RuleContext(java.time.LocalDate.of(2025, 5, 1), java.time.ZoneOffset.UTC);
    BusinessRule rule = Entities.CAMPAIGNS.businessRules().get(0);
    assertThat(
        rule.check(campaign("2025-05-10", "2025-05-09"), ctx).orElseThrow(),
        equalTo("end_date 2025-05-09 is before start_date 2025-05-10"));
    assertThat(rule.check(campaign("2025-05-10", "2025-05-10"), ctx), equalTo(Optional.empty()));
    assertThat(rule.check(campaign("2025-05-10", "2026-01-01"), ctx), equalTo(Optional.empty()));
    assertThat(rule.check(campaign("2025-05-10", null), ctx), equalTo(Optional.empty()));
  }

  private static Row inventory(Long onHand) {
    return Row.withSchema(Entities.INVENTORY.typedSchema())
        .withFieldValue(EntitySpec.SOURCE_FILE, "f.csv")
        .withFieldValue(EntitySpec.LINE_NO, 2L)
        .withFieldValue("on_hand", onHand)
        .build();
  }

  private static Row campaign(String start, String end) {
    return Row.withSchema(Entities.CAMPAIGNS.typedSchema())
        .withFieldValue(EntitySpec.SOURCE_FILE, "f.csv")
        .withFieldValue(EntitySpec.LINE_NO, 2L)
        .withFieldValue("start_date", java.time.LocalDate.parse(start))
        .withFieldValue("end_date", end == null ? null : java.time.LocalDate.parse(end))
        .build();
  }

  @Test
  void rulesMustReadDeclaredColumnsAndHaveUniqueNames() {
    Column a = Column.optional("a", ColumnType.STRING);
    assertThat(
        EntitySpec.builder("x").column(a).businessRule(ALWAYS).build().businessRules().size(),
        equalTo(1));
    assertThrows(
        IllegalArgumentException.class,
        () -> EntitySpec.builder("x").column(a).businessRule(ALWAYS).businessRule(ALWAYS));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            EntitySpec.builder("x")
                .column(Column.optional("b", ColumnType.STRING))
                .businessRule(ALWAYS)
                .build());
    assertThrows(
        IllegalArgumentException.class,
        () -> EntitySpec.builder("x").column(a).derivation(SalesRules.amountImputation()).build());
  }

  @Test
  void anEnumDefaultMustBeAnAcceptedValue() {
    assertThrows(
        IllegalArgumentException.class,
        () -> Column.oneOf("status", false, Entities.STATUSES).withDefault("done"));
    assertThat(
        Column.optional("note", ColumnType.STRING).withDefault("-").defaultValue().get(),
        equalTo("-"));
  }

  @Test
  void imputationFillsAmountOnlyWhenMissing() {
    Derivation d = SalesRules.amountImputation();
    Map<String, Object> v = new HashMap<>();
    v.put("quantity", 4L);
    v.put("unit_price", new BigDecimal("2.50"));
    v.put("amount", null);
    d.apply(v);
    assertThat(v.get("amount"), equalTo(new BigDecimal("10")));
    assertThat(v.get("amount_imputed"), equalTo(true));
    v.put("amount", new BigDecimal("9"));
    d.apply(v);
    assertThat(v.get("amount"), equalTo(new BigDecimal("9")));
    assertThat(v.get("amount_imputed"), equalTo(false));
  }
}
