package io.c360.pipelines.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The HTML report of a run ({@code c360 report}, and the end of every run): one self-contained
 * file, {@code <dir>/c360-run-<id>-<runDate>.html}, plus {@code <dir>/latest.html}, a copy of the
 * last one written.
 *
 * <pre>{@code
 * Path page = RunReport.write(connection, runId, Path.of(".c360/reports"));
 * }</pre>
 */
public final class RunReport {
  private RunReport() {}

  /** Where reports go when neither --reportDir nor --output says otherwise. */
  public static final String DEFAULT_DIR = ".c360/reports";

  /** Writes the report of {@code runId} into {@code dir} and returns the page's path. */
  public static Path write(Connection c, long runId, Path dir) throws SQLException, IOException {
    ReportData d = ReportData.load(c, runId);
    Path file = dir.resolve("c360-run-" + runId + "-" + d.run().runDate() + ".html");
    String page = ReportPage.render(d);
    writeTo(page, file);
    writeTo(page, dir.resolve("latest.html"));
    return file.toAbsolutePath().normalize();
  }

  /** Writes the report of {@code runId} to {@code file} exactly. */
  public static Path writeFile(Connection c, long runId, Path file)
      throws SQLException, IOException {
    writeTo(ReportPage.render(ReportData.load(c, runId)), file);
    return file.toAbsolutePath().normalize();
  }

  /** The id of the latest recorded run, for {@code c360 report} without --run. */
  public static long latestRun(Connection c) throws SQLException {
    return ReportData.latestRun(c)
        .orElseThrow(
            () -> new IllegalArgumentException("no run recorded in ops.pipeline_runs yet"));
  }

  private static void writeTo(String page, Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    // written beside and moved, so a browser reloading the page never reads half a file, and two
    // runs replacing latest.html at once leave one whole page
    Path tmp = Files.createTempFile(dir, ".report-", ".html.tmp");
    try {
      Files.writeString(tmp, page, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
