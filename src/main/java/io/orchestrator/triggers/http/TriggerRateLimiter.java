package io.orchestrator.triggers.http;

import io.vertx.core.Future;
import java.time.Duration;

/**
 * Limits how many deliveries one http-trigger path accepts per {@link #WINDOW}, shared by every instance of the
 * service (the count lives in the shared store, not in one process).
 */
public interface TriggerRateLimiter {

  /** Length of one counting window; a rejected caller may retry when the current one ends. */
  Duration WINDOW = Duration.ofSeconds(1);

  /**
   * Counts one delivery to {@code path} of {@code workspace} in the current window.
   *
   * @param limit deliveries allowed per window, ≥ 1
   * @return true when this delivery fits in the window, false when the limit is already reached; a failed future
   *     only on infrastructure errors
   */
  Future<Boolean> tryAcquire(String workspace, String path, int limit);
}
