package io.c360.pipelines.report;

import static io.c360.pipelines.report.Html.esc;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Charts drawn as inline SVG, so the page needs no script library and no network. Each chart has a
 * fixed {@code viewBox} and scales with its container (CSS {@code width: 100%}). Every bar carries
 * the exact value it draws in {@code data-key}/{@code data-value}, and a {@code <title>} tooltip.
 */
final class Svg {
  private Svg() {}

  /** One bar: its category label, the value it draws, the exact text and key for the page. */
  record Bar(String label, double value, String exact, String key, String shown) {}

  /** A series of bars with a legend name and a CSS class for its colour (s0, s1, s2). */
  record Series(String name, String cssClass, List<Bar> bars) {}

  private static final int W = 600;
  private static final int H = 260;
  private static final int LEFT = 64;
  private static final int RIGHT = 12;
  private static final int TOP = 28;
  private static final int BOTTOM = 40;

  /**
   * Vertical bars, one group per category, one bar per series in the group (all series have the
   * same categories in the same order). Negative values hang below the zero line.
   */
  static String columns(String title, List<Series> series, Function<Double, String> axisLabel) {
    int n = series.isEmpty() ? 0 : series.get(0).bars().size();
    StringBuilder b = open(title, W, H);
    if (n == 0) {
      return empty(b, W, H);
    }
    double max = 0;
    double min = 0;
    for (Series s : series) {
      for (Bar bar : s.bars()) {
        max = Math.max(max, bar.value());
        min = Math.min(min, bar.value());
      }
    }
    if (max == min) {
      max = 1;
    }
    double plotH = H - TOP - BOTTOM;
    double scale = plotH / (max - min);
    double zeroY = TOP + max * scale;
    double slot = (W - LEFT - RIGHT) / (double) n;
    double gap = Math.min(4, slot * 0.2);
    double barW = (slot - gap) / series.size();
    legend(b, series);
    // axis: zero line, the top and (when negative) the bottom value
    b.append(line(LEFT, zeroY, W - RIGHT, zeroY, "axis"));
    b.append(text(LEFT - 6, TOP + 5, "end", axisLabel.apply(max)));
    if (min < 0) {
      b.append(text(LEFT - 6, H - BOTTOM, "end", axisLabel.apply(min)));
    }
    b.append(text(LEFT - 6, zeroY + 5, "end", "0"));
    b.append(line(LEFT, TOP, W - RIGHT, TOP, "gridline"));
    for (int i = 0; i < n; i++) {
      double x0 = LEFT + i * slot + gap / 2;
      for (int k = 0; k < series.size(); k++) {
        Series s = series.get(k);
        Bar bar = s.bars().get(i);
        double h = Math.abs(bar.value()) * scale;
        if (bar.value() != 0 && h < 1) {
          h = 1; // a small non-zero count stays visible beside a large one
        }
        double y = bar.value() >= 0 ? zeroY - h : zeroY;
        b.append(
            String.format(
                Locale.ROOT,
                "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"%s>"
                    + "<title>%s</title></rect>",
                esc(s.cssClass()),
                x0 + k * barW,
                y,
                Math.max(barW - 0.5, 0.5),
                h,
                data(bar),
                esc(bar.label() + " · " + s.name() + ": " + bar.shown())));
      }
    }
    // category labels: first, middle and last, so they never overlap at any width
    int[] at = n == 1 ? new int[] {0} : n == 2 ? new int[] {0, 1} : new int[] {0, n / 2, n - 1};
    for (int i : at) {
      double x = LEFT + (i + 0.5) * slot;
      String anchor = n > 2 && i == 0 ? "start" : n > 2 && i == n - 1 ? "end" : "middle";
      if (n > 2 && i == 0) {
        x = LEFT;
      } else if (n > 2 && i == n - 1) {
        x = W - RIGHT;
      }
      b.append(text(x, H - BOTTOM + 22, anchor, series.get(0).bars().get(i).label()));
    }
    return b.append("</svg>").toString();
  }

  /** Horizontal bars, one per row, each with its label above it and its value at its end. */
  static String rows(String title, String cssClass, List<Bar> bars) {
    int rowH = 44;
    int w = 420;
    int h = Math.max(60, bars.size() * rowH + 8);
    StringBuilder b = open(title, w, h);
    if (bars.isEmpty()) {
      return empty(b, w, h);
    }
    double max = 0;
    for (Bar bar : bars) {
      max = Math.max(max, Math.abs(bar.value()));
    }
    if (max == 0) {
      max = 1;
    }
    double full = w - 8;
    for (int i = 0; i < bars.size(); i++) {
      Bar bar = bars.get(i);
      double y = i * rowH + 4;
      double len = Math.abs(bar.value()) / max * full;
      if (bar.value() != 0 && len < 1) {
        len = 1;
      }
      b.append(
          String.format(
              Locale.ROOT,
              "<text x=\"4\" y=\"%.1f\" class=\"label\">%s</text>",
              y + 15,
              esc(clip(bar.label(), 40))));
      b.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%.1f\" class=\"label\" text-anchor=\"end\">%s</text>",
              w - 4,
              y + 15,
              esc(bar.shown())));
      b.append(
          String.format(
              Locale.ROOT,
              "<rect class=\"%s\" x=\"4\" y=\"%.1f\" width=\"%.1f\" height=\"16\" rx=\"2\""
                  + " data-key=\"%s\" data-value=\"%s\"><title>%s</title></rect>",
              esc(cssClass),
              y + 21,
              len,
              esc(bar.key()),
              esc(bar.exact()),
              esc(bar.label() + ": " + bar.shown())));
    }
    return b.append("</svg>").toString();
  }

  /** The bar's key and exact value; a bar without a key (an empty slot) carries none. */
  private static String data(Bar bar) {
    return bar.key() == null
        ? ""
        : " data-key=\"" + esc(bar.key()) + "\" data-value=\"" + esc(bar.exact()) + "\"";
  }

  private static StringBuilder open(String title, int w, int h) {
    StringBuilder b = new StringBuilder(4096);
    b.append(
        String.format(
            Locale.ROOT,
            // inline SVG in HTML needs no xmlns: the page names no URL at all
            "<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\""
                + " preserveAspectRatio=\"xMidYMid meet\">",
            w,
            h,
            esc(title)));
    return b;
  }

  private static String empty(StringBuilder b, int w, int h) {
    b.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" class=\"label none\">no data</text>",
            w / 2,
            h / 2));
    return b.append("</svg>").toString();
  }

  private static void legend(StringBuilder b, List<Series> series) {
    if (series.size() < 2) {
      return;
    }
    double x = LEFT;
    for (Series s : series) {
      b.append(
          String.format(
              Locale.ROOT,
              "<rect class=\"%s legend\" x=\"%.1f\" y=\"6\" width=\"12\" height=\"12\"></rect>",
              esc(s.cssClass()),
              x));
      b.append(text(x + 16, 17, "start", s.name()));
      x += 28 + s.name().length() * 8;
    }
  }

  private static String line(double x1, double y1, double x2, double y2, String cssClass) {
    return String.format(
        Locale.ROOT,
        "<line class=\"%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"></line>",
        cssClass,
        x1,
        y1,
        x2,
        y2);
  }

  private static String text(double x, double y, String anchor, String s) {
    return String.format(
        Locale.ROOT,
        "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" class=\"label\">%s</text>",
        x,
        y,
        anchor,
        esc(s));
  }

  private static String clip(String s, int max) {
    return s == null ? "" : s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
