package io.orchestrator.tasks;

import io.orchestrator.common.Timestamps;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A task as a worker receives it. {@code taskId} names this lease ({@code <task>.<generation>}): once the lease
 * expires or the task is handed to another worker, reports under this id are refused.
 */
public record WorkerTask(String taskId, String runId, String orchestrationId, int orchestrationVersion,
                         String workspace, String queue, String functionId, String stepId, int attempt,
                         JsonObject payload, Instant leaseExpiresAt) {

  /** The task as a poll returns it; {@code traceparent} (and {@code tracestate}) when the task carries them. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("taskId", taskId).put("runId", runId).put("orchestrationId", orchestrationId)
      .put("orchestrationVersion", orchestrationVersion).put("workspaceSlug", workspace).put("queue", queue)
      .put("functionId", functionId).put("stepId", stepId).put("attempt", attempt)
      .put("input", payload.getValue("input")).put("context", payload.getValue("context"))
      .put("steps", payload.getValue("steps")).put("leaseExpiresAt", Timestamps.format(leaseExpiresAt));
    if (payload.getValue("traceparent") != null) {
      json.put("traceparent", payload.getValue("traceparent"));
    }
    if (payload.getValue("tracestate") != null) {
      json.put("tracestate", payload.getValue("tracestate"));
    }
    return json;
  }
}
