package io.orchestrator.engine;

import static io.orchestrator.engine.RunTestSupport.awaitRun;
import static io.orchestrator.engine.RunTestSupport.awaitStatus;
import static io.orchestrator.engine.RunTestSupport.compute;
import static io.orchestrator.engine.RunTestSupport.createOrchestration;
import static io.orchestrator.engine.RunTestSupport.delay;
import static io.orchestrator.engine.RunTestSupport.getRun;
import static io.orchestrator.engine.RunTestSupport.listRuns;
import static io.orchestrator.engine.RunTestSupport.orchestrationBody;
import static io.orchestrator.engine.RunTestSupport.pause;
import static io.orchestrator.engine.RunTestSupport.runPath;
import static io.orchestrator.engine.RunTestSupport.sleep;
import static io.orchestrator.engine.RunTestSupport.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.fixtures.ApiClient;
import io.orchestrator.fixtures.ApiClient.Reply;
import io.orchestrator.fixtures.FunctionServer.Answer;
import io.orchestrator.fixtures.FunctionServer.Call;
import io.orchestrator.fixtures.SharedApp;
import io.orchestrator.fixtures.TestApp;
import io.orchestrator.fixtures.TestStores;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Redrive (DESIGN.md §9): a failed or cancelled run continues where it stopped, same id, outputs kept, the step
 * afresh with new idempotency keys; exactly one of concurrent redrives wins; runs already in the history come back;
 * a late write of the run's previous execution is rejected. Finished runs leave Redis after the 1 s retention.
 */
@SharedApp.Config("ORCH_RUN_RETENTION=1s")
class RedriveIT extends EngineIntegrationBase {

  private static final String STEP_A_OUTPUT = "{\"a\":1}";
  private static Redis redis;

  @BeforeAll
  static void openRedis() {
    redis = Redis.createClient(app.vertx, TestStores.redisOptions());
  }

  @AfterAll
  static void closeRedis() {
    if (redis != null) {
      redis.close();
    }
  }

  /** a → b → c, where b fails (HTTP 500, no retry) on its first call and succeeds afterwards. */
  private String failingAtB() {
    functions.script(fn("a")).always(Answer.json(new JsonObject(STEP_A_OUTPUT)));
    functions.script(fn("b")).then(Answer.status(500, new JsonObject().put("oops", true)))
      .always(Answer.json(new JsonObject().put("b", 2)));
    functions.script(fn("c")).always(Answer.json(new JsonObject().put("c", 3)));
    return createOrchestration(client, "redrive-me", compute("a", function("a"), "b"),
      compute("b", function("b"), "c"), compute("c", function("c"), null));
  }

  @Test
  @DisplayName("a failed run continues at the failed step: same id, a not called again, b at attempt 1 with a new "
    + "Idempotency-Key, errors kept, redrives recorded")
  void redrivesFailedRun() {
    String orch = failingAtB();
    String runId = trigger(client, orch, new JsonObject().put("order", 7));
    JsonObject failed = awaitStatus(client, orch, runId, "failed");
    assertThat(failed.getJsonArray("executedSteps")).containsExactly("a", "b");
    assertThat(failed.getInteger("redriveCount")).isZero();
    assertThat(failed.getJsonArray("redrives")).isEmpty();

    Reply redriven = redrive(client, orch, runId);

    assertThat(redriven.status()).as(redriven.body()).isEqualTo(200);
    JsonObject pending = redriven.json();
    assertThat(pending.getString("id")).isEqualTo(runId);
    assertThat(pending.getString("status")).isEqualTo("pending");
    assertThat(pending.getString("completedAt")).isNull();
    assertThat(pending.getInteger("redriveCount")).isEqualTo(1);
    JsonObject entry = pending.getJsonArray("redrives").getJsonObject(0);
    assertThat(entry.getString("fromStepId")).isEqualTo("b");
    assertThat(entry.getString("by")).isEqualTo(failed.getJsonObject("triggerMetadata").getString("triggeredBy"));
    assertThat(Instant.parse(entry.getString("at"))).isAfterOrEqualTo(Instant.parse(failed.getString("completedAt")));

    JsonObject done = awaitStatus(client, orch, runId, "completed");
    assertThat(done.getJsonArray("executedSteps")).containsExactly("a", "b", "b", "c");
    assertThat(done.getJsonObject("stepOutputs")).isEqualTo(new JsonObject().put("a", new JsonObject(STEP_A_OUTPUT))
      .put("b", new JsonObject().put("b", 2)).put("c", new JsonObject().put("c", 3)));
    assertThat(done.getJsonArray("errors")).hasSize(1);
    assertThat(done.getJsonArray("errors").getJsonObject(0).getString("stepId")).isEqualTo("b");
    assertThat(done.getBoolean("hasErrors")).isTrue();
    assertThat(done.getInteger("orchestrationVersion")).isEqualTo(failed.getInteger("orchestrationVersion"));
    assertThat(done.getJsonObject("input")).isEqualTo(new JsonObject().put("order", 7));
    assertThat(done.getString("startedAt")).isEqualTo(failed.getString("startedAt"));
    assertThat(done.getString("completedAt")).isNotNull();
    assertThat(done.getInteger("redriveCount")).isEqualTo(1);

    assertThat(functions.calls(fn("a"))).hasSize(1);
    List<Call> b = functions.calls(fn("b"));
    assertThat(b).hasSize(2);
    assertThat(b.get(1).idempotencyKey()).isNotEqualTo(b.get(0).idempotencyKey());
    assertThat(b.get(1).attempt()).isEqualTo(1);
    assertThat(functions.calls(fn("c"))).hasSize(1);
  }

  @Test
  @DisplayName("only failed or cancelled runs are redriven: a completed (or again running) run answers 409")
  void redriveOfOtherStatusesIsConflict() {
    String orch = failingAtB();
    String runId = trigger(client, orch, new JsonObject());
    awaitStatus(client, orch, runId, "failed");
    assertThat(redrive(client, orch, runId).status()).isEqualTo(200);
    awaitStatus(client, orch, runId, "completed");

    Reply again = redrive(client, orch, runId);

    assertThat(again.status()).as(again.body()).isEqualTo(409);
    assertThat(again.json().getString("error")).isEqualTo("conflict");
    assertThat(getRun(client, orch, runId).getInteger("redriveCount")).isEqualTo(1);
  }

  @Test
  @DisplayName("of concurrent redrives of one run exactly one succeeds")
  void concurrentRedrivesOneWins() {
    String orch = failingAtB();
    String runId = trigger(client, orch, new JsonObject());
    awaitStatus(client, orch, runId, "failed");

    List<CompletableFuture<Reply>> racing = List.of(
      CompletableFuture.supplyAsync(() -> redrive(client, orch, runId)),
      CompletableFuture.supplyAsync(() -> redrive(client, orch, runId)),
      CompletableFuture.supplyAsync(() -> redrive(client, orch, runId)));
    List<Integer> statuses = racing.stream().map(CompletableFuture::join).map(Reply::status).toList();

    assertThat(statuses).containsExactlyInAnyOrder(200, 409, 409);
    JsonObject done = awaitStatus(client, orch, runId, "completed");
    assertThat(done.getInteger("redriveCount")).isEqualTo(1);
    assertThat(done.getJsonArray("executedSteps")).containsExactly("a", "b", "b", "c");
  }

  @Test
  @DisplayName("a run cancelled while waiting on a delay re-arms the whole delay, then goes on")
  void redriveOfCancelledDelayRearmsIt() {
    functions.script(fn("a")).always(Answer.json(new JsonObject().put("a", 1)));
    functions.script(fn("c")).always(Answer.json(new JsonObject().put("c", 3)));
    String orch = createOrchestration(client, "cancelled-delay", compute("a", function("a"), "wait"),
      delay("wait", 1500, "c"), compute("c", function("c"), null));
    String runId = trigger(client, orch, new JsonObject());
    awaitRun(client, orch, runId, "waiting", r -> "waiting".equals(r.getString("status")));
    assertThat(client.post(runPath(orch, runId) + "/cancel", null).status()).isEqualTo(200);

    long redrivenAt = System.nanoTime();
    Reply redriven = redrive(client, orch, runId);

    assertThat(redriven.status()).as(redriven.body()).isEqualTo(200);
    assertThat(redriven.json().getJsonArray("redrives").getJsonObject(0).getString("fromStepId")).isEqualTo("wait");
    awaitRun(client, orch, runId, "waiting again", r -> "waiting".equals(r.getString("status")));
    JsonObject done = awaitStatus(client, orch, runId, "completed");
    assertThat(Duration.ofNanos(System.nanoTime() - redrivenAt)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
    assertThat(done.getJsonArray("executedSteps")).containsExactly("a", "wait", "wait", "c");
    assertThat(done.getInteger("delayStepCount")).isEqualTo(2);
    assertThat(functions.calls(fn("a"))).hasSize(1);
  }

  @Test
  @DisplayName("a redriven run is fenced: the late answer of its previous execution records nothing")
  void lateWriteOfPreviousExecutionIsRejected() {
    functions.script(fn("slow")).then(Answer.json(new JsonObject().put("first", true)).delayed(Duration.ofMillis(
      1500))).always(Answer.json(new JsonObject().put("second", true)));
    functions.script(fn("b")).always(Answer.json(new JsonObject().put("b", 2)));
    String orch = createOrchestration(client, "fenced", compute("slow", function("slow"), "b"),
      compute("b", function("b"), null));
    String runId = trigger(client, orch, new JsonObject());
    functions.awaitCalls(fn("slow"), 1, Duration.ofSeconds(10));
    assertThat(client.post(runPath(orch, runId) + "/cancel", null).status()).isEqualTo(200);

    assertThat(redrive(client, orch, runId).status()).isEqualTo(200);
    JsonObject done = awaitStatus(client, orch, runId, "completed");
    sleep(1800); // the first call answers 1.5 s after it began; its executor's write must change nothing

    JsonObject after = getRun(client, orch, runId);
    assertThat(after).isEqualTo(done);
    assertThat(after.getJsonArray("executedSteps")).containsExactly("slow", "b");
    assertThat(after.getJsonObject("stepOutputs").getJsonObject("slow")).isEqualTo(
      new JsonObject().put("second", true));
    List<Call> calls = functions.calls(fn("slow"));
    assertThat(calls).hasSize(2);
    assertThat(calls.get(1).idempotencyKey()).isNotEqualTo(calls.get(0).idempotencyKey());
    assertThat(functions.calls(fn("b"))).hasSize(1);
  }

  @Test
  @DisplayName("a run already moved to the PostgreSQL history comes back into Redis and is listed once, in its trace")
  void redrivesRunFromHistory() {
    String orch = failingAtB();
    String trace = "5e1f2d3c4b5a69788796a5b4c3d2e1f0";
    Reply triggered = client.send(HttpMethod.POST, "/orchestrations/" + orch + "/trigger",
      new JsonObject().put("input", new JsonObject()), MultiMap.caseInsensitiveMultiMap()
        .add("traceparent", "00-" + trace + "-1a2b3c4d5e6f7a8b-01").add("tracestate", "vendor=x"));
    assertThat(triggered.status()).as(triggered.body()).isEqualTo(201);
    String runId = triggered.json().getString("id");
    awaitStatus(client, orch, runId, "failed");
    awaitGone(runId);

    Reply redriven = redrive(client, orch, runId);

    assertThat(redriven.status()).as(redriven.body()).isEqualTo(200);
    assertThat(redriven.json().getString("traceId")).isEqualTo(trace);
    JsonObject done = awaitStatus(client, orch, runId, "completed");
    assertThat(done.getString("traceId")).isEqualTo(trace);
    Call afterRedrive = functions.calls(fn("c")).get(0);
    assertThat(afterRedrive.header("traceparent")).startsWith("00-" + trace + "-");
    assertThat(afterRedrive.header("tracestate")).isEqualTo("vendor=x");
    assertThat(done.getJsonArray("executedSteps")).containsExactly("a", "b", "b", "c");
    assertThat(done.getJsonObject("stepOutputs").getJsonObject("a")).isEqualTo(new JsonObject(STEP_A_OUTPUT));
    assertThat(functions.calls(fn("a"))).hasSize(1);
    JsonObject page = listRuns(client, orch, "");
    assertThat(page.getJsonObject("meta").getLong("total")).isEqualTo(1);
    assertThat(page.getJsonArray("data").getJsonObject(0).getString("status")).isEqualTo("completed");
    assertThat(listRuns(client, orch, "status=failed").getJsonObject("meta").getLong("total")).isZero();
  }

  @Test
  @DisplayName("redrive works while the orchestration is inactive; unknown, other workspaces' and deleted "
    + "orchestrations' runs are 404")
  void redriveScope() {
    String orch = failingAtB();
    String runId = trigger(client, orch, new JsonObject());
    awaitStatus(client, orch, runId, "failed");
    JsonObject definition = orchestrationBody("redrive-me").put("isActive", false)
      .put("steps", getDefinition(orch).getJsonArray("steps"));
    definition.remove("slug");
    assertThat(client.put("/orchestrations/" + orch, definition).status()).isEqualTo(200);

    ApiClient stranger = app.client(TestApp.randomWorkspace());
    assertThat(redrive(stranger, orch, runId).status()).isEqualTo(404);
    assertThat(redrive(client, orch, "run_00000000000000000000000000").status()).isEqualTo(404);
    assertThat(redrive(client, orch, runId).status()).isEqualTo(200);
    awaitStatus(client, orch, runId, "completed");

    String other = failingAtB2();
    String otherRun = trigger(client, other, new JsonObject());
    awaitStatus(client, other, otherRun, "failed");
    assertThat(redrive(client, orch, otherRun).status()).isEqualTo(404);
    assertThat(client.delete("/orchestrations/" + other).status()).isEqualTo(204);
    assertThat(redrive(client, other, otherRun).status()).isEqualTo(404);
  }

  private String failingAtB2() {
    functions.script(fn("z")).always(Answer.status(500, new JsonObject()));
    return createOrchestration(client, "other-orch", compute("z", function("z"), null));
  }

  private JsonObject getDefinition(String orch) {
    Reply reply = client.get("/orchestrations/" + orch);
    assertThat(reply.status()).isEqualTo(200);
    return reply.json();
  }

  private static Reply redrive(ApiClient client, String orch, String runId) {
    return client.post(runPath(orch, runId) + "/redrive", null);
  }

  private void awaitGone(String runId) {
    String key = app.keyspace.ofId(runId).run(runId);
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (TestApp.await(redis.send(Request.cmd(Command.EXISTS).arg(key))).toLong() == 1) {
      assertThat(System.nanoTime()).as("eviction of " + runId).isLessThan(deadline);
      pause();
    }
  }
}
