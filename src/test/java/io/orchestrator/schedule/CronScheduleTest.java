package io.orchestrator.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Cron schedules: 5-field unix cron read on the wall clock of a zone")
class CronScheduleTest {

  private static final ZoneId UTC = ZoneId.of("UTC");

  @Test
  @DisplayName("the next fire is strictly after the given instant, even when that instant is a fire")
  void nextIsStrictlyAfter() {
    Schedule everyHour = Schedule.cron("0 * * * *", UTC);

    assertThat(everyHour.nextAfter(Instant.parse("2026-05-01T10:00:00Z")))
        .contains(Instant.parse("2026-05-01T11:00:00Z"));
    assertThat(everyHour.nextAfter(Instant.parse("2026-05-01T09:59:59.999Z")))
        .contains(Instant.parse("2026-05-01T10:00:00Z"));
  }

  @Test
  @DisplayName("weekdays at 09:00 skip the weekend")
  void weekdaysSkipWeekend() {
    Schedule weekdays = Schedule.cron("0 9 * * 1-5", UTC);

    assertThat(weekdays.nextAfter(Instant.parse("2026-05-01T09:00:00Z")))
        .contains(Instant.parse("2026-05-04T09:00:00Z"));
  }

  @Test
  @DisplayName("day-of-month and day-of-week both restricted match either, as in standard cron")
  void domAndDowAreOred() {
    Schedule schedule = Schedule.cron("0 0 13 * 5", UTC);

    assertThat(schedule.nextAfter(Instant.parse("2026-01-01T00:00:00Z")))
        .contains(Instant.parse("2026-01-02T00:00:00Z"));
    assertThat(schedule.nextAfter(Instant.parse("2026-01-09T00:00:00Z")))
        .contains(Instant.parse("2026-01-13T00:00:00Z"));
  }

  @Test
  @DisplayName("times are read on the zone's wall clock, including fixed-offset zones")
  void readsWallClockOfZone() {
    Instant after = Instant.parse("2026-07-01T00:00:00Z");

    assertThat(Schedule.cron("0 9 * * *", ZoneId.of("Europe/Paris")).nextAfter(after))
        .contains(Instant.parse("2026-07-01T07:00:00Z"));
    assertThat(Schedule.cron("0 9 * * *", ZoneOffset.ofHours(-3)).nextAfter(after))
        .contains(Instant.parse("2026-07-01T12:00:00Z"));
  }

  @Test
  @DisplayName("February 29th fires only in leap years")
  void leapDay() {
    assertThat(Schedule.cron("0 0 29 2 *", UTC).nextAfter(Instant.parse("2026-01-01T00:00:00Z")))
        .contains(Instant.parse("2028-02-29T00:00:00Z"));
  }

  @Test
  @DisplayName("the factory refuses an invalid expression with the model's one message")
  void factoryRefusesInvalidExpression() {
    assertThatThrownBy(() -> Schedule.cron("60 * * * *", UTC))
        .isInstanceOfSatisfying(InvalidScheduleException.class, e -> {
          assertThat(e.field()).isEqualTo("cronExpression");
          assertThat(e.problem()).isEqualTo("is not a valid cron expression: Value 60 not in range [0, 59]");
        })
        .hasMessage("cronExpression is not a valid cron expression: Value 60 not in range [0, 59]");
    assertThatThrownBy(() -> Schedule.cron("0 9 31 2 *", UTC))
        .hasMessage("cronExpression never fires: no date matches it");
  }

  @Test
  @DisplayName("schedules with the same expression and zone are equal, whatever the spacing")
  void equality() {
    assertThat(Schedule.cron(" 0  9 * * * ", UTC)).isEqualTo(Schedule.cron("0 9 * * *", UTC))
        .isNotEqualTo(Schedule.cron("0 9 * * *", ZoneId.of("Europe/Paris")));
  }
}
