package io.c360.transforms.scd2;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import javax.annotation.Nullable;

/**
 * One version of a key in {@link Scd2History}: stored, or rebuilt by a merge ({@code sk} null until
 * the dimension's identity numbers it). {@code validTo} is exclusive, {@link Scd2History#OPEN_END}
 * for the open version.
 */
public record Version(
    @Nullable Long sk,
    Instant validFrom,
    Instant validTo,
    List<Object> tracked,
    String hash,
    boolean deleted,
    long runId)
    implements Serializable {

  public Version {
    Objects.requireNonNull(validFrom, "validFrom");
    Objects.requireNonNull(validTo, "validTo");
    tracked = Scd2History.values(tracked);
    Objects.requireNonNull(hash, "hash");
  }

  /** Whether this is the open version. */
  public boolean current() {
    return validTo.equals(Scd2History.OPEN_END);
  }

  // Content is compared by its hash, as the algorithm does: 12.5 and 12.5000 are one version.
  @Override
  public boolean equals(Object o) {
    return o instanceof Version v
        && Objects.equals(sk, v.sk)
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
