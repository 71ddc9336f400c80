package io.c360.transforms.scd2;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.annotation.Nullable;
import org.apache.beam.sdk.coders.AtomicCoder;

/**
 * The SCD Type 2 rules for one natural key, without Beam or a database, so they can be tested
 * exhaustively. {@link Scd2} runs this for every affected key.
 *
 * <p>Rules (SPEC §3 and the lead's decisions):
 *
 * <ul>
 *   <li>A history is a list of versions ordered by {@code valid_from} (inclusive); {@code valid_to}
 *       (exclusive) is the next version's {@code valid_from}, and {@link #OPEN_END} for the last
 *       one, which is the only current one. No gaps, no overlaps, no two adjacent versions with
 *       equal content (row hash and is_deleted).
 *   <li>Events of one batch are applied in {@code valid_from} order; of several events with the
 *       same {@code valid_from} only the later line (source file, then line number) counts.
 *   <li>An event at {@code t}: equal to a version's {@code valid_from} → that version's content is
 *       replaced; inside a version → the version is split at {@code t} unless the content is the
 *       same (an unchanged row makes no version); before the first version → a new first version up
 *       to the old first one. Then adjacent equal versions are merged: the earlier one stays and
 *       takes the later one's surrogate key if it had none, the later one disappears.
 *   <li>A delete event at {@code t} (snapshot mode, key absent from the day's file) closes the open
 *       version at {@code t} and appends a tombstone with the same attributes, {@code is_deleted},
 *       open and current. It does nothing when the open version is already deleted or starts at or
 *       after {@code t} (its latest known state is newer than the snapshot). A later event re-opens
 *       a deleted key like any other change.
 *   <li>Type 1 values are folded over the batch's events in applied order (a non-null value
 *       overwrites, a null never erases) and are written on every version of the key.
 *   <li>A version that survives keeps its surrogate key, new versions have none (the database
 *       assigns one). Versions whose interval, content or Type 1 values changed take the run id;
 *       untouched versions keep theirs.
 * </ul>
 */
public final class Scd2History {
  /** valid_to of an open version: 9999-12-31 00:00 UTC. */
  public static final Instant OPEN_END = Instant.parse("9999-12-31T00:00:00Z");

  private Scd2History() {}

  /** One stored version of a key. */
  public static final class Version implements Serializable {
    final @Nullable Long sk;
    final Instant validFrom;
    final Instant validTo;
    final List<Object> tracked;
    final String hash;
    final boolean deleted;
    final long runId;

    public Version(
        @Nullable Long sk,
        Instant validFrom,
        Instant validTo,
        List<?> tracked,
        String hash,
        boolean deleted,
        long runId) {
      this.sk = sk;
      this.validFrom = Objects.requireNonNull(validFrom, "validFrom");
      this.validTo = Objects.requireNonNull(validTo, "validTo");
      this.tracked = values(tracked);
      this.hash = Objects.requireNonNull(hash, "hash");
      this.deleted = deleted;
      this.runId = runId;
    }

    public @Nullable Long sk() {
      return sk;
    }

    public Instant validFrom() {
      return validFrom;
    }

    public Instant validTo() {
      return validTo;
    }

    public List<Object> tracked() {
      return tracked;
    }

    public String hash() {
      return hash;
    }

    public boolean deleted() {
      return deleted;
    }

    public boolean current() {
      return validTo.equals(OPEN_END);
    }

    public long runId() {
      return runId;
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Version)) {
        return false;
      }
      Version v = (Version) o;
      return Objects.equals(sk, v.sk)
          && validFrom.equals(v.validFrom)
          && validTo.equals(v.validTo)
          && hash.equals(v.hash)
          && deleted == v.deleted
          && runId == v.runId;
    }

    @Override
    public int hashCode() {
      return Objects.hash(sk, validFrom, validTo, hash, deleted, runId);
    }

    @Override
    public String toString() {
      return "Version{sk="
          + sk
          + ", ["
          + validFrom
          + ", "
          + validTo
          + "), "
          + tracked
          + (deleted ? ", deleted" : "")
          + ", run="
          + runId
          + "}";
    }
  }

  /** One change of a key: a landed row, or a snapshot delete. */
  public static final class Event implements Serializable {
    final Instant validFrom;
    final @Nullable List<Object> tracked;
    final @Nullable String hash;
    final List<Object> type1;
    final boolean delete;
    final String sourceFile;
    final long lineNo;

    private Event(
        Instant validFrom,
        @Nullable List<?> tracked,
        List<?> type1,
        boolean delete,
        String sourceFile,
        long lineNo) {
      this(
          validFrom,
          tracked == null ? null : values(tracked),
          tracked == null ? null : hash(tracked),
          values(type1),
          delete,
          sourceFile,
          lineNo);
    }

    private Event(
        Instant validFrom,
        @Nullable List<Object> tracked,
        @Nullable String hash,
        List<Object> type1,
        boolean delete,
        String sourceFile,
        long lineNo) {
      this.validFrom = Objects.requireNonNull(validFrom, "validFrom");
      this.tracked = tracked;
      this.hash = hash;
      this.type1 = type1;
      this.delete = delete;
      this.sourceFile = Objects.requireNonNull(sourceFile, "sourceFile");
      this.lineNo = lineNo;
    }

    /** A landed row: its tracked and Type 1 values in {@link DimensionSpec} column order. */
    public static Event change(
        Instant validFrom, List<?> tracked, List<?> type1, String sourceFile, long lineNo) {
      return new Event(
          validFrom, Objects.requireNonNull(tracked), type1, false, sourceFile, lineNo);
    }

    /** Snapshot mode: the key was absent from the day's file at {@code at}. */
    public static Event delete(Instant at) {
      return new Event(at, null, List.of(), true, "", 0);
    }

    /**
     * Snapshot mode: the key was in the day's file, but its row was quarantined. It changes no
     * history; it only cancels the key's {@link #delete}.
     */
    public static Event present() {
      return new Event(Instant.EPOCH, null, List.of(), false, "", 0);
    }

    /** Whether this is a {@link #present()} marker rather than a change or a delete. */
    public boolean isPresence() {
      return !delete && tracked == null;
    }

    public Instant validFrom() {
      return validFrom;
    }

    public boolean isDelete() {
      return delete;
    }

    public @Nullable List<Object> tracked() {
      return tracked;
    }

    public List<Object> type1() {
      return type1;
    }

    public String sourceFile() {
      return sourceFile;
    }

    public long lineNo() {
      return lineNo;
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Event)) {
        return false;
      }
      Event e = (Event) o;
      return validFrom.equals(e.validFrom)
          && Objects.equals(hash, e.hash)
          && Objects.equals(tracked, e.tracked)
          && type1.equals(e.type1)
          && delete == e.delete
          && sourceFile.equals(e.sourceFile)
          && lineNo == e.lineNo;
    }

    @Override
    public int hashCode() {
      return Objects.hash(validFrom, hash, delete, sourceFile, lineNo);
    }

    @Override
    public String toString() {
      if (isPresence()) {
        return "Present";
      }
      return delete
          ? "Delete{" + validFrom + "}"
          : "Event{"
              + validFrom
              + ", "
              + tracked
              + ", "
              + type1
              + ", "
              + sourceFile
              + ":"
              + lineNo
              + "}";
    }
  }

  /**
   * A compact, deterministic coder for {@link Event}s: the merge shuffles every event twice, and
   * Java serialization was most of its cost. Values are tagged null, text, decimal or date.
   */
  public static final class EventCoder extends AtomicCoder<Event> {
    private static final EventCoder INSTANCE = new EventCoder();

    public static EventCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(Event e, OutputStream os) throws IOException {
      DataOutputStream out = new DataOutputStream(os);
      out.writeLong(e.validFrom.getEpochSecond());
      out.writeInt(e.validFrom.getNano());
      out.writeBoolean(e.delete);
      out.writeBoolean(e.tracked != null);
      if (e.tracked != null) {
        writeString(out, e.hash);
        writeValues(out, e.tracked);
      }
      writeValues(out, e.type1);
      writeString(out, e.sourceFile);
      out.writeLong(e.lineNo);
      out.flush();
    }

    @Override
    public Event decode(InputStream is) throws IOException {
      DataInputStream in = new DataInputStream(is);
      Instant validFrom = Instant.ofEpochSecond(in.readLong(), in.readInt());
      boolean delete = in.readBoolean();
      String hash = null;
      List<Object> tracked = null;
      if (in.readBoolean()) {
        hash = readString(in);
        tracked = readValues(in);
      }
      List<Object> type1 = readValues(in);
      return new Event(validFrom, tracked, hash, type1, delete, readString(in), in.readLong());
    }

    @Override
    public void verifyDeterministic() {}

    private static void writeValues(DataOutputStream out, List<Object> values) throws IOException {
      out.writeInt(values.size());
      for (Object v : values) {
        if (v == null) {
          out.writeByte(0);
        } else if (v instanceof String) {
          out.writeByte(1);
          writeString(out, (String) v);
        } else if (v instanceof BigDecimal) {
          out.writeByte(2);
          writeString(out, ((BigDecimal) v).toString());
        } else if (v instanceof LocalDate) {
          out.writeByte(3);
          out.writeLong(((LocalDate) v).toEpochDay());
        } else {
          throw new IOException("cannot encode a " + v.getClass().getName() + " in an SCD2 event");
        }
      }
    }

    private static List<Object> readValues(DataInputStream in) throws IOException {
      int n = in.readInt();
      List<Object> values = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        byte tag = in.readByte();
        switch (tag) {
          case 0:
            values.add(null);
            break;
          case 1:
            values.add(readString(in));
            break;
          case 2:
            values.add(new BigDecimal(readString(in)));
            break;
          case 3:
            values.add(LocalDate.ofEpochDay(in.readLong()));
            break;
          default:
            throw new IOException("corrupt SCD2 event: value tag " + tag);
        }
      }
      return values;
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      out.writeInt(b.length);
      out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
      byte[] b = new byte[in.readInt()];
      in.readFully(b);
      return new String(b, StandardCharsets.UTF_8);
    }
  }

  /** The new history of a key and what changed. */
  public static final class Result implements Serializable {
    private final List<Version> versions;
    private final List<Object> type1;
    private final boolean changed;
    private final long versionsInserted;
    private final long versionsRecut;
    private final long versionsRemoved;
    private final boolean deletedNow;
    private final long unchangedEvents;

    Result(
        List<Version> versions,
        List<Object> type1,
        boolean changed,
        long versionsInserted,
        long versionsRecut,
        long versionsRemoved,
        boolean deletedNow,
        long unchangedEvents) {
      this.versions = Collections.unmodifiableList(versions);
      this.type1 = type1;
      this.changed = changed;
      this.versionsInserted = versionsInserted;
      this.versionsRecut = versionsRecut;
      this.versionsRemoved = versionsRemoved;
      this.deletedNow = deletedNow;
      this.unchangedEvents = unchangedEvents;
    }

    /** The complete new history, ordered by valid_from. */
    public List<Version> versions() {
      return versions;
    }

    /** Type 1 values of every version. */
    public List<Object> type1() {
      return type1;
    }

    /** Whether any stored row of the key must be rewritten. */
    public boolean changed() {
      return changed;
    }

    /** New versions (they have no surrogate key yet). */
    public long versionsInserted() {
      return versionsInserted;
    }

    /** Surviving versions whose interval, content or Type 1 values changed (closed or re-cut). */
    public long versionsRecut() {
      return versionsRecut;
    }

    /** Stored versions that disappeared (replaced and merged into a neighbour). */
    public long versionsRemoved() {
      return versionsRemoved;
    }

    /** Whether a snapshot delete closed the key in this batch. */
    public boolean deletedNow() {
      return deletedNow;
    }

    /** Landed rows that changed nothing (same content, or superseded by a later line). */
    public long unchangedEvents() {
      return unchangedEvents;
    }
  }

  /** A version being rebuilt; valid_to is derived from the next slot at the end. */
  private static final class Slot {
    @Nullable Long sk;
    final Instant from;
    List<Object> tracked;
    String hash;
    boolean deleted;

    Slot(@Nullable Long sk, Instant from, List<Object> tracked, String hash, boolean deleted) {
      this.sk = sk;
      this.from = from;
      this.tracked = tracked;
      this.hash = hash;
      this.deleted = deleted;
    }

    boolean sameContent(String otherHash, boolean otherDeleted) {
      return hash.equals(otherHash) && deleted == otherDeleted;
    }
  }

  /**
   * Applies one batch of events to a key's stored history.
   *
   * @param history the stored versions of the key (any order; empty for a new key)
   * @param storedType1 the key's stored Type 1 values (empty list or nulls for a new key)
   * @param events the batch's events of this key, in any order
   * @param runId the id of this run, given to every created or changed version
   */
  public static Result apply(
      List<Version> history, List<?> storedType1, List<Event> events, long runId) {
    List<Version> before = new ArrayList<>(history);
    before.sort(Comparator.comparing(Version::validFrom));
    List<Slot> slots = new ArrayList<>();
    for (Version v : before) {
      slots.add(new Slot(v.sk, v.validFrom, v.tracked, v.hash, v.deleted));
    }

    List<Event> sorted = new ArrayList<>(events);
    sorted.sort(
        Comparator.comparing(Event::validFrom)
            .thenComparing(Event::sourceFile)
            .thenComparingLong(Event::lineNo));
    // Of several rows with one valid_from only the later line counts.
    List<Event> effective = new ArrayList<>();
    long unchanged = 0;
    for (int i = 0; i < sorted.size(); i++) {
      if (i + 1 < sorted.size() && sorted.get(i + 1).validFrom.equals(sorted.get(i).validFrom)) {
        unchanged++;
      } else {
        effective.add(sorted.get(i));
      }
    }

    List<Object> type1 = new ArrayList<>(storedType1);
    boolean deletedNow = false;
    for (Event e : effective) {
      boolean eventChanged;
      if (e.delete) {
        eventChanged = applyDelete(slots, e.validFrom);
        deletedNow |= eventChanged;
      } else {
        eventChanged = applyChange(slots, e.validFrom, e.tracked, e.hash);
        eventChanged |= foldType1(type1, e.type1);
        if (!eventChanged) {
          unchanged++;
        }
      }
    }

    // Rebuild versions, diff against the stored ones to find what this run touched.
    Map<Long, Version> stored = new HashMap<>();
    for (Version v : before) {
      if (v.sk != null) {
        stored.put(v.sk, v);
      }
    }
    boolean type1Changed = !sameValues(type1, storedType1);
    List<Version> after = new ArrayList<>();
    long inserted = 0;
    long recut = 0;
    Set<Long> kept = new HashSet<>();
    for (int i = 0; i < slots.size(); i++) {
      Slot s = slots.get(i);
      Instant to = i + 1 < slots.size() ? slots.get(i + 1).from : OPEN_END;
      Version old = s.sk == null ? null : stored.get(s.sk);
      boolean same =
          old != null
              && !type1Changed
              && old.validFrom.equals(s.from)
              && old.validTo.equals(to)
              && old.hash.equals(s.hash)
              && old.deleted == s.deleted;
      if (s.sk == null) {
        inserted++;
      } else {
        kept.add(s.sk);
        if (!same) {
          recut++;
        }
      }
      after.add(
          new Version(s.sk, s.from, to, s.tracked, s.hash, s.deleted, same ? old.runId : runId));
    }
    long removed = stored.keySet().stream().filter(sk -> !kept.contains(sk)).count();
    boolean changed = inserted > 0 || recut > 0 || removed > 0 || before.size() != after.size();
    return new Result(
        after,
        Collections.unmodifiableList(type1),
        changed,
        inserted,
        recut,
        removed,
        deletedNow,
        unchanged);
  }

  private static boolean applyChange(
      List<Slot> slots, Instant t, List<Object> tracked, String hash) {
    int i = slots.size() - 1;
    while (i >= 0 && slots.get(i).from.isAfter(t)) {
      i--;
    }
    if (i < 0) {
      slots.add(0, new Slot(null, t, tracked, hash, false));
    } else if (slots.get(i).from.equals(t)) {
      Slot s = slots.get(i);
      if (s.sameContent(hash, false)) {
        return false;
      }
      s.tracked = tracked;
      s.hash = hash;
      s.deleted = false;
    } else {
      if (slots.get(i).sameContent(hash, false)) {
        return false;
      }
      slots.add(i + 1, new Slot(null, t, tracked, hash, false));
    }
    mergeAdjacent(slots);
    return true;
  }

  private static boolean applyDelete(List<Slot> slots, Instant t) {
    if (slots.isEmpty()) {
      return false;
    }
    Slot open = slots.get(slots.size() - 1);
    if (open.deleted || !open.from.isBefore(t)) {
      return false;
    }
    slots.add(new Slot(null, t, open.tracked, open.hash, true));
    return true;
  }

  private static void mergeAdjacent(List<Slot> slots) {
    for (int j = 1; j < slots.size(); ) {
      Slot prev = slots.get(j - 1);
      Slot cur = slots.get(j);
      if (prev.sameContent(cur.hash, cur.deleted)) {
        if (prev.sk == null) {
          prev.sk = cur.sk;
        }
        slots.remove(j);
      } else {
        j++;
      }
    }
  }

  /** Non-null values overwrite; returns whether any value changed. */
  private static boolean foldType1(List<Object> type1, List<Object> values) {
    boolean changed = false;
    while (type1.size() < values.size()) {
      type1.add(null);
    }
    for (int i = 0; i < values.size(); i++) {
      Object v = values.get(i);
      if (v != null && !sameValue(v, type1.get(i))) {
        type1.set(i, v);
        changed = true;
      }
    }
    return changed;
  }

  private static boolean sameValues(List<?> a, List<?> b) {
    int n = Math.max(a.size(), b.size());
    for (int i = 0; i < n; i++) {
      Object x = i < a.size() ? a.get(i) : null;
      Object y = i < b.size() ? b.get(i) : null;
      if (!sameValue(x, y)) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameValue(@Nullable Object x, @Nullable Object y) {
    if (x == null || y == null) {
      return x == y;
    }
    return canonical(x).equals(canonical(y));
  }

  /**
   * Hex SHA-256 of the tracked values. Each value is written as a type tag plus its length and
   * text, so null, empty and values containing any delimiter never collide.
   */
  public static String hash(List<?> tracked) {
    StringBuilder b = new StringBuilder();
    for (Object v : tracked) {
      if (v == null) {
        b.append('N');
      } else {
        String s = canonical(v);
        b.append('V').append(s.length()).append(':').append(s);
      }
    }
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256")
              .digest(b.toString().getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder(64);
      for (byte x : d) {
        hex.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Text form used for hashing and comparing: decimals without trailing zeros. */
  static String canonical(Object v) {
    if (v instanceof BigDecimal) {
      BigDecimal d = ((BigDecimal) v).stripTrailingZeros();
      return d.signum() == 0 ? "0" : d.toPlainString();
    }
    return v.toString();
  }

  private static List<Object> values(List<?> in) {
    return Collections.unmodifiableList(new ArrayList<>(Arrays.asList(in.toArray())));
  }
}
