package io.c360.pipelines.daily;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run noticed about its files without failing or quarantining anything: today, unknown
 * columns (SPEC §1, "ignored and reported once per file"). The load pipeline writes one row per
 * such file to {@code dq.file_notices} ({@link LoadStage}); a run reads them back here, one notice
 * per entity and set of unknown columns, for its summary and {@code ops.pipeline_runs.notices}.
 *
 * <p>Why a table and not the workers' WARN log or a Beam metric: a log line stays on the worker
 * that planned the file (a Flink TaskManager, a Dataflow VM), and a table written by the pipeline
 * reads back the same on every runner.
 */
public record FileNotices(String entity, List<String> unknownColumns, long files) {
  /** One row per entity and set of unknown columns, with the number of files that had it. */
  static final String OF_RUN =
      "SELECT entity, unknown_columns, count(*) FROM dq.file_notices WHERE run_id = ?"
          + " GROUP BY entity, unknown_columns ORDER BY entity, unknown_columns";

  public FileNotices {
    unknownColumns = List.copyOf(unknownColumns);
  }

  /** The notices of run {@code runId}. */
  static List<FileNotices> ofRun(Connection c, long runId) throws SQLException {
    List<FileNotices> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(OF_RUN)) {
      ps.setLong(1, runId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Array columns = rs.getArray(2);
          out.add(
              new FileNotices(
                  rs.getString(1), Arrays.asList((String[]) columns.getArray()), rs.getLong(3)));
        }
      }
    }
    return out;
  }

  /** {@code customers: unknown columns [ingest_batch] ignored in 2 files}. */
  public String text() {
    return entity
        + ": unknown columns "
        + unknownColumns
        + " ignored in "
        + files
        + (files == 1 ? " file" : " files");
  }

  /** As stored in {@code ops.pipeline_runs.notices}, in the list of its entity. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("unknown_columns", unknownColumns);
    m.put("files", files);
    m.put("notice", text());
    return m;
  }
}
