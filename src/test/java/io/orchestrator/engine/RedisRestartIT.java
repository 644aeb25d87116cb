package io.orchestrator.engine;

import static io.orchestrator.engine.RunTestSupport.assertUnavailable;
import static io.orchestrator.engine.RunTestSupport.awaitFinished;
import static io.orchestrator.engine.RunTestSupport.compute;
import static io.orchestrator.engine.RunTestSupport.createFunction;
import static io.orchestrator.engine.RunTestSupport.createOrchestration;
import static io.orchestrator.engine.RunTestSupport.delay;
import static io.orchestrator.engine.RunTestSupport.sleep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.orchestrator.engine.TriggerLoad.Answer;
import io.orchestrator.fixtures.ApiClient;
import io.orchestrator.fixtures.ApiClient.Reply;
import io.orchestrator.fixtures.FunctionServer;
import io.orchestrator.fixtures.PrivateRedis;
import io.orchestrator.fixtures.TestApp;
import io.vertx.core.json.JsonObject;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A private {@code redis-server} of the test's own (the shipped {@code redis/redis.conf}: AOF, everysec) that the
 * tests crash, restart, turn into a read-only replica or keep busy, under the service's load.
 */
@DisplayName("a Redis that crashes, restarts or cannot serve")
class RedisRestartIT {

  private static final long DELAY_MS = 300;

  private PrivateRedis redis;
  private FunctionServer functions;
  private TestApp app;
  private ApiClient client;
  private String orchestration;

  @BeforeEach
  void start() {
    assumeTrue(PrivateRedis.available(), "redis-server not installed: skipping the private-Redis tests");
    redis = PrivateRedis.start(Path.of("redis/redis.conf"), "--busy-reply-threshold", "100");
    functions = FunctionServer.start();
    app = TestApp.start(Map.of("ORCH_ROLES", "api,worker", "ORCH_REDIS_URL", redis.url(),
      "ORCH_STORE_TIMEOUT", "1s"));
    client = app.client(TestApp.randomWorkspace());
    String a = createFunction(client, "a", functions.url(client.workspace + "-a")).getString("id");
    String b = createFunction(client, "b", functions.url(client.workspace + "-b")).getString("id");
    orchestration = createOrchestration(client, "chain", compute("a", a, "wait"), delay("wait", DELAY_MS, "b"),
      compute("b", b, null));
  }

  @AfterEach
  void stop() {
    if (app != null) {
      app.close();
    }
    if (functions != null) {
      functions.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  @DisplayName("SIGKILL of Redis under load, restarted from its AOF: no acknowledged run lost, none doubled, "
    + "no 500; the loss is counted and printed")
  void crashAndRestartFromAof() {
    TriggerLoad load = new TriggerLoad(app, client, orchestration).start(10);
    sleep(2_000);
    redis.kill();
    long crashedAt = System.currentTimeMillis();
    redis.restart();
    long back = System.currentTimeMillis();
    sleep(2_000);
    List<Answer> answers = load.stop();

    assertThat(TriggerLoad.byStatus(answers)).as("answers by status").containsOnlyKeys(201, 503);
    List<String> acknowledged = TriggerLoad.acknowledged(answers);
    long lost = acknowledged.stream()
      .filter(id -> client.get(RunTestSupport.runPath(orchestration, id)).status() == 404).count();
    System.out.printf("Redis SIGKILL under load: %d runs acknowledged, %d lost; Redis down %d ms%n",
      acknowledged.size(), lost, back - crashedAt);
    assertThat(lost).as("acknowledged runs gone after the crash (AOF written to the OS every event loop)")
      .isZero();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    for (String runId : acknowledged) {
      JsonObject run = RunTestSupport.awaitFinishedBy(client, orchestration, runId, deadline);
      assertThat(run.getString("status")).as(run.encodePrettily()).isEqualTo("completed");
      assertThat(run.getJsonArray("executedSteps").getList()).containsExactly("a", "wait", "b");
    }
  }

  @Test
  @DisplayName("Redis turned into a read-only replica (a failover): writes answer 503 READONLY-as-unavailable, "
    + "reads keep working, and all is well once it is a master again")
  void readOnlyReplica() {
    String before = RunTestSupport.trigger(client, orchestration, new JsonObject());
    awaitFinished(client, orchestration, before);
    assertThat(redis.command("REPLICAOF", "127.0.0.1", "1")).isEqualTo("+OK");
    try {
      Reply refused = client.post("/orchestrations/" + orchestration + "/trigger", new JsonObject());
      assertUnavailable(refused);
      assertThat(client.get(RunTestSupport.runPath(orchestration, before)).status()).isEqualTo(200);
    } finally {
      assertThat(redis.command("REPLICAOF", "NO", "ONE")).isEqualTo("+OK");
    }
    String after = RunTestSupport.trigger(client, orchestration, new JsonObject());
    assertThat(awaitFinished(client, orchestration, after).getString("status")).isEqualTo("completed");
  }

  @Test
  @DisplayName("Redis busy running a long script (BUSY): requests answer 503, then work once it is killed")
  void busyScript() throws Exception {
    try (Socket busy = new Socket("127.0.0.1", redis.port())) {
      busy.getOutputStream().write(PrivateRedis.resp("EVAL", "local i = 0 while true do i = i + 1 end", "0"));
      sleep(300);
      Reply refused = client.post("/orchestrations/" + orchestration + "/trigger", new JsonObject());
      assertUnavailable(refused);
      assertThat(redis.command("SCRIPT", "KILL")).isEqualTo("+OK");
    }
    // once the script is killed, triggers are accepted again within the recovery target (1 s); until then a
    // connection the busy period left behind may still answer 503, never anything else
    long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
    Reply accepted = client.post("/orchestrations/" + orchestration + "/trigger", new JsonObject());
    while (accepted.status() != 201 && System.nanoTime() < deadline) {
      assertUnavailable(accepted);
      sleep(50);
      accepted = client.post("/orchestrations/" + orchestration + "/trigger", new JsonObject());
    }
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(201);
    String run = accepted.json().getString("id");
    assertThat(awaitFinished(client, orchestration, run).getString("status")).isEqualTo("completed");
  }
}
