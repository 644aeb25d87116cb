package io.orchestrator.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Once schedules fire at their instant and never again")
class OnceScheduleTest {

  private static final Instant AT = Instant.parse("2026-06-01T12:00:00Z");

  @Test
  @DisplayName("before the instant, the next fire is the instant")
  void before() {
    assertThat(Schedule.once(AT).nextAfter(AT.minusNanos(1))).contains(AT);
  }

  @Test
  @DisplayName("at the instant, there is no next fire (strictly after)")
  void at() {
    assertThat(Schedule.once(AT).nextAfter(AT)).isEmpty();
  }

  @Test
  @DisplayName("after the instant, there is no next fire")
  void after() {
    assertThat(Schedule.once(AT).nextAfter(AT.plusSeconds(1))).isEmpty();
  }
}
