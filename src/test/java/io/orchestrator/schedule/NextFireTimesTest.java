package io.orchestrator.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Previews list the next fires exactly as the schedule fires them")
class NextFireTimesTest {

  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  @Test
  @DisplayName("a daily 02:30 in New York previews 03:00 EDT on the spring-forward day, and no day is skipped")
  void cronAcrossSpringForward() {
    Schedule daily = Schedule.cron("30 2 * * *", NEW_YORK);

    assertThat(daily.nextFireTimes(Instant.parse("2026-03-06T12:00:00Z"), 3)).containsExactly(
        Instant.parse("2026-03-07T07:30:00Z"), Instant.parse("2026-03-08T07:00:00Z"),
        Instant.parse("2026-03-09T06:30:00Z"));
  }

  @Test
  @DisplayName("an hourly cron previews the fall-back day's repeated 01:00 once, at its first occurrence")
  void cronAcrossFallBack() {
    Schedule hourly = Schedule.cron("0 * * * *", NEW_YORK);

    assertThat(hourly.nextFireTimes(Instant.parse("2026-11-01T04:30:00Z"), 3)).containsExactly(
        Instant.parse("2026-11-01T05:00:00Z"), Instant.parse("2026-11-01T07:00:00Z"),
        Instant.parse("2026-11-01T08:00:00Z"));
  }

  @Test
  @DisplayName("each previewed fire is the next fire after the previous one, the step the scheduler takes")
  void equalsTheChainOfNextFires() {
    Schedule quarterly = Schedule.cron("*/15 * * * *", NEW_YORK);
    Instant from = Instant.parse("2026-10-31T23:00:00Z");

    List<Instant> preview = quarterly.nextFireTimes(from, 200);

    assertThat(preview).hasSize(200).isSorted().doesNotHaveDuplicates();
    Optional<Instant> expected = quarterly.nextAfter(from);
    for (Instant fire : preview) {
      assertThat(Optional.of(fire)).isEqualTo(expected);
      expected = quarterly.nextAfter(fire);
    }
  }

  @Test
  @DisplayName("an interval previews on its anchor's grid, strictly after the given instant")
  void intervalKeepsPhase() {
    Instant anchor = Instant.parse("2026-01-01T00:00:00.250Z");

    assertThat(Schedule.interval(1500, anchor).nextFireTimes(anchor.plusMillis(2000), 3))
        .containsExactly(anchor.plusMillis(3000), anchor.plusMillis(4500), anchor.plusMillis(6000));
  }

  @Test
  @DisplayName("a once schedule previews its instant while ahead, then nothing")
  void onceRunsOut() {
    Instant at = Instant.parse("2026-06-01T12:00:00Z");

    assertThat(Schedule.once(at).nextFireTimes(at.minusSeconds(1), 5)).containsExactly(at);
    assertThat(Schedule.once(at).nextFireTimes(at, 5)).isEmpty();
  }

  @Test
  @DisplayName("an interval stops at the largest representable instant")
  void intervalRunsOutAtInstantMax() {
    assertThat(Schedule.interval(1000, Instant.EPOCH).nextFireTimes(Instant.MAX.minusMillis(1500), 5)).hasSize(1);
  }

  @Test
  @DisplayName("a count of 0 previews nothing; a negative count is refused")
  void counts() {
    Schedule everyMinute = Schedule.cron("* * * * *", ZoneId.of("UTC"));

    assertThat(everyMinute.nextFireTimes(Instant.EPOCH, 0)).isEmpty();
    assertThatThrownBy(() -> everyMinute.nextFireTimes(Instant.EPOCH, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
