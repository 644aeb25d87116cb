package io.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.fixtures.TestApp;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An instance without the api role (a worker or a scheduler, as the Kubernetes kit deploys them) still answers the
 * probes and the scrape on its HTTP port, and nothing else.
 */
@DisplayName("instances without the api role serve health and metrics only")
class OperationsOnlyIT {

  @ParameterizedTest(name = "ORCH_ROLES={0}")
  @ValueSource(strings = {"worker", "scheduler"})
  @DisplayName("live, ready once started, metrics, and a 404 in the API's error body for any other path")
  void healthAndMetricsOnly(String roles) throws Exception {
    try (TestApp app = TestApp.start(Map.of("ORCH_ROLES", roles))) {
      assertThat(app.orchestrator.httpPort()).isPositive();

      HttpResponse<Buffer> live = get(app, "/health/live");
      assertThat(live.statusCode()).isEqualTo(200);
      assertThat(live.bodyAsJsonObject()).isEqualTo(new JsonObject().put("status", "UP"));

      HttpResponse<Buffer> ready = get(app, "/health/ready");
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.bodyAsJsonObject().getJsonObject("checks").getString("startup")).isEqualTo("DONE");

      HttpResponse<Buffer> metrics = get(app, "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.getHeader("Content-Type")).startsWith("text/plain");
      if (roles.equals("worker")) {
        assertThat(metrics.bodyAsString()).containsPattern("(?m)^orchestrator_queue_ready(\\{[^}]*})? ");
      }

      for (String path : new String[] {"/orchestration/api/v1/openapi.yaml", "/console/",
          "/orchestration/api/v1/workspaces/acme/orchestrations"}) {
        HttpResponse<Buffer> other = get(app, path);
        assertThat(other.statusCode()).as(path).isEqualTo(404);
        assertThat(other.bodyAsJsonObject().getString("error")).as(path).isEqualTo("not_found");
      }
    }
  }

  private static HttpResponse<Buffer> get(TestApp app, String path) {
    return TestApp.await(app.http.get(path).send());
  }
}
