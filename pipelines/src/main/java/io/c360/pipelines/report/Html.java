package io.c360.pipelines.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/** Escaping and number formats of the report. Every value from the warehouse goes through here. */
final class Html {
  private Html() {}

  /**
   * Text safe inside an element and inside a double- or single-quoted attribute, in HTML and SVG
   * alike: customer names, rules and sample keys are input nobody checked for markup.
   */
  static String esc(Object value) {
    if (value == null) {
      return "";
    }
    String s = value.toString();
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> {
          // control characters other than tab and newline have no business in a page
          if (ch < 0x20 && ch != '\t' && ch != '\n') {
            b.append('\uFFFD');
          } else {
            b.append(ch);
          }
        }
      }
    }
    return b.toString();
  }

  /** A whole number with thousands separators: 12,345. */
  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** An amount to two decimals with thousands separators: 12,345.68; empty for null. */
  static String money(BigDecimal v) {
    return v == null ? "" : format("#,##0.00", v);
  }

  /** A percentage (0-100) to one decimal: 42.5 %. */
  static String pct(BigDecimal v) {
    return v == null ? "" : format("0.0", v) + " %";
  }

  /** The exact value carried in a {@code data-value} attribute: no rounding, no grouping. */
  static String exact(BigDecimal v) {
    return v == null ? "" : v.toPlainString();
  }

  private static String format(String pattern, BigDecimal v) {
    DecimalFormat f = new DecimalFormat(pattern, DecimalFormatSymbols.getInstance(Locale.ROOT));
    f.setRoundingMode(RoundingMode.HALF_UP);
    return f.format(v);
  }
}
