package io.orchestrator.definitions;

import io.orchestrator.validation.Problems;
import io.orchestrator.validation.BodyReader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks one decision condition: a path the evaluator can resolve ({@code input[.…]}, {@code context[.…]} or
 * {@code steps.<known id>.output[.…]}), a known operator, and a value of the type the operator needs.
 */
final class ConditionValidator {

  static final String OPS = Arrays.stream(ConditionOp.values()).map(ConditionOp::wireName)
    .collect(Collectors.joining(", "));

  private final BodyReader reader;
  private final Problems problems;
  private final Set<String> stepIds;

  ConditionValidator(BodyReader reader, Set<String> stepIds) {
    this.reader = reader;
    this.problems = reader.problems();
    this.stepIds = stepIds;
  }

  void validate(Object value, String path) {
    if (!(value instanceof JsonObject condition)) {
      problems.add(path, "must be an object");
      return;
    }
    String conditionPath = reader.string(condition, path, "path", true);
    if (conditionPath != null) {
      pathProblem(conditionPath).ifPresent(message -> problems.add(Problems.path(path, "path"), message));
    }
    ConditionOp op = operator(condition, path);
    if (op != null && op.takesValue()) {
      checkValue(condition, path, op);
    }
  }

  /** Why the evaluator could not resolve {@code path}, if it could not. */
  Optional<String> pathProblem(String path) {
    String[] segments = path.split("\\.", -1);
    String root = segments[0];
    if (root.equals("steps")) {
      if (segments.length < 3 || !segments[2].equals("output")) {
        return Optional.of("must be steps.<id>.output, optionally followed by .<field>");
      }
      if (!stepIds.contains(segments[1])) {
        return Optional.of("no step with id '" + segments[1] + "'");
      }
    } else if (!root.equals("input") && !root.equals("context")) {
      return Optional.of("must start with input, context or steps.<id>.output");
    }
    if (Arrays.asList(segments).contains("")) {
      return Optional.of("must not contain empty segments");
    }
    return Optional.empty();
  }

  private ConditionOp operator(JsonObject condition, String parent) {
    Object wire = BodyReader.raw(condition, "op");
    if (wire == null) {
      problems.add(Problems.path(parent, "op"), "required");
      return null;
    }
    Optional<ConditionOp> op = wire instanceof String s ? ConditionOp.fromWire(s) : Optional.empty();
    if (op.isEmpty()) {
      problems.add(Problems.path(parent, "op"), "must be one of: " + OPS);
    }
    return op.orElse(null);
  }

  private void checkValue(JsonObject condition, String parent, ConditionOp op) {
    String path = Problems.path(parent, "value");
    // eq/neq may compare with JSON null, so presence of the key is what counts here
    if (!condition.containsKey("value")) {
      problems.add(path, "required");
      return;
    }
    Object value = condition.getValue("value");
    if (op.takesArray() && !(value instanceof JsonArray)) {
      problems.add(path, "must be an array for op '" + op.wireName() + "'");
    } else if (op.numeric() && !(value instanceof Number n && Double.isFinite(n.doubleValue()))) {
      problems.add(path, "must be a number for op '" + op.wireName() + "'");
    }
  }
}
