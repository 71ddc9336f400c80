package io.c360.pipelines.generate;

import io.c360.pipelines.generate.GenerationReport.FileEntry;
import io.c360.transforms.model.Entities;
import io.c360.transforms.model.EntitySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Deterministic synthetic landing data (SPEC §1 layout, §7 {@code generate}): the same {@link
 * GeneratorConfig} always writes byte-identical files.
 *
 * <pre>{@code
 * GenerationReport r = Generator.generate(GeneratorConfig.defaults(Path.of("/tmp/landing")));
 * r.rows("sales", LocalDate.parse("2025-01-01")); // 10,000 at the default scale 0.01
 * }</pre>
 *
 * <p>Day 1 carries the full customer, product and channel lists; later days carry customer changes
 * (moves, segment changes, renames, email changes, new customers, late changes, two versions in one
 * file), new products and price changes. Channels land on day 1 only, so later days have no
 * channels folder (the loader skips and reports it). Customer files are deltas, not snapshots.
 * Sales and traffic land every day, split into parts of at most {@code partRows} rows.
 *
 * <p>SPEC §8's entities: campaigns land on day 1 with an occasional Type-1 change later ({@link
 * Campaigns}); web events (2,000,000 a day at scale 1, in sessions that convert at
 * campaign-dependent rates, {@link WebEvents}) and inventory (a daily snapshot of every product in
 * every shop, with stock-outs, {@link Inventory}) land every day. Sales lines follow each
 * customer's categories, which gain an affine category over time ({@link Tastes}), so a
 * next-best-category recommender (SPEC §9) has signal. With history, web events get a tenth of a
 * day's volume per history date and inventory a full snapshot per history date, in the same slices
 * as sales.
 *
 * <p>Each file draws from its own seeded generator (entity, day, part), so parts can be written in
 * parallel without changing a byte. Rows that would be rejected in a dimension's day-1 file are
 * never referenced by facts, and pending customers always arrive clean the next day, so the counts
 * in {@link GenerationReport} reconcile with what the loader should report (run with {@code
 * --timezone} UTC: naive timestamps are written in UTC). A row carries at most one knob. Fact
 * conflicts land half a few lines after the original and half in the day's last file ("the later
 * file wins"); dimension conflicts keep the same {@code updated_at} a few lines later.
 *
 * <p>With {@code historyDays} N &gt; 0 the landing zone also holds N days of history before {@code
 * start}, so the first runs already give year-over-year KPIs. Sales: every history date gets a
 * tenth of a day's sales volume ({@link Plan#HISTORY_SHARE}), with transaction_ts spread uniformly
 * over that date; the N dates are cut into {@code days} contiguous slices, oldest first, and day
 * k's sales folder carries slice k in extra parts after its own same-day parts (so 4 days with N =
 * 440 deliver 110 history days each; with one day, all N arrive at once). Backdated sales go to the
 * initial customers and products only and roll the same row knobs as same-day sales, so they are
 * clean unless a knob says otherwise (a future_date knob still dates them after the run date).
 * Customers: the day-1 file carries, for every initial customer that it does not reject, a version
 * chain spread over the N days (about {@link Plan#HISTORY_CHANGE_RATE} changes per customer a day,
 * as on later days: moves, segment, name, email and industry changes), oldest first, so segment
 * changes and industries "at sale time" have real SCD2 history. Traffic: likewise a tenth of a
 * day's rows per history date (distinct initial customer and channel pairs), in the same slices.
 * With N = 0 the output is byte-identical to a generator without the option.
 *
 * <p>Parquet files hold the same rows and field names; integer and decimal columns are INT64 and
 * DOUBLE unless the file holds a bad value there, everything else is an optional string.
 *
 * <p>This class runs the days; the package's other classes each hold one part: {@link Plan} (sizes
 * and calendar), {@link Members} (customer and product attributes and changes), {@link
 * DimensionFiles}, {@link Sales} and {@link Traffic} (what each entity's files hold), {@link
 * Defects} (which knob a row carries and how it breaks the row), {@link PartWriter} with {@link
 * PartContext} and {@link Cells} (one file: file knobs, extra rows, spelling).
 */
public final class Generator {
  private final Plan plan;
  private final DimensionFiles dimensions;
  private final Sales sales;
  private final Traffic traffic;
  private final Campaigns campaigns;
  private final WebEvents webEvents;
  private final Inventory inventory;
  private final PartWriter writer;
  private final Consumer<String> progress;

  private final List<FileEntry> files = new ArrayList<>();
  private final Map<String, Map<LocalDate, Long>> rows = new LinkedHashMap<>();
  private final Map<String, Map<LocalDate, Map<String, Long>>> injected = new LinkedHashMap<>();

  private Generator(GeneratorConfig cfg, Consumer<String> progress) {
    this.plan = new Plan(cfg);
    this.progress = progress;
    Members members = new Members(plan);
    Defects defects = new Defects(plan);
    this.writer = new PartWriter(plan);
    this.dimensions = new DimensionFiles(plan, members, defects, writer);
    this.sales = new Sales(plan, members, defects, writer);
    this.traffic = new Traffic(plan, defects, writer);
    this.campaigns = new Campaigns(plan, defects, writer);
    this.webEvents = new WebEvents(plan, defects, campaigns, writer);
    this.inventory = new Inventory(plan, members, defects, writer);
    for (EntitySpec e : GeneratedEntities.ALL) {
      rows.put(e.name(), new TreeMap<>());
      injected.put(e.name(), new TreeMap<>());
    }
  }

  /**
   * Writes {@code config.days()} days of all eight entities ({@link GeneratedEntities#ALL}) under
   * {@code config.output()} and {@code _generator.json} beside them. Existing files in the {@code
   * dt=} folders it writes are removed first, so a re-run leaves exactly the new files.
   */
  public static GenerationReport generate(GeneratorConfig config) throws IOException {
    return generate(config, line -> {});
  }

  /**
   * As {@link #generate(GeneratorConfig)}, reporting one line per finished day to {@code progress}.
   */
  public static GenerationReport generate(GeneratorConfig config, Consumer<String> progress)
      throws IOException {
    Objects.requireNonNull(progress, "progress");
    Files.createDirectories(config.output());
    return new Generator(config, progress).run();
  }

  private GenerationReport run() throws IOException {
    GeneratorConfig cfg = plan.cfg;
    ExecutorService pool = Executors.newFixedThreadPool(cfg.threads());
    try {
      for (int k = 1; k <= cfg.days(); k++) {
        LocalDate dt = plan.date(k);
        for (EntitySpec e : GeneratedEntities.ALL) {
          clearFolder(e.name(), dt);
        }
        record(dimensions.writeCustomers(k));
        record(dimensions.writeProducts(k));
        if (k == 1) {
          record(dimensions.writeChannels());
        }
        record(campaigns.write(k));
        // Fact parts only read the day's frozen dimension state, so they run in parallel.
        List<Future<PartWriter.Result>> facts = new ArrayList<>();
        for (Callable<PartWriter.Result> t : sales.tasks(k)) {
          facts.add(pool.submit(t));
        }
        for (Callable<PartWriter.Result> t : traffic.tasks(k)) {
          facts.add(pool.submit(t));
        }
        for (Callable<PartWriter.Result> t : webEvents.tasks(k)) {
          facts.add(pool.submit(t));
        }
        for (Callable<PartWriter.Result> t : inventory.tasks(k)) {
          facts.add(pool.submit(t));
        }
        List<PartWriter.Result> done = new ArrayList<>();
        for (Future<PartWriter.Result> f : facts) {
          done.add(await(f));
        }
        done.addAll(laterFiles(k, done));
        record(done);
        long dayRows = 0;
        for (Map<LocalDate, Long> byDate : rows.values()) {
          dayRows += byDate.getOrDefault(dt, 0L);
        }
        progress.accept(
            String.format(
                Locale.ROOT, "day %d/%d %s: %,d rows written", k, cfg.days(), dt, dayRows));
      }
    } finally {
      pool.shutdownNow();
    }
    GenerationReport report = new GenerationReport(cfg, List.copyOf(files), rows, injected);
    report.write(cfg.output());
    return report;
  }

  private static <T> T await(Future<T> f) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("generation interrupted", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof UncheckedIOException u) {
        throw u.getCause();
      }
      if (c instanceof IOException io) {
        throw io;
      }
      if (c instanceof RuntimeException re) {
        throw re;
      }
      throw new IOException(c);
    }
  }

  private void record(List<PartWriter.Result> parts) {
    for (PartWriter.Result p : parts) {
      files.add(p.file());
      rows.get(p.file().entity()).merge(p.file().date(), p.file().rows(), Long::sum);
      Map<String, Long> m =
          injected.get(p.file().entity()).computeIfAbsent(p.file().date(), d -> new TreeMap<>());
      p.tally().forEach((key, n) -> m.merge(key, n, Long::sum));
    }
  }

  private void clearFolder(String entity, LocalDate dt) throws IOException {
    Path dir = plan.folder(entity, dt);
    if (Files.isDirectory(dir)) {
      try (Stream<Path> s = Files.list(dir)) {
        for (Path p : s.toList()) {
          if (Files.isRegularFile(p)) {
            Files.delete(p);
          }
        }
      }
      // An empty dt= folder is an error for the loader (SPEC §1); writing recreates it.
      try (Stream<Path> s = Files.list(dir)) {
        if (s.findAny().isEmpty()) {
          Files.delete(dir);
        }
      }
    }
  }

  /**
   * Per fact entity, one last file of the day holding the conflicting re-deliveries the parts
   * deferred, so "the later file wins" (SPEC §2) is exercised, not only "the later line".
   */
  private List<PartWriter.Result> laterFiles(int k, List<PartWriter.Result> parts)
      throws IOException {
    List<PartWriter.Result> out = new ArrayList<>();
    for (EntitySpec spec :
        List.of(
            Entities.SALES,
            Entities.TRAFFIC,
            GeneratedEntities.WEB_EVENTS,
            GeneratedEntities.INVENTORY)) {
      List<String[]> deferred = new ArrayList<>();
      int n = 0;
      for (PartWriter.Result p : parts) {
        if (p.file().entity().equals(spec.name())) {
          deferred.addAll(p.laterFile());
          n++;
        }
      }
      if (deferred.isEmpty()) {
        continue;
      }
      PartWriter.RowSource src =
          new PartWriter.RowSource() {
            int i;

            @Override
            public String[] next(PartContext ctx) {
              return i < deferred.size() ? deferred.get(i++) : null;
            }
          };
      out.add(writer.write(spec, k, n, src, Long.MAX_VALUE, Map.of()));
    }
    return out;
  }
}
