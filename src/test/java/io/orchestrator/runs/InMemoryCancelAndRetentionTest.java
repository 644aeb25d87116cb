package io.orchestrator.runs;

import io.orchestrator.fixtures.InMemoryRunStore;
import io.orchestrator.fixtures.ManualClock;

/** {@link CancelAndRetentionContract} on the in-memory store. */
class InMemoryCancelAndRetentionTest extends CancelAndRetentionContract<InMemoryRunStore> {

  @Override
  protected InMemoryRunStore newStore(ManualClock clock) {
    return new InMemoryRunStore(clock);
  }

  @Override
  protected QueueProbe probe() {
    return store;
  }
}
