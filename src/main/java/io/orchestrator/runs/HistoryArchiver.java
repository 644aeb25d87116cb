package io.orchestrator.runs;

import io.vertx.core.Future;
import java.time.Duration;

/**
 * Moves finished runs into the history store in batches and drops their Redis copies once the retention has
 * passed, so Redis memory does not grow with history. Safe to run on every instance at once.
 *
 * <p>Archiving gives way to a burst of wake-ups: both spend the same single-threaded Redis, and a run's history can
 * wait a second where a due run cannot. Before each batch it counts the timers due within the next
 * {@link #BURST_LOOKAHEAD}; above {@link #BURST_TIMERS} it stops for this round. After
 * {@link #MAX_ROUNDS_YIELDED} rounds in a row without a batch, a round archives everything pending regardless, so
 * history still moves under sustained load. Instances decide alone; the state is per archiver, on one event loop.
 */
public final class HistoryArchiver {

  public static final int BATCH = 500;
  static final Duration BURST_LOOKAHEAD = Duration.ofSeconds(1);
  static final long BURST_TIMERS = 2_000;
  static final int MAX_ROUNDS_YIELDED = 10;

  private final RunArchive runs;
  private final RunQueue queue;
  private final RunHistory history;
  private final Duration retention;
  private int roundsYielded;

  public HistoryArchiver(RunArchive runs, RunQueue queue, RunHistory history, Duration retention) {
    this.runs = runs;
    this.queue = queue;
    this.history = history;
    this.retention = retention;
  }

  /** One archiving round: batch after batch until none is left or a wake-up burst is near. @return runs written */
  public Future<Integer> archiveRound() {
    return archiveUntilBurst(0, roundsYielded >= MAX_ROUNDS_YIELDED);
  }

  private Future<Integer> archiveUntilBurst(int written, boolean forced) {
    Future<Boolean> burst = forced ? Future.succeededFuture(false)
      : queue.timersDueWithin(BURST_LOOKAHEAD).map(due -> due > BURST_TIMERS);
    return burst.compose(burstNear -> {
      if (burstNear) {
        if (written == 0) {
          roundsYielded++;
        }
        return Future.succeededFuture(written);
      }
      roundsYielded = 0;
      return archiveBatch().compose(count -> count == BATCH ? archiveUntilBurst(written + count, forced)
        : Future.succeededFuture(written + count));
    });
  }

  /** Archives one batch; the future holds how many runs it wrote (BATCH means there may be more). */
  Future<Integer> archiveBatch() {
    return runs.finishedBatch(BATCH).compose(batch -> batch.isEmpty() ? Future.succeededFuture(0)
      : history.save(batch)
        .compose(v -> runs.markPersisted(batch.stream().map(HistoryRecord::id).toList(), retention))
        .map(batch.size()));
  }

  /**
   * Drops one batch of runs past their retention from Redis; the history store serves them from then on. They are
   * marked evicted in PostgreSQL first, so List Runs finds each run in one store or the other at every moment (for
   * the few ms in between in both: a page shows it once, meta.total counts it twice), and a failed PostgreSQL write
   * drops nothing: the batch is tried again on the next pass.
   */
  public Future<Integer> evictBatch() {
    return runs.expiredIds(BATCH).compose(ids -> ids.isEmpty() ? Future.succeededFuture(0)
      : history.markEvicted(ids).compose(v -> runs.dropExpired(ids)));
  }
}
