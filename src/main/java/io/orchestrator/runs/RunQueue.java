package io.orchestrator.runs;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The engine's side of the runs shared by every instance: the ready queue, delay/backoff timers, worker leases and
 * the fenced transitions a worker makes while it holds a run.
 *
 * <p>Every transition is atomic. "Now" is the store's injected clock, never the caller's: due times and lease
 * expiries are computed from it. Futures fail only on infrastructure errors (connection, script error); expected
 * races come back as a {@link TransitionResult}.
 *
 * <p>Partitions (DESIGN.md §11): the runs are split into {@link #partitions()} partitions, a run's id says which it is
 * in, and claims are made per partition; the caller spreads its claims fairly over them. Order ("oldest first")
 * holds within a partition.
 *
 * <p>Fencing: {@link #claimDue} hands each run out with a fencing token ({@link Run#fence()}). The worker passes it
 * to every later write; the token changes when the run is claimed again or its lease is lost, so a stale worker's
 * writes answer {@link TransitionResult#STALE} and change nothing. Fenced writes also need a held lease: after
 * {@link #park} or {@link #retryStep} the same token no longer writes. A lease past its expiry still counts as held
 * until {@link #requeueExpiredLeases} takes it (atomically with a new token), so a slow worker either writes
 * before that or gets STALE, never both.
 */
public interface RunQueue {

  /**
   * Takes due timers, then claims up to {@code max} ready runs, oldest first: each becomes {@code running} with
   * {@code currentStepId = cursor}, a new fencing token and a lease until now + {@code lease}. A due run whose last
   * step was a delay (nothing left to execute) completes on the spot, with completedAt now, and is not handed out;
   * every other due run joins the ready queue at its due time. Runs cancelled or dropped while queued are skipped.
   * At most a bounded number of timers is taken per call ({@link DueClaim#timerBacklog()} tells when more may be due).
   * With {@code max} 0 it only takes the due timers: a worker with no free slot still completes runs on waking.
   *
   * @param partition 0..{@link #partitions()} - 1: the claim takes that partition's due work only
   * @return the claimed runs (possibly fewer than {@code max}, possibly none), the runs completed on waking and the
   *     partition's next timer
   */
  Future<DueClaim> claimDue(int partition, int max, Duration lease);

  /** How many partitions the runs are split into (1 for a store that does not partition). */
  int partitions();

  /** Renews the lease to now + {@code lease}. @return OK, STALE, NOT_RUNNING or NOT_FOUND */
  Future<TransitionResult> extendLease(String runId, long fence, Duration lease);

  /**
   * Gives a held run back before its lease ends (the worker is shutting down mid-step): it is ready at once for
   * another worker, resuming at the cursor step, and a new fencing token makes this worker's later writes STALE.
   *
   * @return OK, STALE, NOT_RUNNING or NOT_FOUND
   */
  Future<TransitionResult> release(String runId, long fence);

  /**
   * Takes a held run up again after a store outage interrupted its step (the last transition failed or its answer
   * was lost, so whether it was applied is unknown): a new fencing token rejects any late write of the interrupted
   * attempt, the lease is renewed to now + {@code lease}, and the run comes back as recorded, to resume at its
   * cursor.
   *
   * @return the run with its new fencing token; empty when the caller no longer holds it running (the interrupted
   *     transition parked, finished or released it, it was cancelled, or another worker took it)
   */
  Future<Optional<Run>> reclaim(String runId, long fence, Duration lease);

  /**
   * Records the steps finished since the run's last transition (one step, or a step and the decisions executed
   * right after it) and continues on the same worker: appends them to executedSteps in order, stores their outputs
   * and the last context given, sets cursor and currentStepId to {@code nextStepId} (non-null; with no next step
   * call {@link #finish}) with attempt 1, renews the lease.
   *
   * @param steps one or more, in the order they executed
   * @return OK, STALE, NOT_RUNNING or NOT_FOUND
   */
  Future<TransitionResult> advance(String runId, long fence, List<StepRecord> steps, String nextStepId,
                                   Duration lease);

  /** {@link #advance(String, long, List, String, Duration)} of one step. */
  default Future<TransitionResult> advance(String runId, long fence, StepRecord step, String nextStepId,
                                           Duration lease) {
    return advance(runId, fence, List.of(step), nextStepId, lease);
  }

  /**
   * Executes a delay step: the run becomes {@code waiting} on {@code delayStepId} (appended to executedSteps,
   * delayStepCount + 1), releases its lease and is claimable again at now + {@code delay}, continuing at
   * {@code nextStepId} (null: the run completes when it wakes).
   *
   * @return OK, STALE, NOT_RUNNING or NOT_FOUND
   */
  Future<TransitionResult> park(String runId, long fence, String delayStepId, String nextStepId, Duration delay);

  /**
   * Records a failed attempt that will be retried: appends {@code error} to errors (hasErrors true), attempt
   * + 1, releases the lease; the run stays {@code running} and is claimable again at now + {@code backoff}.
   *
   * @return OK, STALE, NOT_RUNNING or NOT_FOUND
   */
  Future<TransitionResult> retryStep(String runId, long fence, StepError error, Duration backoff);

  /**
   * Ends the run as {@code completed} or {@code failed}, recording the steps finished since its last transition
   * (as {@link #advance(String, long, List, String, Duration)} does; when the run fails, the last of them is the
   * step that failed it) and optionally an error entry (which sets hasErrors). Sets completedAt, clears
   * currentStepId, releases the lease and queues the run for the history write ({@link RunArchive#finishedBatch}).
   *
   * @param steps none or more, in the order they executed
   * @param error null when there is none
   * @return OK, STALE, NOT_RUNNING or NOT_FOUND
   * @throws IllegalArgumentException (as a failed future) when {@code status} is not completed or failed
   */
  Future<TransitionResult> finishAfter(String runId, long fence, RunStatus status, List<StepRecord> steps,
                                       StepError error);

  /** {@link #finishAfter} recording {@code lastStep}, or no step when it is null. */
  default Future<TransitionResult> finish(String runId, long fence, RunStatus status, StepRecord lastStep,
                                          StepError error) {
    return finishAfter(runId, fence, status, lastStep == null ? List.of() : List.of(lastStep), error);
  }

  /**
   * Returns runs whose lease expired (their worker died or stalled) to the ready queue with a new fencing token,
   * so another worker resumes them at the cursor step and the old worker's writes are rejected.
   *
   * @return how many runs were requeued (at most {@code max})
   */
  Future<Integer> requeueExpiredLeases(int max);

  /** @return current sizes of the ready, timer, lease and finished queues (for metrics) */
  Future<QueueDepths> queueDepths();

  /** @return how many timers fall due by now + {@code within}, overdue ones included (a burst of wake-ups ahead) */
  Future<Long> timersDueWithin(Duration within);

}
