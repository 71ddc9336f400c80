package io.c360.transforms.facts;

import static java.util.stream.Collectors.joining;

import io.c360.transforms.facts.FactSpec.Relationship;
import io.c360.transforms.jdbc.PgConnection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The SQL of one fact load, in one transaction, set-based. All of it is generated from the {@link
 * FactSpec}; the only values put into the text are the run id (a long) and validated names.
 *
 * <ol>
 *   <li>candidates: the run's staged rows, plus pending rows that were not re-delivered;
 *   <li>keyed: each candidate with the surrogate keys of the versions valid at its time ({@link
 *       io.c360.transforms.scd2.DimensionSpec#versionAt}) and its Type 1 members' presence;
 *   <li>a fact whose date moved leaves its old partition (sales); the ready ones are upserted on
 *       their primary key, and only rows whose content changed are rewritten;
 *   <li>pending rows that loaded are deleted, the others (re-)recorded with their rule.
 * </ol>
 */
final class FactStore {
  private FactStore() {}

  static FactLoadStats load(Connection c, FactSpec f, long runId, ZoneId zone) throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try (Statement st = c.createStatement()) {
      PgConnection.setLocalTimeZone(c, zone);
      String name = f.entity().name();
      String staging = f.stagingTable();
      String cand = "c360_" + name + "_cand";
      String keyed = "c360_" + name + "_keyed";
      String run = Long.toString(runId);
      List<Relationship> rels = f.relationships();
      Function<String, String> ready = alias -> ready(rels, alias);

      // Fresh statistics: staging was just rewritten and temp tables are never auto-analyzed;
      // with stale ones the planner loops over what it thinks is one row.
      PgConnection.analyzeStaging(c, name);
      st.execute("DROP TABLE IF EXISTS " + cand);
      st.execute(
          "CREATE TEMP TABLE "
              + cand
              + " ON COMMIT DROP AS SELECT s.*, "
              + f.naturalKey("s")
              + " AS natural_key, false AS from_pending FROM "
              + staging
              + " s WHERE s.run_id = "
              + run
              + " UNION ALL SELECT t.*, p.natural_key, true FROM dq.pending_rows p CROSS JOIN"
              + " LATERAL jsonb_populate_record(NULL::"
              + staging
              + ", p.record) t WHERE p.entity = '"
              + name
              + "' AND NOT EXISTS (SELECT 1 FROM "
              + staging
              + " s WHERE s.run_id = "
              + run
              + " AND "
              + f.naturalKey("s")
              + " = p.natural_key)");
      st.execute("ANALYZE " + cand);

      List<String> picked = new ArrayList<>();
      StringBuilder joins = new StringBuilder();
      for (int i = 0; i < rels.size(); i++) {
        Relationship r = rels.get(i);
        if (r.scd2() != null) {
          String v = "v" + i;
          picked.add(v + "." + r.scd2().skColumn());
          if (r.ref().copyColumn() != null) {
            picked.add(v + "." + r.ref().copiedFrom() + " AS " + r.ref().copyColumn());
          }
          joins
              .append(" LEFT JOIN LATERAL ")
              .append(r.ref().versionOf(r.scd2(), "c"))
              .append(' ')
              .append(v)
              .append(" ON true");
        } else {
          picked.add(
              "EXISTS (SELECT 1 FROM "
                  + r.type1().table()
                  + " m WHERE m."
                  + r.type1().naturalKey()
                  + " = c."
                  + r.column()
                  + ") AS "
                  + known(r));
        }
      }
      if (!f.landedColumns().contains(f.dateColumn())) {
        picked.add(f.date("c") + " AS " + f.dateColumn());
      }
      st.execute("DROP TABLE IF EXISTS " + keyed);
      st.execute(
          "CREATE TEMP TABLE "
              + keyed
              + " ON COMMIT DROP AS SELECT c.*, "
              + String.join(", ", picked)
              + " FROM "
              + cand
              + " c"
              + joins);
      st.execute("ANALYZE " + keyed);

      long moved = 0;
      long newKeys = 0;
      if (f.keysTable() != null) {
        String k = f.entity().naturalKey().get(0);
        String date = f.dateColumn();
        st.execute(
            "SELECT "
                + f.partitionFunction()
                + "(d) FROM (SELECT DISTINCT "
                + date
                + " AS d FROM "
                + keyed
                + " WHERE "
                + ready.apply(keyed)
                + ") x");
        // A re-delivered fact whose date moved leaves its old partition.
        moved =
            st.executeUpdate(
                "DELETE FROM "
                    + f.table()
                    + " f USING "
                    + f.keysTable()
                    + " k, "
                    + keyed
                    + " r WHERE k."
                    + k
                    + " = r."
                    + k
                    + " AND f."
                    + k
                    + " = k."
                    + k
                    + " AND f."
                    + date
                    + " = k."
                    + date
                    + " AND k."
                    + date
                    + " <> r."
                    + date
                    + " AND "
                    + ready.apply("r"));
        // Keys seen for the first time are facts inserted, as are the moved ones.
        try (ResultSet rs =
            st.executeQuery(
                "WITH w AS (INSERT INTO "
                    + f.keysTable()
                    + " AS k ("
                    + k
                    + ", "
                    + date
                    + ") SELECT "
                    + k
                    + ", "
                    + date
                    + " FROM "
                    + keyed
                    + " WHERE "
                    + ready.apply(keyed)
                    + " ON CONFLICT ("
                    + k
                    + ") DO UPDATE SET "
                    + date
                    + " = excluded."
                    + date
                    + " WHERE k."
                    + date
                    + " <> excluded."
                    + date
                    + " RETURNING xmax = 0 AS new) SELECT count(*) FILTER (WHERE new) FROM w")) {
          rs.next();
          newKeys = rs.getLong(1);
        }
      }

      long inserted;
      long updated;
      try (ResultSet rs = st.executeQuery(upsertSql(f, rels, keyed, runId, ready.apply(keyed)))) {
        rs.next();
        long written = rs.getLong(1);
        inserted = f.keysTable() != null ? newKeys + moved : rs.getLong(2);
        updated = written - inserted;
      }
      insertDates(
          st,
          "SELECT DISTINCT " + f.dateColumn() + " FROM " + keyed + " WHERE " + ready.apply(keyed));
      FactLoadStats stats = settlePending(st, f, rels, runId, keyed, ready);
      c.commit();
      return stats.withWrites(inserted, updated, moved);
    } catch (SQLException | RuntimeException e) {
      PgConnection.rollbackAfter(c, e);
      throw e;
    } finally {
      PgConnection.restoreAutoCommit(c, auto);
    }
  }

  /** The column of the keyed table telling whether a Type 1 member exists. */
  private static String known(Relationship r) {
    return r.column() + "_known";
  }

  /** A row can load when each foreign key is empty or names a member (SPEC §2 relationships). */
  private static String satisfied(Relationship r, String alias) {
    String test =
        r.scd2() != null
            ? alias + "." + r.scd2().skColumn() + " IS NOT NULL"
            : alias + "." + known(r);
    return "(" + alias + "." + r.column() + " IS NULL OR " + test + ")";
  }

  private static String ready(List<Relationship> rels, String alias) {
    return rels.stream().map(r -> satisfied(r, alias)).collect(joining(" AND "));
  }

  /**
   * The upsert of the ready rows; its one result row counts the rows written and, for a table that
   * is not partitioned, those inserted ({@code xmax = 0} marks a row this statement inserted; a
   * partitioned table has no system columns in RETURNING, and its keys table counts instead).
   */
  private static String upsertSql(
      FactSpec f, List<Relationship> rels, String keyed, long runId, String readyCond) {
    List<String> cols = new ArrayList<>();
    List<String> values = new ArrayList<>();
    for (String col : f.landedColumns()) {
      cols.add(col);
      values.add(f.factValue(col));
    }
    if (!cols.contains(f.dateColumn())) {
      cols.add(f.dateColumn());
      values.add(f.dateColumn());
    }
    for (Relationship r : rels) {
      if (r.scd2() != null) {
        cols.add(r.scd2().skColumn());
        values.add(r.scd2().skColumn());
        if (r.ref().copyColumn() != null) {
          cols.add(r.ref().copyColumn());
          values.add(r.ref().copyColumn());
        }
      }
    }
    cols.add("date_key");
    values.add("to_char(" + f.dateColumn() + ", 'YYYYMMDD')::int");
    cols.add("run_id");
    values.add(Long.toString(runId));
    List<String> changing =
        cols.stream().filter(c -> !f.primaryKey().contains(c) && !c.equals("date_key")).toList();
    List<String> content = changing.stream().filter(c -> !c.equals("run_id")).toList();
    return "WITH w AS (INSERT INTO "
        + f.table()
        + " AS f ("
        + String.join(", ", cols)
        + ") SELECT "
        + String.join(", ", values)
        + " FROM "
        + keyed
        + " WHERE "
        + readyCond
        + " ON CONFLICT ("
        + String.join(", ", f.primaryKey())
        + ") DO UPDATE SET "
        + changing.stream().map(c -> c + " = excluded." + c).collect(joining(", "))
        + " WHERE ("
        + content.stream().map(c -> "f." + c).collect(joining(", "))
        + ") IS DISTINCT FROM ("
        + content.stream().map(c -> "excluded." + c).collect(joining(", "))
        + ") RETURNING "
        + (f.keysTable() == null ? "xmax = 0" : "NULL::boolean")
        + " AS inserted) SELECT count(*), count(*) FILTER (WHERE inserted) FROM w";
  }

  /**
   * Deletes pending rows that loaded, records (or re-records) those still waiting, and counts: this
   * run's rows loaded / pending, earlier pending rows resolved / still waiting.
   */
  private static FactLoadStats settlePending(
      Statement st,
      FactSpec f,
      List<Relationship> rels,
      long runId,
      String keyed,
      Function<String, String> ready)
      throws SQLException {
    String readyCond = ready.apply(keyed);
    long loaded, pending, resolved, stillPending;
    try (ResultSet rs =
        st.executeQuery(
            "SELECT count(*) FILTER (WHERE NOT from_pending AND ("
                + readyCond
                + ")), count(*) FILTER (WHERE NOT from_pending AND NOT ("
                + readyCond
                + ")), count(*) FILTER (WHERE from_pending AND ("
                + readyCond
                + ")), count(*) FILTER (WHERE from_pending AND NOT ("
                + readyCond
                + ")) FROM "
                + keyed)) {
      rs.next();
      loaded = rs.getLong(1);
      pending = rs.getLong(2);
      resolved = rs.getLong(3);
      stillPending = rs.getLong(4);
    }
    String entity = "'" + f.entity().name() + "'";
    st.executeUpdate(
        "DELETE FROM dq.pending_rows p USING "
            + keyed
            + " k WHERE p.entity = "
            + entity
            + " AND p.natural_key = k.natural_key AND ("
            + ready.apply("k")
            + ")");
    StringBuilder rule = new StringBuilder("CASE");
    StringBuilder message = new StringBuilder("CASE");
    for (Relationship r : rels) {
      String unmet = " WHEN NOT " + satisfied(r, keyed);
      rule.append(unmet).append(" THEN '").append(relationshipRule(r.column())).append("'");
      message
          .append(unmet)
          .append(" THEN '")
          .append(r.column())
          .append(" ' || ")
          .append(r.column())
          .append(" || ' ")
          .append(r.missing())
          .append("'");
    }
    rule.append(" END");
    message.append(" END");
    // The record keeps the typed row so a retry needs neither the file nor the cleaning again.
    String record =
        "jsonb_build_object("
            + stagingColumns(st, f).stream().map(x -> "'" + x + "', " + x).collect(joining(", "))
            + ")";
    st.executeUpdate(
        "INSERT INTO dq.pending_rows AS p (entity, natural_key, rule, message, first_run_id,"
            + " last_run_id, attempts, source_file, line_no, record) SELECT "
            + entity
            + ", natural_key, "
            + rule
            + ", "
            + message
            + ", "
            + runId
            + ", "
            + runId
            + ", 1, source_file, line_no, "
            + record
            + " FROM "
            + keyed
            + " WHERE NOT ("
            + readyCond
            + ") ON CONFLICT (entity, natural_key) DO UPDATE SET rule = excluded.rule, message ="
            + " excluded.message, last_run_id = excluded.last_run_id, attempts = p.attempts + 1,"
            + " source_file = excluded.source_file, line_no = excluded.line_no, record ="
            + " excluded.record WHERE p.last_run_id <> excluded.last_run_id");
    return new FactLoadStats(f.entity().name(), loaded, pending, resolved, stillPending, 0, 0, 0);
  }

  /** The rule a fact waits under while its {@code column} names no member (SPEC §2). */
  static String relationshipRule(String column) {
    return "relationships:" + column;
  }

  private static List<String> stagingColumns(Statement st, FactSpec f) throws SQLException {
    List<String> cols = new ArrayList<>();
    try (PreparedStatement ps =
        st.getConnection()
            .prepareStatement(
                "SELECT column_name FROM information_schema.columns WHERE table_schema ="
                    + " 'staging' AND table_name = ? ORDER BY ordinal_position")) {
      ps.setString(1, f.entity().name());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          cols.add(rs.getString(1));
        }
      }
    }
    return cols;
  }

  private static void insertDates(Statement st, String datesQuery) throws SQLException {
    st.execute(
        "INSERT INTO dw.dim_date (date_key, date, year, quarter, month, day, iso_week,"
            + " day_of_week, month_start, quarter_start, is_weekend) SELECT"
            + " to_char(d, 'YYYYMMDD')::int, d, extract(year FROM d), extract(quarter FROM d),"
            + " extract(month FROM d), extract(day FROM d), extract(week FROM d),"
            + " extract(isodow FROM d), date_trunc('month', d)::date, date_trunc('quarter',"
            + " d)::date, extract(isodow FROM d) >= 6 FROM ("
            + datesQuery
            + ") x(d) ON CONFLICT (date_key) DO NOTHING");
  }
}
