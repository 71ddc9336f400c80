package io.c360.transforms.scd2;

import static java.util.stream.Collectors.joining;

import io.c360.transforms.jdbc.PgConnection;
import io.c360.transforms.jdbc.SqlNames;
import io.c360.transforms.model.ColumnType;
import java.io.Serializable;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.annotation.Nullable;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;

/**
 * Where {@link Scd2} keeps a dimension's histories: the stored histories it reads, the staging rows
 * it writes, and the one transaction that swaps the staged histories in, raises the identity
 * sequence and re-points the merged keys' facts. Every statement is built once per dimension from
 * names {@link SqlNames} validated; values are bound. Each step opens its own connection, except
 * the history reads, which share one per worker ({@link #open}).
 */
final class Scd2Store implements Serializable {
  /** Serialises the commits of one dimension; {@code ?} = lock name. */
  private static final String LOCK = "SELECT pg_advisory_xact_lock(hashtext(?))";

  /** The keys one commit rewrites: a temp table dropped with the transaction. */
  private static final String KEYS = "scd2_keys";

  private static final String ANALYZE_KEYS = "ANALYZE " + KEYS;

  private final DimensionSpec d;
  private final PgConnection pg;
  private final Schema stagingSchema;

  /** A run's staging rows; {@code ?} = merge run id. */
  private final String deleteStaging;

  /**
   * Snapshot mode: one hash partition of the keys whose open version is live and older than the
   * snapshot; {@code ?} = snapshot time, partitions, partition.
   */
  private final String selectOpenKeys;

  /** Stored versions of some keys, an index scan; {@code ?} = text[] of keys. */
  private final String selectHistories;

  /** The run's staged keys into {@link #KEYS}; {@code ?} = merge run id. */
  private final String createKeys;

  /** The stored rows of the keys in {@link #KEYS}. */
  private final String deleteHistories;

  /**
   * Survivors keep their sk, so the identity must stay above any sk already in the table; {@code ?}
   * = table, sk column.
   */
  private final String raiseSequence;

  /**
   * The staged histories into the dimension, new versions numbered by the identity; {@code ?} =
   * table, sk column, merge run id.
   */
  private final String insertHistories;

  /** Per fact table: its merged keys' rows to the version valid at their time. */
  private final List<String> repointFacts;

  Scd2Store(DimensionSpec d, PgConnection pg) {
    this.d = d;
    this.pg = pg;
    String k = SqlNames.column(d.naturalKey());
    String sk = d.skColumn();
    String table = d.table();
    String staging = d.stagingTable();
    List<String> stored = new ArrayList<>(d.type1Columns());
    stored.addAll(d.trackedColumns());
    List<String> cols = new ArrayList<>(List.of(k));
    cols.addAll(stored);
    cols.addAll(
        List.of("row_hash", "valid_from", "valid_to", "is_current", "is_deleted", "run_id"));
    String colList = String.join(", ", cols);

    this.stagingSchema = stagingSchema(d);
    this.deleteStaging = "DELETE FROM " + staging + " WHERE merge_run_id = ?";
    this.selectOpenKeys =
        "SELECT "
            + k
            + " FROM "
            + table
            + " WHERE is_current AND NOT is_deleted AND valid_from < ?"
            + " AND (hashtext("
            + k
            + ") & 2147483647) % ? = ?";
    this.selectHistories =
        "SELECT "
            + sk
            + ", "
            + k
            + ", "
            + String.join(", ", stored)
            + (stored.isEmpty() ? "" : ", ")
            + "row_hash, valid_from, valid_to, is_deleted, run_id FROM "
            + table
            + " WHERE "
            + k
            + " = ANY(?) ORDER BY "
            + k
            + ", valid_from";
    this.createKeys =
        "CREATE TEMP TABLE "
            + KEYS
            + " ON COMMIT DROP AS SELECT DISTINCT "
            + k
            + " AS key FROM "
            + staging
            + " WHERE merge_run_id = ?";
    this.deleteHistories =
        "DELETE FROM " + table + " t USING " + KEYS + " x WHERE t." + k + " = x.key";
    this.raiseSequence =
        "SELECT setval(s.seq, m.mx) FROM (SELECT pg_get_serial_sequence(?, ?)::regclass AS seq) s,"
            + " (SELECT max("
            + sk
            + ") AS mx FROM "
            + table
            + ") m WHERE m.mx > COALESCE(pg_sequence_last_value(s.seq), 0)";
    this.insertHistories =
        "INSERT INTO "
            + table
            + " ("
            + sk
            + ", "
            + colList
            + ") SELECT COALESCE("
            + sk
            + ", nextval(pg_get_serial_sequence(?, ?))), "
            + colList
            + " FROM "
            + staging
            + " WHERE merge_run_id = ? ORDER BY "
            + k
            + ", valid_from";
    this.repointFacts = d.facts().stream().map(f -> repoint(d, f)).toList();
  }

  /**
   * Facts of the merged keys point at the version valid at their time ({@link
   * DimensionSpec#versionAt}) and carry its copied attribute: a re-cut version moves them, its
   * content counts too.
   */
  private static String repoint(DimensionSpec d, DimensionSpec.FactRef f) {
    String sk = d.skColumn();
    String mine = "f." + sk + (f.copyColumn() == null ? "" : ", f." + f.copyColumn());
    String theirs = "v." + sk + (f.copiedFrom() == null ? "" : ", v." + f.copiedFrom());
    String picked =
        "v." + sk + (f.copiedFrom() == null ? "" : ", v." + f.copiedFrom() + " AS copy");
    String set =
        sk + " = m." + sk + (f.copyColumn() == null ? "" : ", " + f.copyColumn() + " = m.copy");
    return "UPDATE "
        + f.table
        + " t SET "
        + set
        + " FROM (SELECT "
        + f.primaryKey().stream().map(col -> "f." + col).collect(joining(", "))
        + ", "
        + picked
        + " FROM "
        + f.table
        + " f JOIN "
        + KEYS
        + " x ON f."
        + f.keyColumn()
        + " = x.key LEFT JOIN LATERAL "
        + f.versionOf(d, "f")
        + " v ON true WHERE ("
        + mine
        + ") IS DISTINCT FROM ("
        + theirs
        + ")) m WHERE "
        + f.primaryKey().stream().map(col -> "t." + col + " = m." + col).collect(joining(" AND "));
  }

  // --- staging ---

  /** Staging row: merge_run_id, sk, key, Type 1, tracked, hash, interval, flags, run_id. */
  private static Schema stagingSchema(DimensionSpec d) {
    Schema.Builder s =
        Schema.builder()
            .addInt64Field("merge_run_id")
            .addNullableField(d.skColumn(), Schema.FieldType.INT64)
            .addStringField(d.naturalKey());
    for (String c : d.type1Columns()) {
      s.addNullableField(c, Schema.FieldType.STRING);
    }
    for (String c : d.trackedColumns()) {
      s.addNullableField(c, Schema.FieldType.STRING);
    }
    return s.addStringField("row_hash")
        .addStringField("valid_from")
        .addStringField("valid_to")
        .addBooleanField("is_current")
        .addBooleanField("is_deleted")
        .addInt64Field("run_id")
        .build();
  }

  Schema stagingSchema() {
    return stagingSchema;
  }

  /** The staging rows of a key's new history, one per version. */
  List<Row> stagingRows(long mergeRunId, String key, Result r) {
    List<Row> rows = new ArrayList<>(r.versions().size());
    for (Version v : r.versions()) {
      Row.Builder b = Row.withSchema(stagingSchema).addValues(mergeRunId, v.sk(), key);
      for (int i = 0; i < d.type1Columns().size(); i++) {
        b.addValue(text(i < r.type1().size() ? r.type1().get(i) : null));
      }
      for (Object t : v.tracked()) {
        b.addValue(text(t));
      }
      rows.add(
          b.addValues(
                  v.hash(),
                  v.validFrom().toString(),
                  v.validTo().toString(),
                  v.current(),
                  v.deleted(),
                  v.runId())
              .build());
    }
    return rows;
  }

  /** A typed value as PostgreSQL reads it from COPY text. */
  private static @Nullable String text(@Nullable Object v) {
    if (v == null) {
      return null;
    }
    return v instanceof BigDecimal ? ((BigDecimal) v).toPlainString() : v.toString();
  }

  /** Removes a run's staging rows (a failed earlier attempt's); returns how many. */
  long clearStaging(long mergeRunId) throws SQLException {
    try (Connection c = pg.open()) {
      return deleteStaging(c, mergeRunId);
    }
  }

  private long deleteStaging(Connection c, long mergeRunId) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(deleteStaging)) {
      st.setLong(1, mergeRunId);
      return st.executeUpdate();
    }
  }

  // --- reading stored histories ---

  /**
   * Snapshot mode: the keys of hash partition {@code partition} of {@code partitions} whose open
   * version is live and starts before {@code at}, streamed with a cursor.
   */
  void openKeys(Instant at, int partitions, int partition, Consumer<String> out)
      throws SQLException {
    try (Connection c = pg.open()) {
      c.setAutoCommit(false); // lets the driver stream with a cursor
      try (PreparedStatement st = c.prepareStatement(selectOpenKeys)) {
        st.setFetchSize(10_000);
        st.setObject(1, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
        st.setInt(2, partitions);
        st.setInt(3, partition);
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            out.accept(rs.getString(1));
          }
        }
      }
      c.commit();
    }
  }

  /** A connection for {@link #readHistories}, held by the caller for many lookups. */
  Connection open() throws SQLException {
    return pg.open();
  }

  /**
   * Stored versions and Type 1 values of {@code keys}, one indexed {@code = ANY(?)} query, added to
   * the maps by key; returns the number of rows read.
   */
  long readHistories(
      Connection c,
      String[] keys,
      Map<String, List<Version>> histories,
      Map<String, List<Object>> type1s)
      throws SQLException {
    long n = 0;
    try (PreparedStatement st = c.prepareStatement(selectHistories)) {
      Array arr = c.createArrayOf("text", keys);
      st.setArray(1, arr);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          n++;
          int i = 1;
          long sk = rs.getLong(i++);
          String key = rs.getString(i++);
          List<Object> type1 = new ArrayList<>();
          for (String col : d.type1Columns()) {
            type1.add(read(rs, i++, d.typeOf(col)));
          }
          List<Object> tracked = new ArrayList<>();
          for (String col : d.trackedColumns()) {
            tracked.add(read(rs, i++, d.typeOf(col)));
          }
          String hash = rs.getString(i++);
          Instant from = rs.getObject(i++, OffsetDateTime.class).toInstant();
          Instant to = rs.getObject(i++, OffsetDateTime.class).toInstant();
          boolean isDeleted = rs.getBoolean(i++);
          long run = rs.getLong(i);
          histories
              .computeIfAbsent(key, x -> new ArrayList<>())
              .add(new Version(sk, from, to, tracked, hash, isDeleted, run));
          type1s.put(key, type1);
        }
      }
      arr.free();
    }
    return n;
  }

  private static @Nullable Object read(ResultSet rs, int i, ColumnType type) throws SQLException {
    switch (type) {
      case DECIMAL:
        return rs.getBigDecimal(i);
      case DATE:
        return rs.getObject(i, LocalDate.class);
      default:
        return rs.getString(i);
    }
  }

  // --- the commit ---

  /**
   * In one transaction: replaces the staged keys' histories, keeps the identity above every sk,
   * re-points their facts and empties the run's staging rows. Returns the fact rows re-pointed.
   */
  long commit(long mergeRunId, ZoneId zone) throws SQLException {
    try (Connection c = pg.open()) {
      c.setAutoCommit(false);
      try {
        long repointed = swap(c, mergeRunId, zone);
        c.commit();
        return repointed;
      } catch (SQLException | RuntimeException e) {
        PgConnection.rollbackAfter(c, e);
        throw e;
      }
    }
  }

  private long swap(Connection c, long mergeRunId, ZoneId zone) throws SQLException {
    try (PreparedStatement lock = c.prepareStatement(LOCK)) {
      lock.setString(1, "c360.scd2." + d.table());
      lock.execute();
    }
    PgConnection.setLocalTimeZone(c, zone);
    try (PreparedStatement st = c.prepareStatement(createKeys)) {
      st.setLong(1, mergeRunId);
      st.execute();
    }
    long repointed = 0;
    try (Statement st = c.createStatement()) {
      st.execute(ANALYZE_KEYS);
      st.executeUpdate(deleteHistories);
    }
    try (PreparedStatement st = c.prepareStatement(raiseSequence)) {
      st.setString(1, d.table());
      st.setString(2, d.skColumn());
      st.execute();
    }
    try (PreparedStatement st = c.prepareStatement(insertHistories)) {
      st.setString(1, d.table());
      st.setString(2, d.skColumn());
      st.setLong(3, mergeRunId);
      st.executeUpdate();
    }
    try (Statement st = c.createStatement()) {
      for (String sql : repointFacts) {
        repointed += st.executeUpdate(sql);
      }
    }
    deleteStaging(c, mergeRunId);
    return repointed;
  }
}
