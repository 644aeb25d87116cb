package io.orchestrator.schedule;

import com.cronutils.model.time.ExecutionTime;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link CronExpression} read on the wall clock of a zone; see {@link Schedule#cron} for the DST policy.
 *
 * <p>Why cron-utils is not asked for instants in the real zone: its {@code ExecutionTime.nextExecution} (9.2.1) skips
 * the whole day when the time falls in a gap (a daily 02:30 in New York has no fire on 2026-03-08, a daily 00:00 in
 * Sao Paulo none on 2018-11-04) and fires twice for hourly or minutely crons in an overlap. Instead it enumerates
 * matching wall-clock times in UTC, a zone without transitions where it is exact, and {@link WallClock} turns each
 * into an instant.
 */
final class CronSchedule implements Schedule {

  private final CronExpression expression;
  private final ZoneId zone;

  CronSchedule(CronExpression expression, ZoneId zone) {
    this.expression = Objects.requireNonNull(expression, "expression");
    this.zone = Objects.requireNonNull(zone, "zone");
  }

  @Override
  public Optional<Fire> nextFire(Instant after) {
    Objects.requireNonNull(after, "after");
    ExecutionTime wallClockMatches = expression.matches();
    // Wall-clock times up to after's own resolve to instants <= after (WallClock never decreases): start there.
    ZonedDateTime cursor = LocalDateTime.ofInstant(after, zone).atZone(ZoneOffset.UTC);
    while (true) {
      Optional<ZonedDateTime> match = wallClockMatches.nextExecution(cursor);
      if (match.isEmpty()) {
        return Optional.empty();
      }
      Fire fire = WallClock.resolve(match.get().toLocalDateTime(), zone);
      // Not after: a time of the repeated overlap pass, or a gap time folded onto a fire at or before after. So the
      // first time that reaches a gap's end makes its one fire (and note), and the later ones fold into it.
      if (fire.at().isAfter(after)) {
        return Optional.of(fire);
      }
      cursor = match.get();
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
