package io.c360.pipelines.report;

import static io.c360.pipelines.report.Html.esc;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** A table of the report: escaped cells, numbers with their exact value in data-value. */
final class Table {
  /** One cell's markup, rendered by {@link #html}. */
  record Cell(String html, String cssClass, String key, String value) {}

  private final List<String> headers;
  private final List<List<Cell>> rows = new ArrayList<>();

  Table(String... headers) {
    this.headers = List.of(headers);
  }

  void row(Cell... cells) {
    if (cells.length != headers.size()) {
      throw new IllegalArgumentException(
          cells.length + " cells for " + headers.size() + " columns");
    }
    rows.add(List.of(cells));
  }

  static Cell text(String s) {
    return new Cell(esc(s), "", null, null);
  }

  static Cell code(String s) {
    return new Cell(s == null || s.isEmpty() ? "" : "<code>" + esc(s) + "</code>", "", null, null);
  }

  /** Sample keys: code that may break anywhere, as keys are long and have no spaces. */
  static Cell keys(String s) {
    return new Cell(
        s == null || s.isEmpty() ? "" : "<code>" + esc(s) + "</code>", "keys", null, null);
  }

  static Cell badge(String key, String status) {
    return new Cell(
        "<span class=\"badge " + esc(status) + "\">" + esc(status) + "</span>", "", key, status);
  }

  static Cell count(String key, long n) {
    return new Cell(Html.count(n), "num", key, Long.toString(n));
  }

  static Cell money(String key, BigDecimal v) {
    return new Cell(Html.money(v), "num", key, Html.exact(v));
  }

  /** The table, or {@code whenEmpty} as a note when it has no row. */
  String html(String whenEmpty) {
    if (rows.isEmpty()) {
      return "<p class=\"empty\">" + esc(whenEmpty) + "</p>";
    }
    StringBuilder b = new StringBuilder("<table><thead><tr>");
    headers.forEach(h -> b.append("<th>").append(esc(h)).append("</th>"));
    b.append("</tr></thead><tbody>");
    for (List<Cell> r : rows) {
      b.append("<tr>");
      for (int i = 0; i < r.size(); i++) {
        Cell c = r.get(i);
        b.append("<td data-label=\"").append(esc(headers.get(i))).append('"');
        if (!c.cssClass().isEmpty()) {
          b.append(" class=\"").append(c.cssClass()).append('"');
        }
        if (c.key() != null) {
          b.append(" data-key=\"")
              .append(esc(c.key()))
              .append("\" data-value=\"")
              .append(esc(c.value()))
              .append('"');
        }
        b.append('>').append(c.html()).append("</td>");
      }
      b.append("</tr>");
    }
    return b.append("</tbody></table>").toString();
  }
}
