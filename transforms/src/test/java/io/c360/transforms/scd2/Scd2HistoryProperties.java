package io.c360.transforms.scd2;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import io.c360.transforms.scd2.Scd2Scenario.Batch;
import io.c360.transforms.scd2.Scd2Scenario.RowSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Issue 5's property: random change sequences give the reference model's history, reruns nothing.
 */
class Scd2HistoryProperties {

  @Provide
  Arbitrary<List<Batch>> scenarios() {
    return Scd2Scenario.scenarios(4);
  }

  @Property(tries = 2000)
  void historyEqualsReferenceModelAndRerunsChangeNothing(@ForAll("scenarios") List<Batch> batches) {
    Scd2InMemory dim = new Scd2InMemory();
    Scd2Reference model = new Scd2Reference();
    long runId = 1;
    for (Batch b : batches) {
      Map<String, List<Version>> before = copy(dim.table);
      dim.apply(b, runId);
      model.apply(b);
      assertThat("after " + b, dim.render(), equalTo(model.render()));
      assertCanonical(dim.table);
      assertSurrogateKeysAndRunIds(before, dim.table, runId);

      List<String> once = dim.render();
      Map<String, List<Version>> stored = copy(dim.table);
      assertThat("rerun of " + b, dim.apply(b, runId + 1000), is(anEmptyMap()));
      assertThat(dim.render(), equalTo(once));
      assertThat(dim.table, equalTo(stored));
      runId++;
    }
  }

  @Property(tries = 500)
  void orderOfRowsInABatchDoesNotMatter(
      @ForAll("scenarios") List<Batch> batches, @ForAll long seed) {
    Scd2InMemory inOrder = new Scd2InMemory();
    Scd2InMemory shuffled = new Scd2InMemory();
    Random random = new Random(seed);
    long runId = 1;
    for (Batch b : batches) {
      List<RowSpec> rows = new ArrayList<>(b.rows);
      java.util.Collections.shuffle(rows, random);
      inOrder.apply(b, runId);
      shuffled.apply(new Batch(b.dayStart, b.mode, rows), runId);
      runId++;
    }
    assertThat(shuffled.table, equalTo(inOrder.table));
  }

  private static Map<String, List<Version>> copy(Map<String, List<Version>> t) {
    return new java.util.TreeMap<>(t);
  }

  /** No gaps, no overlaps, no equal neighbours, exactly one open version that is current. */
  static void assertCanonical(Map<String, List<Version>> table) {
    for (Map.Entry<String, List<Version>> e : table.entrySet()) {
      List<Version> vs = e.getValue();
      assertThat(e.getKey() + " has versions", vs.isEmpty(), is(false));
      for (int i = 0; i < vs.size(); i++) {
        Version v = vs.get(i);
        assertThat(e + ": valid_from < valid_to", v.validFrom().isBefore(v.validTo()), is(true));
        boolean last = i + 1 == vs.size();
        assertThat(e + ": only the last is current", v.current(), is(last));
        if (!last) {
          Version next = vs.get(i + 1);
          assertThat(e + ": no gap or overlap", v.validTo(), equalTo(next.validFrom()));
          assertThat(
              e + ": neighbours differ",
              v.hash().equals(next.hash()) && v.deleted() == next.deleted(),
              is(false));
        }
      }
    }
  }

  /** Surviving sks are old ones, each used once; untouched versions keep their run id. */
  static void assertSurrogateKeysAndRunIds(
      Map<String, List<Version>> before, Map<String, List<Version>> after, long runId) {
    Set<Long> seen = new HashSet<>();
    for (Map.Entry<String, List<Version>> e : after.entrySet()) {
      List<Version> old = before.getOrDefault(e.getKey(), List.of());
      for (Version v : e.getValue()) {
        assertThat("sk used once: " + v, seen.add(v.sk()), is(true));
        Version was = old.stream().filter(o -> o.sk().equals(v.sk())).findFirst().orElse(null);
        if (was == null) {
          assertThat("new version carries the run id: " + v, v.runId(), equalTo(runId));
        } else if (v.runId() != runId) {
          assertThat("untouched version is unchanged", v, equalTo(was));
        }
      }
    }
  }
}
