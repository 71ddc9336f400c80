package io.c360.transforms.clean;

import io.c360.transforms.model.Column;
import io.c360.transforms.model.Decimals;
import io.c360.transforms.model.RuleNames;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cleans and types one landed text value (SPEC §1 "Values", §2 "Cleaning").
 *
 * <p>Every value first has control characters removed (tab, CR, LF, vertical tab and form feed
 * become a space; the other C0/C1 controls, a stray byte-order mark and zero-width characters are
 * dropped), Unicode spaces (no-break, em, ideographic …) become plain spaces, and it is trimmed;
 * empty is null. Then by type, and a cleaned text longer than {@link Column#maxLength()} (every ID,
 * and text the warehouse indexes) is {@code type:<column>}: an index entry cannot hold it.
 *
 * <ul>
 *   <li>ID: an integral float spelling ({@code 12472.0}, {@code 12472.00}) becomes {@code 12472};
 *       an ID is text, so any other value ({@code 12472.5}, {@code A-17}) is kept as is.
 *   <li>NAME: runs of inner whitespace collapse to one space. COUNTRY: the same, and a 2-letter
 *       code is upper-cased.
 *   <li>EMAIL: lower-cased; exactly one {@code @}, a non-empty local part, a domain with a dot that
 *       is neither its first nor last character, and no whitespace; else {@code type:email}.
 *   <li>DATE: {@code YYYY-MM-DD}, a real calendar date (2024-02-30 is a type error) in the years
 *       {@link #MIN_YEAR}–{@link #MAX_YEAR}.
 *   <li>TIMESTAMP: {@code YYYY-MM-DD}, {@code T} or a space, {@code HH:MM}, optional {@code :SS}
 *       and {@code .fraction} (up to 9 digits, kept to the microsecond as PostgreSQL does), and an
 *       optional offset {@code Z}, {@code ±HH}, {@code ±HHMM} or {@code ±HH:MM}. Without an offset
 *       the value is read in the run timezone (a time in a DST gap moves forward by the gap, an
 *       ambiguous one takes the earlier offset). A date without a time is a type error, and so is a
 *       date outside the years {@link #MIN_YEAR}–{@link #MAX_YEAR} (as written).
 *   <li>DECIMAL: digits with an optional {@code .} fraction and exponent; a comma (decimal or
 *       thousands) is a type error, and so are NaN and Infinity. Rounded half-up to the scale of
 *       the column's {@code numeric(precision, scale)} ({@link Column#numeric}); a value with
 *       {@code precision − scale} or more integer digits after rounding (14 for {@code numeric(18,
 *       4)}) is a type error: the warehouse column cannot hold it (SPEC §2 "Bounds"). Stored
 *       without trailing zeros ({@code 10.50 → 10.5}).
 *   <li>INTEGER: as DECIMAL, but the value must be integral ({@code 3}, {@code 3.0}; not {@code
 *       3.5}) and fit in 64 bits ({@code bigint}).
 *   <li>ENUM: matched to the accepted values ignoring case and all whitespace ({@code MID - MARKET}
 *       → {@code Mid-Market}), stored in the accepted spelling; else {@code
 *       accepted_values:<column>}.
 * </ul>
 */
public final class Values {
  /** The first year a DATE or TIMESTAMP value may have (SPEC §2 "Bounds"). */
  public static final int MIN_YEAR = 1900;

  /** The last year a DATE or TIMESTAMP value may have (SPEC §2 "Bounds"). */
  public static final int MAX_YEAR = 2999;

  private static final Pattern DROPPED_CONTROLS =
      Pattern.compile("[\\x00-\\x08\\x0E-\\x1F\\x7F-\\x9F\\uFEFF\\u200B-\\u200D\\u2060]");
  private static final Pattern SPACE_CONTROLS = Pattern.compile("[\\t\\n\\x0B\\f\\r]");
  private static final Pattern ODD_SPACES =
      Pattern.compile("[\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]");
  private static final Pattern INNER_WHITESPACE = Pattern.compile("\\s+");
  private static final Pattern INTEGRAL_FLOAT = Pattern.compile("(-?\\d+)\\.0+");
  private static final Pattern NUMBER =
      Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d{1,4})?");
  private static final Pattern DATE = Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})");
  private static final Pattern TIMESTAMP =
      Pattern.compile(
          "(\\d{4})-(\\d{2})-(\\d{2})[Tt ](\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,9}))?)?"
              + "([Zz]|[+-]\\d{2}(?::?\\d{2})?)?");
  private static final Pattern COUNTRY_CODE = Pattern.compile("\\p{L}{2}");
  private static final int MAX_SHOWN = 80;

  private Values() {}

  /**
   * The cleaned, typed value of {@code raw} for {@code column}: null for a missing or blank value,
   * else String, LocalDate, Instant, BigDecimal or Long as {@link
   * io.c360.transforms.model.EntitySpec#fieldType} says.
   *
   * @throws InvalidValueException with rule {@code type:<column>} or {@code
   *     accepted_values:<column>}
   */
  public static Object clean(Column column, String raw, ZoneId zone) throws InvalidValueException {
    String s = text(raw);
    if (s == null) {
      return null;
    }
    Object v = typed(column, s, zone);
    if (v instanceof String t && t.length() > column.maxLength()) {
      throw type(
          column,
          s,
          "at most "
              + column.maxLength()
              + " characters long (it has "
              + t.length()
              + "; the warehouse indexes this column)");
    }
    return v;
  }

  private static Object typed(Column column, String s, ZoneId zone) throws InvalidValueException {
    switch (column.type()) {
      case ID:
        return id(s);
      case STRING:
        return s;
      case NAME:
        return collapse(s);
      case COUNTRY:
        return country(s);
      case EMAIL:
        return email(column, s);
      case DATE:
        return date(column, s);
      case TIMESTAMP:
        return timestamp(column, s, zone);
      case DECIMAL:
        return decimal(column, s);
      case INTEGER:
        return integer(column, s);
      case ENUM:
        return accepted(column, s);
      case BOOLEAN:
        return bool(column, s);
      default:
        throw new IllegalStateException("unhandled column type " + column.type());
    }
  }

  /** Control characters removed, odd spaces made plain, trimmed; null when nothing is left. */
  public static String text(String raw) {
    if (raw == null) {
      return null;
    }
    if (plain(raw)) {
      String s = raw.strip();
      return s.isEmpty() ? null : s;
    }
    String s = DROPPED_CONTROLS.matcher(raw).replaceAll("");
    s = SPACE_CONTROLS.matcher(s).replaceAll(" ");
    s = ODD_SPACES.matcher(s).replaceAll(" ").strip();
    return s.isEmpty() ? null : s;
  }

  /** True when no character needs more than a strip (the common case, checked without regex). */
  private static boolean plain(String s) {
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      // controls, NBSP and the U+2000 block onwards (odd spaces, zero-width, BOM) take the slow
      // path
      if (ch < 0x20 || (ch >= 0x7F && ch <= 0xA0) || ch == 0x1680 || ch >= 0x2000) {
        return false;
      }
    }
    return true;
  }

  static String id(String s) {
    Matcher m = INTEGRAL_FLOAT.matcher(s);
    return m.matches() ? m.group(1) : s;
  }

  static String collapse(String s) {
    return INNER_WHITESPACE.matcher(s).replaceAll(" ");
  }

  static String country(String s) {
    String c = collapse(s);
    return COUNTRY_CODE.matcher(c).matches() ? c.toUpperCase(Locale.ROOT) : c;
  }

  static String email(Column column, String s) throws InvalidValueException {
    String e = s.toLowerCase(Locale.ROOT);
    int at = e.indexOf('@');
    boolean ok = at > 0 && at == e.lastIndexOf('@') && !INNER_WHITESPACE.matcher(e).find();
    if (ok) {
      String domain = e.substring(at + 1);
      int dot = domain.indexOf('.');
      ok = dot > 0 && domain.lastIndexOf('.') < domain.length() - 1;
    }
    if (!ok) {
      throw type(column, s, "an email address (exactly one '@' and a dot in the domain)");
    }
    return e;
  }

  static LocalDate date(Column column, String s) throws InvalidValueException {
    Matcher m = DATE.matcher(s);
    if (m.matches()) {
      LocalDate d;
      try {
        d = LocalDate.of(num(m, 1), num(m, 2), num(m, 3));
      } catch (DateTimeException e) {
        throw type(column, s, "a calendar date (" + e.getMessage() + ")");
      }
      return inYears(column, s, d);
    }
    throw type(column, s, "a date YYYY-MM-DD");
  }

  private static LocalDate inYears(Column column, String s, LocalDate d)
      throws InvalidValueException {
    if (d.getYear() < MIN_YEAR || d.getYear() > MAX_YEAR) {
      throw type(column, s, "a date in the years " + MIN_YEAR + "–" + MAX_YEAR);
    }
    return d;
  }

  static Instant timestamp(Column column, String s, ZoneId zone) throws InvalidValueException {
    Matcher m = TIMESTAMP.matcher(s);
    if (!m.matches()) {
      throw type(column, s, "an ISO 8601 timestamp YYYY-MM-DD[T| ]HH:MM[:SS[.ffffff]][Z|±HH[:MM]]");
    }
    LocalDate d;
    try {
      d = LocalDate.of(num(m, 1), num(m, 2), num(m, 3));
    } catch (DateTimeException e) {
      throw type(column, s, "a valid timestamp (" + e.getMessage() + ")");
    }
    inYears(column, s, d);
    try {
      int nanos = 0;
      if (m.group(7) != null) {
        nanos = Integer.parseInt((m.group(7) + "00000000").substring(0, 9));
      }
      LocalTime t =
          LocalTime.of(num(m, 4), num(m, 5), m.group(6) == null ? 0 : num(m, 6), nanos)
              .truncatedTo(ChronoUnit.MICROS);
      LocalDateTime local = LocalDateTime.of(d, t);
      String offset = m.group(8);
      if (offset == null) {
        return local.atZone(zone).toInstant();
      }
      return local.atOffset(offset(offset)).toInstant();
    } catch (DateTimeException e) {
      throw type(column, s, "a valid timestamp (" + e.getMessage() + ")");
    }
  }

  private static ZoneOffset offset(String o) {
    if (o.equalsIgnoreCase("Z")) {
      return ZoneOffset.UTC;
    }
    String digits = o.substring(1).replace(":", "");
    int hours = Integer.parseInt(digits.substring(0, 2));
    int minutes = digits.length() > 2 ? Integer.parseInt(digits.substring(2)) : 0;
    int sign = o.charAt(0) == '-' ? -1 : 1;
    return ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
  }

  static BigDecimal decimal(Column column, String s) throws InvalidValueException {
    if (!NUMBER.matcher(s).matches()) {
      throw type(column, s, "a decimal number with '.' as the decimal point");
    }
    return bounded(column, new BigDecimal(s), s);
  }

  /**
   * {@code d} as the DECIMAL {@code column}'s warehouse type holds it: rounded half-up to the
   * column's scale, without trailing zeros. Also for values computed during cleaning (an imputed
   * amount), so every decimal that reaches the warehouse passed the same bound.
   *
   * @throws InvalidValueException {@code type:<column>} when it has {@code precision − scale} or
   *     more integer digits after rounding
   */
  public static BigDecimal bounded(Column column, BigDecimal d) throws InvalidValueException {
    return bounded(column, d, d.toPlainString());
  }

  private static BigDecimal bounded(Column column, BigDecimal d, String shown)
      throws InvalidValueException {
    int maxIntegerDigits = column.precision() - column.scale();
    // An exponent alone says the value is too large; no need to expand 1e9999 to round it.
    if (d.precision() - d.scale() > maxIntegerDigits + 1) {
      throw tooLarge(column, shown, maxIntegerDigits);
    }
    BigDecimal r = d.setScale(column.scale(), RoundingMode.HALF_UP);
    if (r.precision() - r.scale() >= maxIntegerDigits) {
      throw tooLarge(column, shown, maxIntegerDigits);
    }
    return Decimals.canonical(r);
  }

  private static InvalidValueException tooLarge(Column column, String s, int maxIntegerDigits) {
    return type(
        column,
        s,
        "a decimal the warehouse column numeric("
            + column.precision()
            + ", "
            + column.scale()
            + ") can hold (at most "
            + (maxIntegerDigits - 1)
            + " integer digits)");
  }

  static Long integer(Column column, String s) throws InvalidValueException {
    if (!NUMBER.matcher(s).matches()) {
      throw type(column, s, "an integer");
    }
    try {
      return new BigDecimal(s).longValueExact();
    } catch (ArithmeticException e) {
      throw type(column, s, "an integer (no fraction, at most 19 digits)");
    }
  }

  static String accepted(Column column, String s) throws InvalidValueException {
    String key = enumKey(s);
    for (String v : column.acceptedValues()) {
      if (enumKey(v).equals(key)) {
        return v;
      }
    }
    throw new InvalidValueException(
        RuleNames.acceptedValues(column.name()),
        column.name() + ": '" + shown(s) + "' is not one of " + column.acceptedValues());
  }

  /** The spelling accepted values are compared in: lower case, all whitespace removed. */
  public static String enumKey(String s) {
    return INNER_WHITESPACE.matcher(s).replaceAll("").toLowerCase(Locale.ROOT);
  }

  static Boolean bool(Column column, String s) throws InvalidValueException {
    switch (s.toLowerCase(Locale.ROOT)) {
      case "true":
      case "t":
      case "1":
        return true;
      case "false":
      case "f":
      case "0":
        return false;
      default:
        throw type(column, s, "a boolean (true/false)");
    }
  }

  private static int num(Matcher m, int group) {
    return Integer.parseInt(m.group(group));
  }

  private static InvalidValueException type(Column column, String s, String expected) {
    return new InvalidValueException(
        RuleNames.type(column.name()), column.name() + ": '" + shown(s) + "' is not " + expected);
  }

  private static String shown(String s) {
    return s.length() <= MAX_SHOWN ? s : s.substring(0, MAX_SHOWN) + "…";
  }
}
