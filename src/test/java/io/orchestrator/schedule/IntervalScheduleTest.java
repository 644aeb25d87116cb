package io.orchestrator.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Interval schedules fire at anchor + k * interval, k >= 1")
class IntervalScheduleTest {

  private static final Instant ANCHOR = Instant.parse("2026-01-01T00:00:00.250Z");

  @Test
  @DisplayName("the anchor itself is not a fire: the first fire is one interval after it")
  void firstFireIsOneIntervalAfterAnchor() {
    assertThat(Schedule.interval(1500, ANCHOR).nextAfter(ANCHOR)).contains(ANCHOR.plusMillis(1500));
  }

  @Test
  @DisplayName("the next fire is strictly after the given instant and stays on the anchor's grid")
  void strictlyAfterOnGrid() {
    Schedule schedule = Schedule.interval(1500, ANCHOR);

    assertThat(schedule.nextAfter(ANCHOR.plusMillis(1499))).contains(ANCHOR.plusMillis(1500));
    assertThat(schedule.nextAfter(ANCHOR.plusMillis(1500))).contains(ANCHOR.plusMillis(3000));
    assertThat(schedule.nextAfter(ANCHOR.plusMillis(1500).plusNanos(1))).contains(ANCHOR.plusMillis(3000));
    assertThat(schedule.nextAfter(ANCHOR.plusSeconds(86_400 * 365L)))
        .contains(ANCHOR.plusMillis(1500L * (86_400_000L * 365 / 1500 + 1)));
  }

  @Test
  @DisplayName("an instant before the anchor gets the first fire, never one before the anchor")
  void beforeAnchor() {
    assertThat(Schedule.interval(60_000, ANCHOR).nextAfter(ANCHOR.minusSeconds(3600)))
        .contains(ANCHOR.plusSeconds(60));
  }

  @Test
  @DisplayName("the time zone plays no part: an hourly interval keeps one real hour across a DST change")
  void ignoresDst() {
    Instant anchor = Instant.parse("2026-03-08T05:00:00Z");
    Schedule hourly = Schedule.interval(3_600_000, anchor);

    assertThat(hourly.nextAfter(Instant.parse("2026-03-08T06:00:00Z")))
        .contains(Instant.parse("2026-03-08T07:00:00Z"));
  }

  @Test
  @DisplayName("no fire past the largest representable instant")
  void exhaustedAtInstantMax() {
    assertThat(Schedule.interval(1000, ANCHOR).nextAfter(Instant.MAX.minusMillis(10))).isEmpty();
  }

  @Test
  @DisplayName("an interval outside one second to one year is refused with the API's message; both ends are accepted")
  void intervalBounds() {
    assertThatThrownBy(() -> Schedule.interval(999, ANCHOR))
        .isInstanceOfSatisfying(InvalidScheduleException.class, e -> {
          assertThat(e.field()).isEqualTo("interval");
          assertThat(e.problem()).isEqualTo("must be between 1000 and 31536000000");
        });
    assertThatThrownBy(() -> Schedule.interval(31_536_000_001L, ANCHOR))
        .hasMessage("interval must be between 1000 and 31536000000");
    assertThat(Schedule.interval(1000, ANCHOR).nextAfter(ANCHOR)).contains(ANCHOR.plusSeconds(1));
    assertThat(Schedule.interval(31_536_000_000L, ANCHOR).nextAfter(ANCHOR))
        .contains(ANCHOR.plusMillis(31_536_000_000L));
  }
}
