package io.orchestrator.engine;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The run slots of one instance ({@code ORCH_WORKER_CONCURRENCY}), shared by all its workers, whichever event loop
 * takes them: a run created on an API event loop starts in a slot of the worker on that loop for as long as the
 * instance has one free, instead of in a fixed share per worker that would send it to another thread once that
 * share is full. Taken and given back from any thread.
 */
public final class WorkerSlots {

  private final int capacity;
  private final AtomicInteger taken = new AtomicInteger();

  public WorkerSlots(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    this.capacity = capacity;
  }

  /** How many are free now (at most {@code capacity}; a claim may take them meanwhile). */
  int free() {
    return capacity - taken.get();
  }

  /** Takes up to {@code wanted} free slots at once; returns how many it took (0 when none is free). */
  int take(int wanted) {
    while (true) {
      int now = taken.get();
      int granted = Math.min(Math.max(wanted, 0), capacity - now);
      if (granted <= 0) {
        return 0;
      }
      if (taken.compareAndSet(now, now + granted)) {
        return granted;
      }
    }
  }

  /** Gives {@code count} slots back; true when every slot was taken until now (a claim may have waited for one). */
  boolean giveBack(int count) {
    return count > 0 && taken.getAndAdd(-count) == capacity;
  }
}
