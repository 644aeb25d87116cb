package io.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("ORCH_REDIS_MODE: one Redis or a Redis Cluster given by its seed nodes")
class RedisModeConfigTest {

  @TempDir
  Path dataDir;

  private Map<String, String> env;

  @BeforeEach
  void baseEnv() {
    env = new HashMap<>();
    env.put("ORCH_DATA_DIR", dataDir.toString());
  }

  @Test
  @DisplayName("default: standalone, one URL (or the embedded Redis without one)")
  void defaultsToStandalone() {
    AppConfig.Stores embedded = ConfigLoader.load(env).stores();
    assertThat(embedded.redisMode()).isEqualTo(AppConfig.RedisMode.STANDALONE);
    assertThat(embedded.embeddedRedis()).isTrue();
    assertThat(embedded.redisCluster()).isFalse();

    env.put("ORCH_REDIS_URL", "redis://10.0.0.1:6379");
    AppConfig.Stores one = ConfigLoader.load(env).stores();
    assertThat(one.redisMode()).isEqualTo(AppConfig.RedisMode.STANDALONE);
    assertThat(one.redisUrls()).containsExactly("redis://10.0.0.1:6379");
  }

  @Test
  @DisplayName("cluster: comma-separated redis:// and rediss:// seed nodes, blanks and spaces dropped, any case")
  void clusterSeeds() {
    env.put("ORCH_REDIS_MODE", "Cluster");
    env.put("ORCH_REDIS_URL", " redis://10.0.0.1:7000, redis://:secret@10.0.0.2:7000,,rediss://10.0.0.3:7000 ");

    AppConfig.Stores stores = ConfigLoader.load(env).stores();

    assertThat(stores.redisMode()).isEqualTo(AppConfig.RedisMode.CLUSTER);
    assertThat(stores.redisCluster()).isTrue();
    assertThat(stores.embeddedRedis()).isFalse();
    assertThat(stores.redisUrls()).isEqualTo(List.of("redis://10.0.0.1:7000", "redis://:secret@10.0.0.2:7000",
      "rediss://10.0.0.3:7000"));
  }

  @Test
  @DisplayName("cluster with a single seed node")
  void clusterOneSeed() {
    env.put("ORCH_REDIS_MODE", "cluster");
    env.put("ORCH_REDIS_URL", "redis://127.0.0.1:7000");

    assertThat(ConfigLoader.load(env).stores().redisUrls()).containsExactly("redis://127.0.0.1:7000");
  }

  @ParameterizedTest
  @ValueSource(strings = {"sentinel", "replica", "1"})
  @DisplayName("an unknown mode stops start-up naming the variable")
  void unknownMode(String mode) {
    env.put("ORCH_REDIS_MODE", mode);

    assertThatThrownBy(() -> ConfigLoader.load(env)).isInstanceOf(ConfigException.class)
      .hasMessageContaining("ORCH_REDIS_MODE must be standalone or cluster");
  }

  @Test
  @DisplayName("cluster mode needs seed nodes: the embedded Redis is a single server")
  void clusterNeedsUrl() {
    env.put("ORCH_REDIS_MODE", "cluster");

    assertThatThrownBy(() -> ConfigLoader.load(env)).isInstanceOf(ConfigException.class)
      .hasMessageContaining("ORCH_REDIS_MODE=cluster needs ORCH_REDIS_URL");
  }

  @ParameterizedTest
  @ValueSource(strings = {"redis://10.0.0.1:7000,http://10.0.0.2:7000", "10.0.0.1:7000", " , ",
    "redis://10.0.0.1:7000,redis:// x"})
  @DisplayName("a seed that is not a redis:// or rediss:// URL stops start-up")
  void badSeeds(String url) {
    env.put("ORCH_REDIS_MODE", "cluster");
    env.put("ORCH_REDIS_URL", url);

    assertThatThrownBy(() -> ConfigLoader.load(env)).isInstanceOf(ConfigException.class)
      .hasMessageContaining("ORCH_REDIS_URL");
  }

  @Test
  @DisplayName("standalone with several URLs points at ORCH_REDIS_MODE=cluster")
  void standaloneWithSeveralUrls() {
    env.put("ORCH_REDIS_URL", "redis://10.0.0.1:7000,redis://10.0.0.2:7000");

    assertThatThrownBy(() -> ConfigLoader.load(env)).isInstanceOf(ConfigException.class)
      .hasMessageContaining("ORCH_REDIS_MODE=cluster");
  }
}
