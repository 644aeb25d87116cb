package io.orchestrator.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Missed fires are counted in (scheduledFor, now], capped, with the next future fire")
class MissedOccurrencesTest {

  private static final ZoneId UTC = ZoneId.of("UTC");
  private static final Instant T0 = Instant.parse("2026-05-01T10:00:00Z");

  @Test
  @DisplayName("every-minute cron with 10 minutes of downtime missed 10 and next fires at minute 11")
  void everyMinuteTenMinutesDown() {
    MissedOccurrences missed = Schedule.cron("* * * * *", UTC).missedBetween(T0, T0.plusSeconds(630), 10_000);

    assertThat(missed).isEqualTo(new MissedOccurrences(10, false, Optional.of(T0.plusSeconds(660))));
  }

  @Test
  @DisplayName("now counts when it is a fire instant; scheduledFor never counts")
  void boundsOfWindow() {
    MissedOccurrences missed = Schedule.cron("* * * * *", UTC).missedBetween(T0, T0.plusSeconds(600), 10_000);

    assertThat(missed.count()).isEqualTo(10);
    assertThat(missed.next()).contains(T0.plusSeconds(660));
  }

  @Test
  @DisplayName("nothing is missed when now is the scheduled fire or earlier")
  void nothingMissed() {
    Schedule everyMinute = Schedule.cron("* * * * *", UTC);

    assertThat(everyMinute.missedBetween(T0, T0, 100))
        .isEqualTo(new MissedOccurrences(0, false, Optional.of(T0.plusSeconds(60))));
    assertThat(everyMinute.missedBetween(T0, T0.minusSeconds(90), 100).next()).contains(T0.minusSeconds(60));
  }

  @Test
  @DisplayName("a year of every-minute downtime stops at the cap and still gives the next future fire")
  void cronScanStopsAtCap() {
    Instant now = T0.plusSeconds(365L * 86_400 + 30);

    MissedOccurrences missed = Schedule.cron("* * * * *", UTC).missedBetween(T0, now, 10_000);

    assertThat(missed).isEqualTo(new MissedOccurrences(10_000, true, Optional.of(now.plusSeconds(30))));
  }

  @Test
  @DisplayName("a cap of 0 reports capped when anything was missed")
  void zeroCap() {
    assertThat(Schedule.cron("* * * * *", UTC).missedBetween(T0, T0.plusSeconds(60), 0).capped()).isTrue();
    assertThat(Schedule.cron("* * * * *", UTC).missedBetween(T0, T0.plusSeconds(59), 0).capped()).isFalse();
  }

  @Test
  @DisplayName("across the fall-back hour, the repeated wall-clock hour is not counted as missed")
  void cronAcrossFallBack() {
    Schedule hourly = Schedule.cron("0 * * * *", ZoneId.of("America/New_York"));

    MissedOccurrences missed = hourly.missedBetween(
        Instant.parse("2026-11-01T04:00:00Z"), Instant.parse("2026-11-01T08:00:00Z"), 100);

    assertThat(missed.count()).isEqualTo(3);
  }

  @Test
  @DisplayName("interval schedules count arithmetically, exactly, up to the cap")
  void intervalCountsArithmetically() {
    Schedule everyMinute = Schedule.interval(60_000, T0);
    Instant yearLater = T0.plusSeconds(365L * 86_400 + 30);

    assertThat(everyMinute.missedBetween(T0.plusSeconds(60), T0.plusSeconds(690), 10_000))
        .isEqualTo(new MissedOccurrences(10, false, Optional.of(T0.plusSeconds(720))));
    assertThat(everyMinute.missedBetween(T0.plusSeconds(60), yearLater, 10_000))
        .isEqualTo(new MissedOccurrences(10_000, true, Optional.of(yearLater.plusSeconds(30))));
    assertThat(everyMinute.missedBetween(T0.plusSeconds(60), yearLater, 600_000).count()).isEqualTo(525_599);
  }

  @Test
  @DisplayName("a once schedule handled late has nothing missed and no next fire")
  void once() {
    assertThat(Schedule.once(T0).missedBetween(T0, T0.plusSeconds(3600), 10))
        .isEqualTo(new MissedOccurrences(0, false, Optional.empty()));
  }

  @Test
  @DisplayName("a negative cap is refused")
  void negativeCap() {
    assertThatThrownBy(() -> Schedule.once(T0).missedBetween(T0, T0, -1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Schedule.interval(1000, T0).missedBetween(T0, T0, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
