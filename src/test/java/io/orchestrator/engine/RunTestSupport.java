package io.orchestrator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.fixtures.ApiClient;
import io.orchestrator.fixtures.ApiClient.Reply;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** Definitions, triggers and polling shared by the engine's integration tests; everything goes through the API. */
final class RunTestSupport {

  static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
  static final Pattern RUN_ID = Pattern.compile("run_[0-9a-z]{26}");
  static final Duration TIMEOUT = Duration.ofSeconds(15);
  static final Set<String> TERMINAL = Set.of("completed", "failed", "cancelled");

  private RunTestSupport() {
  }

  // ---- definitions --------------------------------------------------------------------------------------------

  /** Registers an http function at {@code url}; returns the create response (with the full signing secret). */
  static JsonObject createFunction(ApiClient client, String name, String url) {
    return createFunction(client, new JsonObject().put("name", name).put("runtime", "http").put("url", url));
  }

  static JsonObject createFunction(ApiClient client, JsonObject body) {
    Reply reply = client.post("/functions", body);
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    return reply.json();
  }

  static JsonObject compute(String id, String functionId, String next) {
    JsonObject step = new JsonObject().put("id", id).put("name", "Step " + id).put("type", "compute")
      .put("functionId", functionId);
    return next == null ? step : step.put("nextStepId", next);
  }

  static JsonObject delay(String id, long delayMs, String next) {
    JsonObject step = new JsonObject().put("id", id).put("name", "Step " + id).put("type", "delay")
      .put("delayMs", delayMs);
    return next == null ? step : step.put("nextStepId", next);
  }

  /** A decision step; {@code defaultNext} may be null. */
  static JsonObject decision(String id, String defaultNext, JsonObject... cases) {
    JsonObject step = new JsonObject().put("id", id).put("name", "Step " + id).put("type", "decision")
      .put("cases", new JsonArray(List.of((Object[]) cases)));
    return defaultNext == null ? step : step.put("defaultNextStepId", defaultNext);
  }

  static JsonObject when(String next, JsonObject... conditions) {
    return new JsonObject().put("conditions", new JsonArray(List.of((Object[]) conditions))).put("nextStepId", next);
  }

  static JsonObject condition(String path, String op, Object value) {
    return new JsonObject().put("path", path).put("op", op).put("value", value);
  }

  static JsonObject orchestrationBody(String slug, JsonObject... steps) {
    return new JsonObject().put("slug", slug).put("name", "Orchestration " + slug)
      .put("trigger", new JsonObject().put("type", "on-demand"))
      .put("steps", new JsonArray(List.of((Object[]) steps)));
  }

  /** Creates an on-demand orchestration; returns its {@code orch_…} id. */
  static String createOrchestration(ApiClient client, String slug, JsonObject... steps) {
    return createOrchestration(client, orchestrationBody(slug, steps));
  }

  static String createOrchestration(ApiClient client, JsonObject body) {
    Reply reply = client.post("/orchestrations", body);
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    return reply.json().getString("id");
  }

  // ---- runs ---------------------------------------------------------------------------------------------------

  /** Triggers a run with {@code input}; returns its id. */
  static String trigger(ApiClient client, String orchestration, JsonObject input) {
    return triggerReply(client, orchestration, new JsonObject().put("input", input)).getString("id");
  }

  static JsonObject triggerReply(ApiClient client, String orchestration, JsonObject body) {
    Reply reply = client.post("/orchestrations/" + orchestration + "/trigger", body);
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    return reply.json();
  }

  static Reply triggerWithKey(ApiClient client, String orchestration, JsonObject body, String key) {
    return client.send(HttpMethod.POST, "/orchestrations/" + orchestration + "/trigger", body,
      MultiMap.caseInsensitiveMultiMap().add("Idempotency-Key", key));
  }

  static String runPath(String orchestration, String runId) {
    return "/orchestrations/" + orchestration + "/runs/" + runId;
  }

  static JsonObject getRun(ApiClient client, String orchestration, String runId) {
    Reply reply = client.get(runPath(orchestration, runId));
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.json();
  }

  static JsonObject listRuns(ApiClient client, String orchestration, String query) {
    Reply reply = client.get("/orchestrations/" + orchestration + "/runs" + (query.isEmpty() ? "" : "?" + query));
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.json();
  }

  static List<String> ids(JsonObject page) {
    List<String> ids = new ArrayList<>();
    page.getJsonArray("data").forEach(item -> ids.add(((JsonObject) item).getString("id")));
    return ids;
  }

  /** Polls Get Run until {@code condition} holds (deadline {@link #TIMEOUT}); returns that body. */
  static JsonObject awaitRun(ApiClient client, String orchestration, String runId, String what,
                             Predicate<JsonObject> condition) {
    return awaitRun(client, orchestration, runId, what, condition, TIMEOUT);
  }

  static JsonObject awaitRun(ApiClient client, String orchestration, String runId, String what,
                             Predicate<JsonObject> condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonObject run = null;
    while (System.nanoTime() < deadline) {
      run = getRun(client, orchestration, runId);
      if (condition.test(run)) {
        return run;
      }
      pause();
    }
    throw new AssertionError("run " + runId + " not " + what + " within " + timeout + "; last seen: "
      + (run == null ? null : run.encodePrettily()));
  }

  /** Waits until the run is finished, by a deadline ({@link System#nanoTime}) shared by many runs. */
  static JsonObject awaitFinishedBy(ApiClient client, String orchestration, String runId, long deadlineNanos) {
    JsonObject run;
    do {
      run = getRun(client, orchestration, runId);
      if (TERMINAL.contains(run.getString("status"))) {
        return run;
      }
      pause();
    } while (System.nanoTime() < deadlineNanos);
    throw new AssertionError("run " + runId + " stuck: " + run.encodePrettily());
  }

  /** Waits until the run is completed, failed or cancelled; returns its details. */
  static JsonObject awaitFinished(ApiClient client, String orchestration, String runId) {
    return awaitRun(client, orchestration, runId, "finished", r -> TERMINAL.contains(r.getString("status")));
  }

  static JsonObject awaitStatus(ApiClient client, String orchestration, String runId, String status) {
    JsonObject run = awaitFinishedOr(client, orchestration, runId, status);
    assertThat(run.getString("status")).as(run.encodePrettily()).isEqualTo(status);
    return run;
  }

  private static JsonObject awaitFinishedOr(ApiClient client, String orchestration, String runId, String status) {
    return awaitRun(client, orchestration, runId, status,
      r -> r.getString("status").equals(status) || TERMINAL.contains(r.getString("status")));
  }

  /** A store outage's answer: 503 {@code unavailable} with {@code Retry-After: 1}. */
  static void assertUnavailable(Reply reply) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(503);
    assertThat(reply.json().getString("error")).isEqualTo("unavailable");
    assertThat(reply.header("Retry-After")).isEqualTo("1");
  }

  /** A fault's duration, on the real clock (the service under test runs on it too). */
  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Polling interval: short, so tests observe transitions (a waiting delay) promptly. */
  static void pause() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Spins (without sleeping) until the wall clock is past {@code timestamp}, so the next run gets a later one. */
  static void clockPast(String timestamp) {
    long after = Instant.parse(timestamp).toEpochMilli();
    while (System.currentTimeMillis() <= after) {
      Thread.onSpinWait();
    }
  }

  /** The {@code code} of every entry of the run's {@code errors}. */
  static List<String> errorCodes(JsonObject run) {
    List<String> codes = new ArrayList<>();
    run.getJsonArray("errors").forEach(e -> codes.add(((JsonObject) e).getString("code")));
    return codes;
  }

  /** Asserts the shape of one {@code errors[]} entry and returns it. */
  static JsonObject assertError(JsonObject error, String stepId, String code, int attempt) {
    assertThat(error.fieldNames()).as(error.encode()).contains("stepId", "code", "message", "attempt", "at");
    assertThat(error.getString("stepId")).as(error.encode()).isEqualTo(stepId);
    assertThat(error.getString("code")).as(error.encode()).isEqualTo(code);
    assertThat(error.getInteger("attempt")).as(error.encode()).isEqualTo(attempt);
    assertThat(error.getString("message")).as(error.encode()).isNotBlank();
    assertThat(error.getString("at")).as(error.encode()).matches(TIMESTAMP);
    return error;
  }
}
