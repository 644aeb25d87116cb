package io.orchestrator.definitions;

import io.orchestrator.common.FieldError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.stream.Stream;

import static io.orchestrator.definitions.Bodies.create;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

@DisplayName("DefinitionValidator: decision conditions")
class ConditionValidatorTest {

  private static final String AT = "steps[1].cases[0].conditions[0]";

  /** The reference example with its one condition replaced ({@code '} for {@code "}). */
  private static List<FieldError> errorsFor(String conditionJson) {
    JsonObject body = Bodies.reference();
    JsonArray conditions = body.getJsonArray("steps").getJsonObject(1).getJsonArray("cases").getJsonObject(0)
      .getJsonArray("conditions");
    conditions.set(0, JsonLiteral.of(conditionJson.replace('\'', '"')));
    return create(body);
  }

  static Stream<String> validConditions() {
    return Stream.of(
      "{'path': 'input.status', 'op': 'eq', 'value': 'active'}",
      "{'path': 'input.status', 'op': 'eq', 'value': null}",
      "{'path': 'input.data', 'op': 'neq', 'value': {'a': [1, null]}}",
      "{'path': 'input.amount', 'op': 'gt', 'value': 100}",
      "{'path': 'input.amount', 'op': 'gte', 'value': -0.5}",
      "{'path': 'context.retryCount', 'op': 'lt', 'value': 3}",
      "{'path': 'input.data.before.version', 'op': 'lte', 'value': 1e3}",
      "{'path': 'input.type', 'op': 'in', 'value': ['premium', 'enterprise']}",
      "{'path': 'input.type', 'op': 'notIn', 'value': []}",
      "{'path': 'input.email', 'op': 'exists'}",
      "{'path': 'input.email', 'op': 'notExists', 'value': 'ignored'}",
      "{'path': 'input', 'op': 'exists'}",
      "{'path': 'context', 'op': 'exists'}",
      "{'path': 'steps.validate.output', 'op': 'exists'}",
      "{'path': 'steps.validate.output.isValid', 'op': 'eq', 'value': true}",
      "{'path': 'steps.reject.output.items[0].id', 'op': 'eq', 'value': 'x'}");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validConditions")
  @DisplayName("the reference's operators and path forms are valid")
  void validCondition(String json) {
    assertThat(errorsFor(json)).isEmpty();
  }

  static Stream<Arguments> invalidConditions() {
    String ops = "must be one of: eq, neq, gt, gte, lt, lte, in, notIn, exists, notExists";
    return Stream.of(
      arguments("'input.x'", "", "must be an object"),
      arguments("{'op': 'exists'}", ".path", "required"),
      arguments("{'path': 5, 'op': 'exists'}", ".path", "must be a string"),
      arguments("{'path': 'data.status', 'op': 'exists'}", ".path",
        "must start with input, context or steps.<id>.output"),
      arguments("{'path': 'inputs.status', 'op': 'exists'}", ".path",
        "must start with input, context or steps.<id>.output"),
      arguments("{'path': '', 'op': 'exists'}", ".path", "must start with input, context or steps.<id>.output"),
      arguments("{'path': 'steps', 'op': 'exists'}", ".path",
        "must be steps.<id>.output, optionally followed by .<field>"),
      arguments("{'path': 'steps.validate', 'op': 'exists'}", ".path",
        "must be steps.<id>.output, optionally followed by .<field>"),
      arguments("{'path': 'steps.validate.result.ok', 'op': 'exists'}", ".path",
        "must be steps.<id>.output, optionally followed by .<field>"),
      arguments("{'path': 'steps.ghost.output.ok', 'op': 'exists'}", ".path", "no step with id 'ghost'"),
      arguments("{'path': 'input..status', 'op': 'exists'}", ".path", "must not contain empty segments"),
      arguments("{'path': 'context.', 'op': 'exists'}", ".path", "must not contain empty segments"),
      arguments("{'path': 'input.x'}", ".op", "required"),
      arguments("{'path': 'input.x', 'op': 'equals', 'value': 1}", ".op", ops),
      arguments("{'path': 'input.x', 'op': 'EQ', 'value': 1}", ".op", ops),
      arguments("{'path': 'input.x', 'op': 3, 'value': 1}", ".op", ops),
      arguments("{'path': 'input.x', 'op': 'eq'}", ".value", "required"),
      arguments("{'path': 'input.x', 'op': 'neq'}", ".value", "required"),
      arguments("{'path': 'input.x', 'op': 'gt', 'value': '10'}", ".value", "must be a number for op 'gt'"),
      arguments("{'path': 'input.x', 'op': 'gte', 'value': null}", ".value", "must be a number for op 'gte'"),
      arguments("{'path': 'input.x', 'op': 'lt', 'value': [1]}", ".value", "must be a number for op 'lt'"),
      arguments("{'path': 'input.x', 'op': 'lte'}", ".value", "required"),
      arguments("{'path': 'input.x', 'op': 'in', 'value': 'premium'}", ".value", "must be an array for op 'in'"),
      arguments("{'path': 'input.x', 'op': 'notIn', 'value': {}}", ".value", "must be an array for op 'notIn'"),
      arguments("{'path': 'input.x', 'op': 'in'}", ".value", "required"));
  }

  @ParameterizedTest(name = "{0} → {1}: {2}")
  @MethodSource("invalidConditions")
  @DisplayName("each condition rule reports exactly one error at the offending field")
  void invalidCondition(String json, String suffix, String message) {
    assertThat(errorsFor(json)).containsExactly(new FieldError(AT + suffix, message));
  }

  @Test
  @DisplayName("path, op and value problems of one condition are reported together")
  void allConditionProblems() {
    assertThat(errorsFor("{'path': 'nowhere', 'op': 'like', 'value': 1}")).containsExactly(
      new FieldError(AT + ".path", "must start with input, context or steps.<id>.output"),
      new FieldError(AT + ".op", "must be one of: eq, neq, gt, gte, lt, lte, in, notIn, exists, notExists"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"steps.check-result.output.x", "steps.fulfill.output"})
  @DisplayName("a condition may read any step's output, including its own and later steps'")
  void anyStepOutput(String path) {
    assertThat(errorsFor("{'path': '" + path + "', 'op': 'exists'}")).isEmpty();
  }

  @Test
  @DisplayName("a non-finite number is not a comparison value")
  void nonFiniteNumber() {
    JsonObject body = Bodies.reference();
    body.getJsonArray("steps").getJsonObject(1).getJsonArray("cases").getJsonObject(0).getJsonArray("conditions")
      .set(0, new JsonObject().put("path", "input.x").put("op", "gt").put("value", Double.NaN));
    assertThat(create(body)).containsExactly(new FieldError(AT + ".value", "must be a number for op 'gt'"));
  }
}
