package io.c360.transforms.scd2;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SCD2 rules of SPEC §3 on small hand-written histories. */
class Scd2HistoryTest {
  private static final Instant T1 = Instant.parse("2024-01-01T00:00:00Z");
  private static final Instant T2 = Instant.parse("2024-02-01T00:00:00Z");
  private static final Instant T3 = Instant.parse("2024-03-01T00:00:00Z");
  private static final Instant T4 = Instant.parse("2024-04-01T00:00:00Z");

  private static Event ev(Instant t, String name) {
    return Event.change(t, List.of(name), Arrays.asList((Object) null), "f.csv", 2);
  }

  private static Event ev(Instant t, String name, String account, String file, long line) {
    return Event.change(t, List.of(name), Arrays.asList(account), file, line);
  }

  /** A stored history: name per interval start, sks 1.., run 1. */
  private static List<Version> stored(Object... startAndName) {
    List<Version> out = new ArrayList<>();
    for (int i = 0; i < startAndName.length; i += 2) {
      Instant from = (Instant) startAndName[i];
      Instant to =
          i + 2 < startAndName.length ? (Instant) startAndName[i + 2] : Scd2History.OPEN_END;
      List<Object> tracked = List.of(startAndName[i + 1]);
      out.add(
          new Version((long) (i / 2 + 1), from, to, tracked, Scd2History.hash(tracked), false, 1));
    }
    return out;
  }

  private static List<String> shape(Result r) {
    List<String> s = new ArrayList<>();
    for (Version v : r.versions()) {
      s.add(
          v.sk()
              + ":"
              + v.validFrom().toString().substring(0, 10)
              + ".."
              + (v.current() ? "open" : v.validTo().toString().substring(0, 10))
              + "="
              + v.tracked().get(0)
              + (v.deleted() ? "(deleted)" : "")
              + "@"
              + v.runId());
    }
    return s;
  }

  @Test
  void newKeyGetsOneOpenVersion() {
    Result r = Scd2History.apply(List.of(), List.of(), List.of(ev(T1, "a")), 7);
    assertThat(shape(r), contains("null:2024-01-01..open=a@7"));
    assertThat(r.versionsInserted(), is(1L));
  }

  @Test
  void unchangedRowMakesNoVersion() {
    Result r = Scd2History.apply(stored(T1, "a"), List.of(), List.of(ev(T2, "a")), 7);
    assertThat(r.changed(), is(false));
    assertThat(r.unchangedEvents(), is(1L));
    assertThat(shape(r), contains("1:2024-01-01..open=a@1"));
  }

  @Test
  void laterChangeClosesTheOpenVersion() {
    Result r = Scd2History.apply(stored(T1, "a"), List.of(), List.of(ev(T3, "b")), 7);
    assertThat(shape(r), contains("1:2024-01-01..2024-03-01=a@7", "null:2024-03-01..open=b@7"));
    assertThat(r.versionsRecut(), is(1L));
  }

  @Test
  void lateChangeIsPlacedInsideAndRecutsNeighbours() {
    Result r = Scd2History.apply(stored(T1, "a", T3, "c"), List.of(), List.of(ev(T2, "b")), 7);
    assertThat(
        shape(r),
        contains(
            "1:2024-01-01..2024-02-01=a@7",
            "null:2024-02-01..2024-03-01=b@7",
            "2:2024-03-01..open=c@1"));
  }

  @Test
  void changeBeforeTheFirstVersionBecomesTheFirst() {
    Result r = Scd2History.apply(stored(T2, "b"), List.of(), List.of(ev(T1, "a")), 7);
    assertThat(shape(r), contains("null:2024-01-01..2024-02-01=a@7", "1:2024-02-01..open=b@1"));
  }

  @Test
  void sameContentBeforeTheFirstVersionExtendsItBackKeepingItsKey() {
    Result r = Scd2History.apply(stored(T2, "b"), List.of(), List.of(ev(T1, "b")), 7);
    assertThat(shape(r), contains("1:2024-01-01..open=b@7"));
  }

  @Test
  void changeAtAVersionStartReplacesItAndMergesEqualNeighbours() {
    Result r =
        Scd2History.apply(stored(T1, "a", T2, "b", T3, "c"), List.of(), List.of(ev(T2, "a")), 7);
    assertThat(shape(r), contains("1:2024-01-01..2024-03-01=a@7", "3:2024-03-01..open=c@1"));
    assertThat(r.versionsRemoved(), is(1L));
  }

  @Test
  void severalChangesOfOneBatchEachBecomeAVersionInValidFromOrder() {
    Result r =
        Scd2History.apply(List.of(), List.of(), List.of(ev(T3, "c"), ev(T1, "a"), ev(T2, "b")), 7);
    assertThat(
        shape(r),
        contains(
            "null:2024-01-01..2024-02-01=a@7",
            "null:2024-02-01..2024-03-01=b@7",
            "null:2024-03-01..open=c@7"));
  }

  @Test
  void sameValidFromTwiceTheLaterLineWins() {
    Result r =
        Scd2History.apply(
            List.of(),
            List.of(),
            List.of(
                ev(T1, "late-file", null, "b.csv", 2),
                ev(T1, "early-line", null, "a.csv", 9),
                ev(T1, "later-line", null, "b.csv", 1)),
            7);
    assertThat(shape(r), contains("null:2024-01-01..open=late-file@7"));
    assertThat(r.unchangedEvents(), is(2L));
  }

  @Test
  void snapshotDeleteClosesTheOpenVersionAndAddsATombstone() {
    Result r = Scd2History.apply(stored(T1, "a"), List.of(), List.of(Event.delete(T2)), 7);
    assertThat(
        shape(r), contains("1:2024-01-01..2024-02-01=a@7", "null:2024-02-01..open=a(deleted)@7"));
    assertThat(r.deletedNow(), is(true));
    Result again = Scd2History.apply(numbered(r), List.of(), List.of(Event.delete(T3)), 8);
    assertThat("a deleted key is not deleted again", again.changed(), is(false));
  }

  @Test
  void snapshotDeleteLeavesAKeyWhoseOpenVersionIsNewer() {
    Result r = Scd2History.apply(stored(T3, "a"), List.of(), List.of(Event.delete(T2)), 7);
    assertThat(r.changed(), is(false));
    r = Scd2History.apply(stored(T3, "a"), List.of(), List.of(Event.delete(T3)), 7);
    assertThat(r.changed(), is(false));
  }

  @Test
  void deletedKeyReappearsWithALaterChange() {
    Result deleted = Scd2History.apply(stored(T1, "a"), List.of(), List.of(Event.delete(T2)), 7);
    Result back = Scd2History.apply(numbered(deleted), List.of(), List.of(ev(T3, "a")), 8);
    assertThat(
        shape(back),
        contains(
            "1:2024-01-01..2024-02-01=a@7",
            "101:2024-02-01..2024-03-01=a(deleted)@8",
            "null:2024-03-01..open=a@8"));
  }

  @Test
  void type1ValuesOverwriteButNullNeverErases() {
    Result r =
        Scd2History.apply(
            stored(T1, "a"),
            List.of("A0"),
            List.of(ev(T2, "a", "A1", "f", 2), ev(T3, "a", null, "f", 3)),
            7);
    assertThat(r.type1(), contains("A1"));
    assertThat("a Type 1 change rewrites the key", r.changed(), is(true));
    assertThat(shape(r), contains("1:2024-01-01..open=a@7"));
    Result again =
        Scd2History.apply(numbered(r), List.of("A1"), List.of(ev(T4, "a", null, "f", 2)), 8);
    assertThat(again.changed(), is(false));
    assertThat(again.type1(), contains("A1"));
  }

  @Test
  void hashIsNullSafeAndDelimiterSafe() {
    assertThat(
        Scd2History.hash(List.of("a|b", "c")), not(equalTo(Scd2History.hash(List.of("a", "b|c")))));
    assertThat(
        Scd2History.hash(Arrays.asList((Object) null)),
        not(equalTo(Scd2History.hash(List.of("")))));
    assertThat(
        Scd2History.hash(Arrays.asList((Object) null)),
        not(equalTo(Scd2History.hash(List.of("null")))));
    assertThat(
        Scd2History.hash(Arrays.asList("a", null)),
        not(equalTo(Scd2History.hash(Arrays.asList(null, "a")))));
    assertThat(
        Scd2History.hash(List.of(new BigDecimal("12.5000"))),
        equalTo(Scd2History.hash(List.of(new BigDecimal("12.5")))));
    assertThat(Scd2History.hash(List.of("x")).length(), is(64));
  }

  @Test
  void eventWithoutTrackedValuesIsRejected() {
    try {
      Event.change(T1, null, List.of(), "f", 1);
      throw new AssertionError("expected a NullPointerException");
    } catch (NullPointerException expected) {
      assertThat(expected.getMessage(), nullValue());
    }
  }

  private static List<Version> numbered(Result r) {
    List<Version> out = new ArrayList<>();
    long sk = 1;
    for (Version v : r.versions()) {
      out.add(
          new Version(
              v.sk() == null ? 100 + sk++ : v.sk(),
              v.validFrom(),
              v.validTo(),
              v.tracked(),
              v.hash(),
              v.deleted(),
              v.runId()));
    }
    return out;
  }
}
