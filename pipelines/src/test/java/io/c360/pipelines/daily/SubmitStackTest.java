package io.c360.pipelines.daily;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.sameInstance;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A stage's pipeline is submitted on a thread with a large stack: Flink serializes the job graph
 * recursively in the submitting thread, and the daily load job's graph is deep enough to overflow
 * the JVM's default 1 MB.
 */
class SubmitStackTest {
  /** Deep enough to need several MB of stack whether the JIT has compiled {@link #depth} or not. */
  private static final int DEEP = 300_000;

  private static int depth(int n) {
    return n == 0 ? 0 : 1 + depth(n - 1);
  }

  @Test
  void aRecursionThatOverflowsOneMegabyteFinishesOnTheSubmitThread() throws Exception {
    AtomicReference<Throwable> onSmallStack = new AtomicReference<>();
    Thread small =
        new Thread(
            null,
            () -> {
              try {
                depth(DEEP);
              } catch (StackOverflowError e) {
                onSmallStack.set(e);
              }
            },
            "small",
            1L << 20);
    small.start();
    small.join();
    assertThat(onSmallStack.get(), instanceOf(StackOverflowError.class));

    assertThat(Stages.onLargeStack("c360-test", () -> depth(DEEP)), equalTo(DEEP));
  }

  @Test
  void whatTheWorkThrowsIsThrownUnchanged() {
    IllegalArgumentException runtime = new IllegalArgumentException("bad input");
    assertThat(
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Stages.onLargeStack(
                    "c360-test",
                    () -> {
                      throw runtime;
                    })),
        sameInstance(runtime));
    AssertionError error = new AssertionError("an error");
    assertThat(
        assertThrows(
            AssertionError.class,
            () ->
                Stages.onLargeStack(
                    "c360-test",
                    () -> {
                      throw error;
                    })),
        sameInstance(error));
    IOException checked = new IOException("checked");
    assertThat(
        assertThrows(
                IllegalStateException.class,
                () ->
                    Stages.onLargeStack(
                        "c360-test",
                        () -> {
                          throw checked;
                        }))
            .getCause(),
        sameInstance(checked));
  }

  @Test
  void theWorkRunsOnItsOwnNamedThread() {
    assertThat(
        Stages.onLargeStack("c360-load", () -> Thread.currentThread().getName()),
        equalTo("c360-load"));
  }
}
