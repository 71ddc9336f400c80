package io.c360.transforms.ingest;

/**
 * A landed file that cannot be ingested as a whole: a missing required column, a file that is not
 * CSV/Parquet, a truncated gzip, a folder without data files. The message always names the file or
 * folder; runners wrap it (Direct: {@code PipelineExecutionException}), so callers look for it in
 * the cause chain with {@link #findIn(Throwable)}.
 */
public class IngestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public IngestException(String message) {
    super(message);
  }

  public IngestException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The first {@link IngestException} in the cause chain of {@code t}, or null. */
  public static IngestException findIn(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof IngestException) {
        return (IngestException) c;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return null;
  }
}
