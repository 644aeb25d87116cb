package io.orchestrator.common;

import io.vertx.core.Vertx;
import java.time.Clock;

/**
 * One re-armable timer that runs a task at the earliest instant anyone asked for: a request for a later instant never
 * delays an armed timer (even an overdue one whose callback is already queued), a request for "now or earlier" runs
 * the task at once. Not thread-safe: use it from the owning verticle's context only.
 */
public final class EarliestWakeUp {

  private final Vertx vertx;
  private final Clock clock;
  private final Runnable task;
  private long timerId = -1;
  private long armedFor = Long.MAX_VALUE;
  private boolean cancelled;

  public EarliestWakeUp(Vertx vertx, Clock clock, Runnable task) {
    this.vertx = vertx;
    this.clock = clock;
    this.task = task;
  }

  /** Runs the task at {@code dueMillis} (epoch ms) unless an earlier run is already armed. */
  public void at(long dueMillis) {
    if (cancelled) {
      return;
    }
    long delay = dueMillis - clock.millis();
    if (delay <= 0) {
      task.run();
      return;
    }
    if (timerId >= 0 && armedFor <= dueMillis) {
      return;
    }
    vertx.cancelTimer(timerId);
    armedFor = dueMillis;
    timerId = vertx.setTimer(delay, id -> {
      timerId = -1;
      armedFor = Long.MAX_VALUE;
      task.run();
    });
  }

  /** Disarms for good (verticle stop). */
  public void cancel() {
    cancelled = true;
    vertx.cancelTimer(timerId);
  }
}
