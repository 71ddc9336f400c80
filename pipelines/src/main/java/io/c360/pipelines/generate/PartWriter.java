package io.c360.pipelines.generate;

import io.c360.pipelines.generate.GenerationReport.FileEntry;
import io.c360.pipelines.generate.GeneratorConfig.Format;
import io.c360.transforms.model.ColumnType;
import io.c360.transforms.model.EntitySpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes one landing file (a part): rolls its file knobs (shuffled columns, extra column, gzip,
 * BOM, CRLF) from its own stream, pulls rows from a {@link RowSource}, interleaves the extra rows
 * the source queued, and returns the file's entry and tally. Safe to call from parallel threads for
 * different parts.
 */
final class PartWriter {
  private final Plan plan;

  PartWriter(Plan plan) {
    this.plan = plan;
  }

  /** Produces the rows of one part, in the entity's declared column order. */
  interface RowSource {
    /** The next row, or null when the part has no more base rows. */
    String[] next(PartContext ctx);
  }

  /**
   * A written part: its report entry, its tally, and the rows it deferred to the day's last file.
   */
  record Result(FileEntry file, Map<String, Long> tally, List<String[]> laterFile) {}

  /**
   * Writes part {@code part} (0-based) of {@code spec} on {@code day}: at most {@code target} rows
   * ({@code Long.MAX_VALUE}: until the source is exhausted and every queued extra is written).
   * {@code pre} is added to the part's tally (day knobs counted while choosing the rows).
   */
  Result write(
      EntitySpec spec, int day, int part, RowSource src, long target, Map<String, Long> pre)
      throws IOException {
    GeneratorConfig cfg = plan.cfg;
    String entity = spec.name();
    LocalDate dt = plan.date(day);
    Rng fr = Rng.of(plan.seed, "file:" + entity, day, part);
    boolean shuffled = fr.chance(cfg.rate(Defect.SHUFFLED_COLUMNS));
    boolean extra = fr.chance(cfg.rate(Defect.EXTRA_COLUMN));
    boolean csv = cfg.format() == Format.CSV;
    boolean gzip = fr.chance(cfg.rate(Defect.GZIP)) && csv;
    boolean bom = fr.chance(cfg.rate(Defect.BOM)) && csv;
    boolean crlf = fr.chance(plan.spelling > 0 ? 0.3 : 0) && csv;

    List<String> names = spec.columnNames();
    int n = names.size();
    // order[i] = canonical index of the i-th file column; -1 = the extra column
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      order.add(i);
    }
    if (shuffled) {
      fr.shuffle(order);
    }
    if (extra) {
      order.add(fr.nextInt(order.size() + 1), -1);
    }
    String[] header = new String[order.size()];
    for (int i = 0; i < header.length; i++) {
      int c = order.get(i);
      String h = c < 0 ? "ingest_batch" : names.get(c);
      if (shuffled && csv && fr.chance(0.3)) {
        h = fr.chance(0.5) ? h.toUpperCase(Locale.ROOT) : " " + h + " ";
      }
      header[i] = h;
    }
    String extraValue = "batch-" + dt + "-" + (part + 1);

    Path dir = plan.folder(entity, dt);
    Files.createDirectories(dir);
    String fileName =
        String.format(
            Locale.ROOT,
            "%s_%s_part-%03d%s",
            entity,
            dt,
            part + 1,
            csv ? (gzip ? ".csv.gz" : ".csv") : ".parquet");
    Path file = dir.resolve(fileName);

    PartContext ctx =
        new PartContext(Rng.of(plan.seed, "rows:" + entity, day, part), target, plan.spelling);
    pre.forEach((key, v) -> ctx.tally.merge(key, v, Long::sum));
    // File knobs count files, not rows.
    Map<Defect, Boolean> fileKnobs =
        Map.of(
            Defect.SHUFFLED_COLUMNS,
            shuffled,
            Defect.EXTRA_COLUMN,
            extra,
            Defect.GZIP,
            gzip,
            Defect.BOM,
            bom);
    fileKnobs.forEach(
        (d, on) -> {
          if (on) {
            ctx.tally.merge(d.key(), 1L, Long::sum);
          }
        });
    String[] out = new String[header.length];
    boolean done = false;
    try (RowWriter w =
        csv
            ? new RowWriter.Csv(file, header, gzip, bom, crlf)
            : new RowWriter.Parquet(file, entity, header, parquetKinds(spec, order))) {
      while (ctx.written + ctx.laterFile.size() < target) {
        String[] row;
        if (ctx.extraDue()) {
          row = ctx.pollExtra();
        } else if (done || (target != Long.MAX_VALUE && ctx.used() >= target)) {
          if (!ctx.hasExtra()) {
            break;
          }
          row = ctx.pollExtra();
        } else {
          ctx.spelledRow = false;
          row = src.next(ctx);
          if (row == null) {
            done = true;
            continue;
          }
          if (ctx.spelledRow) {
            ctx.tally.merge(Defect.SPELLING.key(), 1L, Long::sum);
          }
        }
        for (int i = 0; i < out.length; i++) {
          int c = order.get(i);
          out[i] = c < 0 ? extraValue : row[c];
        }
        w.write(out);
        ctx.written++;
      }
    }
    String rel = cfg.output().relativize(file).toString().replace('\\', '/');
    FileEntry fe =
        new FileEntry(
            rel,
            entity,
            dt,
            ctx.written,
            csv ? "csv" : "parquet",
            gzip,
            bom,
            crlf,
            shuffled,
            extra);
    return new Result(fe, ctx.tally, ctx.laterFile);
  }

  /** Integers as INT64 and decimals as DOUBLE where the file's values allow; the rest strings. */
  private static RowWriter.Parquet.Kind[] parquetKinds(EntitySpec spec, List<Integer> order) {
    RowWriter.Parquet.Kind[] k = new RowWriter.Parquet.Kind[order.size()];
    for (int i = 0; i < k.length; i++) {
      int c = order.get(i);
      ColumnType t = c < 0 ? ColumnType.STRING : spec.columns().get(c).type();
      k[i] =
          t == ColumnType.INTEGER
              ? RowWriter.Parquet.Kind.LONG
              : t == ColumnType.DECIMAL
                  ? RowWriter.Parquet.Kind.DOUBLE
                  : RowWriter.Parquet.Kind.STRING;
    }
    return k;
  }
}
