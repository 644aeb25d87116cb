package io.orchestrator.engine;

import io.orchestrator.runs.DirectStarts;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * This instance's workers, as {@link DirectStarts}: the slot (one of the instance's {@link WorkerSlots}) goes to the
 * worker on the caller's event loop, so the run goes on on the thread that created it (one Redis pipeline, no
 * hand-over between threads); a caller on no worker's loop gets the workers in turn (round-robin over their event
 * loops), the first that gives one. Empty until the worker role registers its workers, so an instance without that
 * role gives no slot.
 */
public final class LocalWorkers implements DirectStarts {

  private final List<WorkerVerticle> workers = new CopyOnWriteArrayList<>();
  private final AtomicInteger turn = new AtomicInteger();

  /** Registers a worker; called while the worker role is composed, before anything is triggered. */
  public void add(WorkerVerticle worker) {
    workers.add(worker);
  }

  @Override
  public Slot reserve() {
    for (WorkerVerticle worker : workers) {
      if (worker.isOnItsEventLoop()) {
        Slot slot = worker.reserveSlot();
        if (slot != null) {
          return slot;
        }
        break;
      }
    }
    int count = workers.size();
    int first = Math.floorMod(turn.getAndIncrement(), Math.max(count, 1));
    for (int i = 0; i < count; i++) {
      Slot slot = workers.get((first + i) % count).reserveSlot();
      if (slot != null) {
        return slot;
      }
    }
    return null;
  }
}
