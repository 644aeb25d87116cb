package io.orchestrator.engine;

import io.orchestrator.definitions.StepsParser;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The data a run's steps see: its input, its context and the outputs so far. Kept in memory while a worker holds
 * the run, mirroring every write it makes to the store.
 */
final class RunScope {

  final JsonObject input;
  JsonObject context;
  final JsonObject stepOutputs;

  RunScope(JsonObject input, JsonObject context, JsonObject stepOutputs) {
    this.input = input;
    this.context = context;
    this.stepOutputs = stepOutputs;
  }

  /** {@code {<stepId>: {output}}}: what functions receive as {@code steps}. */
  JsonObject stepsView() {
    JsonObject steps = new JsonObject();
    stepOutputs.forEach(e -> steps.put(e.getKey(), new JsonObject().put("output", e.getValue())));
    return steps;
  }

  /** Plain Java view for the Decider: {@code {input, context, steps: {<id>: {output}}}}. */
  Map<String, Object> forConditions() {
    Map<String, Object> scope = new LinkedHashMap<>();
    scope.put("input", StepsParser.plainJson(input));
    scope.put("context", StepsParser.plainJson(context));
    scope.put("steps", StepsParser.plainJson(stepsView()));
    return scope;
  }
}
