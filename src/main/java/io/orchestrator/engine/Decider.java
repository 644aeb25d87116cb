package io.orchestrator.engine;

import io.orchestrator.definitions.Condition;
import io.orchestrator.definitions.DecisionCase;
import io.orchestrator.definitions.DecisionStep;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Picks where a run goes after a {@link DecisionStep}. Pure and stateless: safe to share between threads and
 * to call again on replay, since the same step and scope always give the same outcome.
 *
 * <p>Semantics:
 *
 * <ol>
 *   <li>Cases are tried in their declared order.</li>
 *   <li>A case matches when <em>all</em> its conditions hold ({@link ConditionEvaluator}); a case with no
 *       conditions always matches, which makes it a catch-all.</li>
 *   <li>The first matching case wins, even if later ones match too: {@link DecisionOutcome.Next} with that
 *       case's {@code nextStepId} and its 0-based index.</li>
 *   <li>If none matches and {@code defaultNextStepId} is non-null: {@code Next} to the default with case index
 *       {@link DecisionOutcome#DEFAULT_CASE} (-1).</li>
 *   <li>Otherwise {@link DecisionOutcome.NoMatch}; the engine fails the run with code
 *       {@value DecisionOutcome.NoMatch#CODE}.</li>
 * </ol>
 *
 * <p>The scope is plain Java JSON: {@code {"input": {...}, "context": {...}, "steps": {"<id>": {"output":
 * ...}}}}. Conditions read it through paths such as {@code input.amount}, {@code context.region} or
 * {@code steps.fetch.output.status}. A definition that reaches the engine has been validated, so null
 * cases, conditions or case targets are treated as bugs and rejected with {@link NullPointerException}.
 */
public final class Decider {

  /** Evaluates {@code step} against {@code scope}. */
  public DecisionOutcome decide(DecisionStep step, Map<String, Object> scope) {
    Objects.requireNonNull(step, "step");
    List<DecisionCase> cases = Objects.requireNonNull(step.cases(), "step.cases");
    for (int i = 0; i < cases.size(); i++) {
      DecisionCase candidate = Objects.requireNonNull(cases.get(i), "step.cases[" + i + "]");
      if (allHold(candidate.conditions(), scope, i)) {
        return DecisionOutcome.next(candidate.nextStepId(), i);
      }
    }
    if (step.defaultNextStepId() != null) {
      return DecisionOutcome.next(step.defaultNextStepId(), DecisionOutcome.DEFAULT_CASE);
    }
    return DecisionOutcome.noMatch();
  }

  private static boolean allHold(List<Condition> conditions, Map<String, Object> scope, int caseIndex) {
    Objects.requireNonNull(conditions, () -> "step.cases[" + caseIndex + "].conditions");
    for (Condition condition : conditions) {
      if (!ConditionEvaluator.holds(condition, scope)) {
        return false;
      }
    }
    return true;
  }
}
