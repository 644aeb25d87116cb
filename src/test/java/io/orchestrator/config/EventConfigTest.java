package io.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Event stream configuration from ORCH_EVENT_* variables")
class EventConfigTest {

  @TempDir
  Path dataDir;

  private Map<String, String> env;

  @BeforeEach
  void baseEnv() {
    env = new HashMap<>();
    env.put("ORCH_DATA_DIR", dataDir.toString());
  }

  @Test
  @DisplayName("defaults: stream orchestrator:events, group orchestrator, entries claimed after 30 s idle")
  void defaults() {
    AppConfig.Triggers triggers = ConfigLoader.load(env).triggers();

    assertThat(triggers.eventStream()).isEqualTo("orchestrator:events");
    assertThat(triggers.eventGroup()).isEqualTo("orchestrator");
    assertThat(triggers.eventClaimIdle()).isEqualTo(Duration.ofSeconds(30));
    assertThat(triggers.eventRetention()).isEqualTo(Duration.ofHours(24));
  }

  @Test
  @DisplayName("every event variable can be set")
  void overrides() {
    env.put("ORCH_EVENT_STREAM", "tenant-a:events");
    env.put("ORCH_EVENT_GROUP", "orchestrator-blue");
    env.put("ORCH_EVENT_CLAIM_IDLE", "500ms");
    env.put("ORCH_EVENT_STREAM_RETENTION", "7d");

    AppConfig.Triggers triggers = ConfigLoader.load(env).triggers();

    assertThat(triggers.eventStream()).isEqualTo("tenant-a:events");
    assertThat(triggers.eventGroup()).isEqualTo("orchestrator-blue");
    assertThat(triggers.eventClaimIdle()).isEqualTo(Duration.ofMillis(500));
    assertThat(triggers.eventRetention()).isEqualTo(Duration.ofDays(7));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"ORCH_EVENT_STREAM|has space", "ORCH_EVENT_GROUP|tab\there",
    "ORCH_EVENT_CLAIM_IDLE|soon", "ORCH_EVENT_CLAIM_IDLE|0s",
    "ORCH_EVENT_STREAM_RETENTION|0", "ORCH_EVENT_STREAM_RETENTION|forever"})
  @DisplayName("bad values fail start-up naming the variable")
  void rejected(String variable, String value) {
    env.put(variable, value);

    assertThatThrownBy(() -> ConfigLoader.load(env)).isInstanceOf(ConfigException.class)
      .hasMessageContaining(variable);
  }
}
