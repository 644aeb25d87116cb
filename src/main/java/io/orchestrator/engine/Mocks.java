package io.orchestrator.engine;

import io.orchestrator.definitions.ComputeStep;
import io.orchestrator.definitions.Step;
import io.orchestrator.functions.InvocationResult;
import io.orchestrator.validation.BodyReader;
import io.orchestrator.validation.Problems;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a simulation's compute steps answer instead of their functions, per step id: one entry ({@code {output}} or
 * {@code {error: {code, message}}}) answers every attempt of every execution; an array answers one attempt per entry,
 * in order, and is then used up. One instance per simulation: taking an entry consumes it.
 */
public final class Mocks {

  private static final int MAX_CODE = 100;
  private static final int MAX_MESSAGE = 10_000;

  private final Map<String, InvocationResult> always;
  private final Map<String, Deque<InvocationResult>> queued;
  private final Map<String, Integer> queuedSizes = new HashMap<>();

  private Mocks(Map<String, InvocationResult> always, Map<String, Deque<InvocationResult>> queued) {
    this.always = always;
    this.queued = queued;
    queued.forEach((stepId, attempts) -> queuedSizes.put(stepId, attempts.size()));
  }

  /**
   * Reads {@code mocks} (null means none), reporting every problem into {@code problems} under {@code mocks.<stepId>}
   * (an entry of an array: {@code mocks.<stepId>[1].error.code}). With {@code def} non-null, a key naming no step, or a
   * decision or delay step, is a problem too. The result is meaningful only when nothing was reported.
   */
  public static Mocks parse(JsonObject mocks, ExecutableOrchestration def, Problems problems) {
    Map<String, InvocationResult> always = new HashMap<>();
    Map<String, Deque<InvocationResult>> queued = new HashMap<>();
    if (mocks != null) {
      for (String stepId : mocks.fieldNames()) {
        String path = Problems.path("mocks", stepId);
        checkStep(def, stepId, path, problems);
        Object value = mocks.getValue(stepId);
        if (value instanceof JsonArray entries) {
          Deque<InvocationResult> attempts = new ArrayDeque<>();
          for (int i = 0; i < entries.size(); i++) {
            entry(entries.getValue(i), Problems.path(path, i), problems).ifPresent(attempts::add);
          }
          queued.put(stepId, attempts);
        } else {
          entry(value, path, problems).ifPresent(result -> always.put(stepId, result));
        }
      }
    }
    return new Mocks(always, queued);
  }

  /** The answer to the next attempt of compute step {@code stepId}; empty when it has no mock or used them up. */
  Optional<InvocationResult> next(String stepId) {
    InvocationResult fixed = always.get(stepId);
    if (fixed != null) {
      return Optional.of(fixed);
    }
    Deque<InvocationResult> attempts = queued.get(stepId);
    return attempts == null ? Optional.empty() : Optional.ofNullable(attempts.poll());
  }

  /** Why {@link #next} found nothing for {@code stepId}, for the {@code no_mock} error's message. */
  String missing(String stepId) {
    Integer size = queuedSizes.get(stepId);
    if (size == null || size == 0) {
      return "step '" + stepId + "' has no mock";
    }
    return size == 1 ? "the one mock of step '" + stepId + "' is used up"
      : "the " + size + " mocks of step '" + stepId + "' are used up";
  }

  private static void checkStep(ExecutableOrchestration def, String stepId, String path, Problems problems) {
    if (def == null) {
      return;
    }
    Step step = def.step(stepId);
    if (step == null) {
      problems.add(path, "names no step of the definition");
    } else if (!(step instanceof ComputeStep)) {
      problems.add(path, "names a " + RunExecutor.type(step) + " step: only compute steps are mocked");
    }
  }

  private static Optional<InvocationResult> entry(Object value, String path, Problems problems) {
    if (!(value instanceof JsonObject entry)) {
      problems.add(path, "must be {\"output\": …} or {\"error\": {\"code\", \"message\"}}, or an array of them");
      return Optional.empty();
    }
    boolean output = entry.containsKey("output");
    boolean error = entry.containsKey("error");
    if (output == error) {
      problems.add(path, output ? "must hold either output or error, not both" : "must hold output or error");
      return Optional.empty();
    }
    if (output) {
      return Optional.of(new InvocationResult.Success(entry.getValue("output")));
    }
    BodyReader reader = new BodyReader(problems);
    JsonObject failure = reader.object(entry, path, "error", true);
    if (failure == null) {
      return Optional.empty();
    }
    String errorPath = Problems.path(path, "error");
    String code = reader.nonBlankText(failure, errorPath, "code", true, MAX_CODE);
    String message = reader.text(failure, errorPath, "message", false, MAX_MESSAGE);
    return code == null ? Optional.empty() : Optional.of(new InvocationResult.Failure(code, message));
  }
}
