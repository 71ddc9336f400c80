package io.c360.pipelines.generate;

import io.c360.transforms.model.Column;
import io.c360.transforms.model.EntitySpec;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a landing folder actually contains, judged by SPEC §1–§2 from the files alone (not from the
 * generator's report): the first rule each row fails, relationship outcomes, duplicates and
 * conflicts by natural key, and the variety knobs.
 */
final class Observed {
  /** entity → rule → rows. */
  final Map<String, Map<String, Long>> rules = new TreeMap<>();

  final Map<Defect, Long> kinds = new EnumMap<>(Defect.class);

  Observed(Landing landing) {
    for (Defect d : Defect.values()) {
      kinds.put(d, 0L);
    }
    TreeSet<LocalDate> dates = new TreeSet<>();
    landing.files.forEach(f -> dates.add(f.date()));
    // Valid dimension ids by the date they first land.
    Map<String, Map<LocalDate, Set<String>>> validIds = new HashMap<>();
    Map<String, Instant> latestVersion = new HashMap<>();
    for (LocalDate dt : dates) {
      for (String dim : List.of("customers", "products", "channels", "campaigns")) {
        Set<String> ids = new HashSet<>();
        Map<String, Set<Instant>> versionsToday = new HashMap<>();
        Map<String, Instant> latestToday = new HashMap<>();
        EntitySpec spec = GeneratedEntities.byName(dim);
        for (Map<String, String> row : landing.rows(dim, dt)) {
          String rule = firstRule(spec, row, dt);
          count(dim, rule);
          if (rule != null) {
            continue;
          }
          String id = id(row.get(spec.naturalKey().get(0)));
          ids.add(id);
          if (dim.equals("customers")) {
            Instant v = ts(row.get("updated_at"));
            versionsToday.computeIfAbsent(id, x -> new HashSet<>()).add(v);
            Instant before = latestVersion.get(id);
            if (before != null && v.isBefore(before)) {
              add(Defect.LATE_CHANGE, 1);
            }
            latestToday.merge(id, v, (a, b) -> a.isAfter(b) ? a : b);
          }
        }
        versionsToday.values().forEach(v -> add(Defect.SAME_DAY_VERSIONS, v.size() > 1 ? 1 : 0));
        latestToday.forEach((id, v) -> latestVersion.merge(id, v, (a, b) -> a.isAfter(b) ? a : b));
        validIds.computeIfAbsent(dim, x -> new HashMap<>()).put(dt, ids);
        dedup(spec, landing.rows(dim, dt), dt);
      }
    }
    for (LocalDate dt : dates) {
      Set<String> customers = idsUpTo(validIds.get("customers"), dt);
      Set<String> nextCustomers = validIds.get("customers").getOrDefault(dt.plusDays(1), Set.of());
      Map<String, Set<String>> known =
          Map.of(
              "customers",
              customers,
              "products",
              idsUpTo(validIds.get("products"), dt),
              "channels",
              idsUpTo(validIds.get("channels"), dt),
              "campaigns",
              idsUpTo(validIds.get("campaigns"), dt));
      for (String fact : List.of("sales", "traffic", "web_events", "inventory")) {
        EntitySpec spec = GeneratedEntities.byName(fact);
        List<Map<String, String>> rows = landing.rows(fact, dt);
        rows:
        for (Map<String, String> row : rows) {
          String rule = firstRule(spec, row, dt);
          // SPEC §2/§8: a non-null reference unknown to its dimension waits (first column first)
          for (Map.Entry<String, String> ref :
              rule == null
                  ? spec.relationships().entrySet()
                  : Set.<Map.Entry<String, String>>of()) {
            String v = row.get(ref.getKey());
            if (v.isBlank() || known.get(ref.getValue()).contains(id(v))) {
              continue;
            }
            if (ref.getKey().equals("customer_id") && nextCustomers.contains(id(v))) {
              add(Defect.PENDING_CUSTOMER, 1);
              continue rows;
            }
            rule = "relationships:" + ref.getKey();
            break;
          }
          count(fact, rule);
          if (rule == null && fact.equals("sales")) {
            salesKinds(row, dt);
          }
        }
        dedup(spec, rows, dt);
      }
    }
    for (Landing.LandedFile f : landing.files) {
      add(Defect.BOM, f.bom() ? 1 : 0);
      add(Defect.GZIP, f.gzip() ? 1 : 0);
      List<String> keys = f.header().stream().map(Landing::key).toList();
      List<String> declared = GeneratedEntities.byName(f.entity()).columnNames();
      add(Defect.EXTRA_COLUMN, declared.containsAll(keys) ? 0 : 1);
      List<String> known = keys.stream().filter(declared::contains).toList();
      add(Defect.SHUFFLED_COLUMNS, known.equals(declared) ? 0 : 1);
      for (Map<String, String> row : f.rows()) {
        add(Defect.SPELLING, spelled(GeneratedEntities.byName(f.entity()), row) ? 1 : 0);
      }
    }
    kinds.put(Defect.FK_BREAK, sumRules("relationships:"));
    kinds.put(Defect.NOT_NULL, sumRules("not_null:"));
    kinds.put(Defect.TYPE_ERROR, sumRules("type:"));
    kinds.put(Defect.ACCEPTED_VALUES, sumRules("accepted_values:"));
    kinds.put(Defect.NEGATIVE_AMOUNT, sumRules("business:negative_amount"));
    kinds.put(Defect.FUTURE_DATE, sumRules("business:future_date"));
    kinds.put(Defect.AMOUNT_MISMATCH, sumRules("business:amount_mismatch"));
    kinds.put(Defect.NEGATIVE_STOCK, sumRules(GeneratedEntities.NEGATIVE_STOCK));
    kinds.put(Defect.CAMPAIGN_DATES, sumRules(GeneratedEntities.CAMPAIGN_DATES));
  }

  long kind(Defect d) {
    return kinds.get(d);
  }

  Map<String, Long> rules(String entity) {
    return rules.getOrDefault(entity, Map.of());
  }

  private long sumRules(String prefix) {
    return rules.values().stream()
        .flatMap(m -> m.entrySet().stream())
        .filter(e -> e.getKey().startsWith(prefix))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  private void add(Defect d, long n) {
    kinds.merge(d, n, Long::sum);
  }

  private void count(String entity, String rule) {
    if (rule != null) {
      rules.computeIfAbsent(entity, e -> new TreeMap<>()).merge(rule, 1L, Long::sum);
    }
  }

  private static Set<String> idsUpTo(Map<LocalDate, Set<String>> byDate, LocalDate dt) {
    Set<String> out = new HashSet<>();
    byDate.forEach(
        (d, ids) -> {
          if (!d.isAfter(dt)) {
            out.addAll(ids);
          }
        });
    return out;
  }

  private void salesKinds(Map<String, String> row, LocalDate dt) {
    long q = integer(row.get("quantity"));
    String status = status(row.get("status"));
    if (status.equals("completed")
        && row.get("amount").isBlank()
        && !row.get("unit_price").isBlank()) {
      add(Defect.MISSING_AMOUNT, 1);
    }
    if (Math.abs(q) >= 200) {
      add(Defect.OUTLIER, 1);
    }
    if (ts(row.get("transaction_ts")).isBefore(dt.atStartOfDay(ZoneOffset.UTC).toInstant())) {
      add(Defect.LATE_SALE, 1);
    }
  }

  /** Exact duplicates and same-key conflicts among the valid rows of one entity-day. */
  private void dedup(EntitySpec spec, List<Map<String, String>> rows, LocalDate dt) {
    Map<String, List<Map<String, String>>> byKey = new HashMap<>();
    for (Map<String, String> row : rows) {
      if (firstRule(spec, row, dt) != null) {
        continue;
      }
      StringBuilder k = new StringBuilder();
      for (String c : spec.naturalKey()) {
        k.append(id(row.get(c))).append('|');
      }
      spec.versionColumn().ifPresent(v -> k.append(ts(row.get(v))));
      List<Map<String, String>> seen = byKey.computeIfAbsent(k.toString(), x -> new ArrayList<>());
      if (!seen.isEmpty()) {
        add(seen.contains(row) ? Defect.DUPLICATE : Defect.CONFLICT, 1);
      }
      seen.add(row);
    }
  }

  /** The first SPEC §2 rule a row fails (relationships excluded), or null. */
  static String firstRule(EntitySpec spec, Map<String, String> row, LocalDate dt) {
    for (Column c : spec.columns()) {
      String v = row.get(c.name());
      if (v == null) {
        throw new AssertionError(spec.name() + " row lacks column " + c.name() + ": " + row);
      }
      if (v.isBlank()) {
        if (c.isRequired()) {
          return "not_null:" + c.name();
        }
        continue;
      }
      String t = v.trim();
      switch (c.type()) {
        case DATE -> {
          try {
            LocalDate.parse(t);
          } catch (DateTimeParseException e) {
            return "type:" + c.name();
          }
        }
        case TIMESTAMP -> {
          if (ts(t) == null) {
            return "type:" + c.name();
          }
        }
        case DECIMAL -> {
          if (!t.matches("-?\\d+(\\.\\d+)?")) {
            return "type:" + c.name();
          }
        }
        case INTEGER -> {
          if (!t.matches("-?\\d+(\\.0+)?")) {
            return "type:" + c.name();
          }
        }
        case EMAIL -> {
          int at = t.indexOf('@');
          if (at < 0 || t.indexOf('@', at + 1) >= 0 || !t.substring(at + 1).contains(".")) {
            return "type:" + c.name();
          }
        }
        case ENUM -> {
          if (c.acceptedValues().stream().noneMatch(a -> a.equalsIgnoreCase(t))) {
            return "accepted_values:" + c.name();
          }
        }
        default -> {}
      }
    }
    if (spec.name().equals("inventory") && integer(row.get("on_hand")) < 0) {
      return GeneratedEntities.NEGATIVE_STOCK;
    }
    if (spec.name().equals("campaigns")
        && !row.get("end_date").isBlank()
        && LocalDate.parse(row.get("end_date").trim())
            .isBefore(LocalDate.parse(row.get("start_date").trim()))) {
      return GeneratedEntities.CAMPAIGN_DATES;
    }
    if (spec.name().equals("sales")) {
      String status = status(row.get("status"));
      long q = integer(row.get("quantity"));
      BigDecimal amount = decimal(row.get("amount"));
      BigDecimal price = decimal(row.get("unit_price"));
      boolean negative =
          (status.equals("completed") && (q <= 0 || (amount != null && amount.signum() < 0)))
              || (status.equals("returned") && amount != null && amount.signum() > 0);
      if (negative) {
        return "business:negative_amount";
      }
      Instant limit = dt.plusDays(2).atStartOfDay(ZoneOffset.UTC).toInstant();
      if (ts(row.get("transaction_ts")).isAfter(limit)) {
        return "business:future_date";
      }
      if (amount != null && price != null) {
        BigDecimal diff = amount.subtract(price.multiply(BigDecimal.valueOf(q))).abs();
        BigDecimal tol = BigDecimal.ONE.max(amount.abs()).multiply(new BigDecimal("0.01"));
        if (diff.compareTo(tol) > 0) {
          return "business:amount_mismatch";
        }
      }
    }
    return null;
  }

  /** Whether a row carries value-preserving spelling variety. */
  static boolean spelled(EntitySpec spec, Map<String, String> row) {
    for (Column c : spec.columns()) {
      String v = row.get(c.name());
      if (v == null) {
        continue;
      }
      if (v.isEmpty() && c.name().equals("status")) {
        return true; // empty status = completed
      }
      if (v.isBlank()) {
        continue;
      }
      switch (c.type()) {
        case ID -> {
          if (v.endsWith(".0")) {
            return true;
          }
        }
        case EMAIL -> {
          if (!v.equals(v.toLowerCase(Locale.ROOT)) && v.contains("@")) {
            return true;
          }
        }
        case COUNTRY -> {
          if (v.length() == 2 && v.equals(v.toLowerCase(Locale.ROOT))) {
            return true;
          }
        }
        case NAME -> {
          if (v.contains("  ") || !v.equals(v.trim()) || v.contains("\"") || v.contains("\n")) {
            return true;
          }
        }
        case ENUM -> {
          boolean canonical = c.acceptedValues().contains(v);
          boolean accepted =
              c.acceptedValues().stream().anyMatch(a -> a.equalsIgnoreCase(v.trim()));
          if (accepted && !canonical) {
            return true;
          }
        }
        case TIMESTAMP -> {
          if (!v.endsWith("Z") && ts(v) != null) {
            return true;
          }
        }
        default -> {}
      }
    }
    return false;
  }

  static String id(String v) {
    String t = v.trim();
    return t.endsWith(".0") ? t.substring(0, t.length() - 2) : t;
  }

  static String status(String v) {
    return v == null || v.isBlank() ? "completed" : v.trim().toLowerCase(Locale.ROOT);
  }

  static long integer(String v) {
    return new BigDecimal(v.trim()).longValueExact();
  }

  static BigDecimal decimal(String v) {
    return v == null || v.isBlank() ? null : new BigDecimal(v.trim());
  }

  /** SPEC §1 timestamps: T or space, with or without offset; naive = UTC. Null if unparsable. */
  static Instant ts(String v) {
    String t = v.trim().replace(' ', 'T');
    try {
      return OffsetDateTime.parse(t).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }
}
