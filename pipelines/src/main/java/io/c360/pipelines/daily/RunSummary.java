package io.c360.pipelines.daily;

import io.c360.pipelines.checks.Outcome;
import io.c360.pipelines.db.Warehouse;
import io.c360.pipelines.report.RunReport;
import io.c360.transforms.common.BusyTime;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/** What a run did, printed as one screen at its end and stored as ops.pipeline_runs counts. */
public final class RunSummary {
  private final Builder b;
  private final Instant ended;
  private final String status;
  private final String message;
  private Path report;

  private RunSummary(Builder b, Instant ended, String status, String message) {
    this.b = b;
    this.ended = ended;
    this.status = status;
    this.message = message;
  }

  public static Builder builder(
      long runId, LocalDate runDate, LocalDate asOf, String runner, Instant started) {
    return new Builder(runId, runDate, asOf, runner, started);
  }

  public long runId() {
    return b.runId;
  }

  public String status() {
    return status;
  }

  public String message() {
    return message;
  }

  /** The run's HTML report, once {@link #print} wrote it; null without --reportDir. */
  public Path report() {
    return report;
  }

  public int exitCode() {
    return "succeeded".equals(status) ? 0 : 1;
  }

  public Map<String, EntityCounts> entities() {
    return b.entities;
  }

  public Map<String, Long> rejectsByRule() {
    return b.rejects;
  }

  public Outcome checks() {
    return b.checks;
  }

  /** The busy time per part of stage {@code stage}'s steps; empty when the stage has none. */
  public Map<BusyTime.Part, Duration> busy(String stage) {
    return b.busy.getOrDefault(stage, Map.of());
  }

  /** Unknown columns of the day's files, one per entity and set of columns. */
  public List<FileNotices> notices() {
    return b.notices;
  }

  /** The notices per entity, as stored in ops.pipeline_runs.notices. */
  public Map<String, Object> noticesJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    for (FileNotices n : b.notices) {
      @SuppressWarnings("unchecked")
      List<Object> of = (List<Object>) m.computeIfAbsent(n.entity(), k -> new ArrayList<>());
      of.add(n.toMap());
    }
    return m;
  }

  /** The per-entity reconciliation, as stored in ops.pipeline_runs.entity_counts. */
  public Map<String, Object> countsJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    b.entities.forEach((k, v) -> m.put(k, v.toMap()));
    for (String s : b.skipped) {
      m.putIfAbsent(s, Map.of("status", EntityCounts.SKIPPED));
    }
    return m;
  }

  /**
   * Writes the run's HTML report (when the run has a report folder) and prints the summary, which
   * ends with the report's path. Called once the run's outcome is recorded, as the report reads it
   * back from {@code ops.pipeline_runs}. A report that cannot be written is a line of the summary,
   * not a failure of the run.
   */
  public void print(PrintStream out, Warehouse wh) {
    String reportLine = null;
    if (b.reportDir != null) {
      try (Connection c = wh.open()) {
        report = RunReport.write(c, b.runId, b.reportDir);
        reportLine = "report: " + report;
      } catch (Exception e) {
        reportLine = "report: not written: " + e.getMessage();
      }
    }

    Duration took = Duration.between(b.started, ended);
    out.println();
    out.printf(
        "== c360 run %d %s: runDate %s, asOf %s, runner %s, %.1f s ==%n",
        b.runId, status.toUpperCase(), b.runDate, b.asOf, b.runner, took.toMillis() / 1000.0);
    if (message != null) {
      out.println("   " + message);
    }
    out.printf(
        "%-9s %9s %9s %11s %12s %8s %9s  %s%n",
        "entity", "read", "loaded", "quarantined", "deduplicated", "pending", "resolved", "");
    for (EntityCounts c : b.entities.values()) {
      if (c.status().equals(EntityCounts.SKIPPED) && c.resolved() == 0 && c.stillPending() == 0) {
        out.printf("%-9s %s%n", c.entity(), c.status());
        continue;
      }
      out.printf(
          "%-9s %9d %9d %11d %12d %8d %9d  %s%n",
          c.entity(),
          c.read(),
          c.loaded(),
          c.quarantined(),
          c.deduplicated(),
          c.pending(),
          c.resolved(),
          c.reconciles() ? "ok" : "DOES NOT RECONCILE");
    }
    if (!b.notices.isEmpty()) {
      out.println("notices:");
      b.notices.forEach(n -> out.println("  " + n.text()));
    }
    if (!b.rejects.isEmpty()) {
      out.println("rejects by rule:");
      b.rejects.forEach((k, v) -> out.printf("  %-45s %8d%n", k, v));
    }
    if (!b.dimensions.isEmpty()) {
      out.println("warehouse:");
      b.dimensions.forEach((k, v) -> out.printf("  %-45s %8d%n", k, v));
    }
    if (b.checks != null) {
      out.printf(
          "checks: %d passed, %d warned, %d failed%n",
          b.checks.passed(), b.checks.warned(), b.checks.failed());
      b.checks.problems().forEach(p -> out.println("  " + p));
    }
    b.stages.forEach(
        (k, v) -> out.printf("stage %-6s %.1f s%s%n", k, v.toMillis() / 1000.0, busyText(k)));
    out.println("warehouse: " + wh.describe());
    if (reportLine != null) {
      out.println(reportLine);
    }
  }

  /** ", busy summed over the runner's threads: read+parse 1.2 s, …" for a stage that has parts. */
  private String busyText(String stage) {
    Map<BusyTime.Part, Duration> parts = busy(stage);
    if (parts.isEmpty()) {
      return "";
    }
    StringJoiner j = new StringJoiner(", ", " (busy, summed over the runner's threads: ", ")");
    parts.forEach((p, d) -> j.add(String.format("%s %.1f s", p.label(), d.toMillis() / 1000.0)));
    return j.toString();
  }

  /** Collects a run's figures as it goes. */
  public static final class Builder {
    private final long runId;
    private final LocalDate runDate;
    private final LocalDate asOf;
    private final String runner;
    private final Instant started;
    private final Map<String, EntityCounts> entities = new LinkedHashMap<>();
    private final List<String> skipped = new ArrayList<>();
    private final Map<String, Duration> stages = new LinkedHashMap<>();
    private final Map<String, Map<BusyTime.Part, Duration>> busy = new LinkedHashMap<>();
    private List<FileNotices> notices = List.of();
    private Map<String, Long> rejects = Map.of();
    private Map<String, Long> dimensions = Map.of();
    private Outcome checks;
    private Path reportDir;

    private Builder(long runId, LocalDate runDate, LocalDate asOf, String runner, Instant started) {
      this.runId = runId;
      this.runDate = runDate;
      this.asOf = asOf;
      this.runner = runner;
      this.started = started;
    }

    public Builder entity(EntityCounts c) {
      entities.put(c.entity(), c);
      return this;
    }

    public Builder skipped(String entity) {
      skipped.add(entity);
      return this;
    }

    public Builder stage(String name, Duration d) {
      stages.put(name, d);
      return this;
    }

    /** The busy time per part of stage {@code name}'s steps, printed beside its wall clock. */
    public Builder busy(String name, Map<BusyTime.Part, Duration> parts) {
      busy.put(name, parts.isEmpty() ? Map.of() : new EnumMap<>(parts));
      return this;
    }

    public Builder notices(List<FileNotices> n) {
      notices = List.copyOf(n);
      return this;
    }

    public Builder rejectsByRule(Map<String, Long> m) {
      rejects = m;
      return this;
    }

    public Builder dimensions(Map<String, Long> m) {
      dimensions = m;
      return this;
    }

    /** The folder the run's HTML report goes to; null or blank: no report. */
    public Builder reportDir(String dir) {
      reportDir = dir == null || dir.isBlank() ? null : Path.of(dir);
      return this;
    }

    public Builder checks(Outcome o) {
      checks = o;
      return this;
    }

    public RunSummary succeeded(Instant ended) {
      return new RunSummary(this, ended, "succeeded", null);
    }

    public RunSummary failed(Instant ended, Exception e) {
      StringBuilder m = new StringBuilder();
      for (Throwable t = e; t != null && m.length() < 2000; t = t.getCause()) {
        if (t.getMessage() != null && m.indexOf(t.getMessage()) < 0) {
          m.append(m.length() == 0 ? "" : ": ").append(t.getMessage());
        }
      }
      return new RunSummary(this, ended, "failed", m.length() == 0 ? e.toString() : m.toString());
    }
  }
}
