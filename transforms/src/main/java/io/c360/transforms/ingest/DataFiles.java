package io.c360.transforms.ingest;

import java.time.LocalDate;
import java.util.Locale;

/** Naming rules of the landing zone (SPEC §1): where a partition lives and which files count. */
public final class DataFiles {
  /** The format of a landed file, decided by its name. */
  public enum Kind {
    CSV,
    CSV_GZ,
    PARQUET,
    /** Anything else (e.g. {@code _SUCCESS}, {@code .crc}, hidden files): ignored. */
    OTHER
  }

  private DataFiles() {}

  /**
   * The partition folder {@code <inputRoot>/<entity>/dt=<dt>/}, always with a trailing slash. A
   * local root without a scheme is made absolute so lineage carries a full path.
   */
  public static String partitionFolder(String inputRoot, String entity, LocalDate dt) {
    return root(inputRoot) + "/" + entity + "/dt=" + dt + "/";
  }

  /** The landing root as folders under it are named: local paths absolute, no trailing slash. */
  public static String root(String inputRoot) {
    String root = inputRoot;
    if (!root.contains("://")) {
      root = java.nio.file.Paths.get(root).toAbsolutePath().normalize().toString();
    }
    while (root.endsWith("/") && root.length() > 1 && !root.endsWith("://")) {
      root = root.substring(0, root.length() - 1);
    }
    return root;
  }

  /**
   * The kind of a file by its name, case-insensitively: {@code *.csv}, {@code *.csv.gz}, {@code
   * *.parquet}. Names starting with {@code _} or {@code .} are Hadoop/Spark markers and hidden
   * files, never data.
   */
  public static Kind kindOf(String fileName) {
    if (fileName == null || fileName.isEmpty()) {
      return Kind.OTHER;
    }
    String n = fileName.toLowerCase(Locale.ROOT);
    if (n.startsWith("_") || n.startsWith(".")) {
      return Kind.OTHER;
    }
    if (n.endsWith(".csv")) {
      return Kind.CSV;
    }
    if (n.endsWith(".csv.gz")) {
      return Kind.CSV_GZ;
    }
    if (n.endsWith(".parquet")) {
      return Kind.PARQUET;
    }
    return Kind.OTHER;
  }

  static boolean isData(String fileName) {
    return kindOf(fileName) != Kind.OTHER;
  }

  static boolean isCsv(String fileName) {
    Kind k = kindOf(fileName);
    return k == Kind.CSV || k == Kind.CSV_GZ;
  }

  static boolean isParquet(String fileName) {
    return kindOf(fileName) == Kind.PARQUET;
  }
}
