package io.c360.transforms.scd2;

import java.io.Serializable;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import javax.annotation.Nullable;

/**
 * One change of a key for {@link Scd2History}: a landed row, a snapshot delete, or a presence
 * marker. {@code hash} is {@link Scd2History#hash} of {@code tracked}; both are null for a delete
 * or a presence marker. Encoded between pipeline steps by {@link EventCoder}.
 */
public record Event(
    Instant validFrom,
    @Nullable List<Object> tracked,
    @Nullable String hash,
    List<Object> type1,
    boolean isDelete,
    String sourceFile,
    long lineNo)
    implements Serializable {

  public Event {
    Objects.requireNonNull(validFrom, "validFrom");
    Objects.requireNonNull(sourceFile, "sourceFile");
    tracked = tracked == null ? null : Scd2History.values(tracked);
    type1 = Scd2History.values(type1);
  }

  /** A landed row: its tracked and Type 1 values in {@link DimensionSpec} column order. */
  public static Event change(
      Instant validFrom, List<?> tracked, List<?> type1, String sourceFile, long lineNo) {
    Objects.requireNonNull(tracked);
    return new Event(
        validFrom,
        Collections.unmodifiableList(tracked),
        Scd2History.hash(tracked),
        Collections.unmodifiableList(type1),
        false,
        sourceFile,
        lineNo);
  }

  /** Snapshot mode: the key was absent from the day's file at {@code at}. */
  public static Event delete(Instant at) {
    return new Event(at, null, null, List.of(), true, "", 0);
  }

  /**
   * Snapshot mode: the key was in the day's file, but its row was quarantined. It changes no
   * history; it only cancels the key's {@link #delete}.
   */
  public static Event present() {
    return new Event(Instant.EPOCH, null, null, List.of(), false, "", 0);
  }

  /** Whether this is a {@link #present()} marker rather than a change or a delete. */
  public boolean isPresence() {
    return !isDelete && tracked == null;
  }

  @Override
  public String toString() {
    if (isPresence()) {
      return "Present";
    }
    return isDelete
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
