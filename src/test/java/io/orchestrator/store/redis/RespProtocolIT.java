package io.orchestrator.store.redis;

import io.orchestrator.runs.Run;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

class RespProtocolIT extends RedisStoreTestBase {

  @ParameterizedTest
  @EnumSource(ProtocolVersion.class)
  @DisplayName("hash and score replies decode the same over RESP2 and RESP3")
  void readsDecodeOnBothProtocols(ProtocolVersion protocol) throws Exception {
    Redis client = Redis.createClient(vertx, options().setPreferredProtocolVersion(protocol));
    try {
      RedisRunStore onProtocol = await(RedisRunStore.create(vertx, client, keyspace, clock));
      await(onProtocol.create(newRun("run_1", WS, ORCH, T0.plusSeconds(1), null)));

      assertThat(await(onProtocol.listIds(WS, ORCH, io.orchestrator.runs.RunFilter.of(null), 0, 10)))
        .as("index entries read WITHSCORES").isEqualTo(new io.orchestrator.runs.RunIdPage(java.util.List.of("run_1"), 1));
      clock.advance(Duration.ofSeconds(1));
      Run claimed = await(onProtocol.claimDue(0, 1, LEASE)).runs().get(0);
      assertThat(await(onProtocol.get("run_1"))).contains(claimed);
      assertThat(claimed.input()).isEqualTo(new JsonObject().put("orderId", 42));
    } finally {
      await(client.close());
    }
  }
}
