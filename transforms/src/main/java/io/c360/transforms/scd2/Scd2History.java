package io.c360.transforms.scd2;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.Nullable;

/**
 * The SCD Type 2 rules for one natural key, without Beam or a database, so they can be tested
 * exhaustively. {@link Scd2} runs this for every affected key. It takes a key's stored {@link
 * Version}s and its {@link Event}s and returns a {@link Result}.
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
      slots.add(new Slot(v.sk(), v.validFrom(), v.tracked(), v.hash(), v.deleted()));
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
      if (i + 1 < sorted.size()
          && sorted.get(i + 1).validFrom().equals(sorted.get(i).validFrom())) {
        unchanged++;
      } else {
        effective.add(sorted.get(i));
      }
    }

    List<Object> type1 = new ArrayList<>(storedType1);
    boolean deletedNow = false;
    for (Event e : effective) {
      boolean eventChanged;
      if (e.isDelete()) {
        eventChanged = applyDelete(slots, e.validFrom());
        deletedNow |= eventChanged;
      } else {
        eventChanged = applyChange(slots, e.validFrom(), e.tracked(), e.hash());
        eventChanged |= foldType1(type1, e.type1());
        if (!eventChanged) {
          unchanged++;
        }
      }
    }

    // Rebuild versions, diff against the stored ones to find what this run touched.
    Map<Long, Version> stored = new HashMap<>();
    for (Version v : before) {
      if (v.sk() != null) {
        stored.put(v.sk(), v);
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
              && old.validFrom().equals(s.from)
              && old.validTo().equals(to)
              && old.hash().equals(s.hash)
              && old.deleted() == s.deleted;
      if (s.sk == null) {
        inserted++;
      } else {
        kept.add(s.sk);
        if (!same) {
          recut++;
        }
      }
      after.add(
          new Version(s.sk, s.from, to, s.tracked, s.hash, s.deleted, same ? old.runId() : runId));
    }
    long removed = stored.keySet().stream().filter(sk -> !kept.contains(sk)).count();
    boolean changed = inserted > 0 || recut > 0 || removed > 0 || before.size() != after.size();
    return new Result(after, type1, changed, inserted, recut, removed, deletedNow, unchanged);
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

  /** An unmodifiable copy that keeps nulls (List.copyOf rejects them). */
  static List<Object> values(List<?> in) {
    return Collections.unmodifiableList(new ArrayList<>(Arrays.asList(in.toArray())));
  }
}
