package io.orchestrator.runs;

import java.time.Instant;
import java.util.Optional;

/**
 * What the run store contract tests read of a store's queues beyond the ports: where a run sits in the lease, ready,
 * timer and expiry queues. The Redis store's tests read the raw keys, the in-memory store answers itself.
 */
public interface QueueProbe {

  /** @return the run's lease expiry, empty when it holds no lease */
  Optional<Instant> leaseExpiry(String runId);

  /** @return the run's score in the ready queue (when it became claimable), empty when not there */
  Optional<Instant> readySince(String runId);

  /** @return the run's due time in the timer queue, empty when not there */
  Optional<Instant> timerDue(String runId);

  /** @return when the run's retention ends (it was confirmed persisted), empty when not in the expiry queue */
  Optional<Instant> retentionEnd(String runId);
}
