package io.orchestrator.store.clients;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisReplicas;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The Redis client options of Stores, standalone and cluster")
class RedisOptionsTest {

  @Test
  @DisplayName("standalone: one endpoint, a standalone client")
  void standalone() {
    RedisOptions options = Stores.redisOptions("redis://127.0.0.1:6379", false);

    assertThat(options.getType()).isEqualTo(RedisClientType.STANDALONE);
    assertThat(options.getEndpoints()).containsExactly("redis://127.0.0.1:6379");
  }

  @Test
  @DisplayName("cluster: a cluster client with every seed node as an endpoint, never reading replicas")
  void cluster() {
    RedisOptions options = Stores.redisOptions("redis://127.0.0.1:7000,redis://:pw@127.0.0.1:7001", true);

    assertThat(options.getType()).isEqualTo(RedisClientType.CLUSTER);
    assertThat(options.getEndpoints()).containsExactly("redis://127.0.0.1:7000", "redis://:pw@127.0.0.1:7001");
    assertThat(options.getUseReplicas()).isEqualTo(RedisReplicas.NEVER);
  }
}
