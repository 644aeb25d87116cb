package io.orchestrator.engine;

import static io.orchestrator.engine.RunTestSupport.awaitStatus;
import static io.orchestrator.engine.RunTestSupport.compute;
import static io.orchestrator.engine.RunTestSupport.createOrchestration;
import static io.orchestrator.engine.RunTestSupport.getRun;
import static io.orchestrator.engine.RunTestSupport.listRuns;
import static io.orchestrator.engine.RunTestSupport.runPath;
import static io.orchestrator.engine.RunTestSupport.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.common.TraceParent;
import io.orchestrator.fixtures.ApiClient;
import io.orchestrator.fixtures.ApiClient.Reply;
import io.orchestrator.fixtures.FunctionServer.Answer;
import io.orchestrator.fixtures.FunctionServer.Call;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * W3C trace context (DESIGN.md §9 "Trace context"): a run's traceId comes from the trigger's {@code traceparent}
 * (trigger, replay, events, http-triggers) or is new; every function call and worker task carries it with a new
 * span id per attempt, and {@code tracestate} passed on; a redrive keeps it.
 */
class TraceContextIT extends EngineIntegrationBase {

  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CALLER_SPAN = "00f067aa0ba902b7";
  private static final String TRACEPARENT = "00-" + TRACE + "-" + CALLER_SPAN + "-01";
  private static final String TRACESTATE = "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7";
  private static final String HEX32 = "[0-9a-f]{32}";

  private static MultiMap traceHeaders(String traceparent, String tracestate) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("traceparent", traceparent);
    return tracestate == null ? headers : headers.add("tracestate", tracestate);
  }

  private String triggerTraced(String orch, MultiMap headers) {
    Reply reply = client.send(HttpMethod.POST, "/orchestrations/" + orch + "/trigger",
      new JsonObject().put("input", new JsonObject()), headers);
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    return reply.json().getString("id");
  }

  private static TraceParent received(Call call) {
    return TraceParent.parse(call.header("traceparent")).orElseThrow(() ->
      new AssertionError("no valid traceparent on the call: " + call.header("traceparent")));
  }

  /** One compute step "a" with a retry: it fails once, then answers. */
  private String retryingOrchestration() {
    functions.script(fn("a")).then(Answer.status(500, new JsonObject())).always(Answer.json(new JsonObject()));
    return createOrchestration(client, "traced", compute("a", function("a"), null)
      .put("retry", new JsonObject().put("maxAttempts", 2).put("backoffMs", 10).put("backoffMultiplier", 1)));
  }

  @Test
  @DisplayName("a trigger's traceparent is the run's traceId; each attempt's call carries it with a new span id, "
    + "and tracestate")
  void triggerTraceparentReachesEveryAttempt() {
    String orch = retryingOrchestration();

    String runId = triggerTraced(orch, traceHeaders(TRACEPARENT, TRACESTATE));

    JsonObject done = awaitStatus(client, orch, runId, "completed");
    assertThat(done.getString("traceId")).isEqualTo(TRACE);
    assertThat(listRuns(client, orch, "").getJsonArray("data").getJsonObject(0).getString("traceId"))
      .isEqualTo(TRACE);
    List<Call> calls = functions.calls(fn("a"));
    assertThat(calls).hasSize(2);
    TraceParent first = received(calls.get(0));
    TraceParent second = received(calls.get(1));
    assertThat(first.traceId()).isEqualTo(TRACE);
    assertThat(second.traceId()).isEqualTo(TRACE);
    assertThat(first.sampled()).isTrue();
    assertThat(first.parentId()).isNotEqualTo(CALLER_SPAN).isNotEqualTo(second.parentId());
    assertThat(second.parentId()).isNotEqualTo(CALLER_SPAN);
    assertThat(calls.get(0).header("tracestate")).isEqualTo(TRACESTATE);
    assertThat(calls.get(1).header("tracestate")).isEqualTo(TRACESTATE);
  }

  @Test
  @DisplayName("the caller's flags are passed on: an unsampled caller's trace stays unsampled")
  void flagsPassedOn() {
    functions.script(fn("a")).always(Answer.json(new JsonObject()));
    String orch = createOrchestration(client, "unsampled", compute("a", function("a"), null));

    String runId = triggerTraced(orch, traceHeaders("00-" + TRACE + "-" + CALLER_SPAN + "-00", null));

    awaitStatus(client, orch, runId, "completed");
    TraceParent sent = received(functions.calls(fn("a")).get(0));
    assertThat(sent.traceId()).isEqualTo(TRACE);
    assertThat(sent.sampled()).isFalse();
    assertThat(functions.calls(fn("a")).get(0).header("tracestate")).isNull();
  }

  @Test
  @DisplayName("a malformed traceparent is ignored: the run starts a new trace (and drops the tracestate)")
  void malformedStartsNewTrace() {
    functions.script(fn("a")).always(Answer.json(new JsonObject()));
    String orch = createOrchestration(client, "malformed", compute("a", function("a"), null));

    String runId = triggerTraced(orch, traceHeaders("00-" + TRACE.toUpperCase() + "-" + CALLER_SPAN + "-01",
      TRACESTATE));

    JsonObject done = awaitStatus(client, orch, runId, "completed");
    String traceId = done.getString("traceId");
    assertThat(traceId).matches(HEX32).isNotEqualTo(TRACE).isNotEqualTo(TRACE.toUpperCase());
    Call call = functions.calls(fn("a")).get(0);
    assertThat(received(call).traceId()).isEqualTo(traceId);
    assertThat(received(call).sampled()).isTrue();
    assertThat(call.header("tracestate")).isNull();
  }

  @Test
  @DisplayName("without a traceparent every run gets a new trace id of its own")
  void newTracePerRun() {
    functions.script(fn("a")).always(Answer.json(new JsonObject()));
    String orch = createOrchestration(client, "untraced", compute("a", function("a"), null));

    String one = trigger(client, orch, new JsonObject());
    String two = trigger(client, orch, new JsonObject());

    String first = awaitStatus(client, orch, one, "completed").getString("traceId");
    String second = awaitStatus(client, orch, two, "completed").getString("traceId");
    assertThat(first).matches(HEX32).isNotEqualTo(second);
    assertThat(second).matches(HEX32);
    assertThat(functions.calls(fn("a"))).extracting(c -> received(c).traceId())
      .containsExactlyInAnyOrder(first, second);
  }

  @Test
  @DisplayName("a replay takes the traceparent of its request, or starts a new trace; never the source's")
  void replayCarriesItsOwnTrace() {
    functions.script(fn("a")).always(Answer.json(new JsonObject()));
    String orch = createOrchestration(client, "replayed", compute("a", function("a"), null));
    String source = trigger(client, orch, new JsonObject());
    String sourceTrace = awaitStatus(client, orch, source, "completed").getString("traceId");

    Reply traced = client.send(HttpMethod.POST, runPath(orch, source) + "/replay", new JsonObject(),
      traceHeaders(TRACEPARENT, null));
    Reply untraced = client.post(runPath(orch, source) + "/replay", new JsonObject());

    assertThat(traced.status()).as(traced.body()).isEqualTo(201);
    assertThat(untraced.status()).as(untraced.body()).isEqualTo(201);
    assertThat(awaitStatus(client, orch, traced.json().getString("id"), "completed").getString("traceId"))
      .isEqualTo(TRACE);
    assertThat(awaitStatus(client, orch, untraced.json().getString("id"), "completed").getString("traceId"))
      .matches(HEX32).isNotEqualTo(sourceTrace).isNotEqualTo(TRACE);
  }

  @Test
  @DisplayName("POST /events with a traceparent gives every run it starts that trace id")
  void eventsCarryTrace() {
    functions.script(fn("a")).always(Answer.json(new JsonObject()));
    String functionId = function("a");
    for (String slug : List.of("on-event-1", "on-event-2")) {
      Reply created = client.post("/orchestrations", new JsonObject().put("slug", slug).put("name", slug)
        .put("trigger", new JsonObject().put("type", "event-driven").put("eventType", "record.created"))
        .put("steps", new JsonArray().add(compute("a", functionId, null))));
      assertThat(created.status()).as(created.body()).isEqualTo(201);
    }

    Reply published = client.send(HttpMethod.POST, "/events", new JsonObject().put("eventType", "record.created"),
      traceHeaders(TRACEPARENT, TRACESTATE));

    assertThat(published.status()).as(published.body()).isEqualTo(202);
    JsonArray runs = published.json().getJsonArray("runs");
    assertThat(runs).hasSize(2);
    for (Object run : runs) {
      JsonObject started = (JsonObject) run;
      assertThat(awaitStatus(client, started.getString("orchestrationId"), started.getString("id"), "completed")
        .getString("traceId")).isEqualTo(TRACE);
    }
    assertThat(functions.awaitCalls(fn("a"), 2, Duration.ofSeconds(10)))
      .allSatisfy(call -> {
        assertThat(received(call).traceId()).isEqualTo(TRACE);
        assertThat(call.header("tracestate")).isEqualTo(TRACESTATE);
      });
  }

  @Test
  @DisplayName("an http-trigger delivery with a traceparent starts a run of that trace")
  void httpTriggerCarriesTrace() {
    functions.script(fn("a")).always(Answer.json(new JsonObject()));
    Reply created = client.post("/orchestrations", new JsonObject().put("slug", "hooked").put("name", "hooked")
      .put("trigger", new JsonObject().put("type", "http-trigger").put("path", "/traced"))
      .put("steps", new JsonArray().add(compute("a", function("a"), null))));
    assertThat(created.status()).as(created.body()).isEqualTo(201);

    Reply delivered = new ApiClient(app.http, workspace, null).send(HttpMethod.POST, "/http-triggers/traced",
      Buffer.buffer("{\"hello\":1}"), traceHeaders(TRACEPARENT, null).add("Content-Type", "application/json"));

    assertThat(delivered.status()).as(delivered.body()).isEqualTo(202);
    JsonObject done = awaitStatus(client, "hooked", delivered.json().getString("runId"), "completed");
    assertThat(done.getString("traceId")).isEqualTo(TRACE);
    assertThat(received(functions.calls(fn("a")).get(0)).traceId()).isEqualTo(TRACE);
  }

  @Test
  @DisplayName("a redrive keeps the run's trace id; the redriven step's call gets a new span id")
  void redriveKeepsTrace() {
    functions.script(fn("b")).then(Answer.status(500, new JsonObject())).always(Answer.json(new JsonObject()));
    String orch = createOrchestration(client, "redriven", compute("b", function("b"), null));
    String runId = triggerTraced(orch, traceHeaders(TRACEPARENT, TRACESTATE));
    awaitStatus(client, orch, runId, "failed");

    Reply redriven = client.post(runPath(orch, runId) + "/redrive", null);

    assertThat(redriven.status()).as(redriven.body()).isEqualTo(200);
    assertThat(redriven.json().getString("traceId")).isEqualTo(TRACE);
    assertThat(awaitStatus(client, orch, runId, "completed").getString("traceId")).isEqualTo(TRACE);
    List<Call> calls = functions.calls(fn("b"));
    assertThat(calls).hasSize(2);
    assertThat(received(calls.get(1)).traceId()).isEqualTo(TRACE);
    assertThat(received(calls.get(1)).parentId()).isNotEqualTo(received(calls.get(0)).parentId());
    assertThat(calls.get(1).header("tracestate")).isEqualTo(TRACESTATE);
  }

  @Test
  @DisplayName("a worker task carries a traceparent field of the run's trace, a new span id per attempt")
  void workerTaskCarriesTraceparent() {
    String queue = "q-" + workspace;
    Reply fn = client.post("/functions", new JsonObject().put("name", "worker").put("runtime", "worker")
      .put("queue", queue));
    assertThat(fn.status()).as(fn.body()).isEqualTo(201);
    String orch = createOrchestration(client, "worked", compute("w", fn.json().getString("id"), null)
      .put("retry", new JsonObject().put("maxAttempts", 2).put("backoffMs", 10).put("backoffMultiplier", 1)));
    String runId = triggerTraced(orch, traceHeaders(TRACEPARENT, TRACESTATE));

    JsonObject first = pollOne(queue);
    assertThat(first.getString("runId")).isEqualTo(runId);
    TraceParent firstParent = TraceParent.parse(first.getString("traceparent")).orElseThrow();
    assertThat(firstParent.traceId()).isEqualTo(TRACE);
    assertThat(firstParent.parentId()).isNotEqualTo(CALLER_SPAN);
    assertThat(first.getString("tracestate")).isEqualTo(TRACESTATE);
    Reply failed = client.post("/worker-tasks/" + first.getString("taskId") + "/fail",
      new JsonObject().put("message", "again").put("retryable", true));
    assertThat(failed.status()).as(failed.body()).isEqualTo(200);

    JsonObject second = pollOne(queue);
    assertThat(second.getInteger("attempt")).isEqualTo(2);
    TraceParent secondParent = TraceParent.parse(second.getString("traceparent")).orElseThrow();
    assertThat(secondParent.traceId()).isEqualTo(TRACE);
    assertThat(secondParent.parentId()).isNotEqualTo(firstParent.parentId());
    assertThat(getRun(client, orch, runId).getString("traceId")).isEqualTo(TRACE);
  }

  private JsonObject pollOne(String queue) {
    Reply reply = client.post("/worker-tasks/poll", new JsonObject().put("queue", queue).put("max", 1)
      .put("waitMs", 10_000));
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    JsonArray tasks = reply.json().getJsonArray("tasks");
    assertThat(tasks).hasSize(1);
    return tasks.getJsonObject(0);
  }
}
