package io.orchestrator.runs;

import io.orchestrator.common.Timestamps;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * A failed step attempt. The store adds {@code at} (its clock's now) when it appends the entry to {@code errors}.
 *
 * @param code    machine-readable, e.g. {@code http_500}, {@code timeout}, {@code no_matching_case}
 * @param attempt the attempt that failed, from 1
 */
public record StepError(String stepId, String code, String message, int attempt) {

  public StepError {
    Objects.requireNonNull(stepId, "stepId");
    Objects.requireNonNull(code, "code");
    message = message == null ? "" : message;
  }

  /** The {@code errors[]} entry of this attempt, failed at {@code atMillis}: {@code {stepId, code, message, attempt, at}}. */
  public JsonObject toJson(long atMillis) {
    return new JsonObject().put("stepId", stepId).put("code", code).put("message", message).put("attempt", attempt)
      .put("at", Timestamps.formatMillis(atMillis));
  }
}
