package io.orchestrator.tasks;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A compute step attempt to be served by an external worker.
 *
 * @param payload  {@code {input, context, steps}} as a function call would receive them
 * @param deadline when the attempt times out, queue time included (the step's timeoutMs after enqueueing)
 */
public record NewTask(String taskId, String runId, String orchestrationId, int orchestrationVersion,
                      String workspace, String queue, String functionId, String stepId, int attempt,
                      JsonObject payload, Instant deadline) {
}
