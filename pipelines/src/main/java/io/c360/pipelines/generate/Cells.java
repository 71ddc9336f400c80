package io.c360.pipelines.generate;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * How values are spelled in a landing file: ids, names, enum values, money and timestamps, each
 * with the value-preserving variety of the {@link Defect#SPELLING} knob (the part's {@link
 * PartContext#spell} decides and records it).
 */
final class Cells {
  private Cells() {}

  static String id(long id, Rng r, PartContext ctx) {
    return ctx.spell(r) ? id + ".0" : Long.toString(id);
  }

  static String name(String n, Rng r, PartContext ctx) {
    if (n == null || !ctx.spell(r)) {
      return n;
    }
    int sp = n.indexOf(' ');
    return sp < 0 ? "  " + n + " " : n.substring(0, sp) + "   " + n.substring(sp + 1);
  }

  static String enumValue(String v, Rng r, PartContext ctx) {
    return v == null || !ctx.spell(r) ? v : oddCase(v, r);
  }

  static String oddCase(String v, Rng r) {
    return switch (r.nextInt(3)) {
      case 0 -> v.toLowerCase(Locale.ROOT);
      case 1 -> " " + v.toUpperCase(Locale.ROOT) + " ";
      default -> " " + v.toLowerCase(Locale.ROOT) + "  ";
    };
  }

  static String money(long cents) {
    long abs = Math.abs(cents);
    StringBuilder b = new StringBuilder(12);
    if (cents < 0) {
      b.append('-');
    }
    b.append(abs / 100).append('.');
    long c = abs % 100;
    if (c < 10) {
      b.append('0');
    }
    return b.append(c).toString();
  }

  /**
   * A timestamp in one of five spellings of the same instant: {@code T…Z}, naive with space, {@code
   * +02:00}, {@code -05:00} with space, naive with {@code T} (naive = UTC); only the first when the
   * run has no spelling variety.
   */
  static String ts(long epochSecond, Rng r, PartContext ctx) {
    int style = ctx.spelling() > 0 ? r.nextInt(5) : 0;
    int offset = style == 2 ? 7200 : style == 3 ? -18000 : 0;
    LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecond + offset, 0, ZoneOffset.UTC);
    StringBuilder b = new StringBuilder(25);
    b.append(t.toLocalDate()).append(style == 1 || style == 3 ? ' ' : 'T');
    pad(b, t.getHour()).append(':');
    pad(b, t.getMinute()).append(':');
    pad(b, t.getSecond());
    switch (style) {
      case 0 -> b.append('Z');
      case 2 -> b.append("+02:00");
      case 3 -> b.append("-05:00");
      default -> {}
    }
    return b.toString();
  }

  private static StringBuilder pad(StringBuilder b, int v) {
    return v < 10 ? b.append('0').append(v) : b.append(v);
  }
}
