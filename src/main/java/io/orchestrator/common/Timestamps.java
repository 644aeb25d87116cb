package io.orchestrator.common;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** The API's one timestamp format: ISO-8601 UTC with exactly three fractional digits. */
public final class Timestamps {

  private static final DateTimeFormatter FORMAT =
    DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Timestamps() {
  }

  public static String format(Instant instant) {
    return instant == null ? null : FORMAT.format(instant);
  }

  public static String formatMillis(long epochMillis) {
    return FORMAT.format(Instant.ofEpochMilli(epochMillis));
  }

  /**
   * Reads an ISO-8601 date-time with an offset or {@code Z} ({@code 2026-03-01T10:00:00Z},
   * {@code 2026-03-01T11:00:00.250+01:00}); a finer fraction than milliseconds is rounded up to the next one, so
   * "at or after" and "before" bounds compare exactly with millisecond timestamps.
   *
   * @return empty when the text is not such a date-time (no offset, say)
   */
  public static Optional<Instant> parseBound(String text) {
    try {
      Instant at = OffsetDateTime.parse(text).toInstant();
      Instant millis = at.truncatedTo(ChronoUnit.MILLIS);
      return Optional.of(millis.equals(at) ? at : millis.plusMillis(1));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
