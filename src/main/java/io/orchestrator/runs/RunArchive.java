package io.orchestrator.runs;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;

/**
 * The hand-over of finished runs to {@link RunHistory}: finished runs wait in a queue until their history write is
 * confirmed, then their live copy is dropped once the retention has passed.
 */
public interface RunArchive {

  /**
   * Up to {@code max} terminal runs whose history is not yet written, oldest first. Several instances may read the
   * same runs: the history write must be an idempotent upsert.
   */
  Future<List<HistoryRecord>> finishedBatch(int max);

  /**
   * Confirms the history write of a batch read by {@link #finishedBatch}: the runs at the head of the finished queue
   * that are among {@code runIds} leave it, and their Redis copy may be dropped after {@code retention}. It stops at
   * the first queued run not among them (so nothing unwritten is ever dropped); ids not at the head, such as runs
   * another instance confirmed first, are ignored.
   *
   * @return how many runs were confirmed
   */
  Future<Integer> markPersisted(List<String> runIds, Duration retention);

  /** @return up to {@code max} ids of runs whose retention ended, earliest first (nothing is changed) */
  Future<List<String>> expiredIds(int max);

  /**
   * Deletes those of {@code runIds} whose retention ended, with their index entries; the others are kept.
   *
   * @return how many runs were dropped
   */
  Future<Integer> dropExpired(List<String> runIds);
}
