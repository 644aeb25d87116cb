package io.orchestrator.runs;

/**
 * Queue gauges at one moment.
 *
 * @param ready   runs claimable now
 * @param timers  runs waiting for a due time (delay steps, retry backoffs, delayed starts)
 * @param leases  runs currently held by a worker
 * @param unpersisted finished runs whose history is not yet written to PostgreSQL
 */
public record QueueDepths(long ready, long timers, long leases, long unpersisted) {
}
