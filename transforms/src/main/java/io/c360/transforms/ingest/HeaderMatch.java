package io.c360.transforms.ingest;

import io.c360.transforms.model.EntitySpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Matches a file's header (CSV header row or Parquet field names) to an entity's declared columns
 * (SPEC §1): case-insensitively after trimming, in any order. Missing required columns, duplicate
 * columns or a header that is not text fail the file with an {@link IngestException} naming it.
 */
final class HeaderMatch {
  private static final int MAX_SHOWN = 30;

  /** For each declared column, its index in {@code found}, or -1 when the file lacks it. */
  final int[] indexOfColumn;

  /** Header names that match no declared column, as found in the file. */
  final List<String> unknown;

  private HeaderMatch(int[] indexOfColumn, List<String> unknown) {
    this.indexOfColumn = indexOfColumn;
    this.unknown = unknown;
  }

  static String normalize(String name) {
    return name.replace("\uFEFF", "").trim().toLowerCase(Locale.ROOT);
  }

  static HeaderMatch resolve(String file, EntitySpec entity, List<String> found, String what) {
    for (String h : found) {
      if (!looksLikeText(h)) {
        throw new IngestException(
            file
                + ": not a UTF-8 "
                + what
                + " (binary or undecodable bytes in the header); expected a header with columns "
                + entity.columnNames());
      }
    }
    Map<String, Integer> byName = new HashMap<>();
    List<String> unknown = new ArrayList<>();
    for (int i = 0; i < found.size(); i++) {
      String n = normalize(found.get(i));
      boolean declared = entity.column(n).isPresent();
      if (declared && byName.putIfAbsent(n, i) != null) {
        throw new IngestException(
            file + ": column " + n + " appears twice in the header " + shown(found));
      }
      if (!declared) {
        unknown.add(found.get(i));
      }
    }
    List<String> missing = new ArrayList<>();
    for (String required : entity.requiredColumnNames()) {
      if (!byName.containsKey(required)) {
        missing.add(required);
      }
    }
    if (!missing.isEmpty()) {
      throw new IngestException(
          file
              + ": missing required columns "
              + missing
              + "; expected columns "
              + entity.columnNames()
              + " (required "
              + entity.requiredColumnNames()
              + "), found "
              + shown(found));
    }
    List<String> names = entity.columnNames();
    int[] idx = new int[names.size()];
    for (int c = 0; c < idx.length; c++) {
      idx[c] = byName.getOrDefault(names.get(c), -1);
    }
    return new HeaderMatch(idx, unknown);
  }

  private static boolean looksLikeText(String s) {
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch == '\uFFFD' || (ch < 0x20 && ch != '\t')) {
        return false;
      }
    }
    return true;
  }

  private static String shown(List<String> found) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < Math.min(found.size(), MAX_SHOWN); i++) {
      String h = found.get(i);
      out.add(h.length() > 80 ? h.substring(0, 80) + "…" : h);
    }
    return out + (found.size() > MAX_SHOWN ? " (+" + (found.size() - MAX_SHOWN) + " more)" : "");
  }
}
