package io.c360.pipelines.cli;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Comparator;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Renders the options an interface declares (name, @Description, @Default) as help text, so the
 * Beam options interface stays the single place where c360's run options are defined.
 */
final class BeamOptionsHelp {
  private BeamOptionsHelp() {}

  static String describe(Class<? extends PipelineOptions> options) {
    StringBuilder b = new StringBuilder();
    Method[] getters =
        Arrays.stream(options.getDeclaredMethods())
            .filter(m -> m.getName().startsWith("get") && m.getParameterCount() == 0)
            .sorted(Comparator.comparing(Method::getName))
            .toArray(Method[]::new);
    for (Method m : getters) {
      String name = Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
      Description d = m.getAnnotation(Description.class);
      String def = defaultOf(m);
      b.append(String.format("  --%s=<%s>%n", name, m.getReturnType().getSimpleName()));
      b.append("      ").append(d == null ? "" : d.value());
      if (def != null) {
        b.append(" Default: ").append(def).append('.');
      }
      b.append(String.format("%n"));
    }
    return b.toString();
  }

  private static String defaultOf(Method m) {
    if (m.getAnnotation(Default.String.class) != null) {
      return m.getAnnotation(Default.String.class).value();
    }
    if (m.getAnnotation(Default.Integer.class) != null) {
      return Integer.toString(m.getAnnotation(Default.Integer.class).value());
    }
    if (m.getAnnotation(Default.Boolean.class) != null) {
      return Boolean.toString(m.getAnnotation(Default.Boolean.class).value());
    }
    if (m.getAnnotation(Default.Enum.class) != null) {
      return m.getAnnotation(Default.Enum.class).value();
    }
    return null;
  }
}
