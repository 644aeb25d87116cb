package io.orchestrator.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("Cron schedules across DST: gap times fire when the gap ends, repeated times fire once, first")
class CronScheduleDstTest {

  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  @ParameterizedTest(name = "{0}")
  @DisplayName("next fires, in a row and as previewed, from an instant before a transition")
  @CsvSource(delimiter = '|', textBlock = """
      New York spring: daily 02:30 fires 03:00 EDT on the gap day, no day skipped | 30 2 * * *    | America/New_York  | 2026-03-06T12:00:00Z | 2026-03-07T07:30:00Z 2026-03-08T07:00:00Z 2026-03-09T06:30:00Z
      New York spring: hourly, 02:00 folds into 03:00 EDT, real hours without gap | 0 * * * *     | America/New_York  | 2026-03-08T05:30:00Z | 2026-03-08T06:00:00Z 2026-03-08T07:00:00Z 2026-03-08T08:00:00Z 2026-03-08T09:00:00Z
      New York spring: every 15 min, the gap's quarters fold into one fire at 03:00 | */15 * * * * | America/New_York  | 2026-03-08T06:40:00Z | 2026-03-08T06:45:00Z 2026-03-08T07:00:00Z 2026-03-08T07:15:00Z
      New York fall: daily 01:30 fires once, at 01:30 EDT                        | 30 1 * * *    | America/New_York  | 2026-10-31T00:00:00Z | 2026-10-31T05:30:00Z 2026-11-01T05:30:00Z 2026-11-02T06:30:00Z
      New York fall: after the first 01:30, the repeated 01:30 EST does not fire | 30 1 * * *    | America/New_York  | 2026-11-01T05:30:00Z | 2026-11-02T06:30:00Z
      New York fall: from inside the repeated hour, next is tomorrow            | 30 1 * * *    | America/New_York  | 2026-11-01T06:15:00Z | 2026-11-02T06:30:00Z
      New York fall: hourly, 01:00 fires once then 02:00 EST                     | 0 * * * *     | America/New_York  | 2026-11-01T04:30:00Z | 2026-11-01T05:00:00Z 2026-11-01T07:00:00Z 2026-11-01T08:00:00Z
      New York fall: every 15 min, repeated wall times fire once                | */15 * * * *  | America/New_York  | 2026-11-01T05:20:00Z | 2026-11-01T05:30:00Z 2026-11-01T05:45:00Z 2026-11-01T07:00:00Z 2026-11-01T07:15:00Z
      London spring: daily 01:30 fires 02:00 BST on the gap day                 | 30 1 * * *    | Europe/London     | 2026-03-27T12:00:00Z | 2026-03-28T01:30:00Z 2026-03-29T01:00:00Z 2026-03-30T00:30:00Z
      London spring: daily 01:00, the gap's first minute, fires 02:00 BST        | 0 1 * * *     | Europe/London     | 2026-03-28T12:00:00Z | 2026-03-29T01:00:00Z 2026-03-30T00:00:00Z
      London fall: daily 01:30 fires once, at 01:30 BST                          | 30 1 * * *    | Europe/London     | 2026-10-24T12:00:00Z | 2026-10-25T00:30:00Z 2026-10-26T01:30:00Z
      London fall: hourly, 01:00 fires once then 02:00 GMT                       | 0 * * * *     | Europe/London     | 2026-10-24T23:30:00Z | 2026-10-25T00:00:00Z 2026-10-25T02:00:00Z 2026-10-25T03:00:00Z
      Sydney fall: daily 02:30 fires once, at 02:30 AEDT                         | 30 2 * * *    | Australia/Sydney  | 2026-04-03T00:00:00Z | 2026-04-03T15:30:00Z 2026-04-04T15:30:00Z 2026-04-05T16:30:00Z
      Sydney fall: hourly, 02:00 fires once then 03:00 AEST                      | 0 * * * *     | Australia/Sydney  | 2026-04-04T14:30:00Z | 2026-04-04T15:00:00Z 2026-04-04T17:00:00Z 2026-04-04T18:00:00Z
      Sydney spring: daily 02:30 fires 03:00 AEDT on the gap day                 | 30 2 * * *    | Australia/Sydney  | 2026-10-02T00:00:00Z | 2026-10-02T16:30:00Z 2026-10-03T16:00:00Z 2026-10-04T15:30:00Z
      Sydney spring: hourly, 02:00 folds into 03:00 AEDT                         | 0 * * * *     | Australia/Sydney  | 2026-10-03T14:30:00Z | 2026-10-03T15:00:00Z 2026-10-03T16:00:00Z 2026-10-03T17:00:00Z
      Sao Paulo 2018 midnight gap: daily 00:00 fires 01:00 -02, no day skipped  | 0 0 * * *     | America/Sao_Paulo | 2018-11-02T12:00:00Z | 2018-11-03T03:00:00Z 2018-11-04T03:00:00Z 2018-11-05T02:00:00Z
      Sao Paulo 2018 midnight gap: hourly, 00:00 folds into 01:00 -02            | 0 * * * *     | America/Sao_Paulo | 2018-11-04T01:30:00Z | 2018-11-04T02:00:00Z 2018-11-04T03:00:00Z 2018-11-04T04:00:00Z
      Sao Paulo 2019 fall at midnight: 23:30 of the 16th fires once, at -02      | 30 23 * * *   | America/Sao_Paulo | 2019-02-15T12:00:00Z | 2019-02-16T01:30:00Z 2019-02-17T01:30:00Z 2019-02-18T02:30:00Z
      Sao Paulo 2019 fall at midnight: daily 00:00 of the 17th exists once      | 0 0 * * *     | America/Sao_Paulo | 2019-02-16T12:00:00Z | 2019-02-17T03:00:00Z 2019-02-18T03:00:00Z
      Santiago 2022 midnight gap: daily 00:00 fires 01:00 -03                    | 0 0 * * *     | America/Santiago  | 2022-09-09T12:00:00Z | 2022-09-10T04:00:00Z 2022-09-11T04:00:00Z 2022-09-12T03:00:00Z
      Santiago 2022 midnight gap: daily 00:30 fires 01:00 -03                    | 30 0 * * *    | America/Santiago  | 2022-09-10T12:00:00Z | 2022-09-11T04:00:00Z 2022-09-12T03:30:00Z
      Santiago 2023 fall at midnight: 23:15 of April 1st fires once, at -03     | 15 23 * * *   | America/Santiago  | 2023-03-31T12:00:00Z | 2023-04-01T02:15:00Z 2023-04-02T02:15:00Z 2023-04-03T03:15:00Z
      """)
  void nextFiresAcrossTransitions(String behaviour, String cron, String zone, String after, String expected) {
    Schedule schedule = Schedule.cron(cron, ZoneId.of(zone));

    List<Instant> wanted = Arrays.stream(expected.trim().split("\\s+")).map(Instant::parse).toList();

    assertThat(firesFrom(schedule, Instant.parse(after), wanted.size())).containsExactlyElementsOf(wanted);
    assertThat(schedule.nextFireTimes(Instant.parse(after), wanted.size())).containsExactlyElementsOf(wanted);
  }

  @Test
  @DisplayName("hourly on the 23-hour spring day fires 23 times, one real hour apart")
  void hourlyOnSpringForwardDay() {
    List<Instant> fires = firesOnLocalDay(Schedule.cron("0 * * * *", NEW_YORK), LocalDate.of(2026, 3, 8));

    assertThat(fires).hasSize(23).doesNotHaveDuplicates();
    assertThat(gaps(fires)).containsOnly(Duration.ofHours(1));
  }

  @Test
  @DisplayName("hourly on the 25-hour fall day fires 24 times, once per wall-clock hour")
  void hourlyOnFallBackDay() {
    List<Instant> fires = firesOnLocalDay(Schedule.cron("0 * * * *", NEW_YORK), LocalDate.of(2026, 11, 1));

    assertThat(fires).hasSize(24).isSorted().doesNotHaveDuplicates();
    assertThat(fires.stream().map(fire -> fire.atZone(NEW_YORK).getHour()))
        .containsExactlyElementsOf(Stream.iterate(0, hour -> hour + 1).limit(24).toList());
  }

  @Test
  @DisplayName("every 15 minutes on the fall day fires each wall-clock quarter once: 96 fires")
  void quarterHourlyOnFallBackDay() {
    List<Instant> fires = firesOnLocalDay(Schedule.cron("*/15 * * * *", NEW_YORK), LocalDate.of(2026, 11, 1));

    assertThat(fires).hasSize(96).isSorted().doesNotHaveDuplicates();
    assertThat(fires.stream().map(fire -> fire.atZone(NEW_YORK).toLocalTime())).doesNotHaveDuplicates();
  }

  @Test
  @DisplayName("every minute on the spring day fires each real minute once: 1440 minus the 60 missing")
  void minutelyOnSpringForwardDay() {
    List<Instant> fires = firesOnLocalDay(Schedule.cron("* * * * *", NEW_YORK), LocalDate.of(2026, 3, 8));

    assertThat(fires).hasSize(1380);
    assertThat(gaps(fires)).containsOnly(Duration.ofMinutes(1));
  }

  @ParameterizedTest(name = "{0} {1} daily at {2}")
  @DisplayName("a daily cron fires on every local date of a year spanning both transitions, once each")
  @MethodSource("dailyCases")
  void dailyNeverSkipsNorRepeatsADay(String zoneId, LocalDate from, LocalTime time) {
    ZoneId zone = ZoneId.of(zoneId);
    Schedule schedule = Schedule.cron(time.getMinute() + " " + time.getHour() + " * * *", zone);
    Instant start = from.atStartOfDay(zone).toInstant().minusNanos(1);

    List<LocalDate> dates = firesFrom(schedule, start, 365).stream()
        .map(fire -> fire.atZone(zone).toLocalDate()).toList();

    assertThat(dates).containsExactlyElementsOf(from.datesUntil(from.plusDays(365)).toList());
  }

  static Stream<Arguments> dailyCases() {
    List<String> times = List.of("00:00", "00:30", "01:00", "01:30", "02:30", "23:30");
    return Stream.of(
        Arguments.of("America/New_York", LocalDate.of(2026, 1, 1)),
        Arguments.of("Europe/London", LocalDate.of(2026, 1, 1)),
        Arguments.of("Australia/Sydney", LocalDate.of(2026, 1, 1)),
        Arguments.of("America/Sao_Paulo", LocalDate.of(2018, 7, 1)),
        Arguments.of("America/Santiago", LocalDate.of(2022, 7, 1))
    ).flatMap(zoneYear -> times.stream()
        .map(time -> Arguments.of(zoneYear.get()[0], zoneYear.get()[1], LocalTime.parse(time))));
  }

  private static List<Instant> firesFrom(Schedule schedule, Instant after, int count) {
    List<Instant> fires = new ArrayList<>();
    Instant cursor = after;
    for (int i = 0; i < count; i++) {
      cursor = schedule.nextAfter(cursor).orElseThrow();
      fires.add(cursor);
    }
    return fires;
  }

  /** Fires from the local day's first instant (included) to the next day's (excluded). */
  private static List<Instant> firesOnLocalDay(Schedule schedule, LocalDate day) {
    Instant end = day.plusDays(1).atStartOfDay(NEW_YORK).toInstant();
    List<Instant> fires = new ArrayList<>();
    Instant cursor = day.atStartOfDay(NEW_YORK).toInstant().minusNanos(1);
    while ((cursor = schedule.nextAfter(cursor).orElseThrow()).isBefore(end)) {
      fires.add(cursor);
    }
    return fires;
  }

  private static List<Duration> gaps(List<Instant> fires) {
    List<Duration> gaps = new ArrayList<>();
    for (int i = 1; i < fires.size(); i++) {
      gaps.add(Duration.between(fires.get(i - 1), fires.get(i)));
    }
    return gaps;
  }
}
