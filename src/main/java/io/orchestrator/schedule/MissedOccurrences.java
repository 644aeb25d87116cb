package io.orchestrator.schedule;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link Schedule#missedBetween} found: how many fires were missed and when the next future one is.
 *
 * @param count fires in {@code (scheduledFor, now]}, never more than the cap asked for
 * @param capped true when the scan stopped at the cap, so the real count is larger than {@code count}
 * @param next the first fire strictly after {@code now}; empty when the schedule has no later fire
 */
public record MissedOccurrences(int count, boolean capped, Optional<Instant> next) {

  /** Checks the invariants: a count is never negative, {@code next} is never null. */
  public MissedOccurrences {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, got " + count);
    }
    Objects.requireNonNull(next, "next");
  }

  static void requireCap(int cap) {
    if (cap < 0) {
      throw new IllegalArgumentException("cap must be >= 0, got " + cap);
    }
  }
}
