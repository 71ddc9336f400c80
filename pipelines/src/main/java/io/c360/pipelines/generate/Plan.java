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
