package io.c360.pipelines.daily;

/**
 * The options of a run are wrong (missing --input, a bad date, an unknown option): a usage error,
 * which the command line reports with exit code 2, before any warehouse is opened or run recorded.
 */
public final class InvalidOptionsException extends IllegalArgumentException {
  public InvalidOptionsException(String message) {
    super(message);
  }

  public InvalidOptionsException(String message, Throwable cause) {
    super(message, cause);
  }
}
