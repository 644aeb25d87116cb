package io.orchestrator.engine;

import static io.orchestrator.engine.RunTestSupport.TIMESTAMP;
import static io.orchestrator.engine.RunTestSupport.assertError;
import static io.orchestrator.engine.RunTestSupport.awaitStatus;
import static io.orchestrator.engine.RunTestSupport.compute;
import static io.orchestrator.engine.RunTestSupport.createFunction;
import static io.orchestrator.engine.RunTestSupport.createOrchestration;
import static io.orchestrator.engine.RunTestSupport.listRuns;
import static io.orchestrator.engine.RunTestSupport.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.fixtures.FunctionServer;
import io.orchestrator.fixtures.FunctionServer.Answer;
import io.orchestrator.fixtures.FunctionServer.Call;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Failed function attempts against a real HTTP server: each kind of failure is recorded in {@code errors[]} with
 * its code and fails the run; a retry policy retries with the same Idempotency-Key until success or exhaustion.
 */
class StepFailureIT extends EngineIntegrationBase {

  /** ORCH_FUNCTION_MAX_RESPONSE_BYTES's default. */
  private static final int LIMIT = 1_048_576;

  private String okFunction;

  @BeforeEach
  void registerOkFunction() {
    okFunction = createFunction(client, "ok", functions.url(fn("ok"))).getString("id");
  }

  /** An orchestration {@code prepare} (succeeds) → {@code charge} (the function under test); returns its id. */
  private String orchestration(String chargeUrl, JsonObject chargeStepExtras) {
    String charge = createFunction(client, "charge", chargeUrl).getString("id");
    JsonObject step = compute("charge", charge, null);
    chargeStepExtras.forEach(e -> step.put(e.getKey(), e.getValue()));
    return createOrchestration(client, "failing", compute("prepare", okFunction, "charge"), step);
  }

  /** Runs the orchestration to failure and checks what every failed run shows; returns the single error. */
  private JsonObject failedRun(String orch, String code) {
    String runId = trigger(client, orch, new JsonObject().put("n", 1));
    JsonObject run = awaitStatus(client, orch, runId, "failed");
    assertThat(run.getBoolean("hasErrors")).isTrue();
    assertThat(run.getValue("currentStepId")).isNull();
    assertThat(run.getString("completedAt")).matches(TIMESTAMP);
    assertThat(run.getJsonArray("executedSteps")).containsExactly("prepare", "charge");
    assertThat(run.getJsonObject("stepOutputs").fieldNames()).containsExactly("prepare");
    JsonArray errors = run.getJsonArray("errors");
    assertThat(errors).as(run.encodePrettily()).hasSize(1);
    JsonObject item = listRuns(client, orch, "status=failed").getJsonArray("data").getJsonObject(0);
    assertThat(item.getString("id")).isEqualTo(runId);
    assertThat(item.getBoolean("hasErrors")).isTrue();
    return assertError(errors.getJsonObject(0), "charge", code, 1);
  }

  @Test
  @DisplayName("a 500 answer fails the run with code http_500")
  void serverErrorFails() {
    functions.script(fn("charge")).always(Answer.status(500, new JsonObject().put("error", "card declined")));
    String orch = orchestration(functions.url(fn("charge")), new JsonObject());

    JsonObject error = failedRun(orch, "http_500");

    assertThat(error.getString("message")).contains("500");
    assertThat(functions.calls(fn("charge"))).hasSize(1);
  }

  @Test
  @DisplayName("a 2xx answer that is not JSON fails the run with code invalid_response")
  void invalidJsonFails() {
    functions.script(fn("charge")).always(Answer.raw(200, "{not json"));
    String orch = orchestration(functions.url(fn("charge")), new JsonObject());

    failedRun(orch, "invalid_response");
  }

  @Test
  @DisplayName("a 200 answer with an empty body is not JSON: code invalid_response")
  void emptyOkAnswerFails() {
    functions.script(fn("charge")).always(Answer.raw(200, ""));
    String orch = orchestration(functions.url(fn("charge")), new JsonObject());

    failedRun(orch, "invalid_response");
  }

  @Test
  @DisplayName("a function slower than the step's timeoutMs fails the run with code timeout")
  void slowFunctionTimesOut() {
    functions.script(fn("charge")).always(Answer.json(new JsonObject()).delayed(Duration.ofSeconds(2)));
    String orch = orchestration(functions.url(fn("charge")), new JsonObject().put("timeoutMs", 200));
    long started = System.nanoTime();

    failedRun(orch, "timeout");

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1900));
  }

  @Test
  @DisplayName("timeoutMs bounds the whole attempt: an answer that keeps trickling in past it is a timeout, and "
    + "its connection is closed rather than left draining")
  void tricklingAnswerTimesOut() {
    // 40 characters, one per 100 ms: data keeps flowing, but the answer takes 4 s
    functions.script(fn("charge")).always(Answer.json(new JsonObject().put("slow", "abcdefghijklmnopqrstuvwxyz0"))
      .trickled(Duration.ofMillis(100)));
    String orch = orchestration(functions.url(fn("charge")), new JsonObject().put("timeoutMs", 300));
    long started = System.nanoTime();

    failedRun(orch, "timeout");

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1900));
    Call call = functions.calls(fn("charge")).get(0);
    Instant cut = functions.awaitCutOff(call, Duration.ofSeconds(3));
    assertThat(Duration.between(call.receivedAt(), cut)).isLessThan(Duration.ofMillis(1500));
  }

  @Test
  @DisplayName("a 2xx answer larger than the response limit fails the attempt with code response_too_large")
  void oversizedAnswerFails() {
    functions.script(fn("charge")).always(Answer.json(new JsonObject().put("blob", "x".repeat(LIMIT))));
    String orch = orchestration(functions.url(fn("charge")), new JsonObject());

    JsonObject error = failedRun(orch, "response_too_large");

    assertThat(error.getString("message")).isEqualTo("function answered more than " + LIMIT + " bytes");
  }

  @Test
  @DisplayName("an oversized answer streamed without a Content-Length is cut off at the limit")
  void oversizedStreamedAnswerIsCutOff() {
    functions.script(fn("charge")).always(Answer.json(new JsonObject().put("blob", "x".repeat(8 * LIMIT))).chunked());
    String orch = orchestration(functions.url(fn("charge")), new JsonObject());

    failedRun(orch, "response_too_large");

    functions.awaitCutOff(functions.calls(fn("charge")).get(0), Duration.ofSeconds(3));
  }

  @Test
  @DisplayName("an error answer larger than the limit keeps its http_<status> code, without the body")
  void oversizedErrorAnswerKeepsItsStatus() {
    functions.script(fn("charge")).always(Answer.status(502, new JsonObject().put("blob", "y".repeat(LIMIT))));
    String orch = orchestration(functions.url(fn("charge")), new JsonObject());

    JsonObject error = failedRun(orch, "http_502");

    assertThat(error.getString("message")).isEqualTo("function answered 502");
  }

  @Test
  @DisplayName("an answer just under the response limit is the step's output, whole")
  void answerUnderTheLimitIsKept() {
    String blob = "z".repeat(LIMIT - 100);
    functions.script(fn("charge")).always(Answer.json(new JsonObject().put("blob", blob)).chunked());
    String orch = orchestration(functions.url(fn("charge")), new JsonObject());

    String runId = trigger(client, orch, new JsonObject());
    JsonObject run = awaitStatus(client, orch, runId, "completed");

    assertThat(run.getJsonObject("stepOutputs").getJsonObject("charge").getString("blob")).isEqualTo(blob);
  }

  @Test
  @DisplayName("the function's own timeoutMs bounds an attempt when it is shorter than the step's")
  void functionTimeoutBoundsTheAttempt() {
    functions.script(fn("charge")).always(Answer.json(new JsonObject()).delayed(Duration.ofSeconds(2)));
    String charge = createFunction(client, new JsonObject().put("name", "charge").put("runtime", "http")
      .put("url", functions.url(fn("charge"))).put("timeoutMs", 200)).getString("id");
    String orch = createOrchestration(client, "function-timeout", compute("prepare", okFunction, "charge"),
      compute("charge", charge, null).put("timeoutMs", 60_000));
    long started = System.nanoTime();

    failedRun(orch, "timeout");

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1900));
  }

  @Test
  @DisplayName("a function URL where nothing listens fails the run with code connection_error")
  void connectionRefusedFails() {
    String orch = orchestration(FunctionServer.closedPortUrl(), new JsonObject());

    failedRun(orch, "connection_error");
  }

  @Test
  @DisplayName("a connection closed without an answer fails the attempt with code connection_error")
  void closedConnectionFails() {
    functions.script(fn("charge")).always(Answer.closeConnection());
    String orch = orchestration(functions.url(fn("charge")), new JsonObject());

    failedRun(orch, "connection_error");
  }

  @Test
  @DisplayName("a step retried after two failures completes; every attempt carries the same Idempotency-Key")
  void retryThenSuccess() {
    functions.script(fn("charge"))
      .then(Answer.status(503, new JsonObject()))
      .then(Answer.status(500, new JsonObject()))
      .always(Answer.json(new JsonObject().put("charged", true)));
    String orch = orchestration(functions.url(fn("charge")), new JsonObject()
      .put("retry", new JsonObject().put("maxAttempts", 3).put("backoffMs", 50)));

    String runId = trigger(client, orch, new JsonObject());
    JsonObject run = awaitStatus(client, orch, runId, "completed");

    assertThat(run.getJsonArray("executedSteps")).containsExactly("prepare", "charge");
    assertThat(run.getJsonObject("stepOutputs").getJsonObject("charge"))
      .isEqualTo(new JsonObject().put("charged", true));
    // the failed attempts stay visible, and hasErrors says so
    assertThat(run.getBoolean("hasErrors")).isTrue();
    JsonArray errors = run.getJsonArray("errors");
    assertThat(errors).hasSize(2);
    assertError(errors.getJsonObject(0), "charge", "http_503", 1);
    assertError(errors.getJsonObject(1), "charge", "http_500", 2);

    List<Call> calls = functions.calls(fn("charge"));
    assertThat(calls).extracting(Call::attempt).containsExactly(1, 2, 3);
    assertThat(calls).extracting(Call::idempotencyKey).containsOnly(calls.get(0).idempotencyKey());
    assertThat(calls.get(0).idempotencyKey()).startsWith(runId + ":charge:");
    assertThat(Duration.between(calls.get(0).receivedAt(), calls.get(1).receivedAt()))
      .isGreaterThanOrEqualTo(Duration.ofMillis(50));
    assertThat(functions.calls(fn("ok"))).hasSize(1);
  }

  @Test
  @DisplayName("when every attempt fails the run fails with one error per attempt")
  void retriesExhausted() {
    functions.script(fn("charge")).always(Answer.status(502, new JsonObject()));
    String orch = orchestration(functions.url(fn("charge")), new JsonObject()
      .put("retry", new JsonObject().put("maxAttempts", 3).put("backoffMs", 20).put("backoffMultiplier", 2)));

    String runId = trigger(client, orch, new JsonObject());
    JsonObject run = awaitStatus(client, orch, runId, "failed");

    assertThat(run.getBoolean("hasErrors")).isTrue();
    assertThat(run.getValue("currentStepId")).isNull();
    JsonArray errors = run.getJsonArray("errors");
    assertThat(errors).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertError(errors.getJsonObject(i), "charge", "http_502", i + 1);
    }
    List<Call> calls = functions.calls(fn("charge"));
    assertThat(calls).extracting(Call::attempt).containsExactly(1, 2, 3);
    assertThat(calls).extracting(Call::idempotencyKey).containsOnly(calls.get(0).idempotencyKey());
    // backoff 20 ms, then 40 ms
    assertThat(Duration.between(calls.get(1).receivedAt(), calls.get(2).receivedAt()))
      .isGreaterThanOrEqualTo(Duration.ofMillis(40));
  }
}
