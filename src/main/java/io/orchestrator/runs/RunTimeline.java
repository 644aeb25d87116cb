package io.orchestrator.runs;

import io.orchestrator.common.Timestamps;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;

/**
 * A run's {@code timeline} as the API shows it: {@code {stepId, type, startedAt, completedAt, outcome}} for every
 * executed step (loops and redrives included), then the step in progress, whose {@code completedAt} is null (a
 * waited delay already says {@code waited}; a step still executing has no outcome yet).
 */
public final class RunTimeline {

  private static final Map<String, String> OUTCOMES =
    Map.of("c", "completed", "f", "failed", "w", "waited", "x", "cancelled");

  private RunTimeline() {
  }

  /** @param stepTypes step id → compute | decision | delay of the run's version (a missing id gives type null) */
  public static JsonArray render(Run run, Map<String, String> stepTypes) {
    JsonArray timeline = new JsonArray();
    for (Object item : run.timeline()) {
      JsonArray entry = (JsonArray) item;
      String stepId = entry.getString(0);
      timeline.add(entry(stepId, stepTypes.get(stepId), entry.getLong(1), entry.getLong(2),
        OUTCOMES.get(entry.getString(3))));
    }
    boolean inProgress = run.status() == RunStatus.RUNNING || run.status() == RunStatus.WAITING;
    if (inProgress && run.currentStepId() != null && run.stepAt() > 0) {
      String type = stepTypes.get(run.currentStepId());
      timeline.add(entry(run.currentStepId(), type, run.stepAt(), null,
        run.status() == RunStatus.WAITING ? "waited" : null));
    }
    return timeline;
  }

  private static JsonObject entry(String stepId, String type, Long startedAt, Long completedAt, String outcome) {
    return new JsonObject().put("stepId", stepId).put("type", type)
      .put("startedAt", Timestamps.format(startedAt == null ? null : Instant.ofEpochMilli(startedAt)))
      .put("completedAt", Timestamps.format(completedAt == null ? null : Instant.ofEpochMilli(completedAt)))
      .put("outcome", outcome);
  }
}
