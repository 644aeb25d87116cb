package io.orchestrator.runs;

import io.orchestrator.common.Timestamps;
import io.orchestrator.common.TraceParent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;

/**
 * The API's run shapes (Get Run Details, the List Runs item, the trigger response) and the history document, which
 * is the details plus the engine's bookkeeping so a run read back from PostgreSQL is the same record.
 */
public final class RunJson {

  private RunJson() {
  }

  /** Get Run Details; {@code stepTypes} (step id → type of the run's version) types the timeline's entries. */
  public static JsonObject details(Run run, Map<String, String> stepTypes) {
    return record(run).put("timeline", RunTimeline.render(run, stepTypes));
  }

  /** The details' fields that the run alone gives (all but the timeline, which needs the step types). */
  private static JsonObject record(Run run) {
    return summary(run).put("orchestrationVersion", run.orchestrationVersion()).put("input", run.input())
      .put("context", run.context()).put("stepOutputs", run.stepOutputs()).put("executedSteps", run.executedSteps())
      .put("errors", run.errors()).put("redriveCount", run.redrives().size()).put("redrives", run.redrives());
  }

  public static JsonObject summary(Run run) {
    JsonObject summary = new JsonObject().put("id", run.id()).put("orchestrationId", run.orchestrationId())
      .put("status", run.status().wire()).put("triggerType", run.triggerType())
      .put("triggerMetadata", run.triggerMetadata()).put("currentStepId", run.currentStepId())
      .put("startedAt", Timestamps.format(run.startedAt())).put("completedAt", Timestamps.format(run.completedAt()))
      .put("hasErrors", run.hasErrors()).put("delayStepCount", run.delayStepCount())
      .put("correlationId", run.correlationId()).put("traceId", run.traceId());
    if (run.replayOf() != null) {
      summary.put("replayOf", run.replayOf());
    }
    return summary;
  }

  /** The trigger response: the reference's fields plus the version and correlation id. */
  public static JsonObject triggered(Run run) {
    return new JsonObject().put("id", run.id()).put("orchestrationId", run.orchestrationId())
      .put("orchestrationVersion", run.orchestrationVersion()).put("status", run.status().wire())
      .put("triggerType", run.triggerType()).put("startedAt", Timestamps.format(run.startedAt()))
      .put("correlationId", run.correlationId());
  }

  public static JsonObject toHistory(Run run) {
    JsonObject history = record(run).put("workspace", run.workspace()).put("cursor", run.cursor())
      .put("attempt", run.attempt()).put("stepCount", run.stepCount()).put("fence", run.fence())
      .put("resumeStepId", run.resumeStepId()).put("seq", run.seq()).put("stepAt", run.stepAt())
      .put("tl", run.timeline());
    TraceParent parent = run.traceParent();
    if (parent != null) {
      history.put("traceparent", TraceParent.header(parent.traceId(), parent.parentId(), parent.flags()))
        .put("tracestate", run.traceState());
    }
    return history;
  }

  public static Run fromHistory(JsonObject json) {
    return new Run(json.getString("id"), json.getString("workspace"), json.getString("orchestrationId"),
      json.getInteger("orchestrationVersion"), RunStatus.fromWire(json.getString("status")),
      json.getString("triggerType"), json.getJsonObject("triggerMetadata", new JsonObject()),
      json.getJsonObject("input", new JsonObject()), json.getJsonObject("context", new JsonObject()),
      json.getJsonObject("stepOutputs", new JsonObject()), json.getString("currentStepId"),
      json.getJsonArray("executedSteps", new JsonArray()), instant(json.getString("startedAt")),
      instant(json.getString("completedAt")), json.getBoolean("hasErrors", false),
      json.getJsonArray("errors", new JsonArray()), json.getInteger("delayStepCount", 0),
      json.getString("correlationId"), json.getString("cursor"), json.getInteger("attempt", 1),
      json.getInteger("stepCount", 0), json.getLong("fence", 0L), null, 0, json.getString("replayOf"),
      json.getJsonArray("redrives", new JsonArray()), json.getString("resumeStepId"), json.getLong("seq", 0L),
      json.getLong("stepAt", 0L), json.getJsonArray("tl", new JsonArray()),
      TraceParent.parse(json.getString("traceparent")).orElse(null), json.getString("tracestate"));
  }

  private static Instant instant(String text) {
    return text == null ? null : Instant.parse(text);
  }
}
