package io.orchestrator.definitions;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a {@code steps} array that {@link DefinitionValidator} accepted into step records, applying the defaults
 * (timeout 300000 ms; retry backoff 1000 ms, multiplier 2). Unvalidated input may throw
 * {@link IllegalArgumentException} or {@link ClassCastException}.
 */
public final class StepsParser {

  static final long DEFAULT_BACKOFF_MS = 1000;
  static final double DEFAULT_BACKOFF_MULTIPLIER = 2.0;

  private StepsParser() {
  }

  public static List<Step> parseSteps(JsonArray steps) {
    List<Step> parsed = new ArrayList<>(steps.size());
    for (int i = 0; i < steps.size(); i++) {
      parsed.add(parseStep(steps.getJsonObject(i)));
    }
    return List.copyOf(parsed);
  }

  public static Step parseStep(JsonObject step) {
    String id = step.getString("id");
    String name = text(step, "name");
    String type = step.getString("type");
    if ("compute".equals(type)) {
      long timeoutMs = number(step, "timeoutMs", ComputeStep.DEFAULT_TIMEOUT_MS).longValue();
      return new ComputeStep(id, name, step.getString("functionId"), timeoutMs, text(step, "nextStepId"),
        retry(step.getValue("retry")));
    }
    if ("decision".equals(type)) {
      return new DecisionStep(id, name, cases(step.getJsonArray("cases")), text(step, "defaultNextStepId"));
    }
    if ("delay".equals(type)) {
      return new DelayStep(id, name, number(step, "delayMs", 0).longValue(), text(step, "nextStepId"));
    }
    throw new IllegalArgumentException("unknown step type '" + type + "' for step '" + id + "'");
  }

  /**
   * Plain Java JSON for a Vert.x JSON value: JsonObject and Map become unmodifiable insertion-ordered maps,
   * JsonArray and List unmodifiable lists, recursively; strings, numbers, booleans and null stay as they are.
   * Unmodifiable because parsed definitions are shared by every run of a version.
   */
  public static Object plainJson(Object value) {
    if (value instanceof JsonObject o) {
      return plainJson(o.getMap());
    }
    if (value instanceof JsonArray a) {
      return plainJson(a.getList());
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(String.valueOf(k), plainJson(v)));
      return Collections.unmodifiableMap(copy);
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      list.forEach(v -> copy.add(plainJson(v)));
      return Collections.unmodifiableList(copy);
    }
    return value instanceof CharSequence cs ? cs.toString() : value;
  }

  private static RetryPolicy retry(Object value) {
    if (!(value instanceof JsonObject retry)) {
      return null;
    }
    return new RetryPolicy(number(retry, "maxAttempts", 1).intValue(),
      number(retry, "backoffMs", DEFAULT_BACKOFF_MS).longValue(),
      number(retry, "backoffMultiplier", DEFAULT_BACKOFF_MULTIPLIER).doubleValue());
  }

  private static List<DecisionCase> cases(JsonArray cases) {
    List<DecisionCase> parsed = new ArrayList<>(cases.size());
    for (int i = 0; i < cases.size(); i++) {
      JsonObject decisionCase = cases.getJsonObject(i);
      parsed.add(new DecisionCase(conditions(decisionCase.getJsonArray("conditions")),
        decisionCase.getString("nextStepId")));
    }
    return List.copyOf(parsed);
  }

  private static List<Condition> conditions(JsonArray conditions) {
    List<Condition> parsed = new ArrayList<>(conditions.size());
    for (int i = 0; i < conditions.size(); i++) {
      JsonObject condition = conditions.getJsonObject(i);
      ConditionOp op = ConditionOp.fromWire(condition.getString("op"))
        .orElseThrow(() -> new IllegalArgumentException("unknown op '" + condition.getString("op") + "'"));
      Object value = op.takesValue() ? plainJson(condition.getValue("value")) : null;
      parsed.add(new Condition(condition.getString("path"), op, value));
    }
    return List.copyOf(parsed);
  }

  private static String text(JsonObject o, String key) {
    return o.getValue(key) instanceof String s ? s : null;
  }

  private static Number number(JsonObject o, String key, Number fallback) {
    return o.getValue(key) instanceof Number n ? n : fallback;
  }
}
