package io.c360.pipelines.cli;

import io.c360.pipelines.checks.CheckFile;
import io.c360.pipelines.db.Warehouse;
import io.c360.transforms.kpi.RecommenderEval;
import java.io.PrintStream;
import java.sql.Connection;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code c360 recommend-eval --asOf=D}: the next-best-category back-test of SPEC §9. */
@Command(
    name = "recommend-eval",
    mixinStandardHelpOptions = true,
    description = {
      "Measure next_best_category on history: take its recommendations as of asOf - 30 days and"
          + " report, for those customers, the share who made a completed purchase of a"
          + " recommended category in the 30 days up to asOf (hit rate@3), beside a popularity"
          + " baseline (the 3 unbought categories bought by the most customers).",
      "Writes mart.recommender_eval(as_of, customers, hit_rate_at_3, baseline_hit_rate_at_3) for"
          + " asOf, replacing that date's row; rates are shares from 0 to 1."
    })
public final class RecommendEvalCommand implements Callable<Integer> {
  @Mixin DbOptions db;

  @Option(
      names = "--asOf",
      required = true,
      paramLabel = "YYYY-MM-DD",
      description = "The date measured: recommendations of asOf - 30 days, purchases up to asOf.")
  LocalDate asOf;

  @Option(
      names = "--checks",
      paramLabel = "FILE",
      description =
          "Checks file whose accepted categories may be recommended (default: the shipped ones).")
  String checks;

  @Override
  public Integer call() throws Exception {
    List<String> categories = CheckFile.load(checks).acceptedValues("category");
    RecommenderEval.Result r;
    try (Warehouse wh = db.open(new PrintStream(PrintStream.nullOutputStream()));
        Connection c = wh.open()) {
      r = RecommenderEval.evaluate(c, asOf, categories);
      RecommenderEval.write(c, r);
    }
    System.out.printf(
        "recommend-eval as of %s (recommendations of %s): %d customers%n"
            + "  hit rate@3           %s (%d customers)%n"
            + "  baseline hit rate@3  %s (%d customers)%n"
            + "written to mart.recommender_eval%n",
        asOf,
        asOf.minusDays(RecommenderEval.HORIZON_DAYS),
        r.customers(),
        r.hitRateAt3(),
        r.hits(),
        r.baselineHitRateAt3(),
        r.baselineHits());
    return 0;
  }
}
