package io.orchestrator.triggers.schedule;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;

/**
 * When a trigger fires: the set of its fire instants, queried as "the first one strictly after t".
 *
 * <p>Three kinds, built by the factories: {@link #cron} (5-field unix cron read on the wall clock of a time zone),
 * {@link #interval} (fixed period from an anchor instant, zone-free) and {@link #once}. Implementations are immutable,
 * thread-safe and never read a clock: the caller passes every instant, so results are reproducible.
 *
 * <p>DST policy of cron schedules (see {@link #cron}): a wall-clock time that does not exist fires at the first instant
 * after the gap; a wall-clock time that occurs twice fires once, at its first occurrence. A day is never skipped and a
 * wall-clock time never fires twice.
 */
public sealed interface Schedule permits CronSchedule, IntervalSchedule, OnceSchedule {

  /** Smallest period accepted by {@link #interval}, in milliseconds. */
  long MIN_INTERVAL_MS = 1000;

  /** A cap for {@link #missedBetween} that bounds a scan to well under a second of CPU. */
  int DEFAULT_MISSED_CAP = 10_000;

  /**
   * The first fire instant strictly after {@code after}.
   *
   * @return empty when the schedule has no later fire (a past {@code once}, or an instant beyond {@link Instant#MAX})
   */
  Optional<Instant> nextAfter(Instant after);

  /**
   * Counts the fires in {@code (scheduledFor, now]}: the ones missed after the fire at {@code scheduledFor} that is
   * being handled, e.g. after downtime. Cron schedules walk fire by fire, so the walk stops at {@code cap}.
   *
   * @param scheduledFor the fire being handled, itself not counted
   * @param now the current instant, counted if it is a fire instant
   * @param cap the largest count to report, at least 0
   */
  default MissedOccurrences missedBetween(Instant scheduledFor, Instant now, int cap) {
    Objects.requireNonNull(scheduledFor, "scheduledFor");
    Objects.requireNonNull(now, "now");
    MissedOccurrences.requireCap(cap);
    if (now.isBefore(scheduledFor)) {
      return new MissedOccurrences(0, false, nextAfter(now));
    }
    int count = 0;
    Optional<Instant> next = nextAfter(scheduledFor);
    while (next.isPresent() && !next.get().isAfter(now)) {
      if (count == cap) {
        // An every-minute cron after a year of downtime would walk ~525,000 fires: stop and jump straight to now.
        return new MissedOccurrences(count, true, nextAfter(now));
      }
      count++;
      next = nextAfter(next.get());
    }
    return new MissedOccurrences(count, false, next);
  }

  /**
   * A 5-field unix cron ({@code minute hour day-of-month month day-of-week}) matched against the wall clock of
   * {@code zone}. Day-of-month and day-of-week combine as in standard cron: when both are restricted, either matches.
   *
   * <p>Across DST transitions: a matching wall-clock time inside a gap (spring forward) fires at the instant the gap
   * ends, e.g. a daily 02:30 in New York on 2026-03-08 fires at 03:00 EDT, and several gap times fold into that one
   * fire. A matching time inside an overlap (fall back) fires only at its first occurrence, under the earlier offset.
   * This holds per wall-clock time, so an hourly or {@code *}{@code /15} cron is silent during the repeated pass of
   * the hour: a 25-hour day gets 24 hourly fires and a 23-hour day 23.
   *
   * @throws IllegalArgumentException with the message of {@link #validateCron} when the expression is invalid
   */
  static Schedule cron(String expression, ZoneId zone) {
    return new CronSchedule(expression, zone);
  }

  /**
   * Fires every {@code intervalMs} milliseconds after {@code anchor}, at {@code anchor + k * intervalMs} for k ≥ 1:
   * the anchor is the instant the schedule was created or last updated, which is not itself a fire.
   *
   * @throws IllegalArgumentException when {@code intervalMs} is below {@link #MIN_INTERVAL_MS}
   */
  static Schedule interval(long intervalMs, Instant anchor) {
    return new IntervalSchedule(intervalMs, anchor);
  }

  /** Fires once, at {@code at}. */
  static Schedule once(Instant at) {
    return new OnceSchedule(at);
  }

  /**
   * Checks a cron expression as {@link #cron} would read it.
   *
   * @return empty when valid, else a message for a person, such as {@code cronExpression must have 5 fields ...}
   */
  static Optional<String> validateCron(String expression) {
    return CronSchedule.validate(expression);
  }

  /** Whether {@link #cron} accepts {@code expression}. */
  static boolean isValidCron(String expression) {
    return validateCron(expression).isEmpty();
  }

  /**
   * Checks that {@code timezone} is an IANA region id ({@code Europe/London}) or {@code UTC}: fixed offsets such as
   * {@code +02:00} are refused because they silently ignore the DST the user usually means.
   *
   * @return empty when valid, else a message for a person
   */
  static Optional<String> validateTimezone(String timezone) {
    if (timezone == null || timezone.isBlank()) {
      return Optional.of("timezone must not be empty");
    }
    if (!ZoneId.getAvailableZoneIds().contains(timezone)) {
      return Optional.of("timezone must be an IANA time zone id such as Europe/London, got " + timezone);
    }
    return Optional.empty();
  }
}
