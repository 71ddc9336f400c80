package io.c360.pipelines.checks;

import java.util.List;

/**
 * The checks of one run: how many passed, warned and failed, one line per warning or failure for
 * the summary, and the message of the first failed {@code error} check.
 */
public record Outcome(
    int passed, int warned, int failed, List<String> problems, String firstError) {
  public Outcome {
    problems = List.copyOf(problems);
  }

  public boolean hasFailedErrors() {
    return failed > 0;
  }

  public String firstErrorMessage() {
    return firstError;
  }
}
