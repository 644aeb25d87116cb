package io.orchestrator.bulk;

import io.orchestrator.availability.StoreAvailability;
import io.orchestrator.common.ClaimLoop;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker instance's bulk processing: one claim loop that takes one bulk operation at a time (polling every
 * second when there is none; a store outage pauses it until the stores answer), and the hourly purge of operations
 * past their 7 days.
 */
public final class BulkProcessorVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(BulkProcessorVerticle.class);
  private static final long PURGE_MS = 3_600_000;
  private static final long FIRST_PURGE_MS = 10_000;

  private final BulkProcessor processor;
  private final StoreAvailability availability;
  private final Clock clock;
  private final Duration grace;
  private ClaimLoop loop;

  public BulkProcessorVerticle(BulkProcessor processor, StoreAvailability availability, Clock clock,
                               Duration grace) {
    this.processor = processor;
    this.availability = availability;
    this.clock = clock;
    this.grace = grace;
  }

  @Override
  public Future<?> start() {
    loop = new ClaimLoop("bulk operations",
      () -> processor.claimAndProcess().map(claimed -> claimed ? ClaimLoop.Next.AGAIN : ClaimLoop.Next.SLEEP),
      () -> Future.succeededFuture(Optional.empty()), Duration.ZERO, availability, availability::whenUp, clock);
    loop.start(vertx);
    purgeAfter(FIRST_PURGE_MS);
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    processor.stop();
    return loop.stop(() -> true, grace);
  }

  private void purgeAfter(long delayMs) {
    vertx.setTimer(delayMs, id -> processor.purgeExpired()
      .onSuccess(deleted -> {
        if (deleted > 0) {
          LOG.info("deleted {} bulk operations older than {}", deleted, BulkService.RETENTION);
        }
      })
      .onFailure(e -> {
        if (availability.of(e).isEmpty()) {
          LOG.warn("purging bulk operations failed: {}", e.getMessage());
        }
      })
      .onComplete(done -> purgeAfter(PURGE_MS)));
  }
}
