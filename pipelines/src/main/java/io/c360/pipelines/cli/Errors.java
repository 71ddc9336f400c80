package io.c360.pipelines.cli;

import java.util.LinkedHashSet;
import java.util.Set;

/** One readable line from an exception chain, without stack traces (C360_DEBUG=1 shows them). */
final class Errors {
  private Errors() {}

  static String describe(Throwable t) {
    Set<String> parts = new LinkedHashSet<>();
    for (Throwable c = t; c != null; c = c.getCause()) {
      String m = c.getMessage();
      if (m != null && !m.isBlank() && parts.stream().noneMatch(p -> p.contains(m))) {
        parts.add(m.strip());
      }
      if (c.getCause() == c) {
        break;
      }
    }
    if (parts.isEmpty()) {
      return t.getClass().getSimpleName();
    }
    // The innermost message usually names the file, rule or check; keep the chain short.
    return String.join(": caused by: ", parts.stream().limit(3).toList());
  }
}
