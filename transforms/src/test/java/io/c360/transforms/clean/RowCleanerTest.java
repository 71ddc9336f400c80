package io.c360.transforms.clean;

import static io.c360.transforms.clean.Fixtures.FILE;
import static io.c360.transforms.clean.Fixtures.PARIS;
import static io.c360.transforms.clean.Fixtures.RUN_DATE;
import static io.c360.transforms.clean.Fixtures.raw;
import static io.c360.transforms.clean.Fixtures.with;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.c360.transforms.model.Column;
import io.c360.transforms.model.Entities;
import io.c360.transforms.model.EntitySpec;
import io.c360.transforms.quality.Quarantine;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rule of SPEC §2 for every entity: a row that trips it (exactly that rule) and a near miss
 * that passes.
 */
class RowCleanerTest {
  private static List<String> rules(EntitySpec entity, Map<String, String> overrides) {
    RowCleaner.Result r = new RowCleaner(entity, RUN_DATE, PARIS).clean(raw(entity, 7, overrides));
    return r.rejects().stream().map(x -> x.getString("rule")).toList();
  }

  private static Row cleanRow(EntitySpec entity, Map<String, String> overrides) {
    RowCleaner.Result r = new RowCleaner(entity, RUN_DATE, PARIS).clean(raw(entity, 7, overrides));
    assertThat("rejects " + r.rejects(), r.isClean(), is(true));
    return r.clean().orElseThrow();
  }

  static Stream<Arguments> declaredRules() {
    List<Arguments> cases = new ArrayList<>();
    for (EntitySpec e : Entities.ALL) {
      for (Column c : e.columns()) {
        String valid = Fixtures.valid(e, c.name());
        String where = e.name() + "." + c.name();
        if (c.isRequired()) {
          cases.add(args(where + " blank", e, c, "  \t ", List.of("not_null:" + c.name())));
          cases.add(args(where + " missing", e, c, null, List.of("not_null:" + c.name())));
          cases.add(
              args(where + " control only", e, c, "\u0000\u0001", List.of("not_null:" + c.name())));
          cases.add(args(where + " padded (near miss)", e, c, "  " + valid + " ", List.of()));
        } else if (c.defaultValue().isEmpty()) {
          cases.add(args(where + " optional blank (near miss)", e, c, " ", List.of()));
        }
        switch (c.type()) {
          case EMAIL:
            cases.add(args(where + " bad", e, c, "ana.example.com", List.of("type:" + c.name())));
            cases.add(args(where + " odd (near miss)", e, c, " ANA@Example.COM ", List.of()));
            break;
          case DATE:
            cases.add(args(where + " bad", e, c, "2024-02-30", List.of("type:" + c.name())));
            cases.add(args(where + " leap (near miss)", e, c, "2024-02-29", List.of()));
            break;
          case TIMESTAMP:
            cases.add(
                args(where + " bad", e, c, "2024-06-10 24:00:00", List.of("type:" + c.name())));
            cases.add(
                args(where + " offset (near miss)", e, c, "2024-06-10T23:59:59+02:00", List.of()));
            break;
          case DECIMAL:
            cases.add(
                args(where + " comma", e, c, valid.replace('.', ','), List.of("type:" + c.name())));
            cases.add(args(where + " respelled (near miss)", e, c, valid + "000", List.of()));
            break;
          case INTEGER:
            cases.add(args(where + " fraction", e, c, valid + ".5", List.of("type:" + c.name())));
            cases.add(args(where + " float spelling (near miss)", e, c, valid + ".0", List.of()));
            break;
          case ENUM:
            cases.add(
                args(where + " unknown", e, c, "Gold", List.of("accepted_values:" + c.name())));
            String odd = " " + c.acceptedValues().get(0).toUpperCase().replace(" ", "   ") + " ";
            cases.add(args(where + " odd case (near miss)", e, c, odd, List.of()));
            break;
          default:
            // ID, STRING, NAME, COUNTRY: every text is readable; cleaning is covered in ValuesTest
            break;
        }
      }
    }
    return cases.stream();
  }

  private static Arguments args(
      String name, EntitySpec e, Column c, String value, List<String> expected) {
    return Arguments.of(name, e, with(c.name(), value), expected);
  }

  @ParameterizedTest(name = "{0} → {3}")
  @MethodSource("declaredRules")
  void declaredColumnRules(
      String name, EntitySpec entity, Map<String, String> overrides, List<String> expected) {
    assertThat(name, rules(entity, overrides), equalTo(expected));
  }

  @Test
  void everyRequiredTypedAndEnumColumnHasACase() {
    List<Object> covered =
        declaredRules().flatMap(a -> ((List<?>) a.get()[3]).stream()).map(x -> (Object) x).toList();
    for (EntitySpec e : Entities.ALL) {
      for (Column c : e.columns()) {
        if (c.isRequired()) {
          assertThat(covered.contains("not_null:" + c.name()), is(true));
        }
      }
    }
    assertThat(covered.contains("accepted_values:segment"), is(true));
    assertThat(covered.contains("accepted_values:category"), is(true));
    assertThat(covered.contains("accepted_values:status"), is(true));
    assertThat(covered.contains("type:revenue_eur"), is(true));
  }

  static Stream<Arguments> businessRules() {
    String neg = "business:negative_amount";
    String future = "business:future_date";
    String mismatch = "business:amount_mismatch";
    return Stream.of(
        // negative_amount, first half: a completed sale with quantity ≤ 0 or amount < 0
        Arguments.of("completed, quantity 0", with("quantity", "0", "amount", "0"), List.of(neg)),
        Arguments.of(
            "completed, quantity -1", with("quantity", "-1", "amount", "-5"), List.of(neg)),
        Arguments.of(
            "completed, amount < 0",
            with("quantity", "2", "unit_price", "-5", "amount", "-10"),
            List.of(neg)),
        Arguments.of(
            "completed, quantity 1, amount 0 (near miss)",
            with("quantity", "1", "unit_price", "0", "amount", "0"),
            List.of()),
        Arguments.of(
            "empty status defaults to completed",
            with("status", " ", "quantity", "0", "amount", "0"),
            List.of(neg)),
        // negative_amount, second half: a returned sale with a positive amount
        Arguments.of("returned, amount > 0", with("status", "returned"), List.of(neg)),
        Arguments.of(
            "returned, amount < 0 (near miss)",
            with("status", "Returned", "quantity", "-2", "amount", "-10"),
            List.of()),
        Arguments.of(
            "returned, amount 0 (near miss)",
            with("status", "returned", "quantity", "0", "unit_price", "0", "amount", "0"),
            List.of()),
        Arguments.of(
            "cancelled is not checked (near miss)",
            with("status", "cancelled", "quantity", "-2", "amount", "-10"),
            List.of()),
        // future_date: later than the end of runDate + 1 day (2024-06-11) in Europe/Paris
        Arguments.of(
            "naive, start of runDate + 2",
            with("transaction_ts", "2024-06-12 00:00:00"),
            List.of(future)),
        Arguments.of(
            "naive, last microsecond of runDate + 1 (near miss)",
            with("transaction_ts", "2024-06-11 23:59:59.999999"),
            List.of()),
        Arguments.of(
            "UTC, midnight Paris of runDate + 2",
            with("transaction_ts", "2024-06-11T22:00:00Z"),
            List.of(future)),
        Arguments.of(
            "UTC, one second before midnight Paris (near miss)",
            with("transaction_ts", "2024-06-11T21:59:59Z"),
            List.of()),
        Arguments.of(
            "far past is fine (near miss)", with("transaction_ts", "1999-01-01 00:00"), List.of()),
        // amount_mismatch: |amount − quantity × unit_price| > 0.01 × max(1, |amount|)
        Arguments.of(
            "diff 1 on 100 is the boundary (near miss)",
            with("quantity", "1", "unit_price", "101", "amount", "100"),
            List.of()),
        Arguments.of(
            "diff 1.01 on 100",
            with("quantity", "1", "unit_price", "101.01", "amount", "100"),
            List.of(mismatch)),
        Arguments.of(
            "small amount: tolerance 0.01 (near miss)",
            with("quantity", "1", "unit_price", "0.51", "amount", "0.5"),
            List.of()),
        Arguments.of(
            "small amount: diff 0.02",
            with("quantity", "1", "unit_price", "0.52", "amount", "0.5"),
            List.of(mismatch)),
        Arguments.of(
            "no unit_price: nothing to compare (near miss)",
            with("unit_price", "", "amount", "999"),
            List.of()),
        // amount and unit_price both missing: nothing to impute, nothing to count as revenue
        Arguments.of(
            "amount and unit_price missing",
            with("unit_price", null, "amount", null),
            List.of("not_null:amount")),
        Arguments.of(
            "amount and unit_price blank, cancelled",
            with("status", "cancelled", "unit_price", " ", "amount", ""),
            List.of("not_null:amount")),
        Arguments.of(
            "amount given, unit_price missing (near miss)",
            with("unit_price", "", "amount", "10"),
            List.of()),
        Arguments.of(
            "unit_price unreadable: its type error alone",
            with("unit_price", "1,5", "amount", ""),
            List.of("type:unit_price")),
        // bounds: a landed or imputed value the warehouse column cannot hold
        Arguments.of(
            "unit_price 1e20",
            with("unit_price", "1e20", "amount", "10"),
            List.of("type:unit_price")),
        Arguments.of(
            "imputed amount too large for numeric(18, 4)",
            with("quantity", "1000000", "unit_price", "9999999999.5", "amount", ""),
            List.of("type:amount")),
        Arguments.of(
            "imputed amount of 13 integer digits (near miss)",
            with("quantity", "1000", "unit_price", "9999999999.5", "amount", ""),
            List.of()),
        Arguments.of(
            "quantity beyond 64 bits",
            with("quantity", "99999999999999999999", "amount", "1"),
            List.of("type:quantity")),
        Arguments.of(
            "transaction_ts in year 1899",
            with("transaction_ts", "1899-12-31 12:00"),
            List.of("type:transaction_ts")),
        // imputed amounts cannot mismatch, but are checked for sign
        Arguments.of(
            "imputed negative amount",
            with("quantity", "3", "unit_price", "-2", "amount", ""),
            List.of(neg)),
        // a type error in a column a rule reads suppresses that rule
        Arguments.of(
            "bad amount: no mismatch/negative", with("amount", "-1,5"), List.of("type:amount")),
        Arguments.of(
            "bad status: no negative check",
            with("status", "refunded", "amount", "-10", "unit_price", "-5"),
            List.of("accepted_values:status")),
        Arguments.of(
            "bad ts: no future check",
            with("transaction_ts", "2999-01-01"),
            List.of("type:transaction_ts")));
  }

  @ParameterizedTest(name = "{0} → {2}")
  @MethodSource("businessRules")
  void salesBusinessRules(String name, Map<String, String> overrides, List<String> expected) {
    assertThat(name, rules(Entities.SALES, overrides), equalTo(expected));
  }

  @Test
  void missingAmountIsImputedAndFlagged() {
    Row r = cleanRow(Entities.SALES, with("quantity", "3", "unit_price", "2.50", "amount", " "));
    assertThat(r.getDecimal("amount"), equalTo(new BigDecimal("7.5")));
    assertThat(r.getBoolean("amount_imputed"), is(true));

    Row landed =
        cleanRow(Entities.SALES, with("quantity", "3", "unit_price", "2.5", "amount", "7.5"));
    assertThat(landed.getBoolean("amount_imputed"), is(false));

    Row imputedRounded =
        cleanRow(Entities.SALES, with("quantity", "3", "unit_price", "2.00005", "amount", ""));
    assertThat(imputedRounded.getDecimal("unit_price"), equalTo(new BigDecimal("2.0001")));
    assertThat(imputedRounded.getDecimal("amount"), equalTo(new BigDecimal("6.0003")));
  }

  @Test
  void cleanRowIsTypedWithLineageAndDefaults() {
    Row r =
        cleanRow(
            Entities.SALES,
            with(
                "transaction_id", " 12472.0 ",
                "customer_id", "C\u00007",
                "quantity", "2.0",
                "amount", "10.0",
                "status", "",
                "transaction_ts", "2024-06-10T12:00:00+02:00"));
    assertThat(r.getSchema(), equalTo(Entities.SALES.typedSchema()));
    assertThat(r.getString(EntitySpec.SOURCE_FILE), equalTo(FILE));
    assertThat(r.getInt64(EntitySpec.LINE_NO), equalTo(7L));
    assertThat(r.getString("transaction_id"), equalTo("12472"));
    assertThat(r.getString("customer_id"), equalTo("C7"));
    assertThat(r.getInt64("quantity"), equalTo(2L));
    assertThat(r.getDecimal("amount"), equalTo(new BigDecimal("10")));
    assertThat(r.getString("status"), equalTo("completed"));
    assertThat(
        r.getLogicalTypeValue("transaction_ts", Instant.class),
        equalTo(Instant.parse("2024-06-10T10:00:00Z")));

    Row t = cleanRow(Entities.TRAFFIC, with("account_id", "  "));
    assertThat(t.getString("account_id"), nullValue());
    assertThat(
        t.getLogicalTypeValue("send_date", LocalDate.class), equalTo(LocalDate.of(2024, 6, 10)));

    Row c =
        cleanRow(
            Entities.CUSTOMERS,
            with("name", "  Ana   Maria\tLopez ", "email", "Ana@Example.com", "country", "es"));
    assertThat(c.getString("name"), equalTo("Ana Maria Lopez"));
    assertThat(c.getString("email"), equalTo("ana@example.com"));
    assertThat(c.getString("country"), equalTo("ES"));
  }

  @Test
  void aRowFailingSeveralRulesYieldsOneRejectPerRuleWithTheLandedRecord() throws Exception {
    Map<String, String> bad =
        with(
            "transaction_id", " ",
            "customer_id", null,
            "quantity", "two",
            "status", "shipped",
            "transaction_ts", "2030-01-01 00:00:00",
            "order_id", "  O 1 ");
    Row landed = raw(Entities.SALES, 42, bad);
    RowCleaner.Result r = new RowCleaner(Entities.SALES, RUN_DATE, PARIS).clean(landed);

    assertThat(r.isClean(), is(false));
    assertThat(r.clean().isPresent(), is(false));
    assertThat(
        r.rejects().stream().map(x -> x.getString("rule")).toList(),
        containsInAnyOrder(
            "not_null:transaction_id",
            "not_null:customer_id",
            "type:quantity",
            "accepted_values:status",
            "business:future_date"));
    for (Row reject : r.rejects()) {
      assertThat(reject.getSchema(), equalTo(Quarantine.SCHEMA));
      assertThat(reject.getString("entity"), equalTo("sales"));
      assertThat(reject.getString(EntitySpec.SOURCE_FILE), equalTo(FILE));
      assertThat(reject.getInt64(EntitySpec.LINE_NO), equalTo(42L));
      assertThat(reject.getString("message"), not(equalTo("")));
    }
    assertThat(
        r.rejects().stream().map(x -> x.getString("message")).toList(),
        everyItem(not(containsString("null"))));
    // the record is the row as landed, not as cleaned
    @SuppressWarnings("unchecked")
    Map<String, Object> record =
        new ObjectMapper().readValue(r.rejects().get(0).getString("record"), Map.class);
    assertThat(record.get("order_id"), equalTo("  O 1 "));
    assertThat(record.get("transaction_id"), equalTo(" "));
    assertThat(record.get("customer_id"), nullValue());
    assertThat(record.get("quantity"), equalTo("two"));
    assertThat(record.containsKey("amount_imputed"), is(false));
    assertThat(record.containsKey(EntitySpec.SOURCE_FILE), is(false));
  }

  @Test
  void aRejectedRowCarriesItsNaturalKeyWhenItCouldBeRead() {
    RowCleaner customers = new RowCleaner(Entities.CUSTOMERS, RUN_DATE, PARIS);
    RowCleaner.Result badEmail =
        customers.clean(raw(Entities.CUSTOMERS, 3, with("customer_id", " 42.0 ", "email", "x")));
    assertThat(badEmail.isClean(), is(false));
    assertThat(badEmail.rejectedKey().orElseThrow(), equalTo("42"));
    RowCleaner.Result noKey =
        customers.clean(raw(Entities.CUSTOMERS, 4, with("customer_id", " ", "email", "x")));
    assertThat(noKey.rejectedKey().isPresent(), is(false));
    RowCleaner.Result clean = customers.clean(raw(Entities.CUSTOMERS, 5, Map.of()));
    assertThat(clean.rejectedKey().isPresent(), is(false));
    // a composite natural key (traffic) is not reported
    RowCleaner.Result traffic =
        new RowCleaner(Entities.TRAFFIC, RUN_DATE, PARIS)
            .clean(raw(Entities.TRAFFIC, 6, with("revenue_eur", "x")));
    assertThat(traffic.rejectedKey().isPresent(), is(false));
  }

  @Test
  void messagesNameTheColumnAndValue() {
    RowCleaner.Result r =
        new RowCleaner(Entities.CUSTOMERS, RUN_DATE, PARIS)
            .clean(raw(Entities.CUSTOMERS, 3, with("segment", "Gold", "name", "")));
    assertThat(r.rejects().size(), equalTo(2));
    assertThat(r.rejects().get(0).getString("message"), containsString("name"));
    assertThat(r.rejects().get(1).getString("message"), containsString("'Gold'"));
    assertThat(r.rejects().get(1).getString("message"), containsString("Mid-Market"));
  }

  @Test
  void aCleanRowHasNoRejects() {
    for (EntitySpec e : Entities.ALL) {
      assertThat(e.name(), rules(e, Map.of()), empty());
    }
  }
}
