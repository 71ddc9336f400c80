package io.c360.pipelines.generate;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Arguments of one {@link Generator#generate} run. The same config always yields byte-identical
 * files.
 *
 * <pre>{@code
 * GeneratorConfig c = GeneratorConfig.defaults(Path.of("/tmp/landing"))
 *     .toBuilder().scale(0.02).days(3).format(Format.PARQUET).rate(Defect.DUPLICATE, 0).build();
 * }</pre>
 *
 * @param output local folder; entity folders and {@code _generator.json} are written under it
 * @param scale 1.0 = 1,000,000 sales, 200,000 traffic rows and 2,000,000 web events a day, 100,000
 *     customers, 1,000 products (at least 10), 10 channels (never fewer), 50 campaigns (at least
 *     6), 10 shops (at least 3) each with a daily snapshot of every product; every count scales
 *     linearly and is rounded (see {@link Plan})
 * @param days number of consecutive dates to write, from {@code start}
 * @param historyDays 0 (default) or N: the landing zone also carries N days of sales history before
 *     {@code start}, delivered in contiguous slices (oldest first, one per generated day) on top of
 *     each day's own sales, and every customer's versions spread over those N days; see {@link
 *     Generator}
 * @param start first date ({@code dt=} folder) of the run
 * @param format CSV (some files gzip-compressed) or Parquet
 * @param seed every value derives from it
 * @param rates rate per knob, in [0, 1]; knobs absent from the map take their default
 * @param partRows a file holds at most this many rows; larger entity-days are split into parts
 * @param threads parallel file writers
 */
public record GeneratorConfig(
    Path output,
    double scale,
    int days,
    int historyDays,
    LocalDate start,
    Format format,
    long seed,
    Map<Defect, Double> rates,
    int partRows,
    int threads) {

  /** Output file format. */
  public enum Format {
    CSV,
    PARQUET
  }

  public static final LocalDate DEFAULT_START = LocalDate.of(2025, 1, 1);
  public static final int DEFAULT_PART_ROWS = 250_000;

  public GeneratorConfig {
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(format, "format");
    if (!(scale > 0) || Double.isInfinite(scale) || scale > 1000) {
      throw new IllegalArgumentException("scale must be in (0, 1000], got " + scale);
    }
    if (days < 1 || days > 3660) {
      throw new IllegalArgumentException("days must be in [1, 3660], got " + days);
    }
    if (historyDays < 0 || historyDays > 3660) {
      throw new IllegalArgumentException("historyDays must be in [0, 3660], got " + historyDays);
    }
    if (partRows < 1) {
      throw new IllegalArgumentException("partRows must be at least 1, got " + partRows);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    EnumMap<Defect, Double> all = new EnumMap<>(Defect.class);
    for (Defect d : Defect.values()) {
      all.put(d, d.defaultRate());
    }
    for (Map.Entry<Defect, Double> e : Objects.requireNonNull(rates, "rates").entrySet()) {
      double r = Objects.requireNonNull(e.getValue(), "rate of " + e.getKey());
      if (!(r >= 0 && r <= 1)) {
        throw new IllegalArgumentException(
            "rate of " + e.getKey().key() + " must be in [0, 1], got " + r);
      }
      all.put(e.getKey(), r);
    }
    rates = java.util.Collections.unmodifiableMap(all);
  }

  /** Scale 0.01, 3 days from 2025-01-01, no history, CSV, seed 42, default rates. */
  public static GeneratorConfig defaults(Path output) {
    return new GeneratorConfig(
        output,
        0.01,
        3,
        0,
        DEFAULT_START,
        Format.CSV,
        42L,
        Map.of(),
        DEFAULT_PART_ROWS,
        Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())));
  }

  public double rate(Defect d) {
    return rates.get(d);
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  public static Builder builder(Path output) {
    return defaults(output).toBuilder();
  }

  /** Mutable builder; {@link #build()} validates. */
  public static final class Builder {
    private Path output;
    private double scale;
    private int days;
    private int historyDays;
    private LocalDate start;
    private Format format;
    private long seed;
    private final EnumMap<Defect, Double> rates = new EnumMap<>(Defect.class);
    private int partRows;
    private int threads;

    private Builder(GeneratorConfig c) {
      this.output = c.output;
      this.scale = c.scale;
      this.days = c.days;
      this.historyDays = c.historyDays;
      this.start = c.start;
      this.format = c.format;
      this.seed = c.seed;
      this.rates.putAll(c.rates);
      this.partRows = c.partRows;
      this.threads = c.threads;
    }

    public Builder output(Path v) {
      this.output = v;
      return this;
    }

    public Builder scale(double v) {
      this.scale = v;
      return this;
    }

    public Builder days(int v) {
      this.days = v;
      return this;
    }

    /** Days of sales history before {@code start} (0 = none). */
    public Builder historyDays(int v) {
      this.historyDays = v;
      return this;
    }

    public Builder start(LocalDate v) {
      this.start = v;
      return this;
    }

    public Builder format(Format v) {
      this.format = v;
      return this;
    }

    public Builder seed(long v) {
      this.seed = v;
      return this;
    }

    public Builder rate(Defect d, double v) {
      this.rates.put(Objects.requireNonNull(d), v);
      return this;
    }

    /** Sets every knob to 0: clean data with no variety. */
    public Builder noDefects() {
      for (Defect d : Defect.values()) {
        rates.put(d, 0.0);
      }
      return this;
    }

    public Builder partRows(int v) {
      this.partRows = v;
      return this;
    }

    public Builder threads(int v) {
      this.threads = v;
      return this;
    }

    public GeneratorConfig build() {
      return new GeneratorConfig(
          output, scale, days, historyDays, start, format, seed, rates, partRows, threads);
    }
  }
}
