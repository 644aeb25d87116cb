package io.orchestrator.runs;

import java.time.Instant;

/**
 * Outcome of {@link RunRecords#create}.
 *
 * @param created false when the idempotency key (or the run id) was already taken and nothing was created
 * @param runId   the new run's id, or the id of the run that already held the idempotency key
 * @param startedAt the new run's {@code startedAt}; null when nothing was created
 * @param claimed   the new run was claimed for the caller as it was created ({@link RunRecords#createClaimed}):
 *                  running, fencing token 1, leased
 */
public record CreateResult(boolean created, String runId, Instant startedAt, boolean claimed) {

  /** A result of {@link RunRecords#create}: never claimed. */
  public CreateResult(boolean created, String runId, Instant startedAt) {
    this(created, runId, startedAt, false);
  }
}
