package io.orchestrator.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.runs.HistoryRecord;
import io.orchestrator.runs.NewRun;
import io.orchestrator.runs.Run;
import io.orchestrator.runs.RunJson;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The history record written from a run hash's text ({@link RunHistoryText}) is the one the decoded run gives
 * ({@link RunJson#toHistory} of {@link RunHashCodec#decode}), for every shape of run hash.
 */
@DisplayName("the history document written from a run hash's text")
class RunHistoryTextTest {

  private static final String TRACE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  @Test
  @DisplayName("a completed run with outputs, a timeline, redrives and its caller's trace context")
  void completedRun() {
    assertSameAsDecoded(hash(history("run_completed").put("status", "completed")
      .put("completedAt", "2026-12-07T10:00:02.345Z").put("currentStepId", null)
      .put("stepOutputs", new JsonObject().put("a", new JsonObject().put("ok", true)).put("b", 42)
        .put("c", "text").put("d", new JsonArray().add(1).add("x")))
      .put("executedSteps", new JsonArray().add("a").add("check").add("b").add("c").add("d"))
      .put("redrives", new JsonArray().add(new JsonObject().put("at", "2026-12-07T10:00:01.000Z").put("stepId", "b")))
      .put("tl", new JsonArray().add(new JsonArray().add("a").add(1).add(2)))
      .put("traceparent", TRACE).put("tracestate", "vendor=value")));
  }

  @Test
  @DisplayName("a failed run with errors, a replay of another, a resume step and a stepAt")
  void failedReplay() {
    assertSameAsDecoded(hash(history("run_failed").put("status", "failed").put("hasErrors", true)
      .put("completedAt", "2026-12-07T10:00:09.000Z").put("replayOf", "run_source").put("resumeStepId", "b")
      .put("errors", new JsonArray().add(new JsonObject().put("stepId", "b").put("code", "http_500")
        .put("message", "boom").put("attempt", 2)))
      .put("executedSteps", new JsonArray().add("a")).put("stepOutputs", new JsonObject().put("a", JsonObject.of()))
      .put("stepAt", 1_765_101_600_123L).put("seq", 17).put("fence", 4).put("attempt", 2).put("delayStepCount", 1)));
  }

  @Test
  @DisplayName("a step that ran twice (a loop) keeps its first place in stepOutputs, once")
  void repeatedStep() {
    assertSameAsDecoded(hash(history("run_loop").put("status", "completed")
      .put("executedSteps", new JsonArray().add("a").add("b").add("a"))
      .put("stepOutputs", new JsonObject().put("a", 2).put("b", 1))));
  }

  @Test
  @DisplayName("strings with quotes, backslashes, control characters and non-ASCII text are escaped as JSON")
  void escapedStrings() {
    assertSameAsDecoded(hash(history("run_escaped").put("triggerType", "http\"trig\\ger")
      .put("correlationId", "line\nbreak\ttab\u0001\u001f \u00e9\u4e2d\ud83d\ude00").put("cursor", "step\"x")
      .put("input", new JsonObject().put("q\"uote", "back\\slash\u0002"))));
  }

  @Test
  @DisplayName("a pending run as createRun writes it: empty strings for null, no optional fields")
  void newRunHash() {
    NewRun run = new NewRun("run_new", "acme", "orch_1", 3, "manual", new JsonObject().put("ip", "10.0.0.1"),
      new JsonObject().put("order", 7), new JsonObject(), null, "first", null, null, null, null, null);
    Map<String, String> fields = map(RunHashCodec.encode(run, 1_765_101_600_000L));

    assertSameAsDecoded(fields);
    assertThat(new JsonObject(RunHistoryText.record(fields).document()).getString("correlationId")).isNull();
  }

  private static JsonObject history(String id) {
    return new JsonObject().put("id", id).put("workspace", "acme").put("orchestrationId", "orch_1")
      .put("orchestrationVersion", 2).put("status", "running").put("triggerType", "manual")
      .put("triggerMetadata", new JsonObject().put("source", "test")).put("input", new JsonObject().put("n", 1.5))
      .put("context", new JsonObject().put("tenant", "t1")).put("stepOutputs", new JsonObject())
      .put("currentStepId", "b").put("executedSteps", new JsonArray()).put("startedAt", "2026-12-07T10:00:00.001Z")
      .put("completedAt", null).put("hasErrors", false).put("errors", new JsonArray()).put("delayStepCount", 0)
      .put("correlationId", "corr-1").put("cursor", "b").put("attempt", 1).put("stepCount", 3).put("fence", 2)
      .put("seq", 5).put("stepAt", 0).put("tl", new JsonArray());
  }

  /** The hash a whole run is stored as (as a redrive from the history writes it back). */
  private static Map<String, String> hash(JsonObject history) {
    Run run = RunJson.fromHistory(history);
    return map(RunHashCodec.encode(run));
  }

  private static Map<String, String> map(List<String> fieldsAndValues) {
    Map<String, String> fields = new HashMap<>();
    for (int i = 0; i + 1 < fieldsAndValues.size(); i += 2) {
      fields.put(fieldsAndValues.get(i), fieldsAndValues.get(i + 1));
    }
    return fields;
  }

  private static void assertSameAsDecoded(Map<String, String> fields) {
    Run decoded = RunHashCodec.decode(fields);
    HistoryRecord expected = HistoryRecord.of(decoded);

    HistoryRecord written = RunHistoryText.record(fields);

    assertThat(new JsonObject(written.document())).isEqualTo(RunJson.toHistory(decoded));
    assertThat(written).usingRecursiveComparison().ignoringFields("document").isEqualTo(expected);
  }
}
