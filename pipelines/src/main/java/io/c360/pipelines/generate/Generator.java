package io.c360.pipelines.generate;

import io.c360.pipelines.generate.GenerationReport.FileEntry;
import io.c360.pipelines.generate.GeneratorConfig.Format;
import io.c360.transforms.model.Column;
import io.c360.transforms.model.ColumnType;
import io.c360.transforms.model.Entities;
import io.c360.transforms.model.EntitySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * tenth of a day's sales volume ({@link #HISTORY_SHARE}), with transaction_ts spread uniformly over
 * that date; the N dates are cut into {@code days} contiguous slices, oldest first, and day k's
 * sales folder carries slice k in extra parts after its own same-day parts (so 4 days with N = 440
 * deliver 110 history days each; with one day, all N arrive at once). Backdated sales go to the
 * initial customers and products only and roll the same row knobs as same-day sales, so they are
 * clean unless a knob says otherwise (a future_date knob still dates them after the run date).
 * Customers: the day-1 file carries, for every initial customer that it does not reject, a version
 * chain spread over the N days (about {@link #HISTORY_CHANGE_RATE} changes per customer a day, as
 * on later days: moves, segment, name, email and industry changes), oldest first, so segment
 * changes and industries "at sale time" have real SCD2 history. Traffic: likewise a tenth of a
 * day's rows per history date (distinct initial customer and channel pairs), in the same slices.
 * With N = 0 the output is byte-identical to a generator without the option.
 *
 * <p>Parquet files hold the same rows and field names; integer and decimal columns are INT64 and
 * DOUBLE unless the file holds a bad value there, everything else is an optional string.
 */
public final class Generator {
  static final long BASE_SALES = 1_000_000L;
  static final long BASE_CUSTOMERS = 100_000L;
  static final long BASE_TRAFFIC = 200_000L;
  static final int BASE_PRODUCTS = 1_000;
  static final int BASE_CHANNELS = 10;

  /** Ids from here on never exist in any dimension (FK breaks). */
  static final long NO_SUCH_ID = 900_000_000_000L;

  private static final long DAY = 86_400L;

  /** Backdated sales per history date, as a share of a day's sales volume. */
  static final double HISTORY_SHARE = 0.1;

  /** Expected history changes per initial customer and history day (as the daily 1%). */
  static final double HISTORY_CHANGE_RATE = 0.01;

  private static final List<Defect> DIM_KNOBS =
      List.of(
          Defect.DUPLICATE,
          Defect.CONFLICT,
          Defect.NOT_NULL,
          Defect.TYPE_ERROR,
          Defect.ACCEPTED_VALUES);
  private static final List<Defect> SALES_KNOBS =
      List.of(
          Defect.DUPLICATE,
          Defect.CONFLICT,
          Defect.NOT_NULL,
          Defect.TYPE_ERROR,
          Defect.ACCEPTED_VALUES,
          Defect.NEGATIVE_AMOUNT,
          Defect.FUTURE_DATE,
          Defect.AMOUNT_MISMATCH,
          Defect.MISSING_AMOUNT,
          Defect.FK_BREAK,
          Defect.PENDING_CUSTOMER,
          Defect.OUTLIER,
          Defect.LATE_SALE);
  private static final List<Defect> TRAFFIC_KNOBS =
      List.of(
          Defect.DUPLICATE, Defect.CONFLICT, Defect.NOT_NULL, Defect.TYPE_ERROR, Defect.FK_BREAK);

  private final GeneratorConfig cfg;
  private final long seed;
  private final double spelling;

  final long customers;
  final int products;
  final int channels;
  final long salesPerDay;
  final long trafficPerDay;
  final long newCustomersPerDay;
  final int changesPerDay;
  final int newProductsPerDay;
  final int priceChangesPerDay;
  final long historySalesPerDay;
  final long historyTrafficPerDay;

  private final Map<Long, Cust> custState = new HashMap<>();
  private final List<Long> changedCustomers = new ArrayList<>();
  private final Map<Long, Boolean> lastRowRejected = new HashMap<>();
  private final Map<Long, Prod> prodState = new HashMap<>();
  private BitSet brokenCustomers;
  private BitSet brokenProducts;

  private final List<FileEntry> files = new ArrayList<>();
  private final Map<String, Map<LocalDate, Long>> rows = new LinkedHashMap<>();
  private final Map<String, Map<LocalDate, Map<String, Long>>> injected = new LinkedHashMap<>();

  private Generator(GeneratorConfig cfg) {
    this.cfg = cfg;
    this.seed = cfg.seed();
    this.spelling = cfg.rate(Defect.SPELLING);
    double s = cfg.scale();
    this.customers = Math.max(1, Math.round(BASE_CUSTOMERS * s));
    this.products = (int) Math.max(10, Math.round(BASE_PRODUCTS * s));
    this.channels = (int) Math.max(BASE_CHANNELS, Math.round(BASE_CHANNELS * s));
    this.salesPerDay = Math.max(1, Math.round(BASE_SALES * s));
    this.trafficPerDay = Math.max(1, Math.round(BASE_TRAFFIC * s));
    this.newCustomersPerDay = Math.max(1, Math.round(customers * 0.005));
    this.changesPerDay = (int) Math.max(1, Math.round(customers * 0.01));
    this.newProductsPerDay = (int) Math.max(1, Math.round(products * 0.005));
    this.priceChangesPerDay = (int) Math.max(1, Math.round(products * 0.01));
    this.historySalesPerDay =
        cfg.historyDays() == 0 ? 0 : Math.max(1, Math.round(salesPerDay * HISTORY_SHARE));
    this.historyTrafficPerDay =
        cfg.historyDays() == 0
            ? 0
            : Math.min(
                customers * channels, Math.max(1, Math.round(trafficPerDay * HISTORY_SHARE)));
    for (EntitySpec e : Entities.ALL) {
      rows.put(e.name(), new TreeMap<>());
      injected.put(e.name(), new TreeMap<>());
    }
  }

  /**
   * Writes {@code config.days()} days of all five entities under {@code config.output()} and {@code
   * _generator.json} beside them. Existing files in the {@code dt=} folders it writes are removed
   * first, so a re-run leaves exactly the new files.
   */
  public static GenerationReport generate(GeneratorConfig config) throws IOException {
    return generate(config, line -> {});
  }

  /**
   * As {@link #generate(GeneratorConfig)}, reporting one line per finished day to {@code progress}.
   */
  public static GenerationReport generate(
      GeneratorConfig config, java.util.function.Consumer<String> progress) throws IOException {
    Generator g = new Generator(config);
    g.progress = java.util.Objects.requireNonNull(progress, "progress");
    return g.run();
  }

  private java.util.function.Consumer<String> progress = line -> {};

  private GenerationReport run() throws IOException {
    Files.createDirectories(cfg.output());
    brokenCustomers = brokenMembers("customers", customers);
    brokenProducts = brokenMembers("products", products);
    ExecutorService pool = Executors.newFixedThreadPool(cfg.threads());
    try {
      for (int k = 1; k <= cfg.days(); k++) {
        LocalDate dt = date(k);
        for (EntitySpec e : Entities.ALL) {
          clearFolder(e.name(), dt);
        }
        record(writeCustomers(k));
        record(writeProducts(k));
        if (k == 1) {
          record(writeChannels());
        }
        // Fact parts only read the day's frozen dimension state, so they run in parallel.
        List<Future<PartResult>> facts = new ArrayList<>();
        for (Callable<PartResult> t : salesTasks(k)) {
          facts.add(pool.submit(t));
        }
        for (Callable<PartResult> t : trafficTasks(k)) {
          facts.add(pool.submit(t));
        }
        List<PartResult> done = new ArrayList<>();
        for (Future<PartResult> f : facts) {
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
    } catch (java.util.concurrent.ExecutionException e) {
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

  private void record(List<PartResult> parts) {
    for (PartResult p : parts) {
      files.add(p.file());
      rows.get(p.file().entity()).merge(p.file().date(), p.file().rows(), Long::sum);
      Map<String, Long> m =
          injected.get(p.file().entity()).computeIfAbsent(p.file().date(), d -> new TreeMap<>());
      p.tally().forEach((key, n) -> m.merge(key, n, Long::sum));
    }
  }

  private void clearFolder(String entity, LocalDate dt) throws IOException {
    Path dir = folder(entity, dt);
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

  private Path folder(String entity, LocalDate dt) {
    return cfg.output().resolve(entity).resolve("dt=" + dt);
  }

  LocalDate date(int day) {
    return cfg.start().plusDays(day - 1L);
  }

  long dayStart(int day) {
    return date(day).toEpochDay() * DAY;
  }

  long maxCustomerId(int day) {
    return customers + (day - 1L) * newCustomersPerDay;
  }

  /** First id of the customers that first appear on {@code day} (day ≥ 2). */
  long firstNewCustomer(int day) {
    return customers + (day - 2L) * newCustomersPerDay + 1;
  }

  int maxProductId(int day) {
    return products + (day - 1) * newProductsPerDay;
  }

  long dayCount(Defect d) {
    double r = cfg.rate(d);
    return r == 0 ? 0 : Math.max(1, Math.round(r * customers));
  }

  // ---------------------------------------------------------------- members

  record Cust(
      long id,
      long account,
      String name,
      String email,
      String city,
      String country,
      String segment,
      String industry,
      LocalDate created,
      long updated) {
    Cust withUpdated(long at) {
      return new Cust(id, account, name, email, city, country, segment, industry, created, at);
    }

    Cust withCity(String newCity, String newCountry, long at) {
      return new Cust(
          id, account, name, email, newCity, newCountry, segment, industry, created, at);
    }

    Cust withSegment(String newSegment, long at) {
      return new Cust(id, account, name, email, city, country, newSegment, industry, created, at);
    }

    Cust withIndustry(String newIndustry, long at) {
      return new Cust(id, account, name, email, city, country, segment, newIndustry, created, at);
    }

    Cust withName(String newName, long at) {
      return new Cust(id, account, newName, email, city, country, segment, industry, created, at);
    }

    Cust withEmail(String newEmail, long at) {
      return new Cust(id, account, name, newEmail, city, country, segment, industry, created, at);
    }
  }

  record Prod(long id, String name, String category, String brand, long price, long updated) {}

  static long account(long customerId) {
    return 500_000L + (customerId + 2) / 3;
  }

  Cust baseCustomer(long id) {
    Rng r = Rng.of(seed, "customer", id, 0);
    String name = companyName(r);
    String email = emailFor(name, id, r);
    String[] city = r.pick(Vocab.CITIES);
    double seg = r.nextDouble();
    String segment =
        seg < 0.02
            ? null
            : seg < 0.6
                ? Entities.SEGMENTS.get(0)
                : seg < 0.9 ? Entities.SEGMENTS.get(1) : "Enterprise";
    String industry = r.chance(0.03) ? null : r.pick(Vocab.INDUSTRIES);
    String cityName = r.chance(0.02) ? null : city[0];
    LocalDate created;
    long updated;
    if (id <= customers) {
      int age = r.between(30, 2000);
      created = cfg.start().minusDays(age);
      updated = dayStart(1) - 1 - r.nextLong(age * DAY);
    } else {
      int intro = (int) (2 + (id - customers - 1) / newCustomersPerDay);
      created = date(intro);
      updated = dayStart(intro) + r.nextLong(DAY);
    }
    return new Cust(
        id, account(id), name, email, cityName, city[1], segment, industry, created, updated);
  }

  private String companyName(Rng r) {
    String n = r.pick(Vocab.ADJECTIVES) + " " + r.pick(Vocab.NOUNS) + " " + r.pick(Vocab.TRADES);
    String suffix = r.pick(Vocab.SUFFIXES);
    n = suffix.startsWith(",") ? n + suffix : n + " " + suffix;
    // Names that need CSV quoting: embedded quotes and line breaks (cleaning removes the latter).
    double q = r.nextDouble();
    if (q < spelling * 0.2) {
      n = "The \"" + n + "\"";
    } else if (q < spelling * 0.3) {
      n = n.replaceFirst(" ", "\n");
    }
    return n;
  }

  private static String emailFor(String name, long id, Rng r) {
    StringBuilder b = new StringBuilder();
    for (char c : name.toLowerCase(Locale.ROOT).toCharArray()) {
      if (c >= 'a' && c <= 'z') {
        b.append(c);
      }
      if (b.length() >= 12) {
        break;
      }
    }
    return b.append('.').append(id).append('@').append(r.pick(Vocab.DOMAINS)).toString();
  }

  Cust customer(long id) {
    Cust c = custState.get(id);
    return c != null ? c : baseCustomer(id);
  }

  /**
   * The versions of an initial customer over the history window, oldest first: its base attributes
   * valid from just before the window (or its creation), then changes at random instants of the
   * window; the last one is the customer's state on day 1.
   */
  List<Cust> historyVersions(long id) {
    Cust base = baseCustomer(id);
    Rng r = Rng.of(seed, "customer-history", id, 0);
    long end = dayStart(1) - 1;
    long from =
        Math.max(dayStart(1) - cfg.historyDays() * DAY, (base.created().toEpochDay() + 1) * DAY);
    // uniform in [0, 2 x the expected count]
    long most = Math.round(2 * HISTORY_CHANGE_RATE * cfg.historyDays());
    int n = from >= end ? 0 : r.nextInt((int) most + 1);
    long[] at = new long[n];
    for (int i = 0; i < n; i++) {
      at[i] = from + r.nextLong(end - from);
    }
    java.util.Arrays.sort(at);
    List<Cust> out = new ArrayList<>();
    if (n == 0) {
      out.add(base);
      return out;
    }
    Cust c = base.withUpdated(from - 1 - r.nextLong(DAY / 2));
    out.add(c);
    for (long t : at) {
      if (t <= c.updated()) {
        continue; // two changes in one second: one version
      }
      c = r.chance(0.2) ? industryChange(c, r, t) : change(c, r, t);
      out.add(c);
    }
    return out;
  }

  private static Cust industryChange(Cust c, Rng r, long updated) {
    String industry = r.pick(Vocab.INDUSTRIES);
    while (industry.equals(c.industry())) {
      industry = r.pick(Vocab.INDUSTRIES);
    }
    return c.withIndustry(industry, updated);
  }

  /** One tracked attribute changed, valid from {@code updated}. */
  private Cust change(Cust c, Rng r, long updated) {
    switch (r.nextInt(4)) {
      case 0:
        String[] city = r.pick(Vocab.CITIES);
        while (city[0].equals(c.city())) {
          city = r.pick(Vocab.CITIES);
        }
        return c.withCity(city[0], city[1], updated);
      case 1:
        String seg = r.pick(Entities.SEGMENTS);
        while (seg.equals(c.segment())) {
          seg = r.pick(Entities.SEGMENTS);
        }
        return c.withSegment(seg, updated);
      case 2:
        String name = companyName(r);
        return c.withName(name, updated);
      default:
        String email = "contact." + c.id() + "." + r.nextInt(1000) + "@" + r.pick(Vocab.DOMAINS);
        return c.withEmail(email, updated);
    }
  }

  Prod baseProduct(long id) {
    Rng r = Rng.of(seed, "product", id, 0);
    String brand = r.pick(Vocab.BRANDS);
    String category = r.pick(Entities.CATEGORIES);
    String name = brand + " " + r.pick(Vocab.PRODUCT_WORDS) + " " + r.between(100, 999);
    long price = r.between(199, 49_999);
    long updated;
    if (id <= products) {
      updated = dayStart(1) - 1 - r.nextLong(400 * DAY);
    } else {
      int intro = 2 + (int) ((id - products - 1) / newProductsPerDay);
      updated = dayStart(intro) + r.nextLong(DAY);
    }
    return new Prod(id, name, category, r.chance(0.05) ? null : brand, price, updated);
  }

  Prod product(long id) {
    Prod p = prodState.get(id);
    return p != null ? p : baseProduct(id);
  }

  // ------------------------------------------------------------- dimension files

  /**
   * A dimension row: the member, and which knobs it may carry (0 all, 1 no rejects, 2 dup only).
   */
  record DimRow<T>(long id, T member, int exempt) {}

  /** How a dimension renders and varies its members. */
  private abstract class Dim<T> {
    final EntitySpec spec;

    Dim(EntitySpec spec) {
      this.spec = spec;
    }

    abstract String[] render(T m, Rng r, PartCtx ctx);

    /** Same key (and version), different content; becomes the member's state (later wins). */
    abstract T conflict(T m, Rng r);
  }

  private final Dim<Cust> custDim =
      new Dim<>(Entities.CUSTOMERS) {
        @Override
        String[] render(Cust c, Rng r, PartCtx ctx) {
          String[] v = new String[10];
          v[0] = id(c.id(), r, ctx);
          v[1] = id(c.account(), r, ctx);
          v[2] = name(c.name(), r, ctx);
          v[3] = c.email();
          if (v[3] != null && ctx.spell(r)) {
            v[3] = v[3].toUpperCase(Locale.ROOT);
          }
          v[4] = c.city();
          v[5] = c.country();
          if (ctx.spell(r)) {
            v[5] = v[5].toLowerCase(Locale.ROOT);
          } else {
            v[5] = v[5].toUpperCase(Locale.ROOT);
          }
          v[6] = enumValue(c.segment(), r, ctx);
          v[7] = c.industry();
          v[8] = c.created().toString();
          v[9] = ts(c.updated(), r);
          return v;
        }

        @Override
        Cust conflict(Cust c, Rng r) {
          Cust moved = change(c, r, c.updated());
          if (moved.equals(c)) {
            moved = c.withCity("Springfield", "us", c.updated());
          }
          custState.put(c.id(), moved);
          return moved;
        }
      };

  private final Dim<Prod> prodDim =
      new Dim<>(Entities.PRODUCTS) {
        @Override
        String[] render(Prod p, Rng r, PartCtx ctx) {
          return new String[] {
            id(p.id(), r, ctx),
            name(p.name(), r, ctx),
            enumValue(p.category(), r, ctx),
            p.brand(),
            money(p.price()),
            ts(p.updated(), r)
          };
        }

        @Override
        Prod conflict(Prod p, Rng r) {
          Prod out =
              new Prod(p.id(), p.name(), p.category(), p.brand(), p.price() + 100, p.updated());
          prodState.put(p.id(), out);
          return out;
        }
      };

  private final Dim<long[]> chanDim =
      new Dim<>(Entities.CHANNELS) {
        @Override
        String[] render(long[] c, Rng r, PartCtx ctx) {
          int i = (int) c[0] - 1;
          String[] base = Vocab.CHANNELS[i % Vocab.CHANNELS.length];
          String name = i < Vocab.CHANNELS.length ? base[0] : base[0] + " " + (i + 1);
          return new String[] {id(c[0], r, ctx), name(name, r, ctx), base[1], money(c[1])};
        }

        @Override
        long[] conflict(long[] c, Rng r) {
          return new long[] {c[0], c[1] + 1};
        }
      };

  private List<PartResult> writeCustomers(int k) throws IOException {
    Map<String, Long> pre = new TreeMap<>();
    List<DimRow<Cust>> list;
    if (k == 1 && cfg.historyDays() > 0) {
      List<DimRow<Cust>> l = new ArrayList<>();
      for (long id = 1; id <= customers; id++) {
        int exempt = id <= 3 ? 1 : 0;
        if (brokenCustomers.get((int) id)) {
          // Its one row is rejected: no history of a customer the facts never reference.
          l.add(new DimRow<>(id, customer(id), exempt));
          continue;
        }
        List<Cust> versions = historyVersions(id);
        for (int i = 0; i < versions.size(); i++) {
          // Older versions may only be duplicated: a conflict or reject targets the current one.
          l.add(new DimRow<>(id, versions.get(i), i == versions.size() - 1 ? exempt : 2));
        }
        custState.put(id, versions.get(versions.size() - 1));
      }
      list = l;
    } else if (k == 1) {
      list =
          new AbstractList<>() {
            @Override
            public DimRow<Cust> get(int i) {
              long id = i + 1L;
              return new DimRow<>(id, customer(id), id <= 3 ? 1 : 0);
            }

            @Override
            public int size() {
              return (int) customers;
            }
          };
    } else {
      Rng r = Rng.of(seed, "customer-changes", k, 0);
      List<DimRow<Cust>> l = new ArrayList<>();
      long day0 = dayStart(k);
      for (long id = firstNewCustomer(k); id <= maxCustomerId(k); id++) {
        l.add(new DimRow<>(id, baseCustomer(id), 2));
      }
      Set<Long> touched = new HashSet<>();
      long existing = maxCustomerId(k - 1);
      for (int i = 0; i < changesPerDay && touched.size() < existing; i++) {
        long id = distinct(r, existing, touched);
        Cust c = change(customer(id), r, day0 + r.nextLong(DAY));
        custState.put(id, c);
        changedCustomers.add(id);
        int exempt = id <= 3 ? 1 : 0;
        Rng dr = Rng.of(seed, "customers#defect", id, k);
        lastRowRejected.put(id, rejecting(dimDefect("customers", id, k, exempt, dr)));
        l.add(new DimRow<>(id, c, exempt));
      }
      long late = dayCount(Defect.LATE_CHANGE);
      for (int i = 0; i < late && touched.size() < existing; i++) {
        long id = -1;
        // A late change is only late against a version the loader actually holds.
        for (int t = 0; t < 5 && !changedCustomers.isEmpty(); t++) {
          long cand = changedCustomers.get(r.nextInt(changedCustomers.size()));
          if (!touched.contains(cand) && !lastRowRejected(cand)) {
            touched.add(cand);
            id = cand;
            break;
          }
        }
        for (int t = 0; id < 0 && t < 100; t++) {
          long cand = 1 + r.nextLong(existing);
          if (!touched.contains(cand) && !lastRowRejected(cand)) {
            touched.add(cand);
            id = cand;
          }
        }
        if (id < 0) {
          continue;
        }
        Cust cur = customer(id);
        Cust old = change(cur, r, cur.updated() - 3600 - r.nextLong(2 * DAY));
        l.add(new DimRow<>(id, old, 2));
        pre.merge(Defect.LATE_CHANGE.key(), 1L, Long::sum);
      }
      long twice = dayCount(Defect.SAME_DAY_VERSIONS);
      for (int i = 0; i < twice && touched.size() < existing; i++) {
        long id = distinct(r, existing, touched);
        long t1 = day0 + r.nextLong(DAY / 2);
        Cust v1 = change(customer(id), r, t1);
        Cust v2 = change(v1, r, t1 + 1 + r.nextLong(DAY / 2 - 1));
        custState.put(id, v2);
        changedCustomers.add(id);
        lastRowRejected.put(id, false);
        l.add(new DimRow<>(id, v1, 2));
        l.add(new DimRow<>(id, v2, 2));
        pre.merge(Defect.SAME_DAY_VERSIONS.key(), 1L, Long::sum);
      }
      shuffle(l, r);
      list = l;
    }
    return writeDim(custDim, k, list, pre);
  }

  /** Whether the latest row written for a customer carries a rejecting defect. */
  private boolean lastRowRejected(long id) {
    Boolean b = lastRowRejected.get(id);
    return b != null ? b : id <= customers && brokenCustomers.get((int) id);
  }

  private static long distinct(Rng r, long bound, Set<Long> used) {
    while (true) {
      long id = 1 + r.nextLong(bound);
      if (used.add(id)) {
        return id;
      }
    }
  }

  private static <T> void shuffle(List<T> l, Rng r) {
    for (int i = l.size() - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      T t = l.get(i);
      l.set(i, l.get(j));
      l.set(j, t);
    }
  }

  private List<PartResult> writeProducts(int k) throws IOException {
    List<DimRow<Prod>> list;
    if (k == 1) {
      list =
          new AbstractList<>() {
            @Override
            public DimRow<Prod> get(int i) {
              long id = i + 1L;
              return new DimRow<>(id, product(id), id <= 3 ? 1 : 0);
            }

            @Override
            public int size() {
              return products;
            }
          };
    } else {
      Rng r = Rng.of(seed, "product-changes", k, 0);
      List<DimRow<Prod>> l = new ArrayList<>();
      for (long id = maxProductId(k - 1) + 1L; id <= maxProductId(k); id++) {
        l.add(new DimRow<>(id, baseProduct(id), 2));
      }
      Set<Long> touched = new HashSet<>();
      int existing = maxProductId(k - 1);
      long day0 = dayStart(k);
      for (int i = 0; i < priceChangesPerDay && touched.size() < existing; i++) {
        long id = distinct(r, existing, touched);
        Prod p = product(id);
        long price = Math.max(99, p.price() * r.between(80, 125) / 100);
        if (price == p.price()) {
          price += 50;
        }
        Prod np = new Prod(id, p.name(), p.category(), p.brand(), price, day0 + r.nextLong(DAY));
        prodState.put(id, np);
        l.add(new DimRow<>(id, np, id <= 3 ? 1 : 0));
      }
      shuffle(l, r);
      list = l;
    }
    return writeDim(prodDim, k, list, new TreeMap<>());
  }

  private List<PartResult> writeChannels() throws IOException {
    List<DimRow<long[]>> list = new ArrayList<>();
    for (long id = 1; id <= channels; id++) {
      long price = Rng.of(seed, "channel", id, 0).between(1, 25);
      // Traffic references every channel, so none carries a rejecting defect.
      list.add(new DimRow<>(id, new long[] {id, price}, 1));
    }
    return writeDim(chanDim, 1, list, new TreeMap<>());
  }

  /**
   * The knob a dimension row carries: decided by (entity, id, day) alone, so facts can avoid it.
   */
  private Defect dimDefect(String entity, long id, int day, int exempt, Rng r) {
    double u = r.nextDouble();
    for (Defect d : DIM_KNOBS) {
      double rate = cfg.rate(d);
      if (u < rate) {
        boolean allowed =
            exempt == 0
                || (exempt == 1 && (d == Defect.DUPLICATE || d == Defect.CONFLICT))
                || (exempt == 2 && d == Defect.DUPLICATE);
        if (d == Defect.ACCEPTED_VALUES && entity.equals("channels")) {
          allowed = false;
        }
        return allowed ? d : null;
      }
      u -= rate;
    }
    return null;
  }

  private static boolean rejecting(Defect d) {
    return d == Defect.NOT_NULL || d == Defect.TYPE_ERROR || d == Defect.ACCEPTED_VALUES;
  }

  private BitSet brokenMembers(String entity, long count) {
    BitSet b = new BitSet();
    for (long id = 4; id <= count; id++) {
      Rng r = Rng.of(seed, entity + "#defect", id, 1);
      if (rejecting(dimDefect(entity, id, 1, 0, r))) {
        b.set((int) id);
      }
    }
    return b;
  }

  private <T> List<PartResult> writeDim(
      Dim<T> dim, int k, List<DimRow<T>> list, Map<String, Long> pre) throws IOException {
    String entity = dim.spec.name();
    int chunk = baseRowsPerPart();
    int nParts = Math.max(1, (list.size() + chunk - 1) / chunk);
    List<PartResult> out = new ArrayList<>();
    for (int p = 0; p < nParts; p++) {
      int from = p * chunk;
      int to = Math.min(list.size(), from + chunk);
      RowSource src =
          new RowSource() {
            int i = from;

            @Override
            public String[] next(PartCtx ctx) {
              if (i >= to) {
                return null;
              }
              DimRow<T> row = list.get(i++);
              Rng r = Rng.of(seed, entity + "#defect", row.id(), k);
              Defect d = dimDefect(entity, row.id(), k, row.exempt(), r);
              String[] v = dim.render(row.member(), r, ctx);
              if (d == null) {
                return v;
              }
              switch (d) {
                case DUPLICATE:
                  ctx.queue(v.clone(), r, Defect.DUPLICATE, null);
                  break;
                case CONFLICT:
                  if (ctx.roomForExtra()) {
                    T variant = dim.conflict(row.member(), r);
                    ctx.queue(dim.render(variant, r, ctx), r, Defect.CONFLICT, null);
                  }
                  break;
                default:
                  ctx.count(d, breakValue(dim.spec, d, v, r));
              }
              return v;
            }
          };
      out.add(writePart(dim.spec, k, p, src, Long.MAX_VALUE, p == 0 ? pre : Map.of()));
    }
    return out;
  }

  /** Base rows per part, leaving room for the duplicate and conflict rows queued behind them. */
  private int baseRowsPerPart() {
    double extra = cfg.rate(Defect.DUPLICATE) + cfg.rate(Defect.CONFLICT);
    int room = (int) Math.ceil(cfg.partRows() * extra * 2) + 10;
    return Math.max(1, cfg.partRows() - room);
  }

  /** Applies a not_null, type or accepted_values defect to a rendered row; returns the rule. */
  private static String breakValue(EntitySpec spec, Defect d, String[] v, Rng r) {
    List<Column> cols = spec.columns();
    List<Integer> candidates = new ArrayList<>();
    for (int i = 0; i < cols.size(); i++) {
      Column c = cols.get(i);
      boolean ok =
          switch (d) {
            case NOT_NULL -> c.isRequired();
            case TYPE_ERROR -> badValues(c.type()) != null;
            case ACCEPTED_VALUES -> c.type() == ColumnType.ENUM;
            default -> false;
          };
      if (ok) {
        candidates.add(i);
      }
    }
    if (candidates.isEmpty()) {
      throw new IllegalStateException(spec.name() + " has no column for " + d.key());
    }
    int i = candidates.get(r.nextInt(candidates.size()));
    Column c = cols.get(i);
    switch (d) {
      case NOT_NULL:
        v[i] = r.chance(0.5) ? "" : "   ";
        return "not_null:" + c.name();
      case TYPE_ERROR:
        v[i] = r.pick(badValues(c.type()));
        return "type:" + c.name();
      default:
        v[i] =
            r.pick(
                switch (c.name()) {
                  case "segment" -> Vocab.BAD_SEGMENTS;
                  case "category" -> Vocab.BAD_CATEGORIES;
                  default -> Vocab.BAD_STATUSES;
                });
        return "accepted_values:" + c.name();
    }
  }

  private static String[] badValues(ColumnType t) {
    return switch (t) {
      case DATE -> Vocab.BAD_DATES;
      case TIMESTAMP -> Vocab.BAD_TIMESTAMPS;
      case DECIMAL -> Vocab.BAD_DECIMALS;
      case INTEGER -> Vocab.BAD_INTEGERS;
      case EMAIL -> Vocab.BAD_EMAILS;
      default -> null;
    };
  }

  // ------------------------------------------------------------------ facts

  private List<Callable<PartResult>> salesTasks(int k) {
    long[] prices = new long[maxProductId(k) + 1];
    for (int id = 1; id < prices.length; id++) {
      prices[id] = product(id).price();
    }
    int nParts = (int) ((salesPerDay + cfg.partRows() - 1) / cfg.partRows());
    List<Callable<PartResult>> tasks = new ArrayList<>();
    long dayMaxCustomer = maxCustomerId(k);
    for (int p = 0; p < nParts; p++) {
      int part = p;
      long target = Math.min(cfg.partRows(), salesPerDay - (long) p * cfg.partRows());
      tasks.add(
          () ->
              writePart(
                  Entities.SALES,
                  k,
                  part,
                  new SalesSource(k, part, prices, dayStart(k), DAY, dayMaxCustomer),
                  target,
                  Map.of()));
    }
    // History slice k, in parts after the day's own, so every transaction id stays distinct.
    int hFrom = historyFrom(k);
    int hDays = historyFrom(k + 1) - hFrom;
    long hRows = historySalesPerDay * hDays;
    long hStart = dayStart(1) - (cfg.historyDays() - (long) hFrom) * DAY;
    long[] basePrices = java.util.Arrays.copyOf(prices, products + 1);
    int hParts = (int) ((hRows + cfg.partRows() - 1) / cfg.partRows());
    for (int h = 0; h < hParts; h++) {
      int part = nParts + h;
      long target = Math.min(cfg.partRows(), hRows - (long) h * cfg.partRows());
      tasks.add(
          () ->
              writePart(
                  Entities.SALES,
                  k,
                  part,
                  new SalesSource(k, part, basePrices, hStart, hDays * DAY, customers),
                  target,
                  Map.of()));
    }
    return tasks;
  }

  /** Index (0 = {@code start − historyDays}) of the first history date delivered on day k. */
  int historyFrom(int k) {
    return (int) ((long) (k - 1) * cfg.historyDays() / cfg.days());
  }

  /**
   * Sales rows of one part: orders of 1–6 lines within [from, from + span) (the run date, or a
   * history slice), for customers 1..maxCustomer and the products {@code prices} covers, plus the
   * row knobs (dated relative to the run date).
   */
  private final class SalesSource implements RowSource {
    private final int day;
    private final long dayStart;
    private final long from;
    private final long span;
    private final long maxCustomer;
    private final long idBase;
    private final long[] prices;
    private long seq;
    private long orderId;
    private long orderCust;
    private long orderTs;
    private long orderShop;
    private int linesLeft;

    SalesSource(int day, int part, long[] prices, long from, long span, long maxCustomer) {
      this.day = day;
      this.dayStart = dayStart(day);
      this.from = from;
      this.span = span;
      this.maxCustomer = maxCustomer;
      this.idBase = day * 10_000_000_000L + (long) part * cfg.partRows();
      this.prices = prices;
    }

    private long pickCustomer(Rng r) {
      long max = maxCustomer;
      while (true) {
        long id = 1 + r.nextLong(max);
        if (id > customers || !brokenCustomers.get((int) id)) {
          return id;
        }
      }
    }

    private long pickProduct(Rng r) {
      int max = prices.length - 1;
      while (true) {
        int id = 1 + r.nextInt(max);
        if (id > products || !brokenProducts.get(id)) {
          return id;
        }
      }
    }

    @Override
    public String[] next(PartCtx ctx) {
      Rng r = ctx.rng;
      seq++;
      if (linesLeft == 0) {
        double u = r.nextDouble();
        linesLeft = u < 0.55 ? 1 : u < 0.8 ? 2 : u < 0.92 ? 3 : r.between(4, 6);
        orderId = linesLeft == 1 && r.chance(0.4) ? 0 : idBase + seq;
        orderCust = pickCustomer(r);
        orderTs = from + r.nextLong(span - 60);
        orderShop = r.chance(0.3) ? 0 : r.between(1, 50);
      }
      linesLeft--;
      Sale s = new Sale();
      s.txn = idBase + seq;
      s.order = orderId;
      s.cust = orderCust;
      s.product = pickProduct(r);
      s.shop = orderShop;
      s.ts = orderTs + r.nextInt(60);
      s.q = r.chance(0.7) ? 1 : r.between(2, 5);
      s.price = prices[(int) s.product];
      if (r.chance(0.2)) {
        s.price = s.price * 9 / 10;
      }
      double st = r.nextDouble();
      if (st < 0.9) {
        s.status = "completed";
        s.amount = s.q * s.price;
      } else if (st < 0.95) {
        s.status = "cancelled";
        s.amount = s.q * s.price;
      } else {
        s.status = "returned";
        if (r.chance(0.5)) {
          // Negative quantity: amount = quantity x unit_price stays consistent.
          s.q = -s.q;
          s.amount = s.q * s.price;
        } else {
          // Positive quantity with a refund: no unit_price, so amount_mismatch does not apply.
          s.amount = -s.q * s.price;
          s.price = null;
        }
      }

      Defect d = roll(r, SALES_KNOBS);
      if (d == Defect.PENDING_CUSTOMER && day >= cfg.days()) {
        d = null; // no next day in this run for the customer to arrive in
      }
      if ((d == Defect.DUPLICATE || d == Defect.CONFLICT) && !ctx.roomForExtra()) {
        d = null;
      }
      String rule = null;
      if (d != null) {
        switch (d) {
          case NEGATIVE_AMOUNT:
            s.normalise(prices);
            switch (r.nextInt(3)) {
              case 0 -> {
                s.q = -s.q;
                s.amount = s.q * s.price;
              }
              case 1 -> {
                s.q = 0;
                s.amount = 0L;
              }
              default -> s.status = "returned";
            }
            rule = "business:negative_amount";
            break;
          case FUTURE_DATE:
            s.ts = dayStart + (3L + r.nextInt(28)) * DAY + r.nextLong(DAY);
            rule = "business:future_date";
            break;
          case AMOUNT_MISMATCH:
            s.normalise(prices);
            s.amount = s.q * s.price * r.between(2, 5) + r.nextInt(100);
            rule = "business:amount_mismatch";
            break;
          case MISSING_AMOUNT:
            s.normalise(prices);
            s.amount = null;
            break;
          case FK_BREAK:
            s.order = 0;
            if (r.chance(0.5)) {
              s.cust = NO_SUCH_ID + r.nextLong(1_000_000);
              rule = "relationships:customer_id";
            } else {
              s.product = NO_SUCH_ID + r.nextLong(1_000_000);
              rule = "relationships:product_id";
            }
            break;
          case PENDING_CUSTOMER:
            s.order = 0;
            s.cust = firstNewCustomer(day + 1) + r.nextLong(newCustomersPerDay);
            break;
          case OUTLIER:
            s.product = 1 + r.nextInt(Math.min(3, products));
            s.price = prices[(int) s.product];
            s.normalise(prices);
            s.q = r.between(200, 2000);
            s.amount = s.q * s.price;
            break;
          case LATE_SALE:
            s.ts = dayStart - 1 - r.nextLong(3 * DAY);
            break;
          default:
            break;
        }
      }
      String[] v = s.render(r, ctx);
      if (d == null) {
        return v;
      }
      switch (d) {
        case NOT_NULL, TYPE_ERROR, ACCEPTED_VALUES -> rule = breakValue(Entities.SALES, d, v, r);
        case DUPLICATE -> ctx.queue(v.clone(), r, d, null);
        case CONFLICT -> {
          Sale c = s.copy();
          if (c.price != null && c.q > 0 && "completed".equals(c.status)) {
            c.q += 1;
            c.amount = c.q * c.price;
          } else {
            c.shop = c.shop == 0 ? 51 : c.shop + 100;
          }
          ctx.conflict(c.render(r, ctx), r);
        }
        default -> {}
      }
      if (d != Defect.DUPLICATE && d != Defect.CONFLICT) {
        ctx.count(d, rule);
      }
      return v;
    }
  }

  /** One sale line before rendering; money in cents. */
  private final class Sale {
    long txn;
    long order;
    long cust;
    long product;
    long shop;
    long q;
    Long price;
    Long amount;
    String status;
    long ts;

    void normalise(long[] prices) {
      status = "completed";
      if (q <= 0) {
        q = q == 0 ? 1 : -q;
      }
      if (price == null) {
        price = product < prices.length ? prices[(int) product] : 999L;
      }
      amount = q * price;
    }

    Sale copy() {
      Sale c = new Sale();
      c.txn = txn;
      c.order = order;
      c.cust = cust;
      c.product = product;
      c.shop = shop;
      c.q = q;
      c.price = price;
      c.amount = amount;
      c.status = status;
      c.ts = ts;
      return c;
    }

    String[] render(Rng r, PartCtx ctx) {
      String st = status;
      if (ctx.spell(r)) {
        st = "completed".equals(st) && r.chance(0.5) ? "" : oddCase(st, r);
      }
      return new String[] {
        id(txn, r, ctx),
        order == 0 ? "" : id(order, r, ctx),
        id(cust, r, ctx),
        id(product, r, ctx),
        shop == 0 ? "" : Long.toString(shop),
        Long.toString(q),
        price == null ? "" : money(price),
        amount == null ? "" : money(amount),
        st,
        ts(ts, r)
      };
    }
  }

  private Defect roll(Rng r, List<Defect> knobs) {
    double u = r.nextDouble();
    for (Defect d : knobs) {
      double rate = cfg.rate(d);
      if (u < rate) {
        return d;
      }
      u -= rate;
    }
    return null;
  }

  private List<Callable<PartResult>> trafficTasks(int k) {
    long m = maxCustomerId(k) * channels;
    Rng pr = Rng.of(seed, "traffic-permutation", k, 0);
    long a = 1 + pr.nextLong(Math.max(1, m - 1));
    while (gcd(a, m) != 1) {
      a = 1 + pr.nextLong(Math.max(1, m - 1));
    }
    long b = pr.nextLong(m);
    long mul = a;
    int nParts = (int) ((trafficPerDay + cfg.partRows() - 1) / cfg.partRows());
    long stride = cfg.partRows() + cfg.partRows() / 5 + 100;
    List<Callable<PartResult>> out = new ArrayList<>();
    for (int p = 0; p < nParts; p++) {
      int part = p;
      long target = Math.min(cfg.partRows(), trafficPerDay - (long) p * cfg.partRows());
      long firstPos = p * stride;
      String dt = date(k).toString();
      RowSource src =
          new RowSource() {
            long pos = firstPos;

            @Override
            public String[] next(PartCtx ctx) {
              long cust;
              long chan;
              do {
                if (pos >= m || pos >= firstPos + stride) {
                  return null;
                }
                long idx = mulMod(mul, pos++, m, b);
                cust = idx / channels + 1;
                chan = idx % channels + 1;
              } while (cust <= customers && brokenCustomers.get((int) cust));
              return trafficRow(ctx, dt, cust, chan);
            }
          };
      out.add(() -> writePart(Entities.TRAFFIC, k, part, src, target, Map.of()));
    }
    // History slice k: whole dates per part, after the day's own parts.
    int hFrom = historyFrom(k);
    int hDays = historyFrom(k + 1) - hFrom;
    int datesPerPart = (int) Math.max(1, cfg.partRows() / Math.max(1, historyTrafficPerDay));
    for (int h = 0; h * datesPerPart < hDays && historyTrafficPerDay > 0; h++) {
      int part = nParts + h;
      int first = hFrom + h * datesPerPart;
      int last = Math.min(hFrom + hDays, first + datesPerPart); // exclusive
      // no target: every date gets all its pairs, plus any duplicate or conflict rows
      out.add(
          () ->
              writePart(
                  Entities.TRAFFIC,
                  k,
                  part,
                  new HistoryTraffic(first, last),
                  Long.MAX_VALUE,
                  Map.of()));
    }
    return out;
  }

  /** One traffic row of (cust, chan) on {@code dt}, with its row knob. */
  private String[] trafficRow(PartCtx ctx, String dt, long cust, long chan) {
    Rng r = ctx.rng;
    long interactions = r.between(1, 40);
    long revenue = interactions * r.between(20, 400);
    Defect d = roll(r, TRAFFIC_KNOBS);
    if ((d == Defect.DUPLICATE || d == Defect.CONFLICT) && !ctx.roomForExtra()) {
      d = null;
    }
    String rule = null;
    if (d == Defect.FK_BREAK) {
      if (r.chance(0.5)) {
        cust = NO_SUCH_ID + r.nextLong(1_000_000);
        rule = "relationships:customer_id";
      } else {
        chan = 9_000 + r.nextInt(1000) + channels;
        rule = "relationships:channel_id";
      }
    }
    String[] v = {
      dt,
      id(account(cust), r, ctx),
      id(cust, r, ctx),
      id(chan, r, ctx),
      Long.toString(interactions),
      money(revenue)
    };
    if (d == null) {
      return v;
    }
    switch (d) {
      case NOT_NULL, TYPE_ERROR -> rule = breakValue(Entities.TRAFFIC, d, v, r);
      case DUPLICATE -> ctx.queue(v.clone(), r, d, null);
      case CONFLICT -> {
        String[] c = v.clone();
        c[4] = Long.toString(interactions + 1);
        c[5] = money(revenue + 100);
        ctx.conflict(c, r);
      }
      default -> {}
    }
    if (d != Defect.DUPLICATE && d != Defect.CONFLICT) {
      ctx.count(d, rule);
    }
    return v;
  }

  /**
   * Backdated traffic of history dates [first, last) (indices as {@link #historyFrom}): {@code
   * historyTrafficPerDay} distinct (initial customer, channel) pairs a date, from a permutation of
   * its own per date.
   */
  private final class HistoryTraffic implements RowSource {
    private final int last;
    private final long m = customers * channels;
    private int date;
    private long pos;
    private long emitted;
    private long a;
    private long b;

    HistoryTraffic(int first, int last) {
      this.last = last;
      this.date = first - 1;
      nextDate();
    }

    private void nextDate() {
      date++;
      pos = 0;
      emitted = 0;
      Rng pr = Rng.of(seed, "traffic-history-permutation", historyDate(date).toEpochDay(), 0);
      a = 1 + pr.nextLong(Math.max(1, m - 1));
      while (gcd(a, m) != 1) {
        a = 1 + pr.nextLong(Math.max(1, m - 1));
      }
      b = pr.nextLong(m);
    }

    @Override
    public String[] next(PartCtx ctx) {
      while (date < last) {
        if (emitted >= historyTrafficPerDay || pos >= m) {
          nextDate();
          continue;
        }
        long idx = mulMod(a, pos++, m, b);
        long cust = idx / channels + 1;
        long chan = idx % channels + 1;
        if (brokenCustomers.get((int) cust)) {
          continue;
        }
        emitted++;
        return trafficRow(ctx, historyDate(date).toString(), cust, chan);
      }
      return null;
    }
  }

  /** The history date of index {@code i} (0 = {@code start − historyDays}). */
  LocalDate historyDate(int i) {
    return cfg.start().minusDays(cfg.historyDays() - (long) i);
  }

  /**
   * Per fact entity, one last file of the day holding the conflicting re-deliveries the parts
   * deferred, so "the later file wins" (SPEC §2) is exercised, not only "the later line".
   */
  private List<PartResult> laterFiles(int k, List<PartResult> parts) throws IOException {
    List<PartResult> out = new ArrayList<>();
    for (EntitySpec spec : List.of(Entities.SALES, Entities.TRAFFIC)) {
      List<String[]> rows = new ArrayList<>();
      int n = 0;
      for (PartResult p : parts) {
        if (p.file().entity().equals(spec.name())) {
          rows.addAll(p.laterFile());
          n++;
        }
      }
      if (rows.isEmpty()) {
        continue;
      }
      RowSource src =
          new RowSource() {
            int i;

            @Override
            public String[] next(PartCtx ctx) {
              return i < rows.size() ? rows.get(i++) : null;
            }
          };
      out.add(writePart(spec, k, n, src, Long.MAX_VALUE, Map.of()));
    }
    return out;
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return Math.abs(a);
  }

  private static long mulMod(long a, long x, long m, long b) {
    if (m < 3_000_000_000L) {
      return (a * x + b) % m;
    }
    return java.math.BigInteger.valueOf(a)
        .multiply(java.math.BigInteger.valueOf(x))
        .add(java.math.BigInteger.valueOf(b))
        .mod(java.math.BigInteger.valueOf(m))
        .longValue();
  }

  // --------------------------------------------------------------- rendering

  private String id(long id, Rng r, PartCtx ctx) {
    return ctx.spell(r) ? id + ".0" : Long.toString(id);
  }

  private String name(String n, Rng r, PartCtx ctx) {
    if (n == null || !ctx.spell(r)) {
      return n;
    }
    int sp = n.indexOf(' ');
    return sp < 0 ? "  " + n + " " : n.substring(0, sp) + "   " + n.substring(sp + 1);
  }

  private String enumValue(String v, Rng r, PartCtx ctx) {
    return v == null || !ctx.spell(r) ? v : oddCase(v, r);
  }

  private static String oddCase(String v, Rng r) {
    return switch (r.nextInt(3)) {
      case 0 -> v.toLowerCase(Locale.ROOT);
      case 1 -> " " + v.toUpperCase(Locale.ROOT) + " ";
      default -> " " + v.toLowerCase(Locale.ROOT) + "  ";
    };
  }

  static String money(long cents) {
    long abs = Math.abs(cents);
    StringBuilder b = new StringBuilder(12);
    if (cents < 0) {
      b.append('-');
    }
    b.append(abs / 100).append('.');
    long c = abs % 100;
    if (c < 10) {
      b.append('0');
    }
    return b.append(c).toString();
  }

  /**
   * A timestamp in one of five spellings of the same instant: {@code T…Z}, naive with space, {@code
   * +02:00}, {@code -05:00} with space, naive with {@code T} (naive = UTC).
   */
  private String ts(long epochSecond, Rng r) {
    int style = spelling > 0 ? r.nextInt(5) : 0;
    int offset = style == 2 ? 7200 : style == 3 ? -18000 : 0;
    LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecond + offset, 0, ZoneOffset.UTC);
    StringBuilder b = new StringBuilder(25);
    b.append(t.toLocalDate()).append(style == 1 || style == 3 ? ' ' : 'T');
    pad(b, t.getHour()).append(':');
    pad(b, t.getMinute()).append(':');
    pad(b, t.getSecond());
    switch (style) {
      case 0 -> b.append('Z');
      case 2 -> b.append("+02:00");
      case 3 -> b.append("-05:00");
      default -> {}
    }
    return b.toString();
  }

  private static StringBuilder pad(StringBuilder b, int v) {
    return v < 10 ? b.append('0').append(v) : b.append(v);
  }

  // ---------------------------------------------------------------- one file

  /** Produces the rows of one part, in the entity's declared column order. */
  interface RowSource {
    /** The next row, or null when the part has no more base rows. */
    String[] next(PartCtx ctx);
  }

  /** Per-file state: its generator, the queue of delayed extra rows, and its tally. */
  final class PartCtx {
    final Rng rng;
    final Map<String, Long> tally = new TreeMap<>();
    private final PriorityQueue<long[]> due =
        new PriorityQueue<>(
            (x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
    private final Map<Long, String[]> extras = new HashMap<>();
    private long queued;
    long written;
    final long target;

    PartCtx(Rng rng, long target) {
      this.rng = rng;
      this.target = target;
    }

    boolean spell(Rng r) {
      if (spelling > 0 && r.chance(spelling)) {
        spelledRow = true;
        return true;
      }
      return false;
    }

    boolean spelledRow;

    /** Whether one more base row and one extra row still fit in the part. */
    boolean roomForExtra() {
      return target == Long.MAX_VALUE || used() + 2 <= target;
    }

    /** Fact rows deferred to the day's last file: conflicts that a later file resolves. */
    final List<String[]> laterFile = new ArrayList<>();

    /** A same-key conflict: half a few lines later, half in the day's last file. */
    void conflict(String[] row, Rng r) {
      if (r.chance(0.5)) {
        queue(row, r, Defect.CONFLICT, null);
      } else {
        laterFile.add(row);
        count(Defect.CONFLICT, null);
      }
    }

    void queue(String[] row, Rng r, Defect kind, String rule) {
      long key = queued++;
      extras.put(key, row);
      due.add(new long[] {written + 1 + r.nextInt(40), key});
      count(kind, rule);
    }

    void count(Defect kind, String rule) {
      tally.merge(kind.key(), 1L, Long::sum);
      if (rule != null) {
        tally.merge("rule:" + rule, 1L, Long::sum);
      }
    }

    /** Rows written or promised: queued extras and rows deferred to the later file count too. */
    long used() {
      return written + extras.size() + laterFile.size();
    }

    boolean hasExtra() {
      return !due.isEmpty();
    }

    boolean extraDue() {
      return !due.isEmpty() && due.peek()[0] <= written;
    }

    String[] pollExtra() {
      return extras.remove(due.poll()[1]);
    }
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

  record PartResult(FileEntry file, Map<String, Long> tally, List<String[]> laterFile) {}

  private PartResult writePart(
      EntitySpec spec, int day, int part, RowSource src, long target, Map<String, Long> pre)
      throws IOException {
    String entity = spec.name();
    LocalDate dt = date(day);
    Rng fr = Rng.of(seed, "file:" + entity, day, part);
    boolean shuffled = fr.chance(cfg.rate(Defect.SHUFFLED_COLUMNS));
    boolean extra = fr.chance(cfg.rate(Defect.EXTRA_COLUMN));
    boolean csv = cfg.format() == Format.CSV;
    boolean gzip = fr.chance(cfg.rate(Defect.GZIP)) && csv;
    boolean bom = fr.chance(cfg.rate(Defect.BOM)) && csv;
    boolean crlf = fr.chance(spelling > 0 ? 0.3 : 0) && csv;

    List<String> names = spec.columnNames();
    int n = names.size();
    // order[i] = canonical index of the i-th file column; -1 = the extra column
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      order.add(i);
    }
    if (shuffled) {
      shuffle(order, fr);
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

    Path dir = folder(entity, dt);
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

    PartCtx ctx = new PartCtx(Rng.of(seed, "rows:" + entity, day, part), target);
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
    return new PartResult(fe, ctx.tally, ctx.laterFile);
  }
}
