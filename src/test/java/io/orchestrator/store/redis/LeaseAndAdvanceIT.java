package io.orchestrator.store.redis;

import io.orchestrator.fixtures.ManualClock;
import io.orchestrator.runs.LeaseAndAdvanceContract;
import io.orchestrator.runs.QueueProbe;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link LeaseAndAdvanceContract} on Redis. */
class LeaseAndAdvanceIT extends LeaseAndAdvanceContract<RedisRunStore> {

  @RegisterExtension
  static final RedisRunStores redis = new RedisRunStores();

  @Override
  protected RedisRunStore newStore(ManualClock clock) throws Exception {
    return redis.newStore(clock);
  }

  @Override
  protected QueueProbe probe() {
    return redis;
  }
}
