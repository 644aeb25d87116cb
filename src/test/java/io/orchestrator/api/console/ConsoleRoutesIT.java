package io.orchestrator.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.fixtures.SharedApp;
import io.orchestrator.fixtures.TestApp;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The console beside the API in the whole service (stores configured, so not the zero-set-up mode). */
@SharedApp.Config("ORCH_ROLES=api,worker")
class ConsoleRoutesIT {

  private static TestApp app;

  @BeforeAll
  static void start(TestApp shared) {
    app = shared;
  }

  @Test
  @DisplayName("the console's files need no token and carry the CSP; the API beside them still does need one")
  void servedBesideTheApi() {
    HttpResponse<Buffer> page = TestApp.await(app.http.get("/console/").send());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.getHeader("Content-Security-Policy")).isEqualTo(ConsoleRoutes.CONTENT_SECURITY_POLICY);
    assertThat(page.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(TestApp.await(app.http.get("/console/css/console.css").send()).getHeader("Content-Type"))
      .startsWith("text/css");
    assertThat(TestApp.await(app.http.get("/orchestration/api/v1/workspaces/ws/orchestrations").send()).statusCode())
      .isEqualTo(401);
  }

  @Test
  @DisplayName("with its own stores the service has no /console/dev-token: 404 in the API's error shape")
  void noDevTokenOutsideZeroSetUp() {
    HttpResponse<Buffer> answer = TestApp.await(app.http.post("/console/dev-token")
      .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer("{\"workspace\": \"ws\"}")));
    assertThat(answer.statusCode()).isEqualTo(404);
    assertThat(answer.bodyAsJsonObject().getString("error")).isEqualTo("not_found");
    assertThat(TestApp.await(app.http.get("/console/dev-token").send()).statusCode()).isEqualTo(404);
    assertThat(TestApp.await(app.http.get("/console/no-such-file.js").send()).statusCode()).isEqualTo(404);
  }
}
