package io.orchestrator.engine;

import static io.orchestrator.engine.JsonFixtures.arr;
import static io.orchestrator.engine.JsonFixtures.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import io.orchestrator.definitions.Condition;
import io.orchestrator.definitions.ConditionOp;
import io.orchestrator.definitions.DecisionCase;
import io.orchestrator.definitions.DecisionStep;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Decider")
class DeciderTest {

  private static final Map<String, Object> SCOPE = obj(
      "input", obj("amount", 250, "country", "FR", "vip", false, "items", arr(obj("sku", "A1"))),
      "context", obj("region", "eu", "attempt", 2L),
      "steps", obj("score", obj("output", obj("risk", 0.82, "flags", arr("velocity")))));

  private final Decider decider = new Decider();

  private static Condition when(String path, ConditionOp op, Object value) {
    return new Condition(path, op, value);
  }

  private static DecisionCase goTo(String next, Condition... conditions) {
    return new DecisionCase(List.of(conditions), next);
  }

  private static DecisionStep step(String defaultNext, DecisionCase... cases) {
    return new DecisionStep("route", "Route", List.of(cases), defaultNext);
  }

  @Test
  @DisplayName("the first matching case wins even when a later case also matches")
  void firstMatchWins() {
    DecisionStep step = step("fallback",
        goTo("nope", when("input.amount", ConditionOp.LT, 100)),
        goTo("big", when("input.amount", ConditionOp.GT, 200)),
        goTo("bigger", when("input.amount", ConditionOp.GT, 100)));
    assertThat(decider.decide(step, SCOPE)).isEqualTo(DecisionOutcome.next("big", 1));
  }

  @Test
  @DisplayName("a case matches only when all its conditions hold")
  void conditionsAreAnded() {
    DecisionStep step = step("fallback",
        goTo("partial", when("input.country", ConditionOp.EQ, "FR"), when("input.vip", ConditionOp.EQ, true)),
        goTo("all", when("input.country", ConditionOp.EQ, "FR"), when("input.vip", ConditionOp.EQ, false),
            when("input.items.0.sku", ConditionOp.EXISTS, null)));
    assertThat(decider.decide(step, SCOPE)).isEqualTo(DecisionOutcome.next("all", 1));
  }

  @Test
  @DisplayName("a case with one failing condition among many does not match")
  void oneFailingConditionRejectsCase() {
    DecisionStep step = step(null,
        goTo("x", when("input.country", ConditionOp.EQ, "FR"), when("input.amount", ConditionOp.GT, 1_000)));
    assertThat(decider.decide(step, SCOPE)).isEqualTo(DecisionOutcome.noMatch());
  }

  @Test
  @DisplayName("a case with no conditions always matches")
  void emptyConditionsMatch() {
    DecisionStep step = step("fallback",
        goTo("nope", when("input.amount", ConditionOp.EQ, 0)),
        goTo("catchAll"));
    DecisionOutcome outcome = decider.decide(step, SCOPE);
    assertThat(outcome).isEqualTo(DecisionOutcome.next("catchAll", 1));
    assertThat(((DecisionOutcome.Next) outcome).viaDefault()).isFalse();
  }

  @Test
  @DisplayName("no matching case goes to the default with case index -1")
  void defaultWhenNothingMatches() {
    DecisionStep step = step("fallback", goTo("nope", when("input.country", ConditionOp.EQ, "DE")));
    DecisionOutcome outcome = decider.decide(step, SCOPE);
    assertThat(outcome).isInstanceOfSatisfying(DecisionOutcome.Next.class, next -> {
      assertThat(next.nextStepId()).isEqualTo("fallback");
      assertThat(next.caseIndex()).isEqualTo(DecisionOutcome.DEFAULT_CASE).isEqualTo(-1);
      assertThat(next.viaDefault()).isTrue();
    });
  }

  @Test
  @DisplayName("no matching case and no default gives no match with code no_matching_case")
  void noMatchWithoutDefault() {
    DecisionStep step = step(null, goTo("nope", when("input.country", ConditionOp.EQ, "DE")));
    DecisionOutcome outcome = decider.decide(step, SCOPE);
    assertThat(outcome).isInstanceOfSatisfying(DecisionOutcome.NoMatch.class,
        noMatch -> assertThat(noMatch.code()).isEqualTo("no_matching_case"));
    assertThat(DecisionOutcome.NoMatch.CODE).isEqualTo("no_matching_case");
  }

  @Test
  @DisplayName("an empty case list goes straight to the default")
  void emptyCasesWithDefault() {
    assertThat(decider.decide(step("fallback"), SCOPE)).isEqualTo(DecisionOutcome.next("fallback", -1));
  }

  @Test
  @DisplayName("an empty case list without default is no match")
  void emptyCasesWithoutDefault() {
    assertThat(decider.decide(step(null), SCOPE)).isInstanceOf(DecisionOutcome.NoMatch.class);
  }

  @Test
  @DisplayName("conditions can read earlier steps' outputs through steps.<id>.output paths")
  void stepOutputPaths() {
    DecisionStep step = step(null,
        goTo("lowRisk", when("steps.score.output.risk", ConditionOp.LT, 0.5)),
        goTo("review", when("steps.score.output.risk", ConditionOp.GTE, new BigDecimal("0.8")),
            when("steps.score.output.flags", ConditionOp.IN, arr(arr("velocity"), arr("geo")))));
    assertThat(decider.decide(step, SCOPE)).isEqualTo(DecisionOutcome.next("review", 1));
  }

  @Test
  @DisplayName("a condition on a step that has not produced output is missing, not an error")
  void missingStepOutput() {
    DecisionStep step = step("fallback",
        goTo("ran", when("steps.notYet.output", ConditionOp.EXISTS, null)),
        goTo("notRan", when("steps.notYet.output.anything", ConditionOp.NEQ, 1)));
    assertThat(decider.decide(step, SCOPE)).isEqualTo(DecisionOutcome.next("notRan", 1));
  }

  @Test
  @DisplayName("conditions can read the run context through context. paths")
  void contextPaths() {
    DecisionStep step = step(null,
        goTo("us", when("context.region", ConditionOp.EQ, "us")),
        goTo("euRetry", when("context.region", ConditionOp.IN, arr("eu", "uk")),
            when("context.attempt", ConditionOp.EQ, 2)));
    assertThat(decider.decide(step, SCOPE)).isEqualTo(DecisionOutcome.next("euRetry", 1));
  }

  @Test
  @DisplayName("the same step and scope always give the same outcome")
  void deterministic() {
    DecisionStep step = step("fallback", goTo("big", when("input.amount", ConditionOp.GT, 200)));
    assertThat(decider.decide(step, SCOPE)).isEqualTo(decider.decide(step, SCOPE));
  }

  @Test
  @DisplayName("malformed definitions (null cases, conditions or case) are rejected as bugs")
  void rejectsMalformedDefinitions() {
    assertThatNullPointerException().isThrownBy(() -> decider.decide(null, SCOPE));
    assertThatNullPointerException()
        .isThrownBy(() -> decider.decide(new DecisionStep("d", "D", null, "x"), SCOPE))
        .withMessageContaining("step.cases");
    assertThatNullPointerException()
        .isThrownBy(() -> decider.decide(step("x", new DecisionCase(null, "y")), SCOPE))
        .withMessageContaining("step.cases[0].conditions");
    assertThatNullPointerException()
        .isThrownBy(() -> decider.decide(
            new DecisionStep("d", "D", Arrays.asList(goTo("a", when("input.x", ConditionOp.EXISTS, null)), null),
                "x"), SCOPE))
        .withMessageContaining("step.cases[1]");
    assertThatNullPointerException()
        .isThrownBy(() -> decider.decide(step("x", goTo(null)), SCOPE))
        .withMessageContaining("nextStepId");
  }

  @Test
  @DisplayName("an outcome cannot point nowhere or to a case index below -1")
  void outcomeInvariants() {
    assertThatNullPointerException().isThrownBy(() -> DecisionOutcome.next(null, 0));
    assertThatIllegalArgumentException().isThrownBy(() -> DecisionOutcome.next("x", -2));
  }
}
