package io.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.fixtures.TestApp;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The healthcheck sub-command against the running service")
class HealthCheckCommandIT {

  @Test
  @DisplayName("with the service's host and port it exits 0; once the service is stopped, 1")
  void asksTheService() {
    TestApp app = TestApp.start();
    Map<String, String> env = Map.of("ORCH_HTTP_HOST", "127.0.0.1",
      "ORCH_HTTP_PORT", Integer.toString(app.orchestrator.httpPort()));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream errors = new PrintStream(err, true, StandardCharsets.UTF_8);

    int up = HealthCheckCommand.run(env, errors, HealthCheckCommand.TIMEOUT);
    app.close();
    int down = HealthCheckCommand.run(env, errors, HealthCheckCommand.TIMEOUT);

    assertThat(up).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(down).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("/health/live");
  }
}
