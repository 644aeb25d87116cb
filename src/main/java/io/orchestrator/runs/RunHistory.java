package io.orchestrator.runs;

import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * Finished runs kept beyond the Redis retention. Writes are idempotent upserts (several instances may archive the
 * same run). A run is marked "evicted" just before its Redis copy is dropped; listing combines the live store with
 * evicted runs.
 */
public interface RunHistory {

  Future<Void> save(List<HistoryRecord> runs);

  Future<Void> markEvicted(List<String> runIds);

  /** Undoes {@link #markEvicted} for runs that live in Redis again (redriven): listing takes them from there. */
  Future<Void> unmarkEvicted(List<String> runIds);

  /** The run when it belongs to that workspace and orchestration. */
  Future<Optional<Run>> find(String workspace, String orchestrationId, String runId);

  /**
   * Up to {@code limit} evicted runs the filter covers, newest first.
   *
   * @param orchestrationId null for the whole workspace
   */
  Future<List<Run>> evicted(String workspace, String orchestrationId, RunFilter filter, int limit);

  /** How many evicted runs the filter covers; {@code orchestrationId} null for the whole workspace. */
  Future<Long> countEvicted(String workspace, String orchestrationId, RunFilter filter);
}
