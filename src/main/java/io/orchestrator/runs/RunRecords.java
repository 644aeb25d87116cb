package io.orchestrator.runs;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The runs themselves, as the API sees them: create (with idempotency), read, list and cancel. Every run inside its
 * retention window is here, whatever its status; runs past it live in {@link RunHistory}.
 */
public interface RunRecords {

  /**
   * Creates a {@code pending} run, ready at once or at {@link NewRun#notBefore()}.
   *
   * @return created=true with the run's id; created=false with the existing run's id when the idempotency key is
   *     already held (24 h) or a run with the same id exists, in which case nothing changed
   */
  Future<CreateResult> create(NewRun run);

  /**
   * Creates the run as {@link #create} does and claims it at once for the caller when it may start now and its
   * partition has no due work waiting (nothing ready, no timer due), so it never overtakes a queued run: it is then
   * {@code running} at its entry step with fencing token {@value Run#FIRST_FENCE} and a lease until now +
   * {@code lease}, exactly as if a worker had claimed it, and {@link CreateResult#claimed()} is true. Otherwise it
   * is queued as {@link #create} queues it.
   */
  Future<CreateResult> createClaimed(NewRun run, Duration lease);

  /** @return the id of the run {@link #create} made under that idempotency key, while the key holds it (24 h) */
  Future<Optional<String>> idempotentRunId(String workspace, String orchestrationId, String idempotencyKey);

  /** @return the run, or empty when no run has that id (or it was dropped after retention) */
  Future<Optional<Run>> get(String runId);

  /** @return the run only when it belongs to that workspace and orchestration (canonical id), else empty */
  Future<Optional<Run>> get(String workspace, String orchestrationId, String runId);

  /** @return the runs that exist, in the order of {@code runIds}; missing ids are skipped */
  Future<List<Run>> getMany(List<String> runIds);

  /**
   * One page of run ids, newest first (by creation time), with the exact number of runs the filter covers.
   *
   * @param orchestrationId the orchestration's canonical id; null for the whole workspace, which needs a
   *                        {@link RunFilter#correlationId()}
   * @param offset          number of ids to skip, ≥ 0
   * @param count           page size, ≥ 1
   */
  Future<RunIdPage> listIds(String workspace, String orchestrationId, RunFilter filter, int offset, int count);

  /**
   * Cancels a pending, running or waiting run of that workspace and orchestration: it leaves every queue, becomes
   * {@code cancelled} with completedAt now, and is queued for the history write. A worker holding it gets
   * NOT_RUNNING on its next write.
   *
   * @return OK; FINISHED when already completed, failed or cancelled; NOT_FOUND when absent or not in that
   *     workspace and orchestration
   */
  Future<TransitionResult> cancel(String workspace, String orchestrationId, String runId);

  /**
   * Redrives a failed or cancelled run from {@link Redrive#fromStepId()}: pending again and ready at once, with
   * attempt 1 and a new fencing token; its outputs, errors, executed steps and step count are kept, completedAt is
   * cleared and the redrive is appended to {@link Run#redrives()}. It leaves the history hand-over queues.
   *
   * @param run     the run as the caller read it: its redrive count must still be current (so of two concurrent
   *                redrives one applies); when it was read from the history and is missing here, it is restored
   * @param restore whether {@code run} came from the history, so it may be written back
   * @return the result and, when redriven, the run as the redrive left it (pending, before any worker took it)
   */
  Future<Redrive.Outcome> redrive(Run run, Redrive redrive, boolean restore);
}
