package io.orchestrator.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Time zones of cron schedules: IANA region ids only")
class TimezoneTest {

  @ParameterizedTest(name = "\"{0}\"")
  @DisplayName("any region id of the IANA time zone database is accepted")
  @ValueSource(strings = {"America/New_York", "Europe/London", "UTC", "Asia/Kolkata",
      "America/Argentina/Buenos_Aires", "Etc/GMT-3", "GMT"})
  void acceptsIanaZones(String zone) {
    assertThat(Timezone.parse(zone)).isEqualTo(ZoneId.of(zone));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @DisplayName("a zone that is missing, blank, unknown, mis-cased or a fixed offset is refused")
  @NullAndEmptySource
  @ValueSource(strings = {" ", "Mars/Olympus", "+02:00", "GMT+5", "UTC+01:00", "Z", "EST5EDT-nope", "new_york",
      "europe/paris"})
  void refusesOtherZones(String zone) {
    assertThatThrownBy(() -> Timezone.parse(zone))
        .isInstanceOfSatisfying(InvalidScheduleException.class, e -> {
          assertThat(e.field()).isEqualTo("timezone");
          assertThat(e.problem()).isEqualTo("must be an IANA time zone id, e.g. America/New_York");
        });
  }

  @Test
  @DisplayName("the default zone is UTC, itself a valid zone")
  void defaultIsUtc() {
    assertThat(Timezone.DEFAULT).isEqualTo("UTC");
    assertThat(Timezone.parse(Timezone.DEFAULT)).isEqualTo(ZoneId.of("UTC"));
  }
}
