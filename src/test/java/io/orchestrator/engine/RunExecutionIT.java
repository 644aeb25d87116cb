package io.orchestrator.engine;

import static io.orchestrator.engine.RunTestSupport.TIMESTAMP;
import static io.orchestrator.engine.RunTestSupport.assertError;
import static io.orchestrator.engine.RunTestSupport.awaitRun;
import static io.orchestrator.engine.RunTestSupport.awaitStatus;
import static io.orchestrator.engine.RunTestSupport.compute;
import static io.orchestrator.engine.RunTestSupport.condition;
import static io.orchestrator.engine.RunTestSupport.createFunction;
import static io.orchestrator.engine.RunTestSupport.createOrchestration;
import static io.orchestrator.engine.RunTestSupport.decision;
import static io.orchestrator.engine.RunTestSupport.delay;
import static io.orchestrator.engine.RunTestSupport.listRuns;
import static io.orchestrator.engine.RunTestSupport.orchestrationBody;
import static io.orchestrator.engine.RunTestSupport.trigger;
import static io.orchestrator.engine.RunTestSupport.triggerReply;
import static io.orchestrator.engine.RunTestSupport.when;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.common.crypto.StripeSigner;
import io.orchestrator.fixtures.ApiClient.Reply;
import io.orchestrator.fixtures.FunctionServer.Call;
import io.orchestrator.fixtures.FunctionServer.Answer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The engine end to end against a real HTTP function server: every step type, what a function receives, the
 * {@code $context} rule, decisions and version pinning. Every outcome is read back through Get Run / List Runs.
 */
class RunExecutionIT extends EngineIntegrationBase {

  private static final Pattern SIGNATURE = Pattern.compile("t=(\\d+),v1=([0-9a-f]{64})");


  @Test
  @DisplayName("a run goes through compute, decision, delay and compute: waiting on the delay, then completed")
  void fullRunThroughEveryStepType() {
    functions.script(fn("fetch")).always(Answer.json(new JsonObject().put("ok", true).put("items",
      new JsonArray().add(1).add(2))));
    functions.script(fn("finish")).always(Answer.json(new JsonObject().put("done", true)));
    String fetch = function("fetch");
    String finish = function("finish");
    String orch = createOrchestration(client, "full-run",
      compute("fetch", fetch, "route"),
      decision("route", "finish", when("pause", condition("steps.fetch.output.ok", "eq", true))),
      delay("pause", 700, "finish"),
      compute("finish", finish, null));

    String runId = trigger(client, orch, new JsonObject().put("orderId", "o-1"));

    JsonObject waiting = awaitRun(client, orch, runId, "waiting", r -> r.getString("status").equals("waiting"));
    assertThat(waiting.getString("currentStepId")).isEqualTo("pause");
    assertThat(waiting.getInteger("delayStepCount")).isEqualTo(1);
    assertThat(waiting.getJsonArray("executedSteps")).containsExactly("fetch", "route", "pause");
    assertThat(waiting.getValue("completedAt")).isNull();
    assertThat(functions.calls(fn("finish"))).isEmpty();
    JsonObject waitingItem = listRuns(client, orch, "status=waiting").getJsonArray("data").getJsonObject(0);
    assertThat(waitingItem.getString("id")).isEqualTo(runId);
    assertThat(waitingItem.getString("currentStepId")).isEqualTo("pause");

    JsonObject run = awaitStatus(client, orch, runId, "completed");
    assertThat(run.getString("id")).isEqualTo(runId);
    assertThat(run.getString("orchestrationId")).isEqualTo(orch);
    assertThat(run.getInteger("orchestrationVersion")).isEqualTo(1);
    assertThat(run.getString("triggerType")).isEqualTo("manual");
    assertThat(run.getJsonObject("input")).isEqualTo(new JsonObject().put("orderId", "o-1"));
    assertThat(run.getJsonArray("executedSteps")).containsExactly("fetch", "route", "pause", "finish");
    assertThat(run.getJsonObject("stepOutputs")).isEqualTo(new JsonObject()
      .put("fetch", new JsonObject().put("ok", true).put("items", new JsonArray().add(1).add(2)))
      .put("finish", new JsonObject().put("done", true)));
    assertThat(run.containsKey("currentStepId")).isTrue();
    assertThat(run.getValue("currentStepId")).isNull();
    assertThat(run.getBoolean("hasErrors")).isFalse();
    assertThat(run.getJsonArray("errors")).isEmpty();
    assertThat(run.getInteger("delayStepCount")).isEqualTo(1);
    assertThat(run.getString("correlationId")).isNotBlank();
    assertThat(run.getString("startedAt")).matches(TIMESTAMP);
    assertThat(run.getString("completedAt")).matches(TIMESTAMP);
    Instant startedAt = Instant.parse(run.getString("startedAt"));
    Instant completedAt = Instant.parse(run.getString("completedAt"));
    assertThat(completedAt).isAfterOrEqualTo(startedAt);
    assertThat(Duration.between(startedAt, completedAt)).isGreaterThanOrEqualTo(Duration.ofMillis(700));
    // the delay was honoured between the two function calls
    Instant fetched = functions.calls(fn("fetch")).get(0).receivedAt();
    Instant finished = functions.calls(fn("finish")).get(0).receivedAt();
    assertThat(Duration.between(fetched, finished)).isGreaterThanOrEqualTo(Duration.ofMillis(700))
      .as("the delay fires when due, not a poll interval later").isLessThan(Duration.ofMillis(1300));
    assertThat(functions.calls(fn("fetch"))).hasSize(1);
    assertThat(functions.calls(fn("finish"))).hasSize(1);

    JsonObject page = listRuns(client, orch, "");
    assertThat(page.getJsonObject("meta").getLong("total")).isEqualTo(1);
    JsonObject item = page.getJsonArray("data").getJsonObject(0);
    assertThat(item.getString("id")).isEqualTo(runId);
    assertThat(item.getString("status")).isEqualTo("completed");
    assertThat(item.getInteger("delayStepCount")).isEqualTo(1);
    assertThat(item.getValue("currentStepId")).isNull();
    assertThat(item.getString("startedAt")).isEqualTo(run.getString("startedAt"));
    assertThat(item.getString("completedAt")).isEqualTo(run.getString("completedAt"));
    assertThat(item.getBoolean("hasErrors")).isFalse();
  }

  @Test
  @DisplayName("a function gets the documented JSON, its own headers, an Idempotency-Key and a verifiable signature")
  void functionReceivesPayloadHeadersAndSignature() {
    functions.script(fn("first")).always(Answer.json(new JsonObject().put("value", 41)
      .put("tags", new JsonArray().add("a"))));
    String first = function("first");
    JsonObject second = createFunction(client, new JsonObject().put("name", "second").put("runtime", "http")
      .put("url", functions.url(fn("second")))
      .put("headers", new JsonObject().put("X-Api-Key", "secret-key-1").put("X-Tenant", "tenant-7")));
    String secret = second.getString("signingSecret");
    assertThat(secret).startsWith("whsec_");
    String orch = createOrchestration(client, "payload",
      compute("first", first, "second"), compute("second", second.getString("id"), null));
    JsonObject input = new JsonObject().put("orderId", "o-9").put("amount", 12.5)
      .put("lines", new JsonArray().add(new JsonObject().put("sku", "x")));
    JsonObject context = new JsonObject().put("region", "eu");

    String runId = triggerReply(client, orch, new JsonObject().put("input", input).put("context", context))
      .getString("id");
    awaitStatus(client, orch, runId, "completed");

    Call firstCall = functions.calls(fn("first")).get(0);
    List<Call> secondCalls = functions.calls(fn("second"));
    assertThat(secondCalls).hasSize(1);
    Call call = secondCalls.get(0);
    assertThat(call.method()).isEqualTo("POST");
    assertThat(call.header("Content-Type")).startsWith("application/json");
    JsonObject body = call.json();
    assertThat(body.fieldNames()).containsExactlyInAnyOrder("runId", "orchestrationId", "orchestrationVersion",
      "workspaceSlug", "stepId", "attempt", "input", "context", "steps");
    assertThat(body.getString("runId")).isEqualTo(runId);
    assertThat(body.getString("orchestrationId")).isEqualTo(orch);
    assertThat(body.getInteger("orchestrationVersion")).isEqualTo(1);
    assertThat(body.getString("workspaceSlug")).isEqualTo(workspace);
    assertThat(body.getString("stepId")).isEqualTo("second");
    assertThat(body.getInteger("attempt")).isEqualTo(1);
    assertThat(body.getJsonObject("input")).isEqualTo(input);
    assertThat(body.getJsonObject("context")).isEqualTo(context);
    assertThat(body.getJsonObject("steps")).isEqualTo(new JsonObject().put("first", new JsonObject()
      .put("output", new JsonObject().put("value", 41).put("tags", new JsonArray().add("a")))));
    // the first step saw no earlier outputs
    assertThat(firstCall.json().getJsonObject("steps")).isEqualTo(new JsonObject());
    assertThat(firstCall.json().getString("stepId")).isEqualTo("first");

    assertThat(call.header("X-Api-Key")).isEqualTo("secret-key-1");
    assertThat(call.header("X-Tenant")).isEqualTo("tenant-7");
    assertThat(firstCall.header("X-Api-Key")).isNull();
    assertThat(call.idempotencyKey()).matches(Pattern.quote(runId) + ":second:\\d+");
    assertThat(firstCall.idempotencyKey()).matches(Pattern.quote(runId) + ":first:\\d+");

    String signature = call.header("X-Orchestration-Signature");
    assertThat(signature).as("signature header").isNotNull();
    Matcher parts = SIGNATURE.matcher(signature);
    assertThat(parts.matches()).as(signature).isTrue();
    long t = Long.parseLong(parts.group(1));
    assertThat(Math.abs(Instant.now().getEpochSecond() - t)).isLessThan(300);
    assertThat(parts.group(2)).isEqualTo(StripeSigner.signature(secret, t, call.rawBody()));
    // signed over the exact bytes sent: a changed body or another secret does not verify
    assertThat(parts.group(2)).isNotEqualTo(StripeSigner.signature(secret, t, (call.body() + " ").getBytes()));
    assertThat(parts.group(2)).isNotEqualTo(StripeSigner.signature(secret + "x", t, call.rawBody()));
  }

  @Test
  @DisplayName("$context from a function is merged into the context, left out of stepOutputs and seen by a decision")
  void contextIsMergedAndSeenByDecision() {
    functions.script(fn("enrich")).always(Answer.json(new JsonObject().put("score", 7)
      .put("$context", new JsonObject().put("x", "go").put("level", 2))));
    String enrich = function("enrich");
    String yes = function("yes");
    String no = function("no");
    String orch = createOrchestration(client, "context-merge",
      compute("enrich", enrich, "route"),
      decision("route", "no", when("yes", condition("context.x", "eq", "go"))),
      compute("yes", yes, null),
      compute("no", no, null));

    String runId = triggerReply(client, orch, new JsonObject().put("input", new JsonObject())
      .put("context", new JsonObject().put("level", 1).put("keep", true))).getString("id");
    JsonObject run = awaitStatus(client, orch, runId, "completed");

    JsonObject merged = new JsonObject().put("level", 2).put("keep", true).put("x", "go");
    assertThat(run.getJsonObject("context")).isEqualTo(merged);
    assertThat(run.getJsonArray("executedSteps")).containsExactly("enrich", "route", "yes");
    assertThat(run.getJsonObject("stepOutputs").getJsonObject("enrich"))
      .isEqualTo(new JsonObject().put("score", 7));
    assertThat(run.encode()).doesNotContain("$context");
    Call yesCall = functions.calls(fn("yes")).get(0);
    assertThat(yesCall.json().getJsonObject("context")).isEqualTo(merged);
    assertThat(yesCall.json().getJsonObject("steps").getJsonObject("enrich").getJsonObject("output"))
      .isEqualTo(new JsonObject().put("score", 7));
    assertThat(functions.calls(fn("no"))).isEmpty();
  }

  @ParameterizedTest(name = "$context = {0}")
  @ValueSource(strings = {"5", "\"text\"", "[1]", "null", "true"})
  @DisplayName("a $context that is not an object is an ordinary output field; the run context is unchanged")
  void nonObjectContextStaysInTheOutput(String value) {
    JsonObject output = new JsonObject("{\"a\": 1, \"$context\": " + value + "}");
    functions.script(fn("enrich")).always(Answer.json(output));
    String orch = createOrchestration(client, "context-literal", compute("enrich", function("enrich"), null));

    String runId = triggerReply(client, orch, new JsonObject().put("input", new JsonObject())
      .put("context", new JsonObject().put("keep", true))).getString("id");
    JsonObject run = awaitStatus(client, orch, runId, "completed");

    assertThat(run.getJsonObject("stepOutputs").getJsonObject("enrich")).isEqualTo(output);
    assertThat(run.getJsonObject("context")).isEqualTo(new JsonObject().put("keep", true));
  }

  @Test
  @DisplayName("a 204 No Content answer succeeds with an empty output")
  void noContentAnswerIsAnEmptyOutput() {
    functions.script(fn("ack")).always(Answer.raw(204, ""));
    String orch = createOrchestration(client, "no-content", compute("ack", function("ack"), null));

    String runId = trigger(client, orch, new JsonObject());
    JsonObject run = awaitStatus(client, orch, runId, "completed");

    assertThat(run.getJsonObject("stepOutputs").getJsonObject("ack")).isEqualTo(new JsonObject());
    assertThat(run.getJsonArray("errors")).isEmpty();
  }

  @Test
  @DisplayName("a decision with no matching case and no default fails the run with no_matching_case")
  void decisionWithoutMatchFails() {
    String start = function("start");
    String other = function("other");
    String orch = createOrchestration(client, "no-match",
      compute("start", start, "route"),
      decision("route", null, when("a-step", condition("input.kind", "eq", "a"))),
      compute("a-step", other, null));

    String runId = trigger(client, orch, new JsonObject().put("kind", "b"));
    JsonObject run = awaitStatus(client, orch, runId, "failed");

    assertThat(run.getBoolean("hasErrors")).isTrue();
    assertThat(run.getJsonArray("errors")).hasSize(1);
    assertError(run.getJsonArray("errors").getJsonObject(0), "route", "no_matching_case", 1);
    assertThat(run.getValue("currentStepId")).isNull();
    assertThat(run.getString("completedAt")).matches(TIMESTAMP);
    assertThat(run.getJsonArray("executedSteps")).containsExactly("start", "route");
    assertThat(run.getJsonObject("stepOutputs").fieldNames()).containsExactly("start");
    assertThat(functions.calls(fn("other"))).isEmpty();
    JsonObject item = listRuns(client, orch, "status=failed").getJsonArray("data").getJsonObject(0);
    assertThat(item.getString("id")).isEqualTo(runId);
    assertThat(item.getBoolean("hasErrors")).isTrue();
  }

  @Test
  @DisplayName("the first matching case wins even when a later case matches too; no match takes the default")
  void firstMatchingCaseWins() {
    String mark = function("mark");
    String orch = createOrchestration(client, "first-match",
      decision("route", "small",
        when("big", condition("input.amount", "gt", 10)),
        when("huge", condition("input.amount", "gt", 100))),
      compute("big", mark, null),
      compute("huge", mark, null),
      compute("small", mark, null));

    String large = trigger(client, orch, new JsonObject().put("amount", 500));
    String tiny = trigger(client, orch, new JsonObject().put("amount", 5));

    assertThat(awaitStatus(client, orch, large, "completed").getJsonArray("executedSteps"))
      .containsExactly("route", "big");
    assertThat(awaitStatus(client, orch, tiny, "completed").getJsonArray("executedSteps"))
      .containsExactly("route", "small");
    assertThat(functions.calls(fn("mark"))).extracting(c -> c.json().getString("stepId"))
      .containsExactlyInAnyOrder("big", "small");
  }

  @Test
  @DisplayName("a run keeps executing the version it started with after the orchestration is updated")
  void runIsPinnedToItsVersion() {
    String step = function("step");
    String orch = createOrchestration(client, "pinned",
      compute("a", step, "wait"), delay("wait", 800, "b"), compute("b", step, null));
    String runId = trigger(client, orch, new JsonObject());
    awaitRun(client, orch, runId, "waiting", r -> r.getString("status").equals("waiting"));

    JsonObject update = orchestrationBody("pinned",
      compute("a", step, "wait"), delay("wait", 10, "c"), compute("c", step, null));
    update.remove("slug");
    Reply updated = client.put("/orchestrations/" + orch, update);
    assertThat(updated.status()).as(updated.body()).isEqualTo(200);
    assertThat(updated.json().getInteger("version")).isEqualTo(2);

    JsonObject run = awaitStatus(client, orch, runId, "completed");
    assertThat(run.getInteger("orchestrationVersion")).isEqualTo(1);
    assertThat(run.getJsonArray("executedSteps")).containsExactly("a", "wait", "b");
    assertThat(run.getJsonObject("stepOutputs").fieldNames()).containsExactlyInAnyOrder("a", "b");
    assertThat(functions.calls(fn("step"))).extracting(c -> c.json().getString("stepId"))
      .containsExactly("a", "b");
    assertThat(functions.calls(fn("step"))).allSatisfy(c ->
      assertThat(c.json().getInteger("orchestrationVersion")).isEqualTo(1));

    // a run started after the update executes the new version
    String later = trigger(client, orch, new JsonObject());
    JsonObject next = awaitStatus(client, orch, later, "completed");
    assertThat(next.getInteger("orchestrationVersion")).isEqualTo(2);
    assertThat(next.getJsonArray("executedSteps")).containsExactly("a", "wait", "c");
  }

  @Test
  @DisplayName("a run started before its orchestration was deleted still finishes and stays readable by orch_ id")
  void runFinishesAfterOrchestrationIsDeleted() {
    String step = function("step");
    String orch = createOrchestration(client, "deleted-mid-run",
      compute("a", step, "wait"), delay("wait", 800, "b"), compute("b", step, null));
    String runId = trigger(client, orch, new JsonObject());
    awaitRun(client, orch, runId, "waiting", r -> r.getString("status").equals("waiting"));

    assertThat(client.delete("/orchestrations/" + orch).status()).isEqualTo(204);
    assertThat(client.get("/orchestrations/" + orch).status()).isEqualTo(404);

    JsonObject run = awaitStatus(client, orch, runId, "completed");
    assertThat(run.getInteger("orchestrationVersion")).isEqualTo(1);
    assertThat(run.getJsonArray("executedSteps")).containsExactly("a", "wait", "b");
    assertThat(run.getBoolean("hasErrors")).isFalse();
    assertThat(functions.calls(fn("step"))).hasSize(2);
    assertThat(RunTestSupport.ids(listRuns(client, orch, ""))).containsExactly(runId);
    assertThat(listRuns(client, orch, "status=failed").getJsonObject("meta").getLong("total")).isZero();
  }
}
