package io.c360.transforms.clean;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.oneOf;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.c360.transforms.model.BusinessRule;
import io.c360.transforms.model.Column;
import io.c360.transforms.model.ColumnType;
import io.c360.transforms.model.Entities;
import io.c360.transforms.model.EntitySpec;
import io.c360.transforms.quality.Quarantine;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.apache.beam.sdk.values.Row;

/**
 * Hostile values for every column of every entity (issue 14), through the pure-Java cleaning:
 * values at and past each bound (SPEC §2 "Bounds"), NaN and Infinity, overlong strings, control
 * characters and NUL, SQL text, years 0001 and 99999. Cleaning never throws anything but its own
 * rule for the column, and whatever it lets through fits the warehouse column.
 */
class HostileValuesProperties {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Every declared column of every entity, with its entity. */
  @Provide
  Arbitrary<Tuple.Tuple2<EntitySpec, Column>> columns() {
    List<Tuple.Tuple2<EntitySpec, Column>> all = new ArrayList<>();
    for (EntitySpec e : Entities.ALL) {
      for (Column c : e.columns()) {
        all.add(Tuple.of(e, c));
      }
    }
    return Arbitraries.of(all);
  }

  /** Landed text as a hostile source writes it. */
  @Provide
  Arbitrary<String> hostile() {
    Arbitrary<String> numbers =
        Arbitraries.of(
            "1e20",
            "-1e20",
            "1E+3",
            "1e9999",
            "1e-9999",
            "NaN",
            "-NaN",
            "Infinity",
            "-Infinity",
            "inf",
            "0x10",
            "12,50",
            "1 000",
            "9999999999999.9999",
            "9999999999999.99995",
            "-9999999999999.99995",
            "10000000000000",
            "99999999999.999999",
            "100000000000",
            "0.00005",
            "-0.00005",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775808",
            "-9223372036854775809",
            "3.0",
            "3.5",
            ".5",
            "5.",
            "+7",
            "--1");
    Arbitrary<String> years =
        Arbitraries.of("0001", "0000", "1899", "1900", "2999", "3000", "99999");
    Arbitrary<String> dates =
        Combinators.combine(
                years,
                Arbitraries.of("01", "02", "12", "13", "00"),
                Arbitraries.of("01", "29", "31", "32"),
                Arbitraries.of(
                    "",
                    "T00:00",
                    " 23:59:59",
                    "T12:00:00.1234567891Z",
                    "T00:00+18:00",
                    "T23:59-18:00",
                    "T10:00+25:00",
                    "T24:00",
                    "T10:00:60"))
            .as((y, m, d, t) -> y + "-" + m + "-" + d + t);
    Arbitrary<String> controls =
        Arbitraries.strings()
            .withChars(
                '\u0000', '\u0001', '\u0007', '\t', '\n', '\r', '\u000B', '\u001F', '\u007F',
                '\u0085', '\u009F', '\u00A0', '\u200B', '\u2028', '\u3000', '\uFEFF')
            .ofMaxLength(5);
    Arbitrary<String> plain =
        Arbitraries.of(
            "C1",
            "Ann Lee",
            "ann@example.com",
            "a@b@c.com",
            "smb",
            "MID - MARKET",
            "books",
            "Cancelled",
            "fr",
            "Ébène",
            "CH'; DELETE FROM dw.dim_channel;--",
            "'); DROP TABLE dw.fact_sales;--",
            "x' OR '1'='1",
            "\\u0000",
            "\\",
            "\"",
            "|",
            "A|B");
    Arbitrary<String> anyChars = Arbitraries.strings().all().ofMaxLength(40);
    Arbitrary<String> core = Arbitraries.oneOf(numbers, dates, plain, anyChars);
    Arbitrary<String> wrapped =
        Combinators.combine(controls, core, controls).as((a, b, c) -> a + b + c);
    Arbitrary<String> longText =
        Combinators.combine(
                Arbitraries.of(Column.MAX_KEY_LENGTH, Column.MAX_KEY_LENGTH + 1, 5_000, 200_000),
                Arbitraries.chars().range('a', 'z'))
            .as((n, ch) -> String.valueOf(ch).repeat(n));
    return Arbitraries.frequencyOf(
        Tuple.of(3, core), Tuple.of(3, wrapped), Tuple.of(1, longText), Tuple.of(1, controls));
  }

  @Property(tries = 3000)
  void everyValueTypesWithinTheWarehouseBoundsOrFailsWithItsColumnsRule(
      @ForAll("columns") Tuple.Tuple2<EntitySpec, Column> ec, @ForAll("hostile") String raw) {
    Column c = ec.get2();
    Object v;
    try {
      v = Values.clean(c, raw, Fixtures.PARIS);
    } catch (InvalidValueException e) {
      assertThat(e.rule(), oneOf("type:" + c.name(), "accepted_values:" + c.name()));
      assertThat(e.getMessage().length(), lessThan(400));
      return;
    }
    if (v == null) {
      return;
    }
    switch (c.type()) {
      case DECIMAL -> {
        BigDecimal d = (BigDecimal) v;
        assertThat(raw, d.scale(), lessThanOrEqualTo(c.scale()));
        assertThat(raw, d.precision() - d.scale(), lessThan(c.precision() - c.scale()));
      }
      case DATE -> {
        int y = ((LocalDate) v).getYear();
        assertThat(raw, y, greaterThanOrEqualTo(Values.MIN_YEAR));
        assertThat(raw, y, lessThanOrEqualTo(Values.MAX_YEAR));
      }
      case TIMESTAMP -> {
        // The written year is in the bounds; an offset of at most 18 h may move the instant.
        int y = ((Instant) v).atOffset(ZoneOffset.UTC).getYear();
        assertThat(raw, y, greaterThanOrEqualTo(Values.MIN_YEAR - 1));
        assertThat(raw, y, lessThanOrEqualTo(Values.MAX_YEAR + 1));
      }
      case INTEGER -> assertThat(v instanceof Long, is(true));
      case BOOLEAN -> assertThat(v instanceof Boolean, is(true));
      default -> {
        String s = (String) v;
        assertThat(s.isEmpty(), is(false));
        assertThat(s, equalTo(s.strip()));
        assertThat(s.length(), lessThanOrEqualTo(c.maxLength()));
        assertThat(
            "no control character survives: " + s.codePoints().limit(20).boxed().toList(),
            s.chars().anyMatch(ch -> ch < 0x20 || (ch >= 0x7F && ch <= 0x9F)),
            is(false));
        if (c.type() == ColumnType.ENUM) {
          assertThat(s, oneOf(c.acceptedValues().toArray()));
        }
        if (c.type() == ColumnType.ID) {
          assertThat(s.length(), lessThanOrEqualTo(Column.MAX_KEY_LENGTH));
        }
      }
    }
  }

  @Example
  void anIdOrIndustryOfTheKeyLengthLoadsAndOneCharacterMoreIsATypeError() throws Exception {
    for (EntitySpec e : Entities.ALL) {
      for (Column c : e.columns()) {
        boolean key = c.type() == ColumnType.ID || c.name().equals("industry");
        assertThat(c.toString(), c.maxLength(), is(key ? Column.MAX_KEY_LENGTH : Column.UNBOUNDED));
        if (!key) {
          continue;
        }
        // Surrogate pairs count as two characters: 100 emoji are at the bound.
        String atBound = "\uD83D\uDE00".repeat(Column.MAX_KEY_LENGTH / 2);
        assertThat(Values.clean(c, " " + atBound + "\u0000 ", Fixtures.PARIS), equalTo(atBound));
        InvalidValueException e1 =
            org.junit.jupiter.api.Assertions.assertThrows(
                InvalidValueException.class,
                () -> Values.clean(c, "x".repeat(Column.MAX_KEY_LENGTH + 1), Fixtures.PARIS));
        assertThat(e1.rule(), equalTo("type:" + c.name()));
      }
    }
    // The bound applies to the cleaned value: runs of spaces collapse first (496 → 199).
    Column industry = Entities.CUSTOMERS.column("industry").get();
    String spaced = String.join("    ", java.util.Collections.nCopies(100, "a"));
    assertThat(
        Values.clean(industry, spaced, Fixtures.PARIS),
        equalTo(String.join(" ", java.util.Collections.nCopies(100, "a"))));
    // Free text is not indexed: a 200 KB name is kept whole.
    Column name = Entities.CUSTOMERS.column("name").get();
    assertThat(
        ((String) Values.clean(name, "n".repeat(200_000), Fixtures.PARIS)).length(), is(200_000));
  }

  @Provide
  Arbitrary<EntitySpec> entities() {
    return Arbitraries.of(Entities.ALL);
  }

  /** A landed row: every column valid, then a few replaced by hostile values. */
  @Property(tries = 1500)
  void aHostileRowIsEitherCleanOrRejectedByNamedRulesWithAStorableRecord(
      @ForAll("entities") EntitySpec entity,
      @ForAll("hostile") String a,
      @ForAll("hostile") String b,
      @ForAll long seed)
      throws Exception {
    List<String> cols = entity.columnNames();
    java.util.Random r = new java.util.Random(seed);
    Map<String, String> over = new HashMap<>();
    over.put(cols.get(r.nextInt(cols.size())), a);
    over.put(cols.get(r.nextInt(cols.size())), b);
    if (r.nextInt(4) == 0) {
      over.put(cols.get(r.nextInt(cols.size())), null);
    }
    Row raw = Fixtures.raw(entity, 7, over);
    RowCleaner.Result res = new RowCleaner(entity, Fixtures.RUN_DATE, Fixtures.PARIS).clean(raw);
    Set<String> allowed = new HashSet<>();
    for (String c : cols) {
      allowed.add("type:" + c);
      allowed.add("not_null:" + c);
      allowed.add("accepted_values:" + c);
    }
    for (BusinessRule br : entity.businessRules()) {
      allowed.add(br.ruleName());
    }
    entity.derivedColumns().forEach(c -> allowed.add("type:" + c.name()));
    if (res.isClean()) {
      assertThat(res.rejects().isEmpty(), is(true));
      assertThat(res.clean().get().getInt64(EntitySpec.LINE_NO), is(7L));
      return;
    }
    assertThat(res.clean().isPresent(), is(false));
    Set<String> seen = new HashSet<>();
    for (Row reject : res.rejects()) {
      String rule = reject.getString("rule");
      assertThat(rule, oneOf(allowed.toArray()));
      assertThat("one reject per rule", seen.add(rule), is(true));
      assertThat(reject.getString(EntitySpec.SOURCE_FILE), equalTo(Fixtures.FILE));
      assertThat(reject.getInt64(EntitySpec.LINE_NO), is(7L));
      assertThat(reject.getString("message").isBlank(), is(false));
      assertStorableInJsonb(reject.getString("record"));
    }
  }

  /** NUL and backslashes in values and names: the JSON is jsonb-safe and reads back as written. */
  @Property(tries = 2000)
  void aRecordAsJsonHasNoNulEscapeAndReadsBackWithNulShown(
      @ForAll("jsonText") String key, @ForAll("jsonText") String value) throws Exception {
    Map<String, String> m = new HashMap<>();
    m.put(key, value);
    String json = Quarantine.toJson(m);
    assertStorableInJsonb(json);
    Map<String, String> back = JSON.readValue(json, new TypeReference<Map<String, String>>() {});
    assertThat(
        back,
        equalTo(
            Map.of(
                key.replace("\u0000", Quarantine.NUL_SHOWN),
                value.replace("\u0000", Quarantine.NUL_SHOWN))));
  }

  @Provide
  Arbitrary<String> jsonText() {
    return Arbitraries.strings()
        .withChars('\u0000', '\\', 'u', '0', '"', 'a', '\n')
        .ofMaxLength(12);
  }

  /** PostgreSQL jsonb rejects the escape of U+0000; any other JSON string it stores. */
  private static void assertStorableInJsonb(String json) throws Exception {
    assertThat(json, not(matchesPattern("(?s).*(?<!\\\\)(\\\\\\\\)*\\\\u0000.*")));
    JSON.readTree(json); // well-formed
    assertThat(json.indexOf(0), is(-1));
  }
}
