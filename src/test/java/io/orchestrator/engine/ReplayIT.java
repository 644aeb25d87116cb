package io.orchestrator.engine;

import static io.orchestrator.engine.RunTestSupport.awaitStatus;
import static io.orchestrator.engine.RunTestSupport.compute;
import static io.orchestrator.engine.RunTestSupport.createOrchestration;
import static io.orchestrator.engine.RunTestSupport.getRun;
import static io.orchestrator.engine.RunTestSupport.listRuns;
import static io.orchestrator.engine.RunTestSupport.orchestrationBody;
import static io.orchestrator.engine.RunTestSupport.runPath;
import static io.orchestrator.engine.RunTestSupport.triggerReply;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.fixtures.ApiClient;
import io.orchestrator.fixtures.ApiClient.Reply;
import io.orchestrator.fixtures.FunctionServer.Answer;
import io.orchestrator.fixtures.TestApp;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Replay (DESIGN.md §9): any run into a new one, triggerType replay, with the manual trigger's rules. */
class ReplayIT extends EngineIntegrationBase {

  private String echo() {
    functions.script(fn("echo")).respond(call -> Answer.json(new JsonObject().put("got", call.json()
      .getJsonObject("input"))));
    return createOrchestration(client, "replayed", compute("echo", function("echo"), null));
  }

  @Test
  @DisplayName("a replay defaults to the source's input, context and correlation id, and says what it replays")
  void replayDefaultsToSource() {
    String orch = echo();
    JsonObject source = triggerReply(client, orch, new JsonObject().put("input", new JsonObject().put("n", 1))
      .put("context", new JsonObject().put("tenant", "t1")).put("correlationId", "order-1"));
    JsonObject finished = awaitStatus(client, orch, source.getString("id"), "completed");

    Reply reply = replay(client, orch, source.getString("id"), null, null);

    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    JsonObject started = reply.json();
    assertThat(started.getString("id")).isNotEqualTo(source.getString("id"));
    assertThat(started.getString("triggerType")).isEqualTo("replay");
    assertThat(started.getString("status")).isEqualTo("pending");
    assertThat(started.getString("correlationId")).isEqualTo("order-1");
    JsonObject run = awaitStatus(client, orch, started.getString("id"), "completed");
    assertThat(run.getString("replayOf")).isEqualTo(source.getString("id"));
    assertThat(run.getJsonObject("input")).isEqualTo(new JsonObject().put("n", 1));
    assertThat(run.getJsonObject("context")).isEqualTo(finished.getJsonObject("context"));
    assertThat(run.getJsonObject("triggerMetadata").getString("replayOf")).isEqualTo(source.getString("id"));
    assertThat(run.getInteger("redriveCount")).isZero();
    assertThat(listRuns(client, orch, "").getJsonArray("data").getJsonObject(0).getString("replayOf"))
      .isEqualTo(source.getString("id"));
    assertThat(getRun(client, orch, source.getString("id")).containsKey("replayOf")).isFalse();
  }

  @Test
  @DisplayName("a replay may bring new input and context and run an older version")
  void replayWithNewInputAndOlderVersion() {
    String orch = echo();
    functions.script(fn("v2")).always(Answer.json(new JsonObject().put("v", 2)));
    String source = triggerReply(client, orch, new JsonObject()).getString("id");
    awaitStatus(client, orch, source, "completed");
    JsonObject update = orchestrationBody("replayed", compute("v2", function("v2"), null));
    update.remove("slug");
    assertThat(client.put("/orchestrations/" + orch, update).status()).isEqualTo(200);

    Reply reply = replay(client, orch, source, new JsonObject().put("input", new JsonObject().put("n", 9))
      .put("context", new JsonObject().put("fresh", true)).put("version", 1), null);

    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    assertThat(reply.json().getInteger("orchestrationVersion")).isEqualTo(1);
    JsonObject run = awaitStatus(client, orch, reply.json().getString("id"), "completed");
    assertThat(run.getJsonArray("executedSteps")).containsExactly("echo");
    assertThat(run.getJsonObject("stepOutputs").getJsonObject("echo"))
      .isEqualTo(new JsonObject().put("got", new JsonObject().put("n", 9)));
    assertThat(run.getJsonObject("context").getBoolean("fresh")).isTrue();

    Reply current = replay(client, orch, source, null, null);
    assertThat(current.json().getInteger("orchestrationVersion")).isEqualTo(2);
    JsonObject onCurrent = awaitStatus(client, orch, current.json().getString("id"), "completed");
    assertThat(onCurrent.getJsonArray("executedSteps")).containsExactly("v2");
  }

  @Test
  @DisplayName("Idempotency-Key is scoped to the source run; an inactive orchestration answers 409 to a new replay")
  void idempotencyAndInactive() {
    String orch = echo();
    String first = triggerReply(client, orch, new JsonObject()).getString("id");
    String second = triggerReply(client, orch, new JsonObject()).getString("id");

    Reply a = replay(client, orch, first, null, "key-1");
    Reply again = replay(client, orch, first, null, "key-1");
    Reply otherSource = replay(client, orch, second, null, "key-1");

    assertThat(a.status()).isEqualTo(201);
    assertThat(again.status()).isEqualTo(201);
    assertThat(again.json().getString("id")).isEqualTo(a.json().getString("id"));
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(otherSource.json().getString("id")).isNotEqualTo(a.json().getString("id"));

    JsonObject update = orchestrationBody("replayed", compute("echo", function("echo"), null)).put("isActive", false);
    update.remove("slug");
    assertThat(client.put("/orchestrations/" + orch, update).status()).isEqualTo(200);
    Reply inactive = replay(client, orch, first, null, null);
    assertThat(inactive.status()).as(inactive.body()).isEqualTo(409);
    assertThat(inactive.json().getString("error")).isEqualTo("conflict");
    Reply remembered = replay(client, orch, first, null, "key-1");
    assertThat(remembered.status()).isEqualTo(201);
    assertThat(remembered.json().getString("id")).isEqualTo(a.json().getString("id"));
  }

  @Test
  @DisplayName("bad replays: unknown version 404, version 0 / wrong types / malformed JSON 400, unknown or "
    + "foreign runs 404")
  void badReplays() {
    String orch = echo();
    String source = triggerReply(client, orch, new JsonObject()).getString("id");

    assertThat(replay(client, orch, source, new JsonObject().put("version", 99), null).status()).isEqualTo(404);
    assertBadRequest(replay(client, orch, source, new JsonObject().put("version", 0), null), "version");
    assertBadRequest(replay(client, orch, source, new JsonObject().put("version", "1"), null), "version");
    assertBadRequest(replay(client, orch, source, new JsonObject().put("input", "text"), null), "input");
    assertBadRequest(replay(client, orch, source, new JsonObject().put("context", 5), null), "context");
    Reply malformed = client.send(HttpMethod.POST, runPath(orch, source) + "/replay", "{\"input\":",
      MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json"));
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(replay(client, orch, "run_00000000000000000000000000", null, null).status()).isEqualTo(404);
    ApiClient stranger = app.client(TestApp.randomWorkspace());
    assertThat(replay(stranger, orch, source, null, null).status()).isEqualTo(404);
    assertThat(listRuns(client, orch, "").getJsonObject("meta").getLong("total")).isEqualTo(1);
  }

  private static Reply replay(ApiClient client, String orch, String runId, JsonObject body, String key) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (key != null) {
      headers.add("Idempotency-Key", key);
    }
    return client.send(HttpMethod.POST, runPath(orch, runId) + "/replay", body, headers);
  }

  private static void assertBadRequest(Reply reply, String field) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(400);
    assertThat(reply.body()).contains(field);
  }
}
