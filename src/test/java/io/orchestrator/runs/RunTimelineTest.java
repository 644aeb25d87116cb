package io.orchestrator.runs;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RunTimelineTest {

  private static final long T0 = Instant.parse("2026-03-01T10:00:00Z").toEpochMilli();
  private static final Map<String, String> TYPES = Map.of("a", "compute", "pick", "decision", "wait", "delay");

  @Test
  @DisplayName("finished steps in order with their types, ISO times and outcomes; the step in progress last")
  void rendersFinishedAndCurrentSteps() {
    JsonArray raw = new JsonArray()
      .add(new JsonArray().add("a").add(T0).add(T0 + 250).add("c"))
      .add(new JsonArray().add("pick").add(T0 + 250).add(T0 + 251).add("c"))
      .add(new JsonArray().add("wait").add(T0 + 251).add(T0 + 5251).add("w"));

    JsonArray timeline = RunTimeline.render(run(RunStatus.RUNNING, "a", T0 + 5251, raw), TYPES);

    assertThat(timeline).containsExactly(
      entry("a", "compute", "2026-03-01T10:00:00.000Z", "2026-03-01T10:00:00.250Z", "completed"),
      entry("pick", "decision", "2026-03-01T10:00:00.250Z", "2026-03-01T10:00:00.251Z", "completed"),
      entry("wait", "delay", "2026-03-01T10:00:00.251Z", "2026-03-01T10:00:05.251Z", "waited"),
      entry("a", "compute", "2026-03-01T10:00:05.251Z", null, null));
  }

  @Test
  @DisplayName("a waiting run's delay is waited with no end yet; failed and cancelled outcomes; no entry once "
    + "finished")
  void outcomes() {
    JsonArray failed = new JsonArray().add(new JsonArray().add("a").add(T0).add(T0 + 1).add("f"));
    JsonArray cancelled = new JsonArray().add(new JsonArray().add("wait").add(T0).add(T0 + 9).add("x"));

    assertThat(RunTimeline.render(run(RunStatus.WAITING, "wait", T0, new JsonArray()), TYPES)).containsExactly(
      entry("wait", "delay", "2026-03-01T10:00:00.000Z", null, "waited"));
    assertThat(RunTimeline.render(run(RunStatus.FAILED, null, T0 + 1, failed), TYPES)).containsExactly(
      entry("a", "compute", "2026-03-01T10:00:00.000Z", "2026-03-01T10:00:00.001Z", "failed"));
    assertThat(RunTimeline.render(run(RunStatus.CANCELLED, null, T0 + 9, cancelled), TYPES)).containsExactly(
      entry("wait", "delay", "2026-03-01T10:00:00.000Z", "2026-03-01T10:00:00.009Z", "cancelled"));
    assertThat(RunTimeline.render(run(RunStatus.PENDING, null, 0, new JsonArray()), TYPES)).isEmpty();
    assertThat(RunTimeline.render(run(RunStatus.RUNNING, "gone", T0, new JsonArray()), TYPES).getJsonObject(0)
      .getString("type")).as("a step the version lacks").isNull();
  }

  private static JsonObject entry(String stepId, String type, String startedAt, String completedAt, String outcome) {
    return new JsonObject().put("stepId", stepId).put("type", type).put("startedAt", startedAt)
      .put("completedAt", completedAt).put("outcome", outcome);
  }

  private static Run run(RunStatus status, String currentStepId, long stepAt, JsonArray timeline) {
    return new Run("run_1", "ws", "orch_1", 1, status, "manual", new JsonObject(), new JsonObject(),
      new JsonObject(), new JsonObject(), currentStepId, new JsonArray(), Instant.ofEpochMilli(T0), null, false,
      new JsonArray(), 0, null, currentStepId, 1, 0, 1, null, 0, null, new JsonArray(), null, 1, stepAt, timeline);
  }
}
