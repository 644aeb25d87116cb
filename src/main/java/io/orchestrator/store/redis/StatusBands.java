package io.orchestrator.store.redis;

import io.orchestrator.runs.RunStatus;

/**
 * Scores of an orchestration's status index ({@link RedisKeys#statusIndex}): every status owns a band of
 * {@link #WIDTH} scores and a run scores its band's base plus its startedAt (epoch ms), so one zset answers "runs in
 * status S, newest first" with a score range, and a status change is one {@code ZADD} of the same member. The Lua
 * scripts that move runs between statuses write the same bases (pending 1e13 … cancelled 6e13).
 */
public final class StatusBands {

  /** Wider than any epoch-millisecond timestamp before the year 2286. */
  public static final long WIDTH = 10_000_000_000_000L;

  private StatusBands() {
  }

  /** The lowest score of the status's band. */
  public static long base(RunStatus status) {
    return switch (status) {
      case PENDING -> WIDTH;
      case RUNNING -> 2 * WIDTH;
      case WAITING -> 3 * WIDTH;
      case COMPLETED -> 4 * WIDTH;
      case FAILED -> 5 * WIDTH;
      case CANCELLED -> 6 * WIDTH;
    };
  }

  /** The highest score of the status's band. */
  public static long top(RunStatus status) {
    return base(status) + WIDTH - 1;
  }
}
