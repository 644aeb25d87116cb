package io.orchestrator.engine;

import io.orchestrator.runs.RunStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * How a simulated run ended: {@code status} completed or failed, and the fields of Get Run Details it would have
 * ({@code executedSteps}, {@code stepOutputs}, {@code context}, {@code errors}), plus every decision taken
 * ({@code {stepId, matchedCase, nextStepId}}, {@code matchedCase} null for the default or no match) and every delay
 * passed without waiting ({@code {stepId, delayMs}}), in execution order.
 */
public record Simulation(RunStatus status, JsonArray executedSteps, JsonObject stepOutputs, JsonObject context,
                         JsonArray errors, JsonArray decisions, JsonArray delays) {

  public JsonObject toJson() {
    return new JsonObject().put("status", status.wire()).put("executedSteps", executedSteps)
      .put("stepOutputs", stepOutputs).put("context", context).put("errors", errors).put("decisions", decisions)
      .put("delays", delays);
  }
}
