package io.orchestrator.runs;

/**
 * Tells workers that a run became claimable, so they claim it at once (or at its due time) instead of polling:
 * listeners of this process hear it directly, other instances through the shared store. A signal names the
 * partition of the run (DESIGN.md §11), so a worker claims where the work is rather than in every partition. Best
 * effort: workers still look at every partition now and then, so a lost signal only costs latency.
 */
public interface WakeSignal {

  /** Stands for "every partition" in a {@link Listener}'s call. */
  int ALL_PARTITIONS = -1;

  /** The run (or the run of the worker task) with this id is claimable at {@code dueAtMillis} (now or earlier: at once). */
  void runDue(String runOrTaskId, long dueAtMillis);

  /** Runs of any partition may be claimable at {@code dueAtMillis}. */
  void anyDue(long dueAtMillis);

  /** Registers a listener called with every announced due time, on any thread. */
  void onRunDue(Listener listener);

  /** Hears due times. */
  @FunctionalInterface
  interface Listener {

    /** @param partition the partition with due work, or {@link #ALL_PARTITIONS} */
    void due(int partition, long dueAtMillis);
  }
}
