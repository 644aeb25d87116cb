package io.orchestrator.engine;

import io.orchestrator.definitions.Condition;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.function.IntPredicate;

/**
 * Decides whether one {@link Condition} holds against a run's scope.
 *
 * <p>The scope is plain Java JSON shaped {@code {"input": ..., "context": ..., "steps": {"<id>": {"output":
 * ...}}}}; the condition's path is resolved with {@link PathResolver}. Then:
 *
 * <ul>
 *   <li>{@code exists} holds when the path is found, even if its value is JSON null; {@code notExists} is its
 *       negation.</li>
 *   <li>{@code eq} holds when the path is found and its value is {@link JsonEquality#equal JSON-equal} to the
 *       condition value; {@code neq} is its exact negation, so it holds for a missing path.</li>
 *   <li>{@code in} holds when the path is found and its value JSON-equals some element of the condition value,
 *       which must be an array; {@code notIn} is its exact negation, so it holds for a missing path and for a
 *       (never validated) non-array condition value.</li>
 *   <li>{@code gt}, {@code gte}, {@code lt}, {@code lte} hold only when both the found value and the condition
 *       value are numbers, compared by value across Java number types; a missing path, a null, a string,
 *       a boolean, an object or an array never satisfies them.</li>
 * </ul>
 *
 * <p>Evaluation never throws for data shapes: anything unexpected in the scope just makes the condition false
 * (or true for the negated operators), because run data is arbitrary user JSON.
 */
public final class ConditionEvaluator {

  private ConditionEvaluator() {
  }

  /** Whether {@code condition} holds against {@code scope}. */
  public static boolean holds(Condition condition, Map<String, Object> scope) {
    Objects.requireNonNull(condition, "condition");
    Objects.requireNonNull(condition.op(), "condition.op");
    PathLookup found = PathResolver.resolve(scope, condition.path());
    Object expected = condition.value();
    return switch (condition.op()) {
      case EXISTS -> found.found();
      case NOT_EXISTS -> !found.found();
      case EQ -> isEqual(found, expected);
      case NEQ -> !isEqual(found, expected);
      case IN -> isIn(found, expected);
      case NOT_IN -> !isIn(found, expected);
      case GT -> compares(found, expected, order -> order > 0);
      case GTE -> compares(found, expected, order -> order >= 0);
      case LT -> compares(found, expected, order -> order < 0);
      case LTE -> compares(found, expected, order -> order <= 0);
    };
  }

  private static boolean isEqual(PathLookup found, Object expected) {
    return found.found() && JsonEquality.equal(found.value(), expected);
  }

  private static boolean isIn(PathLookup found, Object expected) {
    if (!found.found() || !(expected instanceof List<?> candidates)) {
      return false;
    }
    return candidates.stream().anyMatch(candidate -> JsonEquality.equal(found.value(), candidate));
  }

  private static boolean compares(PathLookup found, Object expected, IntPredicate accepts) {
    if (!found.found()) {
      return false;
    }
    OptionalInt order = JsonNumbers.compare(found.value(), expected);
    return order.isPresent() && accepts.test(order.getAsInt());
  }
}
