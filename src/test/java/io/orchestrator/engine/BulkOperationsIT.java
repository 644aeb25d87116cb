package io.orchestrator.engine;

import static io.orchestrator.engine.RunTestSupport.awaitRun;
import static io.orchestrator.engine.RunTestSupport.awaitStatus;
import static io.orchestrator.engine.RunTestSupport.compute;
import static io.orchestrator.engine.RunTestSupport.condition;
import static io.orchestrator.engine.RunTestSupport.createOrchestration;
import static io.orchestrator.engine.RunTestSupport.decision;
import static io.orchestrator.engine.RunTestSupport.delay;
import static io.orchestrator.engine.RunTestSupport.getRun;
import static io.orchestrator.engine.RunTestSupport.ids;
import static io.orchestrator.engine.RunTestSupport.listRuns;
import static io.orchestrator.engine.RunTestSupport.pause;
import static io.orchestrator.engine.RunTestSupport.trigger;
import static io.orchestrator.engine.RunTestSupport.triggerReply;
import static io.orchestrator.engine.RunTestSupport.when;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.fixtures.ApiClient;
import io.orchestrator.fixtures.ApiClient.Reply;
import io.orchestrator.fixtures.FunctionServer.Answer;
import io.orchestrator.fixtures.SharedApp;
import io.orchestrator.fixtures.TestApp;
import io.orchestrator.fixtures.TestStores;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Bulk actions (DESIGN.md §9): cancel, redrive (runs in Redis and in the history) and replay the runs a filter
 * matches; the matched set is frozen at the request; Idempotency-Key; listing; 404s and bad input. Shares the
 * 1 s-retention app of RedriveIT, so finished runs move to the history quickly.
 */
@SharedApp.Config("ORCH_RUN_RETENTION=1s")
class BulkOperationsIT extends EngineIntegrationBase {

  private static final Duration BULK_TIMEOUT = Duration.ofSeconds(30);
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

  /** input.wait true: waits 60 s on a delay; else completes at once through the "fast" function. */
  private String waitingOrFast() {
    functions.script(fn("fast")).always(Answer.json(new JsonObject().put("fast", true)));
    return createOrchestration(client, "wait-or-not",
      decision("decide", "fast", when("wait", condition("input.wait", "eq", true))),
      delay("wait", 60_000, null), compute("fast", function("fast"), null));
  }

  private String waitingRun(String orch) {
    String runId = trigger(client, orch, new JsonObject().put("wait", true));
    awaitRun(client, orch, runId, "waiting", r -> "waiting".equals(r.getString("status")));
    return runId;
  }

  @Test
  @DisplayName("cancel: waiting runs are cancelled, a completed run the filter covers is skipped; the operation "
    + "reports matched, succeeded, skipped and completes")
  void cancelsWaitingRuns() {
    String orch = waitingOrFast();
    Instant before = Instant.now().minusMillis(1);
    List<String> waiting = List.of(waitingRun(orch), waitingRun(orch), waitingRun(orch));
    String fast = trigger(client, orch, new JsonObject());
    awaitStatus(client, orch, fast, "completed");

    Reply accepted = bulk(orch, "cancel", new JsonObject().put("startedAfter", before.toString()));

    assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    JsonObject body = accepted.json();
    assertThat(body.getString("id")).matches("bulk_[0-9a-z]{26}");
    assertThat(body.fieldNames()).containsExactlyInAnyOrder("id", "action", "status", "matched");
    assertThat(body.getString("action")).isEqualTo("cancel");
    assertThat(body.getString("status")).isEqualTo("running");
    assertThat(body.getInteger("matched")).isEqualTo(4);
    assertThat(accepted.header("Location")).endsWith("/workspaces/" + workspace + "/bulk-operations/"
      + body.getString("id"));
    JsonObject done = awaitCompleted(body.getString("id"));
    assertThat(done.getString("orchestrationId")).isEqualTo(orch);
    assertThat(done.getInteger("matched")).isEqualTo(4);
    assertThat(done.getInteger("succeeded")).isEqualTo(3);
    assertThat(done.getInteger("skipped")).isEqualTo(1);
    assertThat(done.getInteger("failed")).isZero();
    assertThat(done.getString("createdBy")).isEqualTo("user-" + workspace);
    assertThat(done.getJsonObject("filter")).isEqualTo(new JsonObject().put("startedAfter",
      RunTestSupport.TIMESTAMP.matcher(done.getJsonObject("filter").getString("startedAfter")).matches()
        ? done.getJsonObject("filter").getString("startedAfter") : "not a timestamp"));
    assertThat(Instant.parse(done.getString("completedAt"))).isAfterOrEqualTo(Instant.parse(done.getString(
      "createdAt")));
    for (String runId : waiting) {
      assertThat(getRun(client, orch, runId).getString("status")).isEqualTo("cancelled");
    }
    assertThat(getRun(client, orch, fast).getString("status")).isEqualTo("completed");
  }

  @Test
  @DisplayName("runs that start after the request are not matched, even when the filter covers them")
  void runsStartedLaterAreNotMatched() {
    String orch = waitingOrFast();
    waitingRun(orch);
    waitingRun(orch);

    Reply accepted = bulk(orch, "cancel", new JsonObject().put("status", "waiting"));
    String later = trigger(client, orch, new JsonObject().put("wait", true));

    assertThat(accepted.json().getInteger("matched")).isEqualTo(2);
    JsonObject done = awaitCompleted(accepted.json().getString("id"));
    assertThat(done.getInteger("succeeded")).isEqualTo(2);
    awaitRun(client, orch, later, "waiting", r -> "waiting".equals(r.getString("status")));
    assertThat(listRuns(client, orch, "status=cancelled").getJsonObject("meta").getLong("total")).isEqualTo(2);
  }

  @Test
  @DisplayName("redrive: failed runs, also ones already moved to the PostgreSQL history, continue and complete; "
    + "each is redriven once, by the caller")
  void redrivesFailedRunsIncludingHistory() {
    functions.script(fn("a")).always(Answer.json(new JsonObject().put("a", 1)));
    functions.script(fn("b")).then(Answer.status(500, new JsonObject())).then(Answer.status(500, new JsonObject()))
      .then(Answer.status(500, new JsonObject())).always(Answer.json(new JsonObject().put("b", 2)));
    String orch = createOrchestration(client, "fails-once", compute("a", function("a"), "b"),
      compute("b", function("b"), null));
    List<String> failed = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String runId = trigger(client, orch, new JsonObject().put("i", i));
      awaitStatus(client, orch, runId, "failed");
      failed.add(runId);
    }
    awaitGone(failed.get(0));
    awaitGone(failed.get(1));
    String completed = trigger(client, orch, new JsonObject());
    awaitStatus(client, orch, completed, "completed");

    Reply accepted = bulk(orch, "redrive", new JsonObject().put("status", "failed"));

    assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    assertThat(accepted.json().getInteger("matched")).isEqualTo(3);
    JsonObject done = awaitCompleted(accepted.json().getString("id"));
    assertThat(done.getInteger("succeeded")).as(done.encode()).isEqualTo(3);
    for (String runId : failed) {
      JsonObject run = awaitStatus(client, orch, runId, "completed");
      assertThat(run.getInteger("redriveCount")).isEqualTo(1);
      assertThat(run.getJsonArray("redrives").getJsonObject(0).getString("by")).isEqualTo("user-" + workspace);
      assertThat(run.getJsonArray("executedSteps")).containsExactly("a", "b", "b");
    }
    assertThat(getRun(client, orch, completed).getInteger("redriveCount")).isZero();
    assertThat(functions.calls(fn("a"))).hasSize(4);
  }

  @Test
  @DisplayName("replay with runIds: unknown ids and another orchestration's runs are not matched; an "
    + "Idempotency-Key returns the same operation and replays nothing twice")
  void replaysNamedRunsOnce() {
    String orch = waitingOrFast();
    String first = trigger(client, orch, new JsonObject().put("n", 1));
    String second = trigger(client, orch, new JsonObject().put("n", 2));
    awaitStatus(client, orch, first, "completed");
    awaitStatus(client, orch, second, "completed");
    functions.script(fn("other")).always(Answer.json(new JsonObject()));
    String otherOrch = createOrchestration(client, "other", compute("x", function("other"), null));
    String foreign = trigger(client, otherOrch, new JsonObject());
    JsonObject filter = new JsonObject().put("runIds", new JsonArray().add(first).add(second).add(foreign)
      .add("run_00000000000000000000000000"));

    Reply accepted = bulkWithKey(orch, "replay", filter, "replay-them");
    Reply again = bulkWithKey(orch, "replay", filter, "replay-them");

    assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    assertThat(accepted.json().getInteger("matched")).isEqualTo(2);
    assertThat(again.status()).isEqualTo(202);
    assertThat(again.json().getString("id")).isEqualTo(accepted.json().getString("id"));
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    JsonObject done = awaitCompleted(accepted.json().getString("id"));
    assertThat(done.getInteger("succeeded")).isEqualTo(2);
    assertThat(done.getJsonObject("filter").getJsonArray("runIds")).hasSize(4);
    JsonObject replays = listRuns(client, orch, "pageSize=100");
    List<String> replayOf = new ArrayList<>();
    replays.getJsonArray("data").forEach(r -> {
      JsonObject run = (JsonObject) r;
      if ("replay".equals(run.getString("triggerType"))) {
        replayOf.add(run.getString("replayOf"));
      }
    });
    assertThat(replayOf).containsExactlyInAnyOrder(first, second);
    assertThat(listRuns(client, otherOrch, "").getJsonObject("meta").getLong("total")).isEqualTo(1);
  }

  @Test
  @DisplayName("a correlationId filter matches only that correlation's runs of the orchestration")
  void correlationFilter() {
    String orch = waitingOrFast();
    String mine = triggerReply(client, orch, new JsonObject().put("input", new JsonObject().put("wait", true))
      .put("correlationId", "order-1")).getString("id");
    String other = waitingRun(orch);
    awaitRun(client, orch, mine, "waiting", r -> "waiting".equals(r.getString("status")));

    Reply accepted = bulk(orch, "cancel", new JsonObject().put("correlationId", "order-1"));

    assertThat(accepted.json().getInteger("matched")).isEqualTo(1);
    awaitCompleted(accepted.json().getString("id"));
    assertThat(getRun(client, orch, mine).getString("status")).isEqualTo("cancelled");
    assertThat(getRun(client, orch, other).getString("status")).isEqualTo("waiting");
  }

  @Test
  @DisplayName("the workspace's operations list newest first, paged, with an exact total")
  void listsNewestFirst() {
    String orch = waitingOrFast();
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      created.add(0, bulk(orch, "cancel", new JsonObject().put("status", "waiting")).json().getString("id"));
    }

    JsonObject first = list("page=1&pageSize=2");
    JsonObject second = list("page=2&pageSize=2");

    assertThat(ids(first)).containsExactly(created.get(0), created.get(1));
    assertThat(ids(second)).containsExactly(created.get(2));
    assertThat(first.getJsonObject("meta")).isEqualTo(new JsonObject().put("total", 3).put("page", 1)
      .put("pageSize", 2));
    JsonObject item = first.getJsonArray("data").getJsonObject(0);
    assertThat(item.fieldNames()).contains("id", "orchestrationId", "action", "filter", "status", "matched",
      "succeeded", "skipped", "failed", "createdAt", "createdBy", "completedAt");
    assertThat(app.client(TestApp.randomWorkspace()).get("/bulk-operations").json().getJsonObject("meta")
      .getLong("total")).isZero();
    assertThat(list("pageSize=101").toString()).contains("validation_error");
  }

  @Test
  @DisplayName("unknown bulk ids, another workspace's bulk ids and unknown orchestrations are 404")
  void notFound() {
    String orch = waitingOrFast();
    String id = bulk(orch, "cancel", new JsonObject().put("status", "waiting")).json().getString("id");
    ApiClient stranger = app.client(TestApp.randomWorkspace());

    assertThat(client.get("/bulk-operations/" + id).status()).isEqualTo(200);
    assertNotFound(client.get("/bulk-operations/bulk_00000000000000000000000000"));
    assertNotFound(stranger.get("/bulk-operations/" + id));
    assertNotFound(client.post("/orchestrations/no-such-orchestration/runs/bulk", new JsonObject()
      .put("action", "cancel").put("filter", new JsonObject().put("status", "waiting"))));
    assertNotFound(stranger.post("/orchestrations/" + orch + "/runs/bulk", new JsonObject()
      .put("action", "cancel").put("filter", new JsonObject().put("status", "waiting"))));
  }

  @Test
  @DisplayName("bad input is 400 naming the field: no filter field, an empty runIds alone, over 1,000 run ids, "
    + "unknown action or status, malformed timestamps, startedAfter later than startedBefore")
  void badInput() {
    String orch = waitingOrFast();
    JsonArray tooMany = new JsonArray();
    IntStream.range(0, 1001).forEach(i -> tooMany.add("run_" + i));

    assertInvalid(bulk(orch, "cancel", new JsonObject()), "filter");
    assertInvalid(bulk(orch, "cancel", new JsonObject().put("runIds", new JsonArray())), "filter");
    assertInvalid(bulk(orch, "cancel", new JsonObject().put("runIds", tooMany)), "filter.runIds");
    assertInvalid(bulk(orch, "delete", new JsonObject().put("status", "failed")), "action");
    assertInvalid(bulk(orch, "cancel", new JsonObject().put("status", "stuck")), "filter.status");
    assertInvalid(bulk(orch, "cancel", new JsonObject().put("startedAfter", "yesterday")), "filter.startedAfter");
    assertInvalid(bulk(orch, "cancel", new JsonObject().put("startedBefore", "2026-03-01T10:00:00")),
      "filter.startedBefore");
    assertInvalid(bulk(orch, "cancel", new JsonObject().put("startedAfter", "2026-03-02T00:00:00Z")
      .put("startedBefore", "2026-03-01T00:00:00Z")), "filter.startedAfter");
    assertInvalid(client.post("/orchestrations/" + orch + "/runs/bulk", new JsonObject().put("action", "cancel")),
      "filter");
    assertThat(list("").getJsonObject("meta").getLong("total")).isZero();
  }

  // ---- helpers ------------------------------------------------------------------------------------------------

  private Reply bulk(String orch, String action, JsonObject filter) {
    return client.post("/orchestrations/" + orch + "/runs/bulk", new JsonObject().put("action", action)
      .put("filter", filter));
  }

  private Reply bulkWithKey(String orch, String action, JsonObject filter, String key) {
    return client.send(HttpMethod.POST, "/orchestrations/" + orch + "/runs/bulk", new JsonObject()
      .put("action", action).put("filter", filter), MultiMap.caseInsensitiveMultiMap().add("Idempotency-Key", key));
  }

  private JsonObject list(String query) {
    return client.get("/bulk-operations" + (query.isEmpty() ? "" : "?" + query)).json();
  }

  private JsonObject awaitCompleted(String bulkId) {
    long deadline = System.nanoTime() + BULK_TIMEOUT.toNanos();
    JsonObject op;
    do {
      Reply reply = client.get("/bulk-operations/" + bulkId);
      assertThat(reply.status()).as(reply.body()).isEqualTo(200);
      op = reply.json();
      if ("completed".equals(op.getString("status"))) {
        assertThat(op.getInteger("succeeded") + op.getInteger("skipped") + op.getInteger("failed"))
          .as(op.encode()).isEqualTo(op.getInteger("matched"));
        return op;
      }
      assertThat(op.getValue("completedAt")).isNull();
      pause();
    } while (System.nanoTime() < deadline);
    throw new AssertionError("bulk operation not completed within " + BULK_TIMEOUT + ": " + op.encode());
  }

  private static void assertNotFound(Reply reply) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(404);
    assertThat(reply.json().getString("error")).isEqualTo("not_found");
  }

  private static void assertInvalid(Reply reply, String field) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(400);
    assertThat(reply.json().getString("error")).isEqualTo("validation_error");
    List<String> fields = new ArrayList<>();
    reply.json().getJsonArray("details").forEach(d -> fields.add(((JsonObject) d).getString("field")));
    assertThat(fields).as(reply.body()).contains(field);
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
