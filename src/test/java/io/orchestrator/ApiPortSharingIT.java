package io.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.fixtures.TestApp;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The API verticles (one per event loop) share one port, also when it is configured as 0: before, each of them bound
 * a random port of its own, only the first was announced, and every connection went to that one event loop.
 */
@DisplayName("The API's verticles share one port")
class ApiPortSharingIT {

  private static TestApp app;

  @BeforeAll
  static void start() {
    app = TestApp.start(Map.of("ORCH_HTTP_PORT", "0", "ORCH_HTTP_INSTANCES", "3"));
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void everyInstanceListensOnTheAnnouncedPort() {
    int announced = app.orchestrator.httpPort();

    assertThat(announced).isPositive();
    assertThat(app.orchestrator.apiPorts()).containsExactly(announced, announced, announced);
  }

  @Test
  void everyInstanceAnswersOnTheSharedPort() throws Exception {
    // a client without keep-alive: each request opens a connection, which the shared server hands to the next instance
    HttpClient client = app.vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false),
      new PoolOptions().setHttp1MaxSize(1));
    try {
      for (int i = 0; i < 6; i++) {
        int status = client.request(HttpMethod.GET, app.orchestrator.httpPort(), "127.0.0.1", "/health/live")
          .compose(request -> request.send()).map(response -> response.statusCode())
          .await(10, TimeUnit.SECONDS);
        assertThat(status).as("request %d", i).isEqualTo(200);
      }
    } finally {
      client.close().await(10, TimeUnit.SECONDS);
    }
  }
}
