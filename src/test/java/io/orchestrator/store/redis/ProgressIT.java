package io.orchestrator.store.redis;

import io.orchestrator.fixtures.ManualClock;
import io.orchestrator.runs.ProgressContract;
import io.orchestrator.runs.QueueProbe;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ProgressContract} on Redis. */
class ProgressIT extends ProgressContract<RedisRunStore> {

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
