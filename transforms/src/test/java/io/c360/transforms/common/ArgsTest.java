package io.c360.transforms.common;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ArgsTest {
  @Test
  void aFailedArgumentCheckNamesTheArgumentsInOrder() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Args.checkArgument(false, "shards must be >= 0: %s (of %s)", -1, "Group"));
    assertThat(e.getMessage(), equalTo("shards must be >= 0: -1 (of Group)"));
  }

  @Test
  void aFailedStateCheckIsAnIllegalState() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> Args.checkState(false, "withConnection() is required"));
    assertThat(e.getMessage(), equalTo("withConnection() is required"));
  }

  @Test
  void passingChecksThrowNothing() {
    Args.checkArgument(true, "never %s", "shown");
    Args.checkState(true, "never");
  }

  @Test
  void onlyPercentSIsAPlaceholder() {
    assertThat(Args.format("100% of %s", "rows"), equalTo("100% of rows"));
    assertThat(Args.format("rate 5%"), equalTo("rate 5%"));
    assertThat(Args.format("%s and %s", "a"), equalTo("a and %s"));
    assertThat(Args.format("just %s", "a", "b"), equalTo("just a"));
  }
}
