package io.orchestrator.common;

import java.time.Instant;
import java.time.LocalDate;
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

  /** The last instant written by the fast path: 9999-12-31T23:59:59.999Z. */
  private static final long FAST_UNTIL_MILLIS = 253_402_300_799_999L;
  private static final long MILLIS_PER_DAY = 86_400_000L;

  public static String format(Instant instant) {
    if (instant == null) {
      return null;
    }
    long seconds = instant.getEpochSecond();
    return seconds >= 0 && seconds <= FAST_UNTIL_MILLIS / 1000 ? formatMillis(instant.toEpochMilli())
      : FORMAT.format(instant);
  }

  /**
   * As {@link #format(Instant)}. Instants from 1970 to 9999 (every timestamp a run or a schedule carries) are written
   * digit by digit: the {@link DateTimeFormatter} showed in the trigger's profile (2 % of its CPU,
   * docs/performance.md §15); others go through it.
   */
  public static String formatMillis(long epochMillis) {
    if (epochMillis < 0 || epochMillis > FAST_UNTIL_MILLIS) {
      return FORMAT.format(Instant.ofEpochMilli(epochMillis));
    }
    LocalDate date = LocalDate.ofEpochDay(epochMillis / MILLIS_PER_DAY);
    int ofDay = (int) (epochMillis % MILLIS_PER_DAY);
    char[] out = new char[24];
    digits(out, 0, date.getYear(), 4);
    out[4] = '-';
    digits(out, 5, date.getMonthValue(), 2);
    out[7] = '-';
    digits(out, 8, date.getDayOfMonth(), 2);
    out[10] = 'T';
    digits(out, 11, ofDay / 3_600_000, 2);
    out[13] = ':';
    digits(out, 14, ofDay / 60_000 % 60, 2);
    out[16] = ':';
    digits(out, 17, ofDay / 1_000 % 60, 2);
    out[19] = '.';
    digits(out, 20, ofDay % 1_000, 3);
    out[23] = 'Z';
    return new String(out);
  }

  private static void digits(char[] out, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      out[i] = (char) ('0' + value % 10);
      value /= 10;
    }
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
