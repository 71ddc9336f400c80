package io.c360.pipelines.testing;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Deterministic sales files for runner tests: {@code <root>/sales/dt=<day>/part-N.csv}, with
 * returns, cancellations, sales of the previous day (late arrivals), quoted fields holding commas,
 * quotes and newlines, and malformed rows whose rule the test knows in advance.
 */
public final class LandingZone {
  /** A row written to be rejected: file, record number (header = 1) and the rule it breaks. */
  public record Malformed(String file, long line, String rule) {}

  private LandingZone() {}

  /**
   * Writes {@code files} files of {@code rowsPerFile} rows for {@code day}; returns the malformed.
   */
  public static List<Malformed> writeSales(
      Path root, LocalDate day, int files, int rowsPerFile, long seed) throws IOException {
    Path dir = root.resolve("sales").resolve("dt=" + day);
    Files.createDirectories(dir);
    Random rnd = new Random(seed);
    List<Malformed> malformed = new ArrayList<>();
    for (int f = 0; f < files; f++) {
      Path file = dir.resolve("part-" + f + ".csv");
      try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        // Column order differs from the entity contract on purpose: matching is by header name.
        w.write("Transaction_ID,customer_id,order_id,quantity,amount,status,transaction_ts,note\n");
        // Record number with the header as 1: quoted newlines in `note` make it differ from the
        // physical line, which the representative pipeline does not track.
        long line = 2;
        for (int i = 0; i < rowsPerFile; i++) {
          String id = day + "-" + f + "-" + i;
          String customer = "C" + (1 + rnd.nextInt(60));
          String order = "O" + day + "-" + (i / 3);
          int qty = 1 + rnd.nextInt(5);
          String amount = qty * (5 + rnd.nextInt(200)) + "." + (10 + rnd.nextInt(90));
          String status = rnd.nextInt(10) == 0 ? "cancelled" : "completed";
          if (rnd.nextInt(15) == 0) {
            status = "returned";
            amount = "-" + amount;
          }
          LocalDate salesDay = rnd.nextInt(5) == 0 ? day.minusDays(1) : day;
          String ts = salesDay + "T" + String.format("%02d:%02d:00Z", rnd.nextInt(24), i % 60);
          String note = i % 7 == 0 ? "\"gift, \"\"wrapped\"\"\nsecond line\"" : "";
          int broken = i % 53 == 17 ? 1 + rnd.nextInt(4) : 0;
          long rowLine = line;
          switch (broken) {
            case 1 -> {
              malformed.add(new Malformed(file.toString(), rowLine, "type:quantity"));
            }
            case 2 -> {
              customer = "";
              malformed.add(new Malformed(file.toString(), rowLine, "not_null:customer_id"));
            }
            case 3 -> {
              amount = "12,50";
              malformed.add(new Malformed(file.toString(), rowLine, "type:amount"));
            }
            case 4 -> {
              ts = "yesterday";
              malformed.add(new Malformed(file.toString(), rowLine, "type:transaction_ts"));
            }
            default -> {}
          }
          String quantity = broken == 1 ? "one" : Integer.toString(qty);
          String amountField = amount.contains(",") ? "\"" + amount + "\"" : amount;
          w.write(
              String.join(",", id, customer, order, quantity, amountField, status, ts, note)
                  + "\n");
          line++;
        }
      }
    }
    return malformed;
  }
}
