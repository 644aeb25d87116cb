package io.orchestrator.runs;

import java.util.function.LongConsumer;

/**
 * Tells workers that a run became claimable, so they claim it at once (or at its due time) instead of polling:
 * listeners of this process hear it directly, other instances through the shared store. Best effort: workers
 * still look at the queues now and then, so a lost signal only costs latency.
 */
public interface WakeSignal {

  /** A run is claimable at {@code dueAtMillis} (epoch ms; now or earlier means at once). */
  void runDue(long dueAtMillis);

  /** Registers a listener called with every announced due time, on any thread. */
  void onRunDue(LongConsumer listener);
}
