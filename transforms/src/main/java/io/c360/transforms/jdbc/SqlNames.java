package io.c360.transforms.jdbc;

import java.util.regex.Pattern;

/**
 * Validates identifiers before they are put into SQL text: Java never splices an unchecked name.
 */
public final class SqlNames {
  private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final Pattern QUALIFIED =
      Pattern.compile("[a-z_][a-z0-9_]{0,62}\\.[a-z_][a-z0-9_]{0,62}");

  private SqlNames() {}

  public static String column(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not a safe column name: " + name);
    }
    return name;
  }

  public static String table(String qualifiedName) {
    if (!QUALIFIED.matcher(qualifiedName).matches()) {
      throw new IllegalArgumentException("not a safe schema.table name: " + qualifiedName);
    }
    return qualifiedName;
  }
}
