package io.orchestrator.definitions;

import io.orchestrator.validation.Problems;
import io.orchestrator.validation.BodyReader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks one step's own fields by type and collects the step ids it can go to. Ids themselves (format,
 * uniqueness) and reachability are StepGraphValidator's concern.
 */
final class StepValidator {

  static final List<String> TYPES = List.of("compute", "decision", "delay");
  static final int MAX_NAME = 200;
  static final long MAX_TIMEOUT_MS = 3_600_000L;
  static final long MAX_DELAY_MS = 31_536_000_000L;
  static final long MAX_ATTEMPTS = 20;
  static final long MAX_BACKOFF_MS = 3_600_000L;
  static final double MAX_BACKOFF_MULTIPLIER = 10;
  private static final TypeFields TYPE_FIELDS = new TypeFields("step", Map.of(
    "compute", List.of("functionId", "timeoutMs", "retry", "nextStepId"),
    "decision", List.of("cases", "defaultNextStepId"),
    "delay", List.of("delayMs", "nextStepId")));

  private final BodyReader reader;
  private final Problems problems;
  private final Set<String> functionIds;
  private final Set<String> stepIds;
  private final ConditionValidator conditions;

  StepValidator(BodyReader reader, Set<String> functionIds, Set<String> stepIds) {
    this.reader = reader;
    this.problems = reader.problems();
    this.functionIds = functionIds;
    this.stepIds = stepIds;
    this.conditions = new ConditionValidator(reader, stepIds);
  }

  StepEdges validate(JsonObject step, String path) {
    reader.text(step, path, "name", false, MAX_NAME);
    String type = reader.oneOf(step, path, "type", true, TYPES);
    if (type == null) {
      return StepEdges.unknown();
    }
    TYPE_FIELDS.check(step, path, type, problems);
    StepEdges edges = new StepEdges();
    switch (type) {
      case "compute" -> compute(step, path, edges);
      case "decision" -> decision(step, path, edges);
      default -> {
        reader.integer(step, path, "delayMs", true, 0, MAX_DELAY_MS);
        reference(step, path, "nextStepId", false, edges);
      }
    }
    return edges;
  }

  private void compute(JsonObject step, String path, StepEdges edges) {
    String functionId = reader.string(step, path, "functionId", true);
    if (functionId != null && !functionIds.contains(functionId)) {
      problems.add(Problems.path(path, "functionId"),
        "function '" + functionId + "' does not exist in this workspace");
    }
    reader.integer(step, path, "timeoutMs", false, 1, MAX_TIMEOUT_MS);
    reference(step, path, "nextStepId", false, edges);
    JsonObject retry = reader.object(step, path, "retry", false);
    if (retry != null) {
      String retryPath = Problems.path(path, "retry");
      reader.integer(retry, retryPath, "maxAttempts", true, 1, MAX_ATTEMPTS);
      reader.integer(retry, retryPath, "backoffMs", false, 0, MAX_BACKOFF_MS);
      reader.number(retry, retryPath, "backoffMultiplier", false, 1, MAX_BACKOFF_MULTIPLIER);
    }
  }

  private void decision(JsonObject step, String path, StepEdges edges) {
    boolean hasDefault = reference(step, path, "defaultNextStepId", false, edges);
    JsonArray cases = reader.array(step, path, "cases", true);
    if (cases == null) {
      edges.markIncomplete();
      return;
    }
    String casesPath = Problems.path(path, "cases");
    if (cases.isEmpty() && !hasDefault) {
      problems.add(casesPath, "must not be empty unless defaultNextStepId is given");
    }
    for (int i = 0; i < cases.size(); i++) {
      decisionCase(cases.getValue(i), Problems.path(casesPath, i), edges);
    }
  }

  private void decisionCase(Object value, String path, StepEdges edges) {
    if (!(value instanceof JsonObject decisionCase)) {
      problems.add(path, "must be an object");
      edges.markIncomplete();
      return;
    }
    JsonArray list = reader.array(decisionCase, path, "conditions", true);
    if (list != null && list.isEmpty()) {
      problems.add(Problems.path(path, "conditions"), "must not be empty");
    }
    for (int i = 0; list != null && i < list.size(); i++) {
      conditions.validate(list.getValue(i), Problems.path(Problems.path(path, "conditions"), i));
    }
    reference(decisionCase, path, "nextStepId", true, edges);
  }

  /** Checks a reference to another step and records it as an edge; true when a value was given. */
  private boolean reference(JsonObject owner, String parent, String key, boolean required, StepEdges edges) {
    boolean given = BodyReader.raw(owner, key) != null;
    String target = reader.string(owner, parent, key, required);
    if (target == null) {
      // a missing required or mistyped reference hides where the step was meant to go
      if (given || required) {
        edges.markIncomplete();
      }
      return given;
    }
    if (!stepIds.contains(target)) {
      problems.add(Problems.path(parent, key), "no step with id '" + target + "'");
      edges.markIncomplete();
    } else {
      edges.add(target);
    }
    return true;
  }
}
