package io.orchestrator.api;

import static io.orchestrator.api.ApiTestSupport.assertError;
import static io.orchestrator.api.WebhookSupport.createWithTrigger;
import static io.orchestrator.api.WebhookSupport.deliver;
import static io.orchestrator.api.WebhookSupport.runCount;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.fixtures.ApiClient;
import io.orchestrator.fixtures.ApiClient.Reply;
import io.orchestrator.fixtures.SharedApp;
import io.orchestrator.fixtures.TestApp;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** ORCH_HTTP_TRIGGER_RATE=5: the sixth delivery to one path within a second is refused. */
@SharedApp.Config(value = {"ORCH_ROLES=api", "ORCH_HTTP_TRIGGER_RATE=5"}, own = true)
class HttpTriggerRateLimitIT {

  private static TestApp app;

  @BeforeAll
  static void start(TestApp shared) {
    app = shared;
  }

  /** Waits until a new second starts, so a burst of a few requests lands in one rate window. */
  private static void startOfSecond() {
    long second = System.currentTimeMillis() / 1000;
    while (System.currentTimeMillis() / 1000 == second || System.currentTimeMillis() % 1000 > 100) {
      Thread.onSpinWait();
    }
  }

  @Test
  @DisplayName("beyond 5 deliveries per second to one path: 429 rate_limited with Retry-After, no run")
  void sixthDeliveryInOneSecondIsRateLimited() {
    ApiClient client = app.client(TestApp.randomWorkspace());
    createWithTrigger(client, "limited", ApiTestSupport.httpTrigger("/limited"));
    createWithTrigger(client, "other", ApiTestSupport.httpTrigger("/other"));
    List<Reply> replies = new ArrayList<>();

    startOfSecond();
    for (int i = 0; i < 7; i++) {
      replies.add(deliver(app, client.workspace, "/limited", Buffer.buffer("{}"), MultiMap.caseInsensitiveMultiMap()));
    }
    Reply otherPath = deliver(app, client.workspace, "/other", Buffer.buffer("{}"), MultiMap.caseInsensitiveMultiMap());

    assertThat(replies.subList(0, 5)).extracting(Reply::status).containsOnly(202);
    for (Reply limited : replies.subList(5, 7)) {
      assertError(limited, 429, "rate_limited");
      assertThat(limited.header("Retry-After")).isEqualTo("1");
    }
    assertThat(otherPath.status()).as("each path has its own budget").isEqualTo(202);
    assertThat(runCount(client, "limited")).isEqualTo(5);
  }

  @Test
  @DisplayName("the budget refills in the next second")
  void budgetRefillsNextSecond() throws InterruptedException {
    ApiClient client = app.client(TestApp.randomWorkspace());
    createWithTrigger(client, "refill", ApiTestSupport.httpTrigger("/refill"));

    startOfSecond();
    for (int i = 0; i < 6; i++) {
      deliver(app, client.workspace, "/refill", Buffer.buffer("{}"), MultiMap.caseInsensitiveMultiMap());
    }
    startOfSecond();
    Reply next = deliver(app, client.workspace, "/refill", Buffer.buffer("{}"), MultiMap.caseInsensitiveMultiMap());

    assertThat(next.status()).as(next.body()).isEqualTo(202);
    assertThat(runCount(client, "refill")).isEqualTo(6);
  }
}
