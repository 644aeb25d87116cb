package io.orchestrator.bulk;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works on bulk operations: claims one under a lease, then acts on its matched runs newest first, one batch at a
 * time. Before a batch it records the batch's lowest run id (the in-flight floor); after it, the cursor and the
 * batch's counts, both in statements fenced by the lease token, then sleeps {@link Settings#pause()} so running
 * work gets the event loop and the stores. An instance that took an operation over treats the runs between the
 * floor and the cursor as possibly done ({@link RunAction}'s {@code redo}). Stops at a batch boundary when its lease
 * is lost, when asked to stop (then it hands the lease back) or on a failure (an outage: the claim loop waits for
 * the stores, claims the operation again and redoes the batch).
 */
public final class BulkProcessor {

  private static final Logger LOG = LoggerFactory.getLogger(BulkProcessor.class);

  /**
   * @param batchSize runs acted on at once (concurrently) per batch
   * @param pause     sleep between two batches
   * @param lease     how long a claim (renewed by every batch) keeps other instances off the operation
   */
  public record Settings(int batchSize, Duration pause, Duration lease) {
  }

  /** One run's action; {@code redo} when the run may already have been acted on by an earlier holder. */
  public interface RunAction {
    Future<Outcome> act(BulkOperation op, String runId, boolean redo);
  }

  private final BulkStore store;
  private final RunAction action;
  private final BulkMeters meters;
  private final Clock clock;
  private final Settings settings;
  private final String namespace;
  private final String owner;
  private final LongFunction<Future<?>> sleep;
  private volatile boolean stopping;

  /**
   * @param owner names this instance in the lease
   * @param sleep completes after that many ms (a Vert.x timer, so a long operation never holds the event loop)
   */
  public BulkProcessor(BulkStore store, RunAction action, BulkMeters meters, Clock clock, Settings settings,
                       String namespace, String owner, LongFunction<Future<?>> sleep) {
    this.store = store;
    this.action = action;
    this.meters = meters;
    this.clock = clock;
    this.settings = settings;
    this.namespace = namespace;
    this.owner = owner;
    this.sleep = sleep;
  }

  /** Claims an operation and works on it until it is done, the lease is lost or {@link #stop()}. @return claimed */
  public Future<Boolean> claimAndProcess() {
    if (stopping) {
      return Future.succeededFuture(false);
    }
    Instant now = clock.instant();
    return store.claim(namespace, owner, now, now.plus(settings.lease())).compose(claim -> {
      if (claim.isEmpty()) {
        return Future.succeededFuture(false);
      }
      BulkStore.Claim c = claim.get();
      if (c.cursor() != null || c.inFlightFloor() != null) {
        meters.resumed(c.operation().action());
        LOG.info("bulk {}: resuming {} below run {} (possibly done down to {})", c.operation().id(),
          c.operation().action().wire(), c.cursor(), c.inFlightFloor());
      }
      return batches(c.operation(), c.token(), c.cursor(), c.inFlightFloor()).map(true);
    });
  }

  /** Stops at the next batch boundary, handing the lease back. */
  public void stop() {
    stopping = true;
  }

  private Future<Void> batches(BulkOperation op, long token, String cursor, String redoFloor) {
    if (stopping) {
      return store.release(op.id(), token);
    }
    return store.nextRunIds(op.id(), cursor, settings.batchSize()).compose(ids -> {
      if (ids.isEmpty()) {
        return complete(op, token);
      }
      long started = clock.millis();
      String floor = ids.get(ids.size() - 1);
      return store.begin(op.id(), token, floor, leaseUntil())
        .compose(held -> !held ? lost(op) : actOnAll(op, ids, redoFloor)
          .compose(tally -> store.advance(op.id(), token, floor, tally, leaseUntil())
            .compose(stillHeld -> {
              if (!stillHeld) {
                return lost(op);
              }
              meters.counted(op.action(), tally, Duration.ofMillis(clock.millis() - started));
              return sleep.apply(settings.pause().toMillis()).compose(v -> batches(op, token, floor, null));
            })));
    });
  }

  /** Acts on every run of the batch at once; fails (after all settled) when one action failed: an outage. */
  private Future<Tally> actOnAll(BulkOperation op, List<String> ids, String redoFloor) {
    List<Future<Outcome>> acting = new ArrayList<>(ids.size());
    for (String id : ids) {
      acting.add(action.act(op, id, redoFloor != null && id.compareTo(redoFloor) >= 0));
    }
    return Future.join(acting).map(all -> Tally.of(acting.stream().map(Future::result).toList()));
  }

  private Future<Void> complete(BulkOperation op, long token) {
    return store.complete(op.id(), token, clock.instant()).compose(held -> {
      if (held) {
        meters.completed(op.action());
        LOG.info("bulk {}: {} completed", op.id(), op.action().wire());
        return Future.succeededFuture();
      }
      return lost(op);
    });
  }

  private Future<Void> lost(BulkOperation op) {
    LOG.warn("bulk {}: lease lost to another instance; leaving the operation to it", op.id());
    return Future.succeededFuture();
  }

  private Instant leaseUntil() {
    return clock.instant().plus(settings.lease());
  }

  /** Deletes the operations past their retention (any instance may; deleting twice changes nothing). */
  public Future<Integer> purgeExpired() {
    return store.deleteCreatedBefore(clock.instant().minus(BulkService.RETENTION), 1_000);
  }
}
