package io.c360.pipelines.checks;

/** A checks file that cannot be used; the message starts with {@code FILE:LINE:}. */
public final class CheckFileException extends IllegalArgumentException {
  private final int line;

  CheckFileException(String source, int line, String message) {
    super(source + ":" + line + ": " + message);
    this.line = line;
  }

  /** The 1-based line the problem is on. */
  public int line() {
    return line;
  }
}
