package io.c360.transforms.scd2;

import io.c360.transforms.model.Entities;
import io.c360.transforms.model.EntitySpec;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.annotation.Nullable;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.apache.beam.sdk.values.Row;

/**
 * Random SCD2 scenarios for the property tests: day batches of customer rows for a few keys, with
 * and without updated_at, late and early times, collisions on valid_from, snapshot and delta days,
 * delivered in random day order.
 */
final class Scd2Scenario {
  static final Instant BASE = Instant.parse("2024-03-01T00:00:00Z");

  private Scd2Scenario() {}

  /** One landed customer row; tracked and Type 1 values in {@link DimensionSpec#CUSTOMER} order. */
  static final class RowSpec implements Serializable {
    final String key;
    final @Nullable Instant updatedAt;
    final List<Object> tracked;
    final List<Object> type1;
    final String file;
    final long line;

    RowSpec(
        String key,
        @Nullable Instant updatedAt,
        List<Object> tracked,
        List<Object> type1,
        String file,
        long line) {
      this.key = key;
      this.updatedAt = updatedAt;
      this.tracked = tracked;
      this.type1 = type1;
      this.file = file;
      this.line = line;
    }

    RowSpec withKey(String k) {
      return new RowSpec(k, updatedAt, tracked, type1, file, line);
    }

    RowSpec at(String f, long l) {
      return new RowSpec(key, updatedAt, tracked, type1, f, l);
    }

    Instant validFrom(Instant dayStart) {
      return updatedAt == null ? dayStart : updatedAt;
    }

    Event event(Instant dayStart) {
      return Event.change(validFrom(dayStart), tracked, type1, file, line);
    }

    /** A typed row of {@code Entities.CUSTOMERS}, as the dedup stage hands it to the merge. */
    Row toRow() {
      Map<String, Object> v = new LinkedHashMap<>();
      v.put(EntitySpec.SOURCE_FILE, file);
      v.put(EntitySpec.LINE_NO, line);
      v.put("customer_id", key);
      List<String> tr = DimensionSpec.CUSTOMER.trackedColumns();
      for (int i = 0; i < tr.size(); i++) {
        v.put(tr.get(i), tracked.get(i));
      }
      List<String> t1 = DimensionSpec.CUSTOMER.type1Columns();
      for (int i = 0; i < t1.size(); i++) {
        v.put(t1.get(i), type1.get(i));
      }
      v.put("updated_at", updatedAt);
      return Row.withSchema(Entities.CUSTOMERS.typedSchema()).withFieldValues(v).build();
    }

    @Override
    public String toString() {
      return key + "@" + updatedAt + tracked + type1 + "(" + file + ":" + line + ")";
    }
  }

  /** One run: its date (as the instant of runDate 00:00), mode and deduplicated rows. */
  static final class Batch implements Serializable {
    final Instant dayStart;
    final Scd2.Mode mode;
    final List<RowSpec> rows;

    Batch(Instant dayStart, Scd2.Mode mode, List<RowSpec> rows) {
      this.dayStart = dayStart;
      this.mode = mode;
      this.rows = rows;
    }

    Map<String, List<Event>> eventsByKey() {
      return rows.stream()
          .collect(
              Collectors.groupingBy(
                  r -> r.key,
                  TreeMap::new,
                  Collectors.mapping(r -> r.event(dayStart), Collectors.toList())));
    }

    @Override
    public String toString() {
      return "Batch{" + dayStart + ", " + mode + ", " + rows + "}";
    }
  }

  static Arbitrary<RowSpec> rows(int keys) {
    Arbitrary<Instant> times =
        Arbitraries.integers()
            .between(0, 29)
            .map(s -> BASE.plus(Duration.ofDays(s / 3)).plus(Duration.ofHours((s % 3) * 8L)))
            .injectNull(0.3);
    return Combinators.combine(
            Arbitraries.integers().between(0, keys - 1),
            times,
            Arbitraries.of("Ann", "Bob"),
            Arbitraries.of("Oslo", "Rome").injectNull(0.3),
            Arbitraries.of("SMB", "Enterprise").injectNull(0.2),
            Arbitraries.of("A1", "A2").injectNull(0.5),
            Arbitraries.of(LocalDate.parse("2020-01-01"), LocalDate.parse("2021-06-30"))
                .injectNull(0.5),
            Arbitraries.of("a.csv", "b.csv"))
        .as(
            (k, t, name, city, segment, account, created, file) ->
                new RowSpec(
                    "c" + k,
                    t,
                    Arrays.asList(name, null, city, null, segment, null),
                    Arrays.asList(account, created),
                    "s3://land/customers/" + file,
                    0));
  }

  static Arbitrary<Batch> batches(int keys, int maxRows) {
    return Combinators.combine(
            Arbitraries.integers().between(0, 9),
            Arbitraries.of(Scd2.Mode.values()),
            rows(keys).list().ofMaxSize(maxRows))
        .as(
            (day, mode, rows) -> {
              List<RowSpec> numbered = new ArrayList<>();
              for (int i = 0; i < rows.size(); i++) {
                numbered.add(rows.get(i).at(rows.get(i).file, i + 2));
              }
              return new Batch(BASE.plus(Duration.ofDays(day)), mode, numbered);
            });
  }

  static Arbitrary<List<Batch>> scenarios(int keys) {
    return scenarios(keys, 10);
  }

  /** 1 to 5 day batches of up to {@code maxRows} rows over {@code keys} keys. */
  static Arbitrary<List<Batch>> scenarios(int keys, int maxRows) {
    return batches(keys, maxRows).list().ofMinSize(1).ofMaxSize(5);
  }

  /** Later line wins: higher source file, then higher line. */
  static final Comparator<RowSpec> LINE_ORDER =
      Comparator.<RowSpec, String>comparing(r -> r.file).thenComparingLong(r -> r.line);
}
