package io.orchestrator.definitions;

import io.orchestrator.common.FieldError;
import io.vertx.core.json.JsonArray;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static io.orchestrator.definitions.Bodies.create;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

@DisplayName("DefinitionValidator: steps and the step graph")
class StepGraphValidatorTest {

  /** Steps JSON with ' for " so the tables stay readable. */
  private static List<FieldError> errorsFor(String stepsJson) {
    return create(Bodies.withSteps(new JsonArray(stepsJson.replace('\'', '"'))));
  }

  /** A first step that goes to {@code second}, so the second step under test is reachable. */
  private static String after(String second) {
    return "[{'id': 'a', 'type': 'delay', 'delayMs': 0, 'nextStepId': 'b'}, " + second + "]";
  }

  static Stream<Arguments> idAndTypeErrors() {
    return Stream.of(
      arguments("[{'id': 'a', 'type': 'delay', 'delayMs': 0}, 'b']", "steps[1]", "must be an object"),
      arguments("[{'type': 'delay', 'delayMs': 0}]", "steps[0].id", "required"),
      arguments("[{'id': 5, 'type': 'delay', 'delayMs': 0}]", "steps[0].id", "must be a string"),
      arguments("[{'id': 'has space', 'type': 'delay', 'delayMs': 0}]", "steps[0].id",
        "must be 1 to 64 letters, digits, '_' or '-'"),
      arguments("[{'id': '', 'type': 'delay', 'delayMs': 0}]", "steps[0].id",
        "must be 1 to 64 letters, digits, '_' or '-'"),
      arguments("[{'id': '" + "x".repeat(65) + "', 'type': 'delay', 'delayMs': 0}]", "steps[0].id",
        "must be 1 to 64 letters, digits, '_' or '-'"),
      arguments("[{'id': 'a', 'type': 'delay', 'delayMs': 0, 'nextStepId': 'b'},"
        + " {'id': 'b', 'type': 'delay', 'delayMs': 0}, {'id': 'a', 'type': 'delay', 'delayMs': 0}]",
        "steps[2].id", "duplicates the id of steps[0]"),
      arguments("[{'id': 'a', 'delayMs': 0}]", "steps[0].type", "required"),
      arguments("[{'id': 'a', 'type': 'wait'}]", "steps[0].type", "must be one of: compute, decision, delay"),
      arguments("[{'id': 'a', 'type': 'delay', 'delayMs': 0, 'name': 7}]", "steps[0].name", "must be a string"),
      arguments("[{'id': 'a', 'type': 'delay', 'delayMs': 0, 'name': '" + "n".repeat(201) + "'}]", "steps[0].name",
        "must be at most 200 characters"),
      arguments("[{'id': 'a', 'type': 'delay', 'delayMs': 0, 'nextStepId': 'zzz'}]", "steps[0].nextStepId",
        "no step with id 'zzz'"));
  }

  static Stream<Arguments> computeErrors() {
    return Stream.of(
      arguments("[{'id': 'a', 'type': 'compute'}]", "steps[0].functionId", "required"),
      arguments("[{'id': 'a', 'type': 'compute', 'functionId': 'func_x'}]", "steps[0].functionId",
        "function 'func_x' does not exist in this workspace"),
      arguments("[{'id': 'a', 'type': 'compute', 'functionId': 12}]", "steps[0].functionId", "must be a string"),
      arguments("[{'id': 'a', 'type': 'compute', 'functionId': 'func_abc123', 'timeoutMs': 0}]",
        "steps[0].timeoutMs", "must be between 1 and 3600000"),
      arguments("[{'id': 'a', 'type': 'compute', 'functionId': 'func_abc123', 'timeoutMs': 3600001}]",
        "steps[0].timeoutMs", "must be between 1 and 3600000"),
      arguments("[{'id': 'a', 'type': 'compute', 'functionId': 'func_abc123', 'timeoutMs': '30s'}]",
        "steps[0].timeoutMs", "must be an integer"),
      arguments("[{'id': 'a', 'type': 'compute', 'functionId': 'func_abc123', 'nextStepId': 5}]",
        "steps[0].nextStepId", "must be a string"),
      arguments("[{'id': 'a', 'type': 'compute', 'functionId': 'func_abc123', 'nextStepId': 'nope'}]",
        "steps[0].nextStepId", "no step with id 'nope'"),
      arguments("[{'id': 'a', 'type': 'compute', 'functionId': 'func_abc123', 'retry': 3}]", "steps[0].retry",
        "must be an object"),
      arguments("[{'id': 'a', 'type': 'compute', 'functionId': 'func_abc123', 'retry': {}}]",
        "steps[0].retry.maxAttempts", "required"),
      arguments("[{'id': 'a', 'type': 'compute', 'functionId': 'func_abc123', 'retry': {'maxAttempts': 0}}]",
        "steps[0].retry.maxAttempts", "must be between 1 and 20"),
      arguments("[{'id': 'a', 'type': 'compute', 'functionId': 'func_abc123', 'retry': {'maxAttempts': 21}}]",
        "steps[0].retry.maxAttempts", "must be between 1 and 20"),
      arguments("[{'id': 'a', 'type': 'compute', 'functionId': 'func_abc123', 'retry': {'maxAttempts': 2.5}}]",
        "steps[0].retry.maxAttempts", "must be an integer"),
      arguments("[{'id': 'a', 'type': 'compute', 'functionId': 'func_abc123',"
        + " 'retry': {'maxAttempts': 2, 'backoffMs': -1}}]", "steps[0].retry.backoffMs",
        "must be between 0 and 3600000"),
      arguments("[{'id': 'a', 'type': 'compute', 'functionId': 'func_abc123',"
        + " 'retry': {'maxAttempts': 2, 'backoffMs': 3600001}}]", "steps[0].retry.backoffMs",
        "must be between 0 and 3600000"),
      arguments("[{'id': 'a', 'type': 'compute', 'functionId': 'func_abc123',"
        + " 'retry': {'maxAttempts': 2, 'backoffMultiplier': 0.5}}]", "steps[0].retry.backoffMultiplier",
        "must be between 1 and 10"),
      arguments("[{'id': 'a', 'type': 'compute', 'functionId': 'func_abc123',"
        + " 'retry': {'maxAttempts': 2, 'backoffMultiplier': 10.5}}]", "steps[0].retry.backoffMultiplier",
        "must be between 1 and 10"),
      arguments("[{'id': 'a', 'type': 'compute', 'functionId': 'func_abc123',"
        + " 'retry': {'maxAttempts': 2, 'backoffMultiplier': '2'}}]", "steps[0].retry.backoffMultiplier",
        "must be a number"));
  }

  static Stream<Arguments> delayAndDecisionErrors() {
    return Stream.of(
      arguments("[{'id': 'a', 'type': 'delay'}]", "steps[0].delayMs", "required"),
      arguments("[{'id': 'a', 'type': 'delay', 'delayMs': -1}]", "steps[0].delayMs",
        "must be between 0 and 31536000000"),
      arguments("[{'id': 'a', 'type': 'delay', 'delayMs': 31536000001}]", "steps[0].delayMs",
        "must be between 0 and 31536000000"),
      arguments("[{'id': 'a', 'type': 'delay', 'delayMs': 99999999999999999999999}]", "steps[0].delayMs",
        "must be between 0 and 31536000000"),
      arguments("[{'id': 'a', 'type': 'delay', 'delayMs': 1.5}]", "steps[0].delayMs", "must be an integer"),
      arguments("[{'id': 'a', 'type': 'decision', 'defaultNextStepId': 'a'}]", "steps[0].cases", "required"),
      arguments("[{'id': 'a', 'type': 'decision', 'cases': {}}]", "steps[0].cases", "must be an array"),
      arguments("[{'id': 'a', 'type': 'decision', 'cases': []}]", "steps[0].cases",
        "must not be empty unless defaultNextStepId is given"),
      arguments("[{'id': 'a', 'type': 'decision', 'cases': [], 'defaultNextStepId': null}]", "steps[0].cases",
        "must not be empty unless defaultNextStepId is given"),
      arguments("[{'id': 'a', 'type': 'decision', 'cases': [], 'defaultNextStepId': 'gone'}]",
        "steps[0].defaultNextStepId", "no step with id 'gone'"),
      arguments("[{'id': 'a', 'type': 'decision', 'cases': [], 'defaultNextStepId': ['a']}]",
        "steps[0].defaultNextStepId", "must be a string"),
      arguments("[{'id': 'a', 'type': 'decision', 'cases': ['x']}]", "steps[0].cases[0]", "must be an object"),
      arguments("[{'id': 'a', 'type': 'decision', 'cases': [{'nextStepId': 'a'}]}]", "steps[0].cases[0].conditions",
        "required"),
      arguments("[{'id': 'a', 'type': 'decision', 'cases': [{'conditions': [], 'nextStepId': 'a'}]}]",
        "steps[0].cases[0].conditions", "must not be empty"),
      arguments("[{'id': 'a', 'type': 'decision', 'cases': [{'conditions': {}, 'nextStepId': 'a'}]}]",
        "steps[0].cases[0].conditions", "must be an array"),
      arguments("[{'id': 'a', 'type': 'decision', 'cases': [{'conditions': [{'path': 'input', 'op': 'exists'}]}]}]",
        "steps[0].cases[0].nextStepId", "required"),
      arguments("[{'id': 'a', 'type': 'decision',"
        + " 'cases': [{'conditions': [{'path': 'input', 'op': 'exists'}], 'nextStepId': 'elsewhere'}]}]",
        "steps[0].cases[0].nextStepId", "no step with id 'elsewhere'"));
  }

  static Stream<Arguments> otherTypesFields() {
    return Stream.of(
      arguments("[{'id': 'a', 'type': 'delay', 'delayMs': 1, 'functionId': 'nope'}]", "steps[0].functionId",
        "applies only to compute steps, not to delay ones"),
      arguments("[{'id': 'a', 'type': 'delay', 'delayMs': 1, 'defaultNextStepId': 'zz'}]",
        "steps[0].defaultNextStepId", "applies only to decision steps, not to delay ones"),
      arguments("[{'id': 'a', 'type': 'compute', 'functionId': 'func_abc123', 'cases': []}]", "steps[0].cases",
        "applies only to decision steps, not to compute ones"),
      arguments("[{'id': 'a', 'type': 'compute', 'functionId': 'func_abc123', 'delayMs': 5}]", "steps[0].delayMs",
        "applies only to delay steps, not to compute ones"),
      arguments("[{'id': 'a', 'type': 'decision', 'cases': [], 'defaultNextStepId': 'a', 'nextStepId': 'qq'}]",
        "steps[0].nextStepId", "applies only to compute and delay steps, not to decision ones"),
      arguments("[{'id': 'a', 'type': 'decision', 'cases': [], 'defaultNextStepId': 'a', 'retry': {}}]",
        "steps[0].retry", "applies only to compute steps, not to decision ones"));
  }

  @Test
  @DisplayName("another type's field given as null, and fields no type knows, are accepted (client metadata)")
  void nullOtherTypesFieldsAndUnknownFieldsAccepted() {
    assertThat(errorsFor("[{'id': 'a', 'type': 'decision', 'cases': [], 'defaultNextStepId': 'a',"
      + " 'nextStepId': null, 'functionId': null, 'position': {'x': 10, 'y': 20}}]")).isEmpty();
  }

  @ParameterizedTest(name = "{1}: {2}")
  @MethodSource({"idAndTypeErrors", "computeErrors", "delayAndDecisionErrors", "otherTypesFields"})
  @DisplayName("each step rule reports exactly one error at the offending field")
  void invalidStep(String stepsJson, String field, String message) {
    assertThat(errorsFor(stepsJson)).containsExactly(new FieldError(field, message));
  }

  @Test
  @DisplayName("a decision with no cases is valid when it has a default")
  void decisionWithOnlyDefault() {
    assertThat(errorsFor(after("{'id': 'b', 'type': 'decision', 'cases': [], 'defaultNextStepId': 'a'}")))
      .isEmpty();
  }

  @Test
  @DisplayName("a step no edge leads to is reported on its id, naming the entry step")
  void unreachableStep() {
    assertThat(errorsFor(after("{'id': 'b', 'type': 'delay', 'delayMs': 0}")
      .replace("]", ", {'id': 'orphan', 'type': 'delay', 'delayMs': 0, 'nextStepId': 'a'}]")))
      .containsExactly(new FieldError("steps[2].id", "step 'orphan' is not reachable from the entry step 'a'"));
  }

  @Test
  @DisplayName("steps are reachable through case targets and the default, and cycles are allowed")
  void reachableThroughDecisionsAndCycles() {
    assertThat(errorsFor("[{'id': 'a', 'type': 'decision', 'defaultNextStepId': 'c', 'cases': ["
      + "{'conditions': [{'path': 'input.x', 'op': 'exists'}], 'nextStepId': 'b'}]},"
      + "{'id': 'b', 'type': 'delay', 'delayMs': 10, 'nextStepId': 'a'},"
      + "{'id': 'c', 'type': 'compute', 'functionId': 'func_abc123', 'nextStepId': 'c'}]")).isEmpty();
  }

  @Test
  @DisplayName("a dangling reference does not also report its intended target as unreachable")
  void danglingReferenceDoesNotCascade() {
    assertThat(errorsFor("[{'id': 'a', 'type': 'delay', 'delayMs': 0, 'nextStepId': 'fulfil'},"
      + "{'id': 'fulfill', 'type': 'delay', 'delayMs': 0}]"))
      .containsExactly(new FieldError("steps[0].nextStepId", "no step with id 'fulfil'"));
  }

  @Test
  @DisplayName("a reachable step of unknown type hides reachability, but an unreachable one does not")
  void unknownTypeLimitsReachability() {
    assertThat(errorsFor("[{'id': 'a', 'type': 'delay', 'delayMs': 0, 'nextStepId': 'b'},"
      + "{'id': 'b', 'type': 'wait'}, {'id': 'c', 'type': 'delay', 'delayMs': 0}]"))
      .containsExactly(new FieldError("steps[1].type", "must be one of: compute, decision, delay"));
    assertThat(errorsFor("[{'id': 'a', 'type': 'delay', 'delayMs': 0},"
      + "{'id': 'b', 'type': 'wait'}, {'id': 'c', 'type': 'delay', 'delayMs': 0}]"))
      .containsExactly(new FieldError("steps[1].type", "must be one of: compute, decision, delay"),
        new FieldError("steps[1].id", "step 'b' is not reachable from the entry step 'a'"),
        new FieldError("steps[2].id", "step 'c' is not reachable from the entry step 'a'"));
  }

  @Test
  @DisplayName("references to a malformed or duplicated id are not reported again as dangling or unreachable")
  void malformedIdsDoNotCascade() {
    assertThat(errorsFor("[{'id': 'a', 'type': 'delay', 'delayMs': 0, 'nextStepId': 'b c'},"
      + "{'id': 'b c', 'type': 'delay', 'delayMs': 0, 'nextStepId': 'd'},"
      + "{'id': 'd', 'type': 'delay', 'delayMs': 0, 'nextStepId': 'a'},"
      + "{'id': 'd', 'type': 'delay', 'delayMs': 0}]"))
      .containsExactly(new FieldError("steps[1].id", "must be 1 to 64 letters, digits, '_' or '-'"),
        new FieldError("steps[3].id", "duplicates the id of steps[2]"));
  }

  @Test
  @DisplayName("an entry step without a usable id skips the reachability check")
  void entryWithoutIdSkipsReachability() {
    assertThat(errorsFor("[{'type': 'delay', 'delayMs': 0}, {'id': 'b', 'type': 'delay', 'delayMs': 0}]"))
      .containsExactly(new FieldError("steps[0].id", "required"));
    assertThat(errorsFor("['first', {'id': 'b', 'type': 'delay', 'delayMs': 0}]"))
      .containsExactly(new FieldError("steps[0]", "must be an object"));
  }

  @Test
  @DisplayName("every wrong field of a step is reported, not just the first")
  void allStepProblems() {
    assertThat(errorsFor("[{'id': 'a', 'type': 'compute', 'name': false, 'functionId': 'nope', 'timeoutMs': -5,"
      + " 'nextStepId': 'a', 'retry': {'maxAttempts': 'three', 'backoffMs': 0.5, 'backoffMultiplier': 100}}]"))
      .containsExactly(
        new FieldError("steps[0].name", "must be a string"),
        new FieldError("steps[0].functionId", "function 'nope' does not exist in this workspace"),
        new FieldError("steps[0].timeoutMs", "must be between 1 and 3600000"),
        new FieldError("steps[0].retry.maxAttempts", "must be an integer"),
        new FieldError("steps[0].retry.backoffMs", "must be an integer"),
        new FieldError("steps[0].retry.backoffMultiplier", "must be between 1 and 10"));
  }

  @Test
  @DisplayName("integral numbers written with a fraction or exponent count as integers")
  void integralDoubles() {
    assertThat(errorsFor("[{'id': 'a', 'type': 'delay', 'delayMs': 1000.0, 'nextStepId': 'b'},"
      + "{'id': 'b', 'type': 'compute', 'functionId': 'func_abc123', 'timeoutMs': 3e4,"
      + " 'retry': {'maxAttempts': 2.0, 'backoffMultiplier': 3}}]")).isEmpty();
  }
}
