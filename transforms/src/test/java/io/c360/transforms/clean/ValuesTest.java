package io.c360.transforms.clean;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.c360.transforms.model.Column;
import io.c360.transforms.model.ColumnType;
import io.c360.transforms.model.Entities;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** SPEC §1 "Values" and §2 "Cleaning", one value at a time. */
class ValuesTest {
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  private static final Column ID = Column.required("customer_id", ColumnType.ID);
  private static final Column TEXT = Column.optional("channel_type", ColumnType.STRING);
  private static final Column NAME = Column.required("name", ColumnType.NAME);
  private static final Column EMAIL = Column.optional("email", ColumnType.EMAIL);
  private static final Column COUNTRY = Column.optional("country", ColumnType.COUNTRY);
  private static final Column DATE = Column.optional("created_date", ColumnType.DATE);
  private static final Column TS = Column.required("transaction_ts", ColumnType.TIMESTAMP);
  private static final Column DEC = Column.optional("amount", ColumnType.DECIMAL);
  private static final Column INT = Column.required("quantity", ColumnType.INTEGER);
  private static final Column SEGMENT = Entities.CUSTOMERS.column("segment").orElseThrow();
  private static final Column CATEGORY = Entities.PRODUCTS.column("category").orElseThrow();

  private static Object clean(Column c, String raw) throws InvalidValueException {
    return Values.clean(c, raw, PARIS);
  }

  private static InvalidValueException rejected(Column c, String raw) {
    return assertThrows(InvalidValueException.class, () -> clean(c, raw), "'" + raw + "'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "   ", "\t", " \r\n ", "\u00A0", "\u0000\u0007", "\uFEFF"})
  void emptyWhitespaceOrControlOnlyIsNullForEveryType(String raw) throws Exception {
    for (Column c : new Column[] {ID, TEXT, NAME, EMAIL, COUNTRY, DATE, TS, DEC, INT, SEGMENT}) {
      assertThat(c + " '" + raw + "'", clean(c, raw), nullValue());
    }
    assertThat(clean(TEXT, null), nullValue());
  }

  @Test
  void stringsAreTrimmedAndLoseControlCharacters() throws Exception {
    assertThat(clean(TEXT, "  email  "), equalTo("email"));
    assertThat(clean(TEXT, "\uFEFFsms\u0000\u001F\u007F\u0085"), equalTo("sms"));
    assertThat(clean(TEXT, "push\u200B"), equalTo("push"));
    // whitespace controls become spaces, so words are not glued together
    assertThat(clean(TEXT, "in\tapp"), equalTo("in app"));
    // a plain string keeps its inner spacing, only names collapse it
    assertThat(clean(TEXT, "a  b"), equalTo("a  b"));
    // non-ASCII letters are not control characters
    assertThat(clean(TEXT, " Zoë Ærø "), equalTo("Zoë Ærø"));
  }

  @Test
  void namesCollapseInnerWhitespace() throws Exception {
    assertThat(clean(NAME, "  Ana \t  Maria\n\nLopez "), equalTo("Ana Maria Lopez"));
    assertThat(clean(NAME, "Jean\u00A0\u00A0Dupont"), equalTo("Jean Dupont"));
    assertThat(clean(NAME, "O'Brien"), equalTo("O'Brien"));
    assertThat(clean(NAME, "\u3000Ana\u2003\u2003Lopez\u202F"), equalTo("Ana Lopez"));
  }

  @Test
  void emailsAreLowerCasedAndChecked() throws Exception {
    assertThat(clean(EMAIL, "  Ana.Lopez@Example.COM "), equalTo("ana.lopez@example.com"));
    assertThat(clean(EMAIL, "a+tag@mail.co.uk"), equalTo("a+tag@mail.co.uk"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ana.example.com",
        "ana@@example.com",
        "ana@b@example.com",
        "ana@example",
        "@example.com",
        "ana@.com",
        "ana@example.",
        "ana lopez@example.com"
      })
  void malformedEmailsAreTypeErrors(String raw) {
    InvalidValueException e = rejected(EMAIL, raw);
    assertThat(e.rule(), equalTo("type:email"));
    assertThat(e.getMessage(), containsString(raw));
  }

  @Test
  void twoLetterCountryCodesAreUpperCased() throws Exception {
    assertThat(clean(COUNTRY, " fr "), equalTo("FR"));
    assertThat(clean(COUNTRY, "De"), equalTo("DE"));
    assertThat(clean(COUNTRY, "France"), equalTo("France"));
    assertThat(clean(COUNTRY, "united   kingdom"), equalTo("united kingdom"));
    assertThat(clean(COUNTRY, "USA"), equalTo("USA"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "12472.0|12472",
        "' 12472 '|12472",
        "12472.000|12472",
        "0.0|0",
        "-7.0|-7",
        // an id is text: a non-integral or non-numeric spelling stays as landed
        "12472.5|12472.5",
        "12472.|12472.",
        "C-0042|C-0042",
        "007|007"
      })
  void idsAreTrimmedAndIntegralFloatsNormalised(String raw, String expected) throws Exception {
    assertThat(clean(ID, raw), equalTo(expected));
  }

  @Test
  void datesAreIsoCalendarDates() throws Exception {
    assertThat(clean(DATE, " 2024-02-29 "), equalTo(LocalDate.of(2024, 2, 29)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"2024-02-30", "2023-02-29", "2024-13-01", "2024-1-5", "05/01/2024", "20240105"})
  void badDatesAreTypeErrors(String raw) {
    assertThat(rejected(DATE, raw).rule(), equalTo("type:created_date"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // naive values are read in the run timezone (Paris: UTC+1 in winter, UTC+2 in summer)
        "2024-01-15 10:30:00|2024-01-15T09:30:00Z",
        "2024-01-15T10:30:00|2024-01-15T09:30:00Z",
        "2024-07-15 10:30|2024-07-15T08:30:00Z",
        "2024-07-15 10:30:00.123456|2024-07-15T08:30:00.123456Z",
        "2024-07-15 10:30:00.5|2024-07-15T08:30:00.500Z",
        // nanoseconds are kept to the microsecond, as PostgreSQL does
        "2024-07-15 10:30:00.123456789|2024-07-15T08:30:00.123456Z",
        // with an offset the timezone does not matter
        "2024-07-15T10:30:00Z|2024-07-15T10:30:00Z",
        "2024-07-15T10:30:00z|2024-07-15T10:30:00Z",
        "2024-07-15 10:30:00+02:00|2024-07-15T08:30:00Z",
        "2024-07-15 10:30:00+0200|2024-07-15T08:30:00Z",
        "2024-07-15 10:30:00-05|2024-07-15T15:30:00Z",
        "2024-07-15T10:30:00.250-03:30|2024-07-15T14:00:00.250Z",
        "' 2024-07-15T10:30:00Z '|2024-07-15T10:30:00Z",
        // a time in the spring-forward gap moves forward by the gap
        "2024-03-31 02:30:00|2024-03-31T01:30:00Z"
      })
  void timestampsAreIso8601InTheRunTimezone(String raw, String expected) throws Exception {
    assertThat(clean(TS, raw), equalTo(Instant.parse(expected)));
  }

  @Test
  void naiveTimestampsFollowTheTimezoneGiven() throws Exception {
    assertThat(
        Values.clean(TS, "2024-01-15 10:30:00", ZoneOffset.UTC),
        equalTo(Instant.parse("2024-01-15T10:30:00Z")));
    assertThat(
        Values.clean(TS, "2024-01-15 10:30:00", ZoneId.of("America/New_York")),
        equalTo(Instant.parse("2024-01-15T15:30:00Z")));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2024-07-15",
        "2024-07-15 25:00:00",
        "2024-07-15 10:61:00",
        "2024-02-30 10:00:00",
        "2024-07-15 10:30:00 CET",
        "2024-07-15 10:30:00+25:00",
        "15/07/2024 10:30",
        "2024-07-15T10:30:00,5",
        "1721032200",
        "yesterday"
      })
  void badTimestampsAreTypeErrors(String raw) {
    InvalidValueException e = rejected(TS, raw);
    assertThat(e.rule(), equalTo("type:transaction_ts"));
    assertThat(e.getMessage(), containsString("transaction_ts"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "12.50|12.5",
        "' 12.5 '|12.5",
        "-3|-3",
        "+3.25|3.25",
        ".5|0.5",
        "1e3|1000",
        "1.5E-2|0.015",
        "100.00|100",
        "0.000|0"
      })
  void decimalsUseADot(String raw, String expected) throws Exception {
    assertThat(clean(DEC, raw), equalTo(new BigDecimal(expected)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"12,5", "1,234.50", "1.234,50", "12.5.1", "€12", "12 EUR", "NaN", "-"})
  void commaDecimalsAndOtherTextAreTypeErrors(String raw) {
    assertThat(rejected(DEC, raw).rule(), equalTo("type:amount"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"3|3", "3.0|3", "' 3 '|3", "-2|-2", "3.000|3", "0|0"})
  void integersAcceptAnIntegralFloatSpelling(String raw, long expected) throws Exception {
    assertThat(clean(INT, raw), equalTo(expected));
  }

  @ParameterizedTest
  @ValueSource(strings = {"3.5", "3,0", "three", "99999999999999999999", "0.1"})
  void nonIntegralIntegersAreTypeErrors(String raw) {
    assertThat(rejected(INT, raw).rule(), equalTo("type:quantity"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Mid-Market|Mid-Market",
        "' mid-market '|Mid-Market",
        "MID - MARKET|Mid-Market",
        "mid\tmarket|",
        "smb|SMB",
        "ENTERPRISE|Enterprise"
      })
  void segmentsMatchIgnoringCaseAndSpaces(String raw, String expected) throws Exception {
    if (expected == null) {
      // removing spaces does not invent a hyphen
      assertThat(rejected(SEGMENT, raw).rule(), equalTo("accepted_values:segment"));
    } else {
      assertThat(clean(SEGMENT, raw), equalTo(expected));
    }
  }

  @Test
  void categoriesMatchInTheirCanonicalSpelling() throws Exception {
    assertThat(clean(CATEGORY, "sports fitness &outdoors"), equalTo("Sports Fitness & Outdoors"));
    assertThat(clean(CATEGORY, "MOVIES&TV"), equalTo("Movies & TV"));
    InvalidValueException e = rejected(CATEGORY, "Sports");
    assertThat(e.rule(), equalTo("accepted_values:category"));
    assertThat(e.getMessage(), containsString("Sports Fitness & Outdoors"));
  }

  @Test
  void longValuesAreShortenedInMessages() {
    String raw = "x".repeat(500);
    InvalidValueException e = rejected(DATE, raw);
    assertThat(e.getMessage().length() < 200, equalTo(true));
  }

  // SPEC §2 "Bounds": what the warehouse column cannot hold is type:<column>; trips and near misses

  private static final Column PRICE_EUR = Entities.CHANNELS.column("unit_price_eur").orElseThrow();

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // numeric(18, 4): 13 integer digits is the largest that passes
        "9999999999999.9999|9999999999999.9999",
        "-9999999999999.9999|-9999999999999.9999",
        "9999999999999.99994|9999999999999.9999",
        "1e12|1000000000000",
        "1.2E+12|1200000000000",
        // extra places round half-up (away from zero at .5, as PostgreSQL does)
        "1.23455|1.2346",
        "1.23454|1.2345",
        "-1.00005|-1.0001",
        "0.00005|0.0001",
        "0.00004999|0",
        "1e-9999|0"
      })
  void decimalsAreRoundedToTheColumnScaleAndFitIt(String raw, String expected) throws Exception {
    assertThat(clean(DEC, raw), equalTo(new BigDecimal(expected)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "10000000000000",
        "-10000000000000",
        "12345678901234.5",
        "9999999999999.99995",
        "1e13",
        "1e20",
        "1E+9999",
        "NaN",
        "Infinity",
        "-Infinity",
        "inf"
      })
  void decimalsTheColumnCannotHoldAreTypeErrors(String raw) {
    InvalidValueException e = rejected(DEC, raw);
    assertThat(e.rule(), equalTo("type:amount"));
  }

  @Test
  void aDecimalTooLargeSaysWhatTheColumnHolds() {
    InvalidValueException e = rejected(DEC, "1e20");
    assertThat(e.getMessage(), containsString("'1e20'"));
    assertThat(e.getMessage(), containsString("numeric(18, 4)"));
  }

  @Test
  void theBoundFollowsTheDeclaredNumericType() throws Exception {
    // channels.unit_price_eur is numeric(18, 6): 11 integer digits, 6 places
    assertThat(
        clean(PRICE_EUR, "99999999999.9999994"), equalTo(new BigDecimal("99999999999.999999")));
    assertThat(clean(PRICE_EUR, "1.0000005"), equalTo(new BigDecimal("1.000001")));
    assertThat(rejected(PRICE_EUR, "100000000000").rule(), equalTo("type:unit_price_eur"));
    assertThat(rejected(PRICE_EUR, "99999999999.9999995").rule(), equalTo("type:unit_price_eur"));
    assertThat(Values.bounded(DEC, new BigDecimal("2.50005")), equalTo(new BigDecimal("2.5001")));
    assertThrows(
        IllegalArgumentException.class,
        () -> Column.optional("name", ColumnType.STRING).numeric(18, 4));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "9223372036854775807|9223372036854775807",
        "-9223372036854775808|-9223372036854775808",
        "1e18|1000000000000000000"
      })
  void integersUpTo64BitsPass(String raw, long expected) throws Exception {
    assertThat(clean(INT, raw), equalTo(expected));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "9223372036854775808",
        "-9223372036854775809",
        "1e19",
        "1E+9999",
        "NaN",
        "Infinity"
      })
  void integersBeyond64BitsAreTypeErrors(String raw) {
    assertThat(rejected(INT, raw).rule(), equalTo("type:quantity"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"1900-01-01", "2999-12-31"})
  void datesInTheYears1900To2999Pass(String raw) throws Exception {
    assertThat(clean(DATE, raw), equalTo(LocalDate.parse(raw)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"1899-12-31", "3000-01-01", "0001-01-01", "9999-12-31"})
  void datesOutsideTheYears1900To2999AreTypeErrors(String raw) {
    InvalidValueException e = rejected(DATE, raw);
    assertThat(e.rule(), equalTo("type:created_date"));
    assertThat(e.getMessage(), containsString("1900–2999"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "1900-01-01 00:00|1900-01-01T00:00:00Z",
        "2999-12-31T23:59:59.999999Z|2999-12-31T23:59:59.999999Z"
      })
  void timestampsInTheYears1900To2999Pass(String raw, String expected) throws Exception {
    assertThat(Values.clean(TS, raw, ZoneOffset.UTC), equalTo(Instant.parse(expected)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "1899-12-31 23:59:59",
        "3000-01-01T00:00:00Z",
        "0001-01-01 00:00",
        "9999-12-31 00:00"
      })
  void timestampsOutsideTheYears1900To2999AreTypeErrors(String raw) {
    assertThat(rejected(TS, raw).rule(), equalTo("type:transaction_ts"));
  }
}
