package io.c360.transforms.dedup;

import java.math.BigDecimal;
import java.util.List;
import org.apache.beam.sdk.values.Row;

/**
 * Deterministic text keys of row values, for grouping with a deterministic coder.
 *
 * <p>Each value is written with a length prefix and null has its own marker, so no two different
 * value lists share a key and null is a value of its own (traffic account_id may be null). Decimals
 * compare by value ({@code 10.5} = {@code 10.50}); other values by their canonical {@code toString}
 * (Instant, LocalDate, Long, Boolean, String).
 */
final class RowKeys {
  private RowKeys() {}

  static String of(Row row, List<String> fields) {
    StringBuilder b = new StringBuilder();
    for (String f : fields) {
      Object v = row.getValue(f);
      if (v == null) {
        b.append('~');
        continue;
      }
      String s =
          v instanceof BigDecimal
              ? ((BigDecimal) v).stripTrailingZeros().toPlainString()
              : v.toString();
      b.append(s.length()).append(':').append(s);
    }
    return b.toString();
  }
}
