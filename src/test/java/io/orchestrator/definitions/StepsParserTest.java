package io.orchestrator.definitions;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("StepsParser")
class StepsParserTest {

  @Test
  @DisplayName("the reference example parses into records with the documented defaults")
  void referenceExample() {
    List<Step> steps = StepsParser.parseSteps(Bodies.reference().getJsonArray("steps"));

    assertThat(steps).containsExactly(
      new ComputeStep("validate", "Validate Order", "func_abc123", 300_000, "check-result", null),
      new DecisionStep("check-result", "Check Validation", List.of(new DecisionCase(
        List.of(new Condition("steps.validate.output.isValid", ConditionOp.EQ, true)), "fulfill")), "reject"),
      new ComputeStep("fulfill", "Fulfill Order", "func_def456", 300_000, null, null),
      new ComputeStep("reject", "Reject Order", "func_ghi789", 300_000, null, null));
  }

  @Test
  @DisplayName("every field of every step type is carried over, with retry defaults filled in")
  void richExample() {
    List<Step> steps = StepsParser.parseSteps(Bodies.rich().getJsonArray("steps"));

    assertThat(steps.get(0)).isEqualTo(
      new ComputeStep("fetch", null, "func_abc123", 30_000, "route", new RetryPolicy(3, 500, 1.5)));
    assertThat(steps.get(2)).isEqualTo(new DelayStep("pause", null, 3_600_000, "finish_1"));
    assertThat(steps.get(3)).isEqualTo(
      new ComputeStep("finish_1", null, "func_def456", 300_000, null, new RetryPolicy(1, 1000, 2.0)));
    DecisionStep route = (DecisionStep) steps.get(1);
    assertThat(route.name()).isEqualTo("Route");
    assertThat(route.defaultNextStepId()).isNull();
    assertThat(route.cases()).extracting(DecisionCase::nextStepId).containsExactly("pause", "fetch");
    assertThat(route.cases().get(0).conditions()).extracting(Condition::op).containsExactly(
      ConditionOp.EQ, ConditionOp.GT, ConditionOp.LTE, ConditionOp.IN, ConditionOp.EXISTS);
    assertThat(route.cases().get(1).conditions()).extracting(Condition::op).containsExactly(
      ConditionOp.GTE, ConditionOp.NEQ, ConditionOp.NOT_IN, ConditionOp.LT, ConditionOp.NOT_EXISTS);
  }

  @Test
  @DisplayName("condition values become plain Java JSON, deeply, with no Vert.x types left")
  void conditionValuesArePlainJson() {
    JsonObject nested = new JsonObject().put("list", new JsonArray().add(new JsonObject().put("k", "v")).addNull())
      .put("map", Map.of("inner", List.of(1, new JsonArray().add(2))));
    JsonArray steps = conditionStep(new JsonObject().put("path", "input.x").put("op", "eq").put("value", nested));

    Object value = conditionOf(StepsParser.parseSteps(steps)).value();

    assertThat(value).isEqualTo(Map.of("list", Arrays.asList(Map.of("k", "v"), null),
      "map", Map.of("inner", List.of(1, List.of(2)))));
    assertThat(value).isNotInstanceOf(JsonObject.class);
    assertThat(((Map<?, ?>) value).get("list")).isInstanceOf(List.class).isNotInstanceOf(JsonArray.class);
  }

  @Test
  @DisplayName("exists and notExists conditions carry a null value even when one was sent")
  void existsHasNoValue() {
    JsonArray steps = conditionStep(new JsonObject().put("path", "input.x").put("op", "exists").put("value", 5));
    assertThat(conditionOf(StepsParser.parseSteps(steps))).isEqualTo(
      new Condition("input.x", ConditionOp.EXISTS, null));
  }

  @Test
  @DisplayName("an eq against JSON null and an in-list keep their values")
  void nullAndListValues() {
    JsonArray steps = conditionStep(new JsonObject().put("path", "input.x").put("op", "eq").putNull("value"));
    assertThat(conditionOf(StepsParser.parseSteps(steps)).value()).isNull();
    JsonArray in = conditionStep(new JsonObject().put("path", "input.x").put("op", "in")
      .put("value", new JsonArray().add("a").add(1).add(true)));
    assertThat(conditionOf(StepsParser.parseSteps(in)).value()).isEqualTo(List.of("a", 1, true));
  }

  @Test
  @DisplayName("integral numbers in any JSON form become longs and ints")
  void numbersInAnyForm() {
    JsonArray steps = new JsonArray("""
      [{"id": "a", "type": "compute", "functionId": "f", "timeoutMs": 3e4,
        "retry": {"maxAttempts": 4.0, "backoffMs": 250, "backoffMultiplier": 3}, "nextStepId": "b"},
       {"id": "b", "type": "delay", "delayMs": 31536000000}]
      """);
    steps.getJsonObject(1).put("delayMs", BigInteger.valueOf(31_536_000_000L));
    assertThat(StepsParser.parseSteps(steps)).containsExactly(
      new ComputeStep("a", null, "f", 30_000, "b", new RetryPolicy(4, 250, 3.0)),
      new DelayStep("b", null, 31_536_000_000L, null));
  }

  @Test
  @DisplayName("parsed values are read-only, since one parsed version serves many runs")
  void readOnly() {
    List<Step> steps = StepsParser.parseSteps(Bodies.rich().getJsonArray("steps"));
    DecisionStep route = (DecisionStep) steps.get(1);
    Object tiers = route.cases().get(0).conditions().get(3).value();
    assertThat(tiers).isEqualTo(List.of("gold", Map.of("level", List.of(1, 2))));
    assertThatThrownBy(() -> ((List<?>) tiers).clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> steps.add(null)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  @DisplayName("an unknown step type is refused loudly: the parser only takes validated input")
  void unknownType() {
    JsonArray steps = new JsonArray().add(new JsonObject().put("id", "a").put("type", "wait"));
    assertThatThrownBy(() -> StepsParser.parseSteps(steps)).isInstanceOf(IllegalArgumentException.class)
      .hasMessageContaining("wait");
  }

  private static JsonArray conditionStep(JsonObject condition) {
    return new JsonArray().add(new JsonObject().put("id", "d").put("type", "decision")
      .put("cases", new JsonArray().add(new JsonObject().put("nextStepId", "d")
        .put("conditions", new JsonArray().add(condition)))));
  }

  private static Condition conditionOf(List<Step> steps) {
    return ((DecisionStep) steps.get(0)).cases().get(0).conditions().get(0);
  }
}
