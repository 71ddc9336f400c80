package io.c360.pipelines.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one {@link Generator#generate} run wrote, as also stored in {@code <output>/_generator.json}
 * (no wall-clock values, so it is as deterministic as the data).
 *
 * <p>{@code injected} counts, per entity and date, each knob ({@link Defect#key()}) and each rule
 * the loader is expected to report for it at first sight ({@code rule:not_null:quantity}, {@code
 * rule:relationships:customer_id}, ...). A row carries at most one knob. Duplicate and conflict
 * counts are the extra rows written (each should be deduplicated or superseded once); pending
 * customers' sales go pending on their day and load the next day.
 *
 * @param config the arguments
 * @param files every data file written, in write order
 * @param rows entity → date → data rows written (header excluded)
 * @param injected entity → date → knob or {@code rule:<rule>} → count
 */
public record GenerationReport(
    GeneratorConfig config,
    List<FileEntry> files,
    Map<String, Map<LocalDate, Long>> rows,
    Map<String, Map<LocalDate, Map<String, Long>>> injected) {

  /** File name of the run description, directly under the output folder. */
  public static final String FILE_NAME = "_generator.json";

  /**
   * One landing file.
   *
   * @param path relative to the output folder, with {@code /}
   */
  public record FileEntry(
      String path,
      String entity,
      LocalDate date,
      long rows,
      String format,
      boolean gzip,
      boolean bom,
      boolean crlf,
      boolean shuffledColumns,
      boolean extraColumn) {}

  /**
   * What a loader run for {@code date} (with {@code --timezone} UTC) should count for an entity on
   * first sight of that day's files, per SPEC §2's reconciliation: {@code rowsRead = loaded +
   * quarantined + deduplicated + pending}.
   *
   * @param rowsRead data rows in the day's files
   * @param quarantined rows failing a not_null, type, accepted_values or business rule
   * @param deduplicated exact duplicates plus same-key rows superseded by a later line
   * @param pending sales/traffic rows whose customer, product or channel is not (yet) known: FK
   *     breaks stay pending for good, pending customers load on the next day's run
   * @param loaded the rest
   */
  public record Expected(
      long rowsRead, long quarantined, long deduplicated, long pending, long loaded) {}

  /** The reconciliation a loader should report for an entity's files of one date. */
  public Expected expected(String entity, LocalDate date) {
    Map<String, Long> m = injected.getOrDefault(entity, Map.of()).getOrDefault(date, Map.of());
    long read = rows(entity, date);
    long quarantined = 0;
    long pending = m.getOrDefault(Defect.PENDING_CUSTOMER.key(), 0L);
    for (Map.Entry<String, Long> e : m.entrySet()) {
      if (e.getKey().startsWith("rule:relationships:")) {
        pending += e.getValue();
      } else if (e.getKey().startsWith("rule:")) {
        quarantined += e.getValue();
      }
    }
    long dedup =
        m.getOrDefault(Defect.DUPLICATE.key(), 0L) + m.getOrDefault(Defect.CONFLICT.key(), 0L);
    return new Expected(read, quarantined, dedup, pending, read - quarantined - dedup - pending);
  }

  /** Data rows written for an entity on a date (0 when none). */
  public long rows(String entity, LocalDate date) {
    return rows.getOrDefault(entity, Map.of()).getOrDefault(date, 0L);
  }

  /** Rows of a knob written for an entity over all dates. */
  public long injected(String entity, Defect d) {
    return count(entity, d.key());
  }

  /** Rows of a knob written over all entities and dates. */
  public long injected(Defect d) {
    return injected.keySet().stream().mapToLong(e -> count(e, d.key())).sum();
  }

  /** Rows expected to fail {@code rule} (e.g. {@code not_null:quantity}) for an entity. */
  public long expectedRule(String entity, String rule) {
    return count(entity, "rule:" + rule);
  }

  /** Rule → expected count for an entity, over all dates. */
  public Map<String, Long> expectedRules(String entity) {
    Map<String, Long> out = new TreeMap<>();
    for (Map<String, Long> m : injected.getOrDefault(entity, Map.of()).values()) {
      m.forEach(
          (k, v) -> {
            if (k.startsWith("rule:")) {
              out.merge(k.substring(5), v, Long::sum);
            }
          });
    }
    return out;
  }

  private long count(String entity, String key) {
    return injected.getOrDefault(entity, Map.of()).values().stream()
        .mapToLong(m -> m.getOrDefault(key, 0L))
        .sum();
  }

  /** The JSON document written to {@link #FILE_NAME}. */
  public String toJson() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("generator", "c360 generate");
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("scale", config.scale());
    args.put("days", config.days());
    args.put("start", config.start().toString());
    args.put("end", config.start().plusDays(config.days() - 1L).toString());
    if (config.historyDays() > 0) {
      // only when set, so files of runs without history stay byte-identical
      args.put("history_days", config.historyDays());
      args.put("history_start", config.start().minusDays(config.historyDays()).toString());
    }
    args.put("format", config.format().name().toLowerCase(java.util.Locale.ROOT));
    args.put("seed", config.seed());
    args.put("part_rows", config.partRows());
    Map<String, Object> rates = new LinkedHashMap<>();
    config.rates().forEach((d, r) -> rates.put(d.key(), r));
    args.put("rates", rates);
    root.put("arguments", args);

    Map<String, Object> rowsOut = new LinkedHashMap<>();
    rows.forEach(
        (e, byDate) -> {
          Map<String, Object> m = new LinkedHashMap<>();
          byDate.forEach((d, n) -> m.put(d.toString(), n));
          rowsOut.put(e, m);
        });
    root.put("rows", rowsOut);

    Map<String, Object> totals = new LinkedHashMap<>();
    for (Defect d : Defect.values()) {
      Map<String, Object> perEntity = new LinkedHashMap<>();
      long all = 0;
      for (String e : injected.keySet()) {
        long n = injected(e, d);
        perEntity.put(e, n);
        all += n;
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("total", all);
      m.put("by_entity", perEntity);
      totals.put(d.key(), m);
    }
    root.put("injected_totals", totals);
    Map<String, Object> rules = new LinkedHashMap<>();
    for (String e : injected.keySet()) {
      rules.put(e, expectedRules(e));
    }
    root.put("expected_rules", rules);
    Map<String, Object> recon = new LinkedHashMap<>();
    rows.forEach(
        (e, byDate) -> {
          Map<String, Object> m = new LinkedHashMap<>();
          for (LocalDate d : byDate.keySet()) {
            Expected x = expected(e, d);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("rows_read", x.rowsRead());
            r.put("quarantined", x.quarantined());
            r.put("deduplicated", x.deduplicated());
            r.put("pending", x.pending());
            r.put("loaded", x.loaded());
            m.put(d.toString(), r);
          }
          recon.put(e, m);
        });
    root.put("expected_reconciliation", recon);

    Map<String, Object> detail = new LinkedHashMap<>();
    injected.forEach(
        (e, byDate) -> {
          Map<String, Object> m = new LinkedHashMap<>();
          byDate.forEach((d, counts) -> m.put(d.toString(), counts));
          detail.put(e, m);
        });
    root.put("injected", detail);
    List<Map<String, Object>> fileList = new java.util.ArrayList<>();
    for (FileEntry f : files) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("path", f.path());
      m.put("entity", f.entity());
      m.put("date", f.date().toString());
      m.put("rows", f.rows());
      m.put("format", f.format());
      m.put("gzip", f.gzip());
      m.put("bom", f.bom());
      m.put("crlf", f.crlf());
      m.put("shuffled_columns", f.shuffledColumns());
      m.put("extra_column", f.extraColumn());
      fileList.add(m);
    }
    root.put("files", fileList);
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root)
          + "\n";
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise the generator report", e);
    }
  }

  void write(Path output) throws IOException {
    Files.writeString(output.resolve(FILE_NAME), toJson());
  }
}
