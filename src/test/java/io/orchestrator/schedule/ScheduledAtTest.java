package io.orchestrator.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("The instant of a once schedule: ISO-8601 with an offset, UTC years 0-9999")
class ScheduledAtTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @DisplayName("a date-time with an offset is read as its instant")
  @CsvSource({
      "2025-02-01T09:00:00Z, 2025-02-01T09:00:00Z",
      "2025-02-01T10:00:00+01:00, 2025-02-01T09:00:00Z",
      "2025-01-15T10:00:00.001Z, 2025-01-15T10:00:00.001Z",
      "9999-12-31T23:59:59Z, 9999-12-31T23:59:59Z"})
  void readsInstants(String text, String instant) {
    assertThat(ScheduledAt.parse(text)).isEqualTo(Instant.parse(instant));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @DisplayName("no offset, no date-time, or a UTC year beyond 9999 is refused")
  @NullAndEmptySource
  @ValueSource(strings = {"tomorrow", "2025-02-01T09:00:00", "2025-02-01", "+99999-12-31T23:59:59Z",
      "9999-12-31T23:00:00-05:00"})
  void refuses(String text) {
    assertThatThrownBy(() -> ScheduledAt.parse(text))
        .isInstanceOfSatisfying(InvalidScheduleException.class, e -> {
          assertThat(e.field()).isEqualTo("scheduledAt");
          assertThat(e.problem()).isEqualTo("must be an ISO-8601 instant with an offset, e.g. 2025-02-01T09:00:00Z");
        });
  }
}
