package io.orchestrator.engine;

import io.orchestrator.runs.RunQueue;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Renews a run's lease while a long step is in flight, so only a dead or stalled worker loses the run. */
public final class LeaseKeeper {

  private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);

  private final Vertx vertx;
  private final RunQueue queue;
  private final Duration lease;

  public LeaseKeeper(Vertx vertx, RunQueue queue, Duration lease) {
    this.vertx = vertx;
    this.queue = queue;
    this.lease = lease;
  }

  /** How long a claim or a transition holds the run. */
  Duration lease() {
    return lease;
  }

  /** @return {@code work}, with the lease renewed every third of it (at least every second) until it ends */
  <T> Future<T> keeping(String runId, long fence, Future<T> work) {
    long period = Math.max(1000, lease.toMillis() / 3);
    long timer = vertx.setPeriodic(period, id -> queue.extendLease(runId, fence, lease)
      .onFailure(e -> LOG.warn("run {}: lease renewal failed: {}", runId, e.getMessage())));
    return work.andThen(done -> vertx.cancelTimer(timer));
  }
}
