package io.orchestrator.runs;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * A step a worker finished executing, or that failed the run.
 *
 * @param stepId  appended to {@code executedSteps}
 * @param output  any JSON value (JsonObject, JsonArray, String, Number, Boolean): becomes
 *                {@code stepOutputs[stepId]}, a loop keeps the latest; null for steps without output (decisions,
 *                a failed step), which leaves an earlier output of that step in place
 * @param context the run's whole context after the step; null leaves the stored context unchanged
 */
public record StepRecord(String stepId, Object output, JsonObject context) {

  public StepRecord {
    Objects.requireNonNull(stepId, "stepId");
  }
}
