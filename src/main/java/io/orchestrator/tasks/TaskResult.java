package io.orchestrator.tasks;

import io.vertx.core.json.JsonObject;

/** What a worker reported: an output, or a failure that the step's retry policy may retry when retryable. */
public record TaskResult(boolean completed, Object output, String message, boolean retryable) {

  public static TaskResult completed(Object output) {
    return new TaskResult(true, output, null, false);
  }

  public static TaskResult failed(String message, boolean retryable) {
    return new TaskResult(false, null, message, retryable);
  }

  public JsonObject toJson() {
    return completed ? new JsonObject().put("outcome", "completed").put("output", output)
      : new JsonObject().put("outcome", "failed").put("message", message).put("retryable", retryable);
  }

  public static TaskResult fromJson(JsonObject json) {
    return "completed".equals(json.getString("outcome")) ? completed(json.getValue("output"))
      : failed(json.getString("message", ""), json.getBoolean("retryable", false));
  }
}
