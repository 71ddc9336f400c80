package io.c360.pipelines.generate;

import java.nio.file.Path;
import java.time.LocalDate;

/**
 * What a {@link GeneratorConfig} makes of a run: how many members and rows of each kind, which ids
 * exist on which day, and the calendar of the days and of the history before them. Immutable, so
 * parallel part writers share it.
 */
final class Plan {
  static final long BASE_SALES = 1_000_000L;
  static final long BASE_CUSTOMERS = 100_000L;
  static final long BASE_TRAFFIC = 200_000L;
  static final int BASE_PRODUCTS = 1_000;
  static final int BASE_CHANNELS = 10;
  static final long BASE_WEB_EVENTS = 2_000_000L;
  static final int BASE_CAMPAIGNS = 50;
  static final int BASE_SHOPS = 10;

  /** Fewest campaigns at any scale: the two evergreen ones and a few dated ones. */
  static final int MIN_CAMPAIGNS = 6;

  /** Fewest shops with inventory at any scale. */
  static final int MIN_SHOPS = 3;

  /** Fewest web events a day at any scale: a few dozen sessions. */
  static final long MIN_WEB_EVENTS = 200;

  /** Ids from here on never exist in any dimension (FK breaks). */
  static final long NO_SUCH_ID = 900_000_000_000L;

  /** Seconds in a day. */
  static final long DAY = 86_400L;

  /** Backdated sales per history date, as a share of a day's sales volume. */
  static final double HISTORY_SHARE = 0.1;

  /** Expected history changes per initial customer and history day (as the daily 1%). */
  static final double HISTORY_CHANGE_RATE = 0.01;

  final GeneratorConfig cfg;
  final long seed;
  final double spelling;

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
  final long webEventsPerDay;
  final long historyWebEventsPerDay;
  final int campaigns;
  final int campaignChangesPerDay;
  final int shops;

  /**
   * Sizes scale linearly with {@code scale} from SPEC §7/§8's scale 1 (1,000,000 sales, 200,000
   * traffic rows, 2,000,000 web events a day, 100,000 customers, 1,000 products, 50 campaigns, 10
   * shops with a daily snapshot of every product), rounded, with minimums so that tiny scales still
   * have some of each: 10 products, 10 channels, {@value #MIN_CAMPAIGNS} campaigns, {@value
   * #MIN_SHOPS} shops, {@value #MIN_WEB_EVENTS} web events a day, one of everything else.
   */
  Plan(GeneratorConfig cfg) {
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
    this.webEventsPerDay = Math.max(MIN_WEB_EVENTS, Math.round(BASE_WEB_EVENTS * s));
    this.historyWebEventsPerDay =
        cfg.historyDays() == 0 ? 0 : Math.max(1, Math.round(webEventsPerDay * HISTORY_SHARE));
    this.campaigns = (int) Math.max(MIN_CAMPAIGNS, Math.round(BASE_CAMPAIGNS * s));
    this.campaignChangesPerDay = (int) Math.max(1, Math.round(campaigns * 0.02));
    this.shops = (int) Math.max(MIN_SHOPS, Math.round(BASE_SHOPS * s));
  }

  /** The {@code dt=} folder of an entity and date. */
  Path folder(String entity, LocalDate dt) {
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

  /** How many members a day knob touches a day: its rate times the customers, at least one. */
  long dayCount(Defect d) {
    double r = cfg.rate(d);
    return r == 0 ? 0 : Math.max(1, Math.round(r * customers));
  }

  /** Index (0 = {@code start − historyDays}) of the first history date delivered on day k. */
  int historyFrom(int k) {
    return (int) ((long) (k - 1) * cfg.historyDays() / cfg.days());
  }

  /** The history date of index {@code i} (0 = {@code start − historyDays}). */
  LocalDate historyDate(int i) {
    return cfg.start().minusDays(cfg.historyDays() - (long) i);
  }
}
