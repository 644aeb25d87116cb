package io.orchestrator.schedule;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** The instant of a {@code once} schedule, as the API writes it. */
public final class ScheduledAt {

  static final String FIELD = "scheduledAt";

  private ScheduledAt() {
  }

  /**
   * The instant of an ISO-8601 date-time with an offset ("2025-02-01T10:00:00+01:00").
   *
   * @throws InvalidScheduleException for {@code scheduledAt} when {@code text} is no such date-time, or falls
   *     outside the UTC years 0–9999
   */
  public static Instant parse(String text) {
    Instant at = text == null ? null : instantOrNull(text);
    if (at == null) {
      throw new InvalidScheduleException(FIELD,
        "must be an ISO-8601 instant with an offset, e.g. 2025-02-01T09:00:00Z");
    }
    return at;
  }

  private static Instant instantOrNull(String text) {
    try {
      Instant at = OffsetDateTime.parse(text).toInstant();
      // stored in UTC, where a year beyond 9999 would print as "+10000-…", which most clients' date parsers reject
      int utcYear = at.atOffset(ZoneOffset.UTC).getYear();
      return utcYear < 0 || utcYear > 9999 ? null : at;
    } catch (DateTimeException e) {
      return null;
    }
  }
}
