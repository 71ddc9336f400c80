package io.c360.pipelines.checks;

/** How bad a failing check is: {@code error} stops the run before the marts are replaced. */
public enum Severity {
  warn,
  error
}
