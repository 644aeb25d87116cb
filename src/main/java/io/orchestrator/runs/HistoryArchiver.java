package io.orchestrator.runs;

import io.vertx.core.Future;
import java.time.Duration;

/**
 * Moves finished runs into the history store in batches and drops their Redis copies once the retention has
 * passed, so Redis memory does not grow with history. Safe to run on every instance at once.
 *
 * <p>Archiving yields to a burst of wake-ups: both spend the same Redis, and a run's history can wait a second
 * where a due run cannot. While more than {@link #BURST_BACKLOG} timers are due and not yet taken, a round is
 * skipped, at most {@link #MAX_ROUNDS_YIELDED} rounds in a row, so history still moves under sustained overload.
 * Instances decide alone; the state is per archiver, used from one event loop.
 */
public final class HistoryArchiver {

  public static final int BATCH = 500;
  static final long BURST_BACKLOG = 500;
  static final int MAX_ROUNDS_YIELDED = 10;

  private final RunStore runs;
  private final RunHistory history;
  private final Duration retention;
  private int roundsYielded;

  public HistoryArchiver(RunStore runs, RunHistory history, Duration retention) {
    this.runs = runs;
    this.history = history;
    this.retention = retention;
  }

  /**
   * One archiving round: every finished run not yet written, batch after batch, unless a wake-up burst is in
   * progress. @return how many runs it wrote
   */
  public Future<Integer> archiveRound() {
    return runs.dueTimerCount().compose(backlog -> {
      if (backlog > BURST_BACKLOG && roundsYielded < MAX_ROUNDS_YIELDED) {
        roundsYielded++;
        return Future.succeededFuture(0);
      }
      roundsYielded = 0;
      return archiveAll(0);
    });
  }

  private Future<Integer> archiveAll(int written) {
    return archiveBatch().compose(count -> count == BATCH ? archiveAll(written + count)
      : Future.succeededFuture(written + count));
  }

  /** Archives one batch; the future holds how many runs it wrote (BATCH means there may be more). */
  Future<Integer> archiveBatch() {
    return runs.finishedBatch(BATCH).compose(batch -> batch.isEmpty() ? Future.succeededFuture(0)
      : history.save(batch)
        .compose(v -> runs.markPersisted(batch.stream().map(Run::id).toList(), retention))
        .map(batch.size()));
  }

  /** Drops one batch of runs past their retention from Redis; the history store keeps serving them. */
  public Future<Integer> evictBatch() {
    return runs.dropExpired(BATCH).compose(ids -> history.markEvicted(ids).map(ids.size()));
  }
}
