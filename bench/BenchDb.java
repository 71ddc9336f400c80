// Database side of bench/run.sh, compiled against the c360 runnable jar (PgJDBC, its CopyManager and
// c360's own embedded PostgreSQL launcher are on that classpath), so the harness needs no psql.
//
//   serve   DATA_DIR PORT             start c360's embedded PostgreSQL 17 (LocalPostgres: the same
//                                     binaries and server settings `c360 run` uses) and keep it up
//                                     until this process gets SIGTERM
//   admin   URL SQL...                run statements one by one in autocommit (CREATE DATABASE …)
//   query   URL SQL                   print the rows of one query, tab-separated
//   floor   URL LANDING DATE          contender (a): COPY the day's sales files into floor.sales
//   sqlrun  URL LANDING DATE SQL_DIR  contender (b): COPY every entity's files by header into lz.*,
//                                     then run SQL_DIR/[1-9]*.sql in name order, each in one
//                                     transaction, with ${run_date} substituted
//
// floor and sqlrun print "stage <name> <seconds>" per step and "total <seconds>"; their clock
// starts after the connection is open and stops after the last commit.
import io.c360.pipelines.db.LocalPostgres;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

public final class BenchDb {
  /** Landing columns per entity (SPEC §1), in the lz/floor tables' order. */
  static final List<String> ENTITIES = List.of("customers", "products", "channels", "sales", "traffic");

  static final java.util.Map<String, Set<String>> COLUMNS =
      java.util.Map.of(
          "customers",
          Set.of("customer_id", "account_id", "name", "email", "city", "country", "segment",
              "industry", "created_date", "updated_at"),
          "products",
          Set.of("product_id", "product_name", "category", "brand", "list_price", "updated_at"),
          "channels", Set.of("channel_id", "channel_name", "channel_type", "unit_price_eur"),
          "sales",
          Set.of("transaction_id", "order_id", "customer_id", "product_id", "shop_id", "quantity",
              "unit_price", "amount", "status", "transaction_ts"),
          "traffic",
          Set.of("send_date", "account_id", "customer_id", "channel_id", "interactions_count",
              "revenue_eur"));

  public static void main(String[] a) throws Exception {
    switch (a[0]) {
      case "serve" -> serve(Path.of(a[1]), Integer.parseInt(a[2]));
      case "admin" -> admin(a[1], List.of(a).subList(2, a.length));
      case "query" -> query(a[1], a[2]);
      case "floor" -> floor(a[1], Path.of(a[2]), a[3]);
      case "sqlrun" -> sqlrun(a[1], Path.of(a[2]), a[3], Path.of(a[4]));
      default -> throw new IllegalArgumentException("unknown command " + a[0]);
    }
  }

  static void serve(Path dataDir, int port) throws Exception {
    LocalPostgres pg = LocalPostgres.start(dataDir, port);
    CountDownLatch done = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    pg.close();
                  } catch (IOException e) {
                    e.printStackTrace();
                  }
                  done.countDown();
                }));
    System.out.println("ready " + pg.jdbcUrl());
    System.out.flush();
    done.await();
  }

  static Connection open(String url) throws Exception {
    Properties p = new Properties();
    p.setProperty("user", "postgres");
    return DriverManager.getConnection(url, p);
  }

  static void admin(String url, List<String> sqls) throws Exception {
    try (Connection c = open(url);
        Statement st = c.createStatement()) {
      for (String s : sqls) {
        st.execute(s);
      }
    }
  }

  static void query(String url, String sql) throws Exception {
    try (Connection c = open(url);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          b.append(i > 1 ? "\t" : "").append(rs.getString(i));
        }
        System.out.println(b);
      }
    }
  }

  /** The day's files of one entity, in name order (so "the later file wins" is name order). */
  static List<Path> files(Path landing, String entity, String date) throws IOException {
    Path dir = landing.resolve(entity).resolve("dt=" + date);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(f -> f.getFileName().toString().matches(".*\\.csv(\\.gz)?"))
          .sorted()
          .toList();
    }
  }

  static InputStream openFile(Path f) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(f), 1 << 16);
    return f.toString().endsWith(".gz") ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16) : in;
  }

  /**
   * The COPY column list for a file: its header names trimmed and lower-cased (BOM dropped); an
   * unknown column goes to one of the spare columns x1..x4 (landed, never used).
   */
  static List<String> copyColumns(Path f, String entity) throws IOException {
    StringBuilder line = new StringBuilder();
    try (InputStream in = openFile(f)) {
      boolean quoted = false;
      for (int ch; (ch = in.read()) >= 0; ) {
        if (ch == '"') {
          quoted = !quoted;
        }
        if (!quoted && (ch == '\n' || ch == '\r')) {
          break;
        }
        line.append((char) ch);
      }
    }
    String header = new String(line.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    if (header.startsWith("\uFEFF")) {
      header = header.substring(1);
    }
    List<String> cols = new ArrayList<>();
    int spare = 0;
    for (String raw : header.split(",", -1)) {
      String n = raw.replace("\"", "").trim().toLowerCase(Locale.ROOT);
      cols.add(COLUMNS.get(entity).contains(n) && !cols.contains(n) ? n : "x" + (++spare));
    }
    return cols;
  }

  static long copyFile(CopyManager cm, String table, Path f, String entity) throws Exception {
    String sql =
        "COPY " + table + " (" + String.join(", ", copyColumns(f, entity))
            + ") FROM STDIN (FORMAT csv, HEADER true)";
    try (InputStream in = openFile(f)) {
      return cm.copyIn(sql, in);
    }
  }

  static double since(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  static void floor(String url, Path landing, String date) throws Exception {
    try (Connection c = open(url)) {
      CopyManager cm = c.unwrap(PGConnection.class).getCopyAPI();
      c.setAutoCommit(false);
      long t0 = System.nanoTime();
      long rows = 0;
      for (Path f : files(landing, "sales", date)) {
        rows += copyFile(cm, "floor.sales", f, "sales");
      }
      c.commit();
      System.out.printf(Locale.ROOT, "stage copy %.3f%n", since(t0));
      System.out.printf(Locale.ROOT, "rows sales %d%n", rows);
      System.out.printf(Locale.ROOT, "total %.3f%n", since(t0));
    }
  }

  static void sqlrun(String url, Path landing, String date, Path sqlDir) throws Exception {
    List<Path> scripts;
    try (Stream<Path> s = Files.list(sqlDir)) {
      scripts =
          s.filter(f -> f.getFileName().toString().matches("[1-9][0-9]_.*\\.sql")).sorted().toList();
    }
    try (Connection c = open(url);
        Statement st = c.createStatement()) {
      CopyManager cm = c.unwrap(PGConnection.class).getCopyAPI();
      c.setAutoCommit(false);
      long t0 = System.nanoTime();
      // Land every entity's files as text, one file at a time, its name and order recorded.
      long t = System.nanoTime();
      st.execute("TRUNCATE lz.customers, lz.products, lz.channels, lz.sales, lz.traffic");
      for (String e : ENTITIES) {
        long rows = 0;
        for (Path f : files(landing, e, date)) {
          st.execute(
              "ALTER TABLE lz." + e + " ALTER COLUMN source_file SET DEFAULT '"
                  + f.toString().replace("'", "''") + "'");
          rows += copyFile(cm, "lz." + e, f, e);
        }
        System.out.printf(Locale.ROOT, "rows %s %d%n", e, rows);
      }
      c.commit();
      System.out.printf(Locale.ROOT, "stage copy %.3f%n", since(t));
      for (Path f : scripts) {
        t = System.nanoTime();
        String script = Files.readString(f).replace("${run_date}", "'" + date + "'");
        if (Boolean.getBoolean("bench.profile")) { // -Dbench.profile=true: time each statement
          for (String stmt : script.split(";\\s*\\n")) {
            long ts = System.nanoTime();
            st.execute(stmt);
            String first = stmt.replaceAll("(?m)^--.*$", "").strip().replaceAll("\\s+", " ");
            System.err.printf(Locale.ROOT, "  %7.3f s  %s%n", since(ts), first.substring(0, Math.min(90, first.length())));
          }
        } else {
          st.execute(script);
        }
        c.commit();
        String name = f.getFileName().toString().replaceAll("^[0-9]+_|\\.sql$", "");
        System.out.printf(Locale.ROOT, "stage %s %.3f%n", name, since(t));
      }
      System.out.printf(Locale.ROOT, "total %.3f%n", since(t0));
    }
  }
}
