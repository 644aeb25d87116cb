package io.orchestrator.tasks;

/** Answer to a worker's complete / fail / heartbeat. */
public enum ReportOutcome {
  OK,
  /** No such task (never existed, already reported, withdrawn, or another workspace's): the API answers 409. */
  UNKNOWN,
  /** The lease under this task id expired or was handed to another worker: the API answers 409. */
  STALE
}
