package io.orchestrator.api;

import io.orchestrator.fixtures.ApiClient;
import io.orchestrator.fixtures.SharedApp;
import io.orchestrator.fixtures.TestApp;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Operations endpoints: health, metrics and the served contract")
@SharedApp.Config(own = true) // the metrics test reads process-wide meters
class OperationsIT {

  private static TestApp app;

  @BeforeAll
  static void start(TestApp shared) {
    app = shared;
  }

  @Test
  @DisplayName("GET /health/live is 200 {\"status\":\"UP\"}")
  void liveness() {
    HttpResponse<Buffer> response = get("/health/live");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).startsWith("application/json");
    assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject().put("status", "UP"));
  }

  @Test
  @DisplayName("GET /health/ready is 200 with postgres and redis checks UP")
  void readiness() {
    HttpResponse<Buffer> response = get("/health/ready");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getString("status")).isEqualTo("UP");
    assertThat(body.getJsonObject("checks").getString("postgres")).isEqualTo("UP");
    assertThat(body.getJsonObject("checks").getString("redis")).isEqualTo("UP");
  }

  @Test
  @DisplayName("GET /metrics is Prometheus text with HTTP latency labelled by operationId after API calls")
  void metrics() {
    ApiClient client = app.client(TestApp.randomWorkspace());
    for (int i = 0; i < 3; i++) {
      assertThat(client.get("/orchestrations").status()).isEqualTo(200);
    }

    // The timer is recorded when the response ends, which may be just after the client has read it: poll.
    String text = pollMetrics(t -> t.contains("operation=\"listOrchestrations\""));

    HttpResponse<Buffer> response = get("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).startsWith("text/plain");
    assertThat(text).contains("# TYPE http_server_requests_seconds ");
    assertThat(text).containsPattern("(?m)^orchestrator_tasks_polls_waiting 0\\.0$");
    assertThat(text).containsPattern(
      "http_server_requests_seconds_count\\{[^}]*operation=\"listOrchestrations\"[^}]*status=\"200\"[^}]*} [0-9.E]+");
    assertThat(text.lines().filter(l -> !l.isBlank()))
      .allMatch(l -> l.startsWith("#") || l.matches("[a-zA-Z_:][a-zA-Z0-9_:]*(\\{.*})? \\S+( \\d+)?"),
        "every sample line is in the Prometheus text format");
  }

  @Test
  @DisplayName("GET /orchestration/api/v1/openapi.yaml serves exactly the repository's openapi.yaml (OpenAPI 3.1)")
  void openApiDocument() throws Exception {
    byte[] file = Files.readAllBytes(Path.of("openapi.yaml"));

    HttpResponse<Buffer> response = get("/orchestration/api/v1/openapi.yaml");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body().getBytes()).isEqualTo(file);
    assertThat(response.bodyAsString()).startsWith("openapi: 3.1");
  }

  @Test
  @DisplayName("every operationId of openapi.yaml is bound: no operation answers 501, 503 or 500 to a plain call")
  void everyOperationServed() throws Exception {
    OpenAPIContract contract = TestApp.await(OpenAPIContract.from(app.vertx, "openapi.yaml"));
    String yaml = Files.readString(Path.of("openapi.yaml"));
    Matcher ids = Pattern.compile("(?m)^\\s+operationId:\\s*(\\S+)\\s*$").matcher(yaml);
    List<String> declared = new ArrayList<>();
    while (ids.find()) {
      declared.add(ids.group(1));
    }
    assertThat(contract.operations()).extracting(Operation::getOperationId).containsExactlyInAnyOrderElementsOf(declared);

    String workspace = TestApp.randomWorkspace();
    String token = app.token("ops", workspace);
    List<String> problems = new ArrayList<>();
    for (Operation operation : contract.operations()) {
      String path = operation.getOpenAPIPath().replace("{workspaceSlug}", workspace)
        .replaceAll("\\{[^}]+}", "does-not-exist");
      HttpMethod method = operation.getHttpMethod();
      HttpRequest<Buffer> request = app.http.request(method, path).putHeader("Authorization", "Bearer " + token);
      boolean withBody = method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH;
      HttpResponse<Buffer> response = TestApp.await(withBody
        ? request.putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer("{}"))
        : request.send());
      int status = response.statusCode();
      if (status == 500 || status == 501 || status == 503) {
        problems.add(operation.getOperationId() + " " + method + " " + path + " → " + status + " "
          + response.bodyAsString());
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  @DisplayName("a body sent anyway to the operational GETs is refused as documented: 415 when not JSON, 413 over 1 MiB")
  void bodiesOnOperationalGets() {
    for (String path : List.of("/health/live", "/health/ready", "/metrics", "/orchestration/api/v1/openapi.yaml")) {
      HttpResponse<Buffer> text = TestApp.await(app.http.get(path).putHeader("Content-Type", "text/plain")
        .sendBuffer(Buffer.buffer("hello")));
      assertThat(text.statusCode()).as(path).isEqualTo(415);
      assertThat(text.bodyAsJsonObject().getString("error")).as(path).isEqualTo("unsupported_media_type");

      HttpResponse<Buffer> huge = TestApp.await(app.http.get(path).putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer("\"" + "x".repeat(1_100_000) + "\"")));
      assertThat(huge.statusCode()).as(path).isEqualTo(413);
      assertThat(huge.bodyAsJsonObject().getString("error")).as(path).isEqualTo("payload_too_large");
    }
  }

  private static HttpResponse<Buffer> get(String path) {
    return TestApp.await(app.http.get(path).send());
  }

  private static String pollMetrics(java.util.function.Predicate<String> done) {
    long deadline = System.nanoTime() + 5_000_000_000L;
    String text = "";
    while (System.nanoTime() < deadline) {
      text = get("/metrics").bodyAsString();
      if (done.test(text)) {
        return text;
      }
    }
    return text;
  }
}
