package io.orchestrator.runs;

import io.vertx.core.Future;
import java.time.Duration;

/**
 * Moves finished runs into the history store in batches and drops their Redis copies once the retention has
 * passed, so Redis memory does not grow with history. Safe to run on every instance at once.
 */
public final class HistoryArchiver {

  public static final int BATCH = 500;

  private final RunStore runs;
  private final RunHistory history;
  private final Duration retention;

  public HistoryArchiver(RunStore runs, RunHistory history, Duration retention) {
    this.runs = runs;
    this.history = history;
    this.retention = retention;
  }

  /** Archives one batch; the future holds how many runs it wrote (BATCH means there may be more). */
  public Future<Integer> archiveBatch() {
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
