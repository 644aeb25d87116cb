package io.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrator.tracing.OtelSpans;
import io.orchestrator.tracing.Spans;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Span export from the OpenTelemetry variables")
class TracingConfigTest {

  @TempDir
  Path dataDir;

  private Map<String, String> env;

  @BeforeEach
  void baseEnv() {
    env = new HashMap<>();
    env.put("ORCH_DATA_DIR", dataDir.toString());
  }

  @Test
  @DisplayName("without an endpoint nothing is exported: the spans port is NONE")
  void offByDefault() {
    AppConfig.Tracing tracing = ConfigLoader.load(env).tracing();

    assertThat(tracing.tracesEndpoint()).isNull();
    assertThat(tracing.serviceName()).isEqualTo("orchestrator");
    assertThat(OtelSpans.create(tracing)).isSameAs(Spans.NONE);
  }

  @Test
  @DisplayName("OTEL_EXPORTER_OTLP_ENDPOINT gets /v1/traces; the traces endpoint is used as given and wins")
  void endpoints() {
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/");
    assertThat(ConfigLoader.load(env).tracing().tracesEndpoint()).isEqualTo("http://collector:4318/v1/traces");

    env.put("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "https://otel.example/custom/traces");
    assertThat(ConfigLoader.load(env).tracing().tracesEndpoint()).isEqualTo("https://otel.example/custom/traces");
  }

  @Test
  @DisplayName("headers are key=value pairs, URL-decoded; OTEL_SERVICE_NAME names the service")
  void headersAndServiceName() {
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318");
    env.put("OTEL_EXPORTER_OTLP_HEADERS", "api-key=s3cr%3Dt, x-tenant = acme");
    env.put("OTEL_SERVICE_NAME", "orders-orchestrator");

    AppConfig.Tracing tracing = ConfigLoader.load(env).tracing();

    assertThat(tracing.headers()).containsExactlyInAnyOrderEntriesOf(Map.of("api-key", "s3cr=t", "x-tenant", "acme"));
    assertThat(tracing.serviceName()).isEqualTo("orders-orchestrator");
    Spans spans = OtelSpans.create(tracing);
    assertThat(spans).isNotSameAs(Spans.NONE);
    spans.close();
  }

  @Test
  @DisplayName("an endpoint that is not an http(s) URL stops start-up")
  void badEndpoint() {
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318");

    assertThatThrownBy(() -> ConfigLoader.load(env)).isInstanceOf(ConfigException.class)
      .hasMessageContaining("OTEL_EXPORTER_OTLP_ENDPOINT");
  }
}
