package io.c360.transforms.ingest;

import io.c360.transforms.model.Entities;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Count;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Ingest benchmark: writes a sales CSV of {@code rows} rows (once) under {@code dir} and times
 * ReadEntity + Count over it, {@code runs} times, printing the median rows/s. Extra arguments are
 * Beam options ({@code --runner=FlinkRunner --flinkMaster=[local] --parallelism=2}).
 *
 * <p>Usage: {@code IngestBench <dir> <rows> <runs> [beam options…]}; see bench/ingest.sh.
 */
public final class IngestBench {
  private static final LocalDate DT = LocalDate.of(2026, 3, 14);

  private IngestBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = Paths.get(args[0]);
    long rows = Long.parseLong(args[1]);
    int runs = Integer.parseInt(args[2]);
    String[] beamArgs = Arrays.copyOfRange(args, 3, args.length);
    Path file = dir.resolve("sales").resolve("dt=" + DT).resolve("sales-" + rows + ".csv");
    if (!Files.exists(file)) {
      write(file, rows);
    }
    System.out.printf("file %s: %,d bytes, %,d rows%n", file, Files.size(file), rows);
    List<Double> rates = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      PipelineOptions options = PipelineOptionsFactory.fromArgs(beamArgs).create();
      Pipeline p = Pipeline.create(options);
      p.apply("ReadSales", ReadEntity.of(Entities.SALES).from(dir.toString()).forDate(DT))
          .get(ReadEntity.ROWS)
          .apply("CountRows", Count.globally());
      long t0 = System.nanoTime();
      PipelineResult result = p.run();
      result.waitUntilFinish();
      double seconds = (System.nanoTime() - t0) / 1e9;
      long parsed = counter(result, "rows_parsed");
      if (parsed != rows) {
        throw new IllegalStateException("parsed " + parsed + " rows, expected " + rows);
      }
      double rate = rows / seconds;
      rates.add(rate);
      System.out.printf(
          "run %d: %.1f s, %,.0f rows/s, ranges=%d%n",
          i + 1, seconds, rate, counter(result, "csv_ranges"));
    }
    Collections.sort(rates);
    System.out.printf(
        "RESULT median %,.0f rows/s over %d runs%n", rates.get(rates.size() / 2), runs);
  }

  private static long counter(PipelineResult result, String name) {
    return ReadEntity.counters(result.metrics(), Entities.SALES).getOrDefault(name, 0L);
  }

  /** A deterministic sales file shaped like the generator's (ids, amounts, timestamps). */
  static void write(Path file, long rows) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Random r = new Random(42);
    String[] statuses = {"completed", "completed", "completed", "cancelled", "returned"};
    try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
        CSVPrinter out = new CSVPrinter(w, CSVFormat.RFC4180)) {
      out.printRecord(Entities.SALES.columnNames());
      for (long i = 0; i < rows; i++) {
        int q = 1 + r.nextInt(5);
        String price = (1 + r.nextInt(500)) + "." + (10 + r.nextInt(90));
        out.printRecord(
            "T" + i,
            "O" + i / 3,
            "C" + r.nextInt(100_000),
            "P" + r.nextInt(1_000),
            "S" + r.nextInt(50),
            q,
            price,
            r.nextInt(10) == 0
                ? ""
                : new java.math.BigDecimal(price).multiply(java.math.BigDecimal.valueOf(q)),
            statuses[r.nextInt(statuses.length)],
            String.format(
                "2026-03-14 %02d:%02d:%02d", r.nextInt(24), r.nextInt(60), r.nextInt(60)));
      }
    }
    Files.move(tmp, file);
  }
}
