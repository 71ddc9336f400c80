package io.c360.transforms.scd2;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

class EventCoderTest {
  private static Event roundTrip(Event e) throws Exception {
    return CoderUtils.decodeFromByteArray(
        EventCoder.of(), CoderUtils.encodeToByteArray(EventCoder.of(), e));
  }

  @Test
  void changesAndDeletesSurviveEncoding() throws Exception {
    Event change =
        Event.change(
            Instant.parse("2024-03-01T10:15:30.123456Z"),
            Arrays.asList("Zoë \"x\", y", null, "", new BigDecimal("12.5000")),
            Arrays.asList(null, LocalDate.parse("2020-02-29")),
            "s3://b/customers/dt=2024-03-01/a.csv",
            42);
    Event back = roundTrip(change);
    assertThat(back, equalTo(change));
    assertThat(back.tracked(), equalTo(change.tracked()));
    assertThat(Scd2History.hash(back.tracked()), equalTo(Scd2History.hash(change.tracked())));
    Event delete = Event.delete(Instant.parse("2024-03-02T00:00:00Z"));
    assertThat(roundTrip(delete), equalTo(delete));
    Event present = roundTrip(Event.present());
    assertThat(present, equalTo(Event.present()));
    assertThat(present.isPresence(), equalTo(true));
    assertThat(present.isDelete() || change.isPresence() || delete.isPresence(), equalTo(false));
  }

  @Test
  void sameEventEncodesToSameBytes() throws Exception {
    Event e = Event.change(Instant.EPOCH, List.of("a"), List.of(), "f", 1);
    assertThat(
        CoderUtils.encodeToByteArray(EventCoder.of(), e),
        equalTo(CoderUtils.encodeToByteArray(EventCoder.of(), roundTrip(e))));
  }

  @Test
  void unsupportedValueTypeAndCorruptInputFailLoudly() {
    Event odd = Event.change(Instant.EPOCH, List.of(3.5d), List.of(), "f", 1);
    IOException e =
        assertThrows(
            IOException.class, () -> EventCoder.of().encode(odd, new ByteArrayOutputStream()));
    assertThat(e.getMessage(), containsString("java.lang.Double"));
    assertThrows(
        IOException.class,
        () -> EventCoder.of().decode(new ByteArrayInputStream(new byte[] {0, 0, 1})));
  }
}
