package io.orchestrator.definitions;

import io.orchestrator.validation.Problems;
import io.orchestrator.validation.BodyReader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks the {@code steps} array as a graph: size, ids (format, uniqueness), each step's own fields (via
 * StepValidator) and that every step is reachable from the entry, the first step. Cycles are allowed.
 */
final class StepGraphValidator {

  static final Pattern STEP_ID = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");
  static final int MAX_STEPS = 200;

  private final BodyReader reader;
  private final Problems problems;
  private final Set<String> functionIds;

  StepGraphValidator(BodyReader reader, Set<String> functionIds) {
    this.reader = reader;
    this.problems = reader.problems();
    this.functionIds = functionIds;
  }

  void validate(JsonArray steps, String path) {
    if (steps.isEmpty() || steps.size() > MAX_STEPS) {
      problems.add(path, "must contain between 1 and " + MAX_STEPS + " steps");
      if (steps.isEmpty()) {
        return;
      }
    }
    // every string id counts as declared, even a malformed one, so references to it are not also reported
    Map<String, Integer> declared = declareIds(steps, path);
    StepValidator stepValidator = new StepValidator(reader, functionIds, declared.keySet());
    List<StepEdges> edges = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      Object step = steps.getValue(i);
      edges.add(step instanceof JsonObject o ? stepValidator.validate(o, Problems.path(path, i)) : StepEdges.unknown());
    }
    checkReachable(steps, path, declared, edges);
  }

  private Map<String, Integer> declareIds(JsonArray steps, String path) {
    Map<String, Integer> declared = new HashMap<>();
    for (int i = 0; i < steps.size(); i++) {
      if (!(steps.getValue(i) instanceof JsonObject step)) {
        problems.add(Problems.path(path, i), "must be an object");
        continue;
      }
      String idPath = Problems.path(Problems.path(path, i), "id");
      String id = reader.string(step, Problems.path(path, i), "id", true);
      if (id == null) {
        continue;
      }
      if (!STEP_ID.matcher(id).matches()) {
        problems.add(idPath, "must be 1 to 64 letters, digits, '_' or '-'");
      }
      Integer first = declared.putIfAbsent(id, i);
      if (first != null) {
        problems.add(idPath, "duplicates the id of " + Problems.path(path, first));
      }
    }
    return declared;
  }

  private void checkReachable(JsonArray steps, String path, Map<String, Integer> declared, List<StepEdges> edges) {
    String entry = idOf(steps, 0);
    if (entry == null) {
      return;
    }
    boolean[] reached = reach(declared, edges);
    for (int i = 0; i < steps.size(); i++) {
      if (reached[i] && !edges.get(i).complete()) {
        return;
      }
    }
    for (int i = 0; i < steps.size(); i++) {
      String id = idOf(steps, i);
      // malformed and duplicate ids already have their own error
      if (!reached[i] && id != null && declared.get(id) == i && STEP_ID.matcher(id).matches()) {
        problems.add(Problems.path(Problems.path(path, i), "id"),
          "step '" + id + "' is not reachable from the entry step '" + entry + "'");
      }
    }
  }

  private static boolean[] reach(Map<String, Integer> declared, List<StepEdges> edges) {
    boolean[] reached = new boolean[edges.size()];
    Deque<Integer> pending = new ArrayDeque<>(List.of(0));
    reached[0] = true;
    while (!pending.isEmpty()) {
      for (String target : edges.get(pending.pop()).targets()) {
        Integer next = declared.get(target);
        if (next != null && !reached[next]) {
          reached[next] = true;
          pending.push(next);
        }
      }
    }
    return reached;
  }

  private static String idOf(JsonArray steps, int index) {
    return steps.getValue(index) instanceof JsonObject step && BodyReader.raw(step, "id") instanceof String id
      ? id : null;
  }
}
