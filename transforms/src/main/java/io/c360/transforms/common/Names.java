package io.c360.transforms.common;

/**
 * Step names: every {@code apply} gets a stable UpperCamel name (Flink savepoints and Dataflow
 * updates match steps by name), often built from an entity or table name.
 *
 * <pre>{@code
 * input.apply("Clean" + Names.upperCamel("dim_customer"), ...); // "CleanDimCustomer"
 * }</pre>
 */
public final class Names {
  private Names() {}

  /** {@code dim_customer} → {@code DimCustomer}; empty parts (doubled underscores) are skipped. */
  public static String upperCamel(String snake) {
    StringBuilder b = new StringBuilder();
    for (String part : snake.split("_")) {
      if (!part.isEmpty()) {
        b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
      }
    }
    return b.toString();
  }
}
