package io.orchestrator.triggers.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.Optional;

/**
 * A unix cron read on the wall clock of a zone; see {@link Schedule#cron} for the DST policy.
 *
 * <p>Why cron-utils is not asked for instants in the real zone: its {@code ExecutionTime.nextExecution} (9.2.1) skips
 * the whole day when the time falls in a gap (a daily 02:30 in New York has no fire on 2026-03-08, a daily 00:00 in
 * Sao Paulo none on 2018-11-04) and fires twice for hourly or minutely crons in an overlap. Instead it enumerates
 * matching wall-clock times in UTC, a zone without transitions where it is exact, and {@link WallClock} turns each
 * into an instant.
 */
final class CronSchedule implements Schedule {

  private static final CronParser PARSER =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  // Any 5-field cron repeats within 28 years, so one that matches nothing after this date matches nothing at all.
  private static final ZonedDateTime NEVER_FIRES_PROBE = ZonedDateTime.of(2000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

  private final String expression;
  private final ZoneId zone;
  private final ExecutionTime wallClockMatches;

  CronSchedule(String expression, ZoneId zone) {
    this.zone = Objects.requireNonNull(zone, "zone");
    Cron cron = parse(expression);
    this.expression = cron.asString();
    this.wallClockMatches = ExecutionTime.forCron(cron);
  }

  static Optional<String> validate(String expression) {
    try {
      parse(expression);
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }

  @Override
  public Optional<Instant> nextAfter(Instant after) {
    Objects.requireNonNull(after, "after");
    // Wall-clock times up to after's own resolve to instants <= after (WallClock never decreases): start there.
    ZonedDateTime cursor = LocalDateTime.ofInstant(after, zone).atZone(ZoneOffset.UTC);
    while (true) {
      Optional<ZonedDateTime> match = wallClockMatches.nextExecution(cursor);
      if (match.isEmpty()) {
        return Optional.empty();
      }
      Instant fire = WallClock.resolve(match.get().toLocalDateTime(), zone);
      // Not after: a time of the repeated overlap pass, or a gap time folded onto a fire at or before after.
      if (fire.isAfter(after)) {
        return Optional.of(fire);
      }
      cursor = match.get();
    }
  }

  private static Cron parse(String expression) {
    if (expression == null || expression.isBlank()) {
      throw new IllegalArgumentException("cronExpression must not be empty");
    }
    String trimmed = expression.trim();
    int fields = trimmed.split("\\s+").length;
    if (fields != 5) {
      throw new IllegalArgumentException(
          "cronExpression must have 5 fields (minute hour day-of-month month day-of-week), got " + fields);
    }
    Cron cron = parseWithCronUtils(trimmed);
    if (ExecutionTime.forCron(cron).nextExecution(NEVER_FIRES_PROBE).isEmpty()) {
      throw new IllegalArgumentException("cronExpression never fires: no date matches " + trimmed);
    }
    return cron;
  }

  private static Cron parseWithCronUtils(String trimmed) {
    try {
      return PARSER.parse(trimmed).validate();
    } catch (RuntimeException e) {
      // cron-utils' messages name the offending value ("Value 60 not in range [0, 59]"); keep them for the user.
      String detail = e.getMessage() == null ? "not a valid cron expression" : e.getMessage();
      throw new IllegalArgumentException(detail, e);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CronSchedule that && expression.equals(that.expression) && zone.equals(that.zone);
  }

  @Override
  public int hashCode() {
    return Objects.hash(expression, zone);
  }

  @Override
  public String toString() {
    return "CronSchedule[" + expression + " in " + zone + "]";
  }
}
