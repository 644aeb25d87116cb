package io.orchestrator.runs;

import io.orchestrator.fixtures.InMemoryRunStore;
import io.orchestrator.fixtures.ManualClock;

/** {@link ClaimContract} on the in-memory store. */
class InMemoryClaimTest extends ClaimContract<InMemoryRunStore> {

  @Override
  protected InMemoryRunStore newStore(ManualClock clock) {
    return new InMemoryRunStore(clock);
  }

  @Override
  protected QueueProbe probe() {
    return store;
  }
}
