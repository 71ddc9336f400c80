package io.c360.pipelines.generate;

import io.c360.pipelines.generate.GeneratorConfig.Format;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code c360 generate}: deterministic synthetic landing data (SPEC §7).
 *
 * <pre>{@code
 * c360 generate --scale 0.02 --days 3 --start 2025-01-01 --output /tmp/landing --seed 7 \
 *     --rate duplicate=0.02 --rate fk_break=0 --historyDays 365
 * }</pre>
 */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Writes deterministic synthetic landing files for customers, products, channels, sales,"
          + " traffic, campaigns, web_events and inventory: <output>/<entity>/dt=YYYY-MM-DD/<name>.csv|.csv.gz|.parquet, plus"
          + " <output>/_generator.json (arguments, rows per entity and day, injected defects).",
      "The same arguments always give byte-identical files.",
      "Scale 1 = 1,000,000 sales, 200,000 traffic rows and 2,000,000 web events a day, 100,000"
          + " customers, 1,000 products, 10 channels, 50 campaigns, a daily inventory snapshot of"
          + " every product in 10 shops; sizes scale linearly (at least 10 products, 10 channels,"
          + " 6 campaigns, 3 shops, 200 web events a day).",
      "Planted structure: web sessions convert at campaign-dependent rates, stock-outs and"
          + " product-specific turnover in inventory, and category affinities in sales.",
      "",
      "Defect knobs for --rate (row knobs: share of rows; day knobs: share of customers per day;"
          + " file knobs: share of files):",
      "  duplicate         row  0.01  exact copy of a row a few lines later",
      "  conflict          row  0.01  same key, other content, later line or file",
      "  not_null          row  0.01  a required column empty or blank",
      "  type_error        row  0.01  bad date/timestamp/decimal/integer/email",
      "  accepted_values   row  0.01  segment/category/status/event_type bad",
      "  negative_amount   row  0.01  completed qty<=0 or returned amount>0",
      "  future_date       row  0.01  sale days after the run date",
      "  amount_mismatch   row  0.01  amount far from quantity x unit_price",
      "  missing_amount    row  0.01  no amount, qty and price given (imputed)",
      "  fk_break          row  0.01  customer/product/channel/campaign unknown",
      "  pending_customer  row  0.01  customer arrives in next day's file",
      "  outlier           row  0.005 huge quantity/amount on a few products",
      "  late_sale         row  0.01  sale from one of the previous 3 days",
      "  late_change       day  0.002 customer change older than current one",
      "  same_day_versions day  0.001 two versions of a customer in one file",
      "  negative_stock    day  0.01  inventory on_hand < 0 (share of snapshots)",
      "  campaign_dates    day  0.02  campaign end_date before start_date",
      "  spelling          row  0.05  12472.0 ids, odd case, spaces, ts styles",
      "  shuffled_columns  file 0.3   columns shuffled, odd-case header names",
      "  extra_column      file 0.3   an unknown extra column",
      "  bom               file 0.3   UTF-8 byte order mark (CSV)",
      "  gzip              file 0.3   gzip-compressed CSV (.csv.gz)"
    })
public class GenerateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--scale",
      defaultValue = "0.01",
      description = "Size factor (default ${DEFAULT-VALUE}); 0.02 = 20,000 sales a day.")
  double scale;

  @Option(
      names = "--days",
      defaultValue = "3",
      description = "Number of consecutive dates (default ${DEFAULT-VALUE}).")
  int days;

  @Option(
      names = {"--historyDays", "--history-days"},
      defaultValue = "0",
      paramLabel = "N",
      description =
          "Also write N days of history before --start (default ${DEFAULT-VALUE} = none): each"
              + " history date gets a tenth of a day's sales, traffic and web events (and a full inventory snapshot), delivered in --days contiguous"
              + " slices, oldest first, as extra sales and traffic parts of each day (all N on the first day"
              + " when --days 1); the first day's customers file carries every customer's version"
              + " history (moves, segment and industry changes) over those N days. For year-over"
              + "-year KPIs from the first runs, e.g. --days 4 --historyDays 440.")
  int historyDays;

  @Option(
      names = "--start",
      defaultValue = "2025-01-01",
      description = "First date, YYYY-MM-DD (default ${DEFAULT-VALUE}).")
  LocalDate start;

  @Option(
      names = "--output",
      required = true,
      description = "Local landing folder; the dt= folders written are replaced.")
  Path output;

  @Option(
      names = "--format",
      defaultValue = "csv",
      description = "csv or parquet (default ${DEFAULT-VALUE}).")
  String format;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Seed of every value (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--rate",
      paramLabel = "KNOB=RATE",
      description =
          "Rate in [0, 1] of one knob (repeatable); 0 disables it. Knobs and defaults are listed"
              + " above.")
  Map<String, Double> rates = new LinkedHashMap<>();

  @Option(
      names = "--clean",
      description = "Set every knob to 0 (no defects, no spelling variety) before --rate.")
  boolean clean;

  @Option(
      names = "--part-rows",
      defaultValue = "250000",
      description =
          "Maximum rows per file; larger entity-days are split (default ${DEFAULT-VALUE}).")
  int partRows;

  @Option(
      names = "--threads",
      description = "Parallel file writers (default: number of cores, at most 4).")
  Integer threads;

  @Override
  public Integer call() throws Exception {
    GeneratorConfig config = config();
    PrintWriter out = spec != null ? spec.commandLine().getOut() : new PrintWriter(System.out);
    long t0 = System.nanoTime();
    PrintWriter progress = out;
    GenerationReport report =
        Generator.generate(
            config,
            line -> {
              progress.println("  " + line);
              progress.flush();
            });
    double secs = (System.nanoTime() - t0) / 1e9;
    out.printf(
        Locale.ROOT,
        "Generated %d files under %s in %.1f s (scale %s, %d days from %s%s, %s, seed %d)%n",
        report.files().size(),
        config.output(),
        secs,
        config.scale(),
        config.days(),
        config.start(),
        config.historyDays() == 0
            ? ""
            : " with " + config.historyDays() + " days of history before it",
        config.format().name().toLowerCase(Locale.ROOT),
        config.seed());
    report
        .rows()
        .forEach(
            (entity, byDate) ->
                out.printf(
                    Locale.ROOT,
                    "  %-10s %,12d rows%n",
                    entity,
                    byDate.values().stream().mapToLong(Long::longValue).sum()));
    out.printf("  description: %s%n", config.output().resolve(GenerationReport.FILE_NAME));
    out.flush();
    return 0;
  }

  GeneratorConfig config() {
    GeneratorConfig.Builder b =
        GeneratorConfig.builder(output)
            .scale(scale)
            .days(days)
            .historyDays(historyDays)
            .start(start)
            .seed(seed)
            .partRows(partRows);
    try {
      b.format(Format.valueOf(format.trim().toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--format must be csv or parquet, got '" + format + "'");
    }
    if (threads != null) {
      b.threads(threads);
    }
    if (clean) {
      b.noDefects();
    }
    try {
      rates.forEach((k, v) -> b.rate(Defect.fromKey(k), v));
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
