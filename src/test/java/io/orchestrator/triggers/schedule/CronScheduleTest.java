package io.orchestrator.triggers.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Cron schedules: 5-field unix cron, validated with messages for people")
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

  @ParameterizedTest(name = "\"{0}\"")
  @DisplayName("accepts standard expressions, names and surrounding whitespace")
  @ValueSource(strings = {"* * * * *", "*/15 * * * *", "0 9 * * 1-5", "0 0 * * MON", "0 0 1 JAN *",
      "0 0 * * 7", " 0  0 * * * ", "5,35 8-18/2 1-15 */3 0"})
  void acceptsValid(String expression) {
    assertThat(Schedule.validateCron(expression)).isEmpty();
    assertThat(Schedule.isValidCron(expression)).isTrue();
  }

  @ParameterizedTest(name = "\"{0}\" -> {1}")
  @DisplayName("refuses invalid expressions with a message naming the problem")
  @CsvSource(delimiter = '|', textBlock = """
      * * * * * *       | cronExpression must have 5 fields
      0 0 * *           | cronExpression must have 5 fields
      garbage           | cronExpression must have 5 fields
      60 * * * *        | Value 60 not in range [0, 59]
      0 24 * * *        | Value 24 not in range [0, 23]
      a b c d e         | Invalid chars
      0 0 L * *         | Invalid chars
      5-1 * * * *       | Invalid range
      0 0 30 2 *        | cronExpression never fires
      """)
  void refusesInvalid(String expression, String message) {
    assertThat(Schedule.validateCron(expression)).hasValueSatisfying(m -> assertThat(m).contains(message));
    assertThat(Schedule.isValidCron(expression)).isFalse();
  }

  @ParameterizedTest
  @DisplayName("refuses a missing, empty or blank expression")
  @NullAndEmptySource
  @ValueSource(strings = {"   "})
  void refusesEmpty(String expression) {
    assertThat(Schedule.validateCron(expression)).contains("cronExpression must not be empty");
  }

  @Test
  @DisplayName("the factory throws the validation message for an invalid expression")
  void factoryThrowsValidationMessage() {
    assertThatThrownBy(() -> Schedule.cron("60 * * * *", UTC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(Schedule.validateCron("60 * * * *").orElseThrow());
  }

  @Test
  @DisplayName("schedules with the same expression and zone are equal, whatever the spacing")
  void equality() {
    assertThat(Schedule.cron(" 0  9 * * * ", UTC)).isEqualTo(Schedule.cron("0 9 * * *", UTC))
        .isNotEqualTo(Schedule.cron("0 9 * * *", ZoneId.of("Europe/Paris")));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @DisplayName("a timezone must be an IANA zone id")
  @ValueSource(strings = {"America/New_York", "Europe/London", "UTC", "Asia/Kolkata"})
  void acceptsIanaZones(String zone) {
    assertThat(Schedule.validateTimezone(zone)).isEmpty();
  }

  @ParameterizedTest(name = "\"{0}\"")
  @DisplayName("a timezone that is empty, unknown or a fixed offset is refused")
  @NullAndEmptySource
  @ValueSource(strings = {"Mars/Olympus", "+02:00", "EST5EDT-nope", "new_york"})
  void refusesOtherZones(String zone) {
    assertThat(Schedule.validateTimezone(zone)).hasValueSatisfying(m -> assertThat(m).startsWith("timezone must"));
  }
}
