package io.c360.transforms.common;

/**
 * The one way c360 checks what a caller passed (as Beam's {@code JdbcIO} checks its {@code withX}
 * arguments): a failed check throws with a message built from a template whose {@code %s} are
 * replaced by the arguments in order.
 *
 * <pre>{@code
 * checkArgument(rows > 0, "batch size must be positive: %s", rows);
 * checkState(connection() != null, "PgCopyWrite.withConnection() is required");
 * }</pre>
 */
public final class Args {
  private Args() {}

  /** Throws {@link IllegalArgumentException} unless {@code ok}: a bad argument. */
  public static void checkArgument(boolean ok, String template, Object... args) {
    if (!ok) {
      throw new IllegalArgumentException(format(template, args));
    }
  }

  /** Throws {@link IllegalStateException} unless {@code ok}: a required setting is missing. */
  public static void checkState(boolean ok, String template, Object... args) {
    if (!ok) {
      throw new IllegalStateException(format(template, args));
    }
  }

  /** Replaces each {@code %s} by the next argument; any other {@code %} stays as written. */
  static String format(String template, Object... args) {
    if (args.length == 0) {
      return template;
    }
    StringBuilder b = new StringBuilder(template.length() + 16 * args.length);
    int from = 0;
    int i = 0;
    while (i < args.length) {
      int at = template.indexOf("%s", from);
      if (at < 0) {
        break;
      }
      b.append(template, from, at).append(args[i++]);
      from = at + 2;
    }
    b.append(template, from, template.length());
    return b.toString();
  }
}
