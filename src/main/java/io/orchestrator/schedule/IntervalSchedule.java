package io.orchestrator.schedule;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** Fires at {@code anchor + k * intervalMs} for k ≥ 1; see {@link Schedule#interval}. All arithmetic, no scanning. */
record IntervalSchedule(long intervalMs, Instant anchor) implements Schedule {

  static final String FIELD = "interval";

  IntervalSchedule {
    Objects.requireNonNull(anchor, "anchor");
    if (intervalMs < MIN_INTERVAL_MS || intervalMs > MAX_INTERVAL_MS) {
      // worded as the API words every integer range, so the validator's and this message are one
      throw new InvalidScheduleException(FIELD, "must be between " + MIN_INTERVAL_MS + " and " + MAX_INTERVAL_MS);
    }
  }

  @Override
  public Optional<Fire> nextFire(Instant after) {
    Objects.requireNonNull(after, "after");
    return fire(firesUpTo(after) + 1).map(Fire::unmoved);
  }

  /** Counts arithmetically, so the cap only bounds the reported number, not the work. */
  @Override
  public MissedOccurrences missedBetween(Instant scheduledFor, Instant now, int cap) {
    Objects.requireNonNull(scheduledFor, "scheduledFor");
    Objects.requireNonNull(now, "now");
    MissedOccurrences.requireCap(cap);
    long missed = now.isAfter(scheduledFor) ? firesUpTo(now) - firesUpTo(scheduledFor) : 0;
    return new MissedOccurrences((int) Math.min(missed, cap), missed > cap, nextAfter(now));
  }

  /** The number of fires in {@code (anchor, t]}. */
  private long firesUpTo(Instant t) {
    if (!t.isAfter(anchor)) {
      return 0;
    }
    return Duration.between(anchor, t).dividedBy(Duration.ofMillis(intervalMs));
  }

  private Optional<Instant> fire(long k) {
    try {
      return Optional.of(anchor.plus(Duration.ofMillis(intervalMs).multipliedBy(k)));
    } catch (ArithmeticException | DateTimeException e) {
      // Beyond Instant.MAX: no later fire can be represented, which callers treat like an exhausted schedule.
      return Optional.empty();
    }
  }
}
