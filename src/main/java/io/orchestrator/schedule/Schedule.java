package io.orchestrator.schedule;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * When a scheduled trigger fires: the set of its fire instants, queried as "the first one strictly after t". The one
 * schedule model of the service: the definitions validator checks fields with its parsers ({@link CronExpression},
 * {@link Timezone}, {@link ScheduledAt}, the interval bounds here), the scheduler fires {@link #nextAfter} and
 * {@link #missedBetween}, and a preview lists {@link #nextFires}; all three step with {@link #nextFire}, so they see
 * the same instants.
 *
 * <p>Three kinds, built by the factories: {@link #cron} (5-field unix cron read on the wall clock of a time zone),
 * {@link #interval} (fixed period from an anchor instant, zone-free) and {@link #once}. Implementations are immutable,
 * thread-safe and never read a clock: the caller passes every instant, so results are reproducible.
 *
 * <p>DST policy of cron schedules (DESIGN.md §7, see {@link #cron}): a wall-clock time that does not exist fires at the
 * first instant after the gap; a wall-clock time that occurs twice fires once, at its first occurrence. A day is never
 * skipped and a wall-clock time never fires twice.
 */
public sealed interface Schedule permits CronSchedule, IntervalSchedule, OnceSchedule {

  /** Smallest period accepted by {@link #interval}, in milliseconds. */
  long MIN_INTERVAL_MS = 1000;

  /** Largest period accepted by {@link #interval}: one year, like the longest delay step, far from overflow. */
  long MAX_INTERVAL_MS = 31_536_000_000L;

  /** A cap for {@link #missedBetween} that bounds a scan to well under a second of CPU. */
  int DEFAULT_MISSED_CAP = 10_000;

  /**
   * The first fire strictly after {@code after}, with the DST note that placed it: the one step every other method
   * of the model, the scheduler and the preview take.
   *
   * @return empty when the schedule has no later fire (a past {@code once}, or an instant beyond {@link Instant#MAX})
   */
  Optional<Fire> nextFire(Instant after);

  /**
   * The instant of {@link #nextFire}: what the scheduler arms and advances to.
   *
   * @return empty when the schedule has no later fire
   */
  default Optional<Instant> nextAfter(Instant after) {
    return nextFire(after).map(Fire::at);
  }

  /**
   * The next {@code count} fires strictly after {@code after}, in order, each the {@link #nextFire} of the one
   * before: exactly the fires the scheduler starts runs for when none is missed, DST rules and notes included, and
   * never two at one instant. For an interval, {@code after} is usually now; the anchor the schedule was built with
   * decides the phase.
   *
   * @param count how many fires to list, at least 0
   * @return fewer than {@code count} fires when the schedule runs out (a {@code once} has at most one)
   */
  default List<Fire> nextFires(Instant after, int count) {
    Objects.requireNonNull(after, "after");
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, got " + count);
    }
    List<Fire> fires = new ArrayList<>();
    Instant cursor = after;
    while (fires.size() < count) {
      Optional<Fire> next = nextFire(cursor);
      if (next.isEmpty()) {
        break;
      }
      cursor = next.get().at();
      fires.add(next.get());
    }
    return List.copyOf(fires);
  }

  /** The instants of {@link #nextFires}. */
  default List<Instant> nextFireTimes(Instant after, int count) {
    return nextFires(after, count).stream().map(Fire::at).toList();
  }

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
   * A trigger's zone comes from {@link Timezone#parse}; any {@link ZoneId} works here.
   *
   * <p>Across DST transitions: a matching wall-clock time inside a gap (spring forward) fires at the instant the gap
   * ends, e.g. a daily 02:30 in New York on 2026-03-08 fires at 03:00 EDT, and several gap times fold into that one
   * fire. A matching time inside an overlap (fall back) fires only at its first occurrence, under the earlier offset.
   * This holds per wall-clock time, so an hourly or {@code *}{@code /15} cron is silent during the repeated pass of
   * the hour: a 25-hour day gets 24 hourly fires and a 23-hour day 23.
   *
   * @throws InvalidScheduleException as {@link CronExpression#parse} does
   */
  static Schedule cron(String expression, ZoneId zone) {
    return new CronSchedule(CronExpression.parse(expression), zone);
  }

  /**
   * Fires every {@code intervalMs} milliseconds after {@code anchor}, at {@code anchor + k * intervalMs} for k ≥ 1:
   * the anchor is the instant the schedule was created or last updated, which is not itself a fire.
   *
   * @throws InvalidScheduleException for {@code interval} outside [{@link #MIN_INTERVAL_MS},
   *     {@link #MAX_INTERVAL_MS}]
   */
  static Schedule interval(long intervalMs, Instant anchor) {
    return new IntervalSchedule(intervalMs, anchor);
  }

  /** Fires once, at {@code at}. */
  static Schedule once(Instant at) {
    return new OnceSchedule(at);
  }
}
