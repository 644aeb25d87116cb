package io.orchestrator.runs;

import io.orchestrator.fixtures.InMemoryRunStore;
import io.orchestrator.fixtures.ManualClock;

/** {@link ProgressContract} on the in-memory store. */
class InMemoryProgressTest extends ProgressContract<InMemoryRunStore> {

  @Override
  protected InMemoryRunStore newStore(ManualClock clock) {
    return new InMemoryRunStore(clock);
  }

  @Override
  protected QueueProbe probe() {
    return store;
  }
}
