package io.orchestrator.runs;

/**
 * Outcome of a state transition of {@link RunQueue} or {@link RunRecords#cancel}. Only infrastructure problems fail
 * the returned future; every expected race (a lost lease, a cancel that won) is one of these values.
 */
public enum TransitionResult {
  /** The transition was applied. */
  OK,
  /**
   * The caller's fencing token is not the run's current one, or the caller no longer holds a lease: another worker
   * owns the run now (or will). The caller must drop the run without writing anything else.
   */
  STALE,
  /** The caller holds the lease but the run left {@code running} meanwhile (it was cancelled): stop working on it. */
  NOT_RUNNING,
  /** No run with that id is in the store (never created, or dropped after retention). */
  NOT_FOUND,
  /** The run already reached a terminal status, so it cannot be cancelled (the API answers 409). */
  FINISHED
}
