package io.orchestrator.engine;

import static io.orchestrator.engine.RunTestSupport.RUN_ID;
import static io.orchestrator.engine.RunTestSupport.TIMESTAMP;
import static io.orchestrator.engine.RunTestSupport.awaitFinished;
import static io.orchestrator.engine.RunTestSupport.awaitRun;
import static io.orchestrator.engine.RunTestSupport.awaitStatus;
import static io.orchestrator.engine.RunTestSupport.clockPast;
import static io.orchestrator.engine.RunTestSupport.compute;
import static io.orchestrator.engine.RunTestSupport.createFunction;
import static io.orchestrator.engine.RunTestSupport.createOrchestration;
import static io.orchestrator.engine.RunTestSupport.delay;
import static io.orchestrator.engine.RunTestSupport.getRun;
import static io.orchestrator.engine.RunTestSupport.ids;
import static io.orchestrator.engine.RunTestSupport.listRuns;
import static io.orchestrator.engine.RunTestSupport.orchestrationBody;
import static io.orchestrator.engine.RunTestSupport.runPath;
import static io.orchestrator.engine.RunTestSupport.trigger;
import static io.orchestrator.engine.RunTestSupport.triggerReply;
import static io.orchestrator.engine.RunTestSupport.triggerWithKey;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.fixtures.ApiClient;
import io.orchestrator.fixtures.ApiClient.Reply;
import io.orchestrator.fixtures.FunctionServer.Answer;
import io.orchestrator.fixtures.TestApp;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The run endpoints: manual trigger, cancel, List Runs and workspace isolation, with runs really executing. */
class RunsApiIT extends EngineIntegrationBase {


  /** compute "work" only. */
  private String simpleOrchestration(String slug) {
    return createOrchestration(client, slug, compute("work", function(slug + "-work"), null));
  }

  /** delay "wait" ({@code delayMs}) → compute "after". */
  private String delayedOrchestration(String slug, long delayMs) {
    return createOrchestration(client, slug, delay("wait", delayMs, "after"),
      compute("after", function(slug + "-after"), null));
  }

  private static void assertError(Reply reply, int status, String code) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    assertThat(reply.json().getString("error")).as(reply.body()).isEqualTo(code);
  }

  // ---- manual trigger -----------------------------------------------------------------------------------------

  @Test
  @DisplayName("trigger answers 201 with a pending manual run, which then runs to completion")
  void triggerStartsPendingManualRun() {
    String orch = simpleOrchestration("manual");

    JsonObject started = triggerReply(client, orch, new JsonObject().put("input", new JsonObject().put("a", 1))
      .put("correlationId", "corr-given-1"));

    assertThat(started.getString("id")).matches(RUN_ID);
    assertThat(started.getString("orchestrationId")).isEqualTo(orch);
    assertThat(started.getString("status")).isEqualTo("pending");
    assertThat(started.getString("triggerType")).isEqualTo("manual");
    assertThat(started.getString("startedAt")).matches(TIMESTAMP);
    JsonObject run = awaitStatus(client, orch, started.getString("id"), "completed");
    assertThat(run.getString("triggerType")).isEqualTo("manual");
    assertThat(run.getString("correlationId")).isEqualTo("corr-given-1");
    assertThat(run.getString("startedAt")).isEqualTo(started.getString("startedAt"));
    assertThat(run.getJsonObject("input")).isEqualTo(new JsonObject().put("a", 1));
    assertThat(functions.calls(fn("manual-work"))).hasSize(1);
  }

  @Test
  @DisplayName("an orchestration can be triggered by its slug; the run belongs to its orch_ id")
  void triggerBySlug() {
    String orch = simpleOrchestration("by-slug");

    JsonObject started = triggerReply(client, "by-slug", new JsonObject());

    assertThat(started.getString("orchestrationId")).isEqualTo(orch);
    awaitStatus(client, "by-slug", started.getString("id"), "completed");
    assertThat(getRun(client, orch, started.getString("id")).getString("status")).isEqualTo("completed");
    assertThat(ids(listRuns(client, "by-slug", ""))).containsExactly(started.getString("id"));
  }

  @Test
  @DisplayName("triggering an inactive orchestration answers 409 and starts nothing")
  void inactiveOrchestrationConflicts() {
    String orch = createOrchestration(client, orchestrationBody("inactive",
      compute("work", function("inactive-work"), null)).put("isActive", false));

    assertError(client.post("/orchestrations/" + orch + "/trigger", new JsonObject()), 409, "conflict");

    assertThat(listRuns(client, orch, "").getJsonObject("meta").getLong("total")).isZero();
  }

  @Test
  @DisplayName("a repeated Idempotency-Key returns the same run and starts only one")
  void idempotencyKeyReturnsSameRun() {
    String orch = simpleOrchestration("idempotent");
    JsonObject body = new JsonObject().put("input", new JsonObject().put("x", 1));

    Reply first = triggerWithKey(client, orch, body, "key-123");
    Reply second = triggerWithKey(client, orch, body, "key-123");
    Reply other = triggerWithKey(client, orch, body, "key-456");

    assertThat(first.status()).as(first.body()).isEqualTo(201);
    assertThat(second.status()).as(second.body()).isEqualTo(201);
    String runId = first.json().getString("id");
    assertThat(second.json().getString("id")).isEqualTo(runId);
    assertThat(other.json().getString("id")).isNotEqualTo(runId);
    awaitFinished(client, orch, runId);
    awaitFinished(client, orch, other.json().getString("id"));
    JsonObject page = listRuns(client, orch, "");
    assertThat(page.getJsonObject("meta").getLong("total")).isEqualTo(2);
    assertThat(ids(page)).containsExactlyInAnyOrder(runId, other.json().getString("id"));
    assertThat(functions.calls(fn("idempotent-work"))).hasSize(2);
  }

  @Test
  @DisplayName("a repeated Idempotency-Key still returns its run after the orchestration was deactivated; a new "
    + "key answers 409")
  void idempotencyKeyOutlivesDeactivation() {
    JsonObject definition = orchestrationBody("deactivated", compute("work", function("deactivated-work"), null));
    String orch = createOrchestration(client, definition);
    Reply first = triggerWithKey(client, orch, new JsonObject(), "key-before");
    Reply deactivated = client.put("/orchestrations/" + orch, definition.copy().put("isActive", false));
    assertThat(deactivated.status()).as(deactivated.body()).isEqualTo(200);

    Reply replay = triggerWithKey(client, orch, new JsonObject(), "key-before");
    Reply fresh = triggerWithKey(client, orch, new JsonObject(), "key-after");

    assertThat(replay.status()).as(replay.body()).isEqualTo(201);
    assertThat(replay.json().getString("id")).isEqualTo(first.json().getString("id"));
    assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
    assertError(fresh, 409, "conflict");
    assertThat(listRuns(client, orch, "").getJsonObject("meta").getLong("total")).isEqualTo(1);
  }

  @Test
  @DisplayName("a trigger body holding what cannot be stored as sent (U+0000, a lone surrogate, 1e400) answers 400")
  void unstorableTriggerBodyRejected() {
    String orch = simpleOrchestration("unstorable");
    String body = "{\"input\": {\"nul\": \"a\\u0000b\", \"half\": \"\\ud800x\", \"big\": 1e400},"
      + " \"context\": {\"ok\": [1, -1e400]}}";

    Reply reply = client.send(HttpMethod.POST, "/orchestrations/" + orch + "/trigger", body,
      MultiMap.caseInsensitiveMultiMap());

    assertError(reply, 400, "validation_error");
    assertThat(reply.json().getJsonArray("details").stream().map(d -> ((JsonObject) d).getString("field")))
      .containsExactlyInAnyOrder("input.nul", "input.half", "input.big", "context.ok[1]");
    assertThat(listRuns(client, orch, "").getJsonObject("meta").getLong("total")).isZero();
  }

  @Test
  @DisplayName("triggering an unknown orchestration answers 404")
  void unknownOrchestrationNotFound() {
    assertError(client.post("/orchestrations/orch_01jh5v2k8q3w9x7c4b6n1m0p2r/trigger", new JsonObject()), 404,
      "not_found");
    assertError(client.post("/orchestrations/no-such-slug/trigger", new JsonObject()), 404, "not_found");
  }

  // ---- cancel -------------------------------------------------------------------------------------------------

  @Test
  @DisplayName("cancelling a waiting run answers 200 cancelled, and the run never resumes")
  void cancelWaitingRun() {
    String orch = delayedOrchestration("cancel-me", 1000);
    String runId = trigger(client, orch, new JsonObject());
    awaitRun(client, orch, runId, "waiting", r -> r.getString("status").equals("waiting"));

    Reply cancelled = client.post(runPath(orch, runId) + "/cancel", null);

    assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
    JsonObject body = cancelled.json();
    assertThat(body.getString("id")).isEqualTo(runId);
    assertThat(body.getString("status")).isEqualTo("cancelled");
    assertThat(body.getString("completedAt")).matches(TIMESTAMP);
    assertThat(body.getValue("currentStepId")).isNull();

    // a second run with the same delay, started later, is due later: once it completed, the cancelled one's
    // wake-up time has passed too, and it must not have run
    String witness = trigger(client, orch, new JsonObject());
    awaitStatus(client, orch, witness, "completed");
    JsonObject run = getRun(client, orch, runId);
    assertThat(run.getString("status")).isEqualTo("cancelled");
    assertThat(run.getJsonArray("executedSteps")).containsExactly("wait");
    assertThat(run.getString("completedAt")).isEqualTo(body.getString("completedAt"));
    assertThat(functions.calls(fn("cancel-me-after"))).extracting(c -> c.runId()).containsExactly(witness);
    assertThat(ids(listRuns(client, orch, "status=cancelled"))).containsExactly(runId);
  }

  @Test
  @DisplayName("cancelling a run whose step is in flight stops it: the step's answer is dropped, nothing follows")
  void cancelRunningRun() {
    // the cancelled run's call is answered after 600 ms, the witness run's after 800 ms
    functions.script(fn("slow")).then(Answer.json(new JsonObject().put("late", 1)).delayed(Duration.ofMillis(600)))
      .then(Answer.json(new JsonObject().put("late", 2)).delayed(Duration.ofMillis(800)));
    String slow = createFunction(client, "slow", functions.url(fn("slow"))).getString("id");
    String orch = createOrchestration(client, "cancel-running",
      compute("slow", slow, "next"), compute("next", function("next"), null));
    String runId = trigger(client, orch, new JsonObject());
    functions.awaitCalls(fn("slow"), 1, Duration.ofSeconds(10));

    Reply cancelled = client.post(runPath(orch, runId) + "/cancel", null);

    assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
    assertThat(cancelled.json().getString("status")).isEqualTo("cancelled");
    // the witness's answer comes after the cancelled run's, so once it completed the cancelled run's answer has
    // been handled too
    String witness = trigger(client, orch, new JsonObject());
    awaitStatus(client, orch, witness, "completed");
    JsonObject run = getRun(client, orch, runId);
    assertThat(run.getString("status")).isEqualTo("cancelled");
    assertThat(run.getJsonArray("executedSteps")).isEmpty();
    assertThat(run.getJsonObject("stepOutputs")).isEqualTo(new JsonObject());
    assertThat(run.getValue("currentStepId")).isNull();
    assertThat(functions.calls(fn("next"))).extracting(c -> c.runId()).containsExactly(witness);
  }

  @Test
  @DisplayName("cancelling a finished run answers 409 and changes nothing")
  void cancelFinishedRunConflicts() {
    String orch = simpleOrchestration("finished");
    String runId = trigger(client, orch, new JsonObject());
    JsonObject done = awaitStatus(client, orch, runId, "completed");

    assertError(client.post(runPath(orch, runId) + "/cancel", null), 409, "conflict");

    assertThat(getRun(client, orch, runId)).isEqualTo(done);
  }

  @Test
  @DisplayName("cancelling or reading an unknown run answers 404")
  void cancelUnknownRunNotFound() {
    String orch = simpleOrchestration("unknown-run");

    assertError(client.post(runPath(orch, "run_01jh5v2k8q3w9x7c4b6n1m0p2r") + "/cancel", null), 404, "not_found");
    assertError(client.get(runPath(orch, "run_01jh5v2k8q3w9x7c4b6n1m0p2r")), 404, "not_found");
    assertError(client.get("/orchestrations/orch_01jh5v2k8q3w9x7c4b6n1m0p2r/runs"), 404, "not_found");
    assertError(client.get("/orchestrations/no-such-slug/runs"), 404, "not_found");
  }

  // ---- tenancy ------------------------------------------------------------------------------------------------

  @Test
  @DisplayName("another workspace cannot read, list or cancel a run even with the right ids")
  void runsAreIsolatedByWorkspace() {
    String orch = delayedOrchestration("isolated", 1000);
    String runId = trigger(client, orch, new JsonObject());
    awaitRun(client, orch, runId, "waiting", r -> r.getString("status").equals("waiting"));
    ApiClient other = app.client(TestApp.randomWorkspace());
    // the other workspace even has an orchestration with the same slug
    createOrchestration(other, "isolated", compute("work",
      createFunction(other, "w", functions.url(fn("other"))).getString("id"), null));

    assertError(other.get(runPath(orch, runId)), 404, "not_found");
    assertError(other.get(runPath("isolated", runId)), 404, "not_found");
    assertError(other.get("/orchestrations/" + orch + "/runs"), 404, "not_found");
    assertThat(ids(listRuns(other, "isolated", ""))).isEmpty();
    assertError(other.post(runPath(orch, runId) + "/cancel", null), 404, "not_found");
    assertError(other.post(runPath("isolated", runId) + "/cancel", null), 404, "not_found");
    assertError(other.post("/orchestrations/" + orch + "/trigger", new JsonObject()), 404, "not_found");

    // untouched: the run is still waiting and completes
    assertThat(getRun(client, orch, runId).getString("status")).isIn("waiting", "running", "completed");
    awaitStatus(client, orch, runId, "completed");
  }

  // ---- list ---------------------------------------------------------------------------------------------------

  @Test
  @DisplayName("List Runs: newest first, exact meta.total, status filter and pagination")
  void listRunsOrderFilterAndPages() {
    functions.script(fn("listed-work")).respond(call -> call.json().getJsonObject("input").getBoolean("fail")
      ? Answer.status(500, new JsonObject()) : Answer.json(new JsonObject()));
    String orch = simpleOrchestration("listed");
    List<String> started = new ArrayList<>();
    List<String> failing = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      boolean fail = i == 1 || i == 3;
      JsonObject run = triggerReply(client, orch, new JsonObject().put("input", new JsonObject().put("fail", fail)));
      started.add(run.getString("id"));
      if (fail) {
        failing.add(run.getString("id"));
      }
      clockPast(run.getString("startedAt"));
    }
    started.forEach(id -> awaitFinished(client, orch, id));
    List<String> newestFirst = new ArrayList<>(started);
    Collections.reverse(newestFirst);
    List<String> failedNewestFirst = new ArrayList<>(failing);
    Collections.reverse(failedNewestFirst);

    JsonObject all = listRuns(client, orch, "");
    assertThat(ids(all)).containsExactlyElementsOf(newestFirst);
    assertThat(all.getJsonObject("meta")).isEqualTo(new JsonObject().put("total", 5).put("page", 1)
      .put("pageSize", 20));

    JsonObject failed = listRuns(client, orch, "status=failed");
    assertThat(ids(failed)).containsExactlyElementsOf(failedNewestFirst);
    assertThat(failed.getJsonObject("meta").getLong("total")).isEqualTo(2);
    failed.getJsonArray("data").forEach(item -> assertThat(((JsonObject) item).getBoolean("hasErrors")).isTrue());
    JsonObject completed = listRuns(client, orch, "status=completed");
    assertThat(completed.getJsonObject("meta").getLong("total")).isEqualTo(3);
    assertThat(ids(completed)).doesNotContainAnyElementsOf(failing);
    assertThat(listRuns(client, orch, "status=waiting").getJsonObject("meta").getLong("total")).isZero();

    List<String> paged = new ArrayList<>();
    for (int page = 1; page <= 3; page++) {
      JsonObject body = listRuns(client, orch, "page=" + page + "&pageSize=2");
      assertThat(body.getJsonObject("meta")).isEqualTo(new JsonObject().put("total", 5).put("page", page)
        .put("pageSize", 2));
      assertThat(body.getJsonArray("data")).hasSize(page < 3 ? 2 : 1);
      paged.addAll(ids(body));
    }
    assertThat(paged).containsExactlyElementsOf(newestFirst);
    assertThat(ids(listRuns(client, orch, "page=4&pageSize=2"))).isEmpty();
    JsonObject secondFailed = listRuns(client, orch, "status=failed&page=2&pageSize=1");
    assertThat(ids(secondFailed)).containsExactly(failedNewestFirst.get(1));
    assertThat(secondFailed.getJsonObject("meta").getLong("total")).isEqualTo(2);

    JsonObject item = all.getJsonArray("data").getJsonObject(0);
    assertThat(item.fieldNames()).contains("id", "orchestrationId", "status", "triggerType", "triggerMetadata",
      "currentStepId", "startedAt", "completedAt", "hasErrors", "delayStepCount", "correlationId");
    assertThat(item.getString("startedAt")).matches(TIMESTAMP);
    assertThat(item.getString("completedAt")).matches(TIMESTAMP);
  }
}
