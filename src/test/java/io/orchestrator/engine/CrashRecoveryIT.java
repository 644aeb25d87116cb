package io.orchestrator.engine;

import io.orchestrator.common.Partitions;
import io.orchestrator.store.redis.Keyspace;
import io.orchestrator.store.redis.RedisKeys;

import static io.orchestrator.engine.RunTestSupport.awaitRun;
import static io.orchestrator.engine.RunTestSupport.compute;
import static io.orchestrator.engine.RunTestSupport.createFunction;
import static io.orchestrator.engine.RunTestSupport.createOrchestration;
import static io.orchestrator.engine.RunTestSupport.delay;
import static io.orchestrator.engine.RunTestSupport.pause;
import static io.orchestrator.engine.RunTestSupport.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.fixtures.ApiClient;
import io.orchestrator.fixtures.ChildInstance;
import io.orchestrator.fixtures.FunctionServer;
import io.orchestrator.fixtures.FunctionServer.Answer;
import io.orchestrator.fixtures.FunctionServer.Call;
import io.orchestrator.fixtures.Jwts;
import io.orchestrator.fixtures.TestApp;
import io.orchestrator.fixtures.TestStores;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Worker failure: an instance killed mid-step (a real child JVM, {@code destroyForcibly}) and a delay that falls due
 * while no worker runs. Runs resume from the last recorded step; only the in-flight function attempt is repeated,
 * with the same Idempotency-Key.
 */
class CrashRecoveryIT {

  private static final Duration RECOVERY_TIMEOUT = Duration.ofSeconds(30);

  private static FunctionServer functions;
  private static Vertx vertx;
  private static Redis redis;

  private ChildInstance child;

  @BeforeAll
  static void start() {
    functions = FunctionServer.start();
    vertx = Vertx.vertx();
    redis = Redis.createClient(vertx, TestStores.redisOptions());
  }

  @AfterAll
  static void stop() {
    if (redis != null) {
      redis.close();
    }
    if (vertx != null) {
      TestApp.await(vertx.close());
    }
    if (functions != null) {
      functions.close();
    }
  }

  @AfterEach
  void killChild() {
    if (child != null) {
      child.close();
    }
  }

  private static String newPrefix() {
    return "crash" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static Map<String, String> recoveryOverrides(String prefix) {
    return Map.of("ORCH_REDIS_PREFIX", prefix, "ORCH_LEASE_DURATION", "2s");
  }

  @Test
  @DisplayName("a run whose worker JVM is killed mid-step completes exactly once on another instance")
  void runSurvivesKilledWorker() throws Exception {
    String prefix = newPrefix();
    String workspace = TestApp.randomWorkspace();
    child = ChildInstance.start(vertx, prefix, Map.of("ORCH_LEASE_DURATION", "2s"));
    int port = child.port;
    WebClient childHttp = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
      .setDefaultPort(port));
    ApiClient childApi = new ApiClient(childHttp, workspace, Jwts.hs256(TestApp.SECRET,
      Jwts.claims("crash-user", workspace)));
    String prepareFn = workspace + "-prepare";
    String chargeFn = workspace + "-charge";
    String finishFn = workspace + "-finish";
    functions.script(prepareFn).always(Answer.json(new JsonObject().put("prepared", true)));
    functions.script(chargeFn).then(Answer.hang()).always(Answer.json(new JsonObject().put("charged", true)));
    functions.script(finishFn).always(Answer.json(new JsonObject().put("finished", true)));
    String orch = createOrchestration(childApi, "crash-mid-step",
      compute("prepare", createFunction(childApi, "prepare", functions.url(prepareFn)).getString("id"), "charge"),
      compute("charge", createFunction(childApi, "charge", functions.url(chargeFn)).getString("id"), "finish")
        .put("timeoutMs", 60_000),
      compute("finish", createFunction(childApi, "finish", functions.url(finishFn)).getString("id"), null));

    String runId = trigger(childApi, orch, new JsonObject().put("order", 7));
    functions.awaitCalls(chargeFn, 1, RECOVERY_TIMEOUT);
    child.kill();
    assertThat(hget(prefix, runId, "status")).isEqualTo("running");

    try (TestApp app = TestApp.start(recoveryOverrides(prefix))) {
      ApiClient client = app.client(workspace);
      JsonObject run = awaitRun(client, orch, runId, "completed after recovery",
        r -> !List.of("pending", "running", "waiting").contains(r.getString("status")), RECOVERY_TIMEOUT);

      assertThat(run.getString("status")).as(run.encodePrettily()).isEqualTo("completed");
      assertThat(run.getJsonArray("executedSteps")).containsExactly("prepare", "charge", "finish");
      assertThat(run.getJsonObject("stepOutputs")).isEqualTo(new JsonObject()
        .put("prepare", new JsonObject().put("prepared", true))
        .put("charge", new JsonObject().put("charged", true))
        .put("finish", new JsonObject().put("finished", true)));
      assertThat(run.getBoolean("hasErrors")).isFalse();
      assertThat(functions.calls(prepareFn)).hasSize(1);
      assertThat(functions.calls(finishFn)).hasSize(1);
      List<Call> charges = functions.calls(chargeFn);
      assertThat(charges).hasSize(2);
      assertThat(charges.get(1).idempotencyKey()).isEqualTo(charges.get(0).idempotencyKey())
        .startsWith(runId + ":charge:");
      assertThat(charges.get(1).json().getJsonObject("steps"))
        .isEqualTo(charges.get(0).json().getJsonObject("steps"));
    }
  }

  @Test
  @DisplayName("a delay that falls due while every worker is down fires as soon as a worker starts")
  void delayDueWhileWorkersAreDown() {
    String prefix = newPrefix();
    String workspace = TestApp.randomWorkspace();
    String afterFn = workspace + "-after";
    String orch;
    String runId;
    long dueAt;
    try (TestApp first = TestApp.start(recoveryOverrides(prefix))) {
      ApiClient client = first.client(workspace);
      orch = createOrchestration(client, "delay-across-restart", delay("wait", 2000, "after"),
        compute("after", createFunction(client, "after", functions.url(afterFn)).getString("id"), null));
      runId = trigger(client, orch, new JsonObject());
      awaitRun(client, orch, runId, "waiting", r -> r.getString("status").equals("waiting"));
      dueAt = Math.round(send(Request.cmd(Command.ZSCORE).arg(keysOf(prefix, runId).timers()).arg(runId)).toDouble());
    }
    assertThat(System.currentTimeMillis()).as("the first instance stopped before the delay fell due")
      .isLessThan(dueAt);

    while (System.currentTimeMillis() <= dueAt + 200) {
      pause();
    }
    assertThat(hget(prefix, runId, "status")).isEqualTo("waiting");
    assertThat(functions.calls(afterFn)).isEmpty();

    long restarted = System.nanoTime();
    try (TestApp second = TestApp.start(recoveryOverrides(prefix))) {
      ApiClient client = second.client(workspace);
      JsonObject run = awaitRun(client, orch, runId, "completed after restart",
        r -> r.getString("status").equals("completed") || r.getString("status").equals("failed"),
        Duration.ofSeconds(10));

      assertThat(run.getString("status")).isEqualTo("completed");
      assertThat(Duration.ofNanos(System.nanoTime() - restarted)).isLessThan(Duration.ofSeconds(5));
      assertThat(run.getJsonArray("executedSteps")).containsExactly("wait", "after");
      assertThat(run.getInteger("delayStepCount")).isEqualTo(1);
      assertThat(functions.calls(afterFn)).hasSize(1);
    }
  }

  @Test
  @DisplayName("a graceful stop releases a run still mid-step after the grace: another instance resumes it at once")
  void gracefulStopReleasesRunsMidStep() {
    String prefix = newPrefix();
    String workspace = TestApp.randomWorkspace();
    String chargeFn = workspace + "-charge";
    String finishFn = workspace + "-finish";
    functions.script(chargeFn).then(Answer.hang()).always(Answer.json(new JsonObject().put("charged", true)));
    functions.script(finishFn).always(Answer.json(new JsonObject().put("finished", true)));
    // a lease far longer than the test: only the release can hand the run over in time
    Map<String, String> overrides = Map.of("ORCH_REDIS_PREFIX", prefix, "ORCH_LEASE_DURATION", "5m",
      "ORCH_SHUTDOWN_GRACE", "300ms");
    String orch;
    String runId;
    long stopping;
    try (TestApp first = TestApp.start(overrides)) {
      ApiClient client = first.client(workspace);
      orch = createOrchestration(client, "released-at-stop",
        compute("charge", createFunction(client, "charge", functions.url(chargeFn)).getString("id"), "finish")
          .put("timeoutMs", 60_000),
        compute("finish", createFunction(client, "finish", functions.url(finishFn)).getString("id"), null));
      runId = trigger(client, orch, new JsonObject());
      functions.awaitCalls(chargeFn, 1, RECOVERY_TIMEOUT);
      stopping = System.nanoTime();
    }
    assertThat(Duration.ofNanos(System.nanoTime() - stopping)).isLessThan(Duration.ofSeconds(5));
    assertThat(hget(prefix, runId, "status")).isEqualTo("running");
    assertThat(send(Request.cmd(Command.ZSCORE).arg(keysOf(prefix, runId).leases()).arg(runId))).isNull();
    assertThat(send(Request.cmd(Command.ZSCORE).arg(keysOf(prefix, runId).ready()).arg(runId))).isNotNull();

    try (TestApp second = TestApp.start(overrides)) {
      JsonObject run = awaitRun(second.client(workspace), orch, runId, "completed on the second instance",
        r -> !List.of("pending", "running", "waiting").contains(r.getString("status")), Duration.ofSeconds(10));

      assertThat(run.getString("status")).isEqualTo("completed");
      assertThat(run.getJsonArray("executedSteps")).containsExactly("charge", "finish");
      List<Call> charges = functions.calls(chargeFn);
      assertThat(charges).hasSize(2);
      assertThat(charges.get(1).idempotencyKey()).isEqualTo(charges.get(0).idempotencyKey());
      assertThat(functions.calls(finishFn)).hasSize(1);
    }
  }

  @Test
  @DisplayName("a step slower than the lease keeps its live worker's lease: the function is called only once")
  void slowStepKeepsItsLease() {
    String workspace = TestApp.randomWorkspace();
    String slowFn = workspace + "-slow";
    functions.script(slowFn).always(Answer.json(new JsonObject().put("slow", true)).delayed(Duration.ofMillis(3500)));
    try (TestApp app = TestApp.start(recoveryOverrides(newPrefix()))) {
      ApiClient client = app.client(workspace);
      String orch = createOrchestration(client, "slow-step",
        compute("slow", createFunction(client, "slow", functions.url(slowFn)).getString("id"), null));

      String runId = trigger(client, orch, new JsonObject());
      JsonObject run = awaitRun(client, orch, runId, "finished",
        r -> !List.of("pending", "running", "waiting").contains(r.getString("status")), Duration.ofSeconds(10));

      assertThat(run.getString("status")).isEqualTo("completed");
      assertThat(run.getJsonArray("executedSteps")).containsExactly("slow");
      assertThat(functions.calls(slowFn)).hasSize(1);
    }
  }

  // ---- helpers ------------------------------------------------------------------------------------------------

  private static Response send(Request request) {
    return TestApp.await(redis.send(request));
  }

  private static String hget(String prefix, String runId, String field) {
    Response value = send(Request.cmd(Command.HGET).arg(keysOf(prefix, runId).run(runId)).arg(field));
    return value == null ? null : value.toString();
  }

  /** The keys of a run's partition in the service started with {@code prefix} (default partitions). */
  private static RedisKeys keysOf(String prefix, String runId) {
    return new Keyspace(prefix, new Partitions(Partitions.DEFAULT)).ofId(runId);
  }
}
