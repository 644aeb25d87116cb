package io.orchestrator.engine;

import io.orchestrator.definitions.DecisionStep;
import io.orchestrator.runs.StepError;
import io.orchestrator.runs.StepRecord;

/**
 * Executes a decision step: the {@link Decider} picks the next step from the run's scope, and a step where no case
 * matched and no default exists fails the run with {@value DecisionOutcome.NoMatch#CODE}. Runs and simulations
 * both decide through here.
 */
final class DecisionStepExecutor {

  private final Decider decider = new Decider();

  /** The decision, before it becomes an outcome (a simulation reports the case index). */
  DecisionOutcome decide(DecisionStep step, Execution ex) {
    return decider.decide(step, ex.scope.forConditions());
  }

  StepOutcome execute(DecisionStep step, Execution ex) {
    return outcome(step, decide(step, ex), ex);
  }

  /** The step is recorded as executed either way; it has no output. */
  static StepOutcome outcome(DecisionStep step, DecisionOutcome decided, Execution ex) {
    StepRecord record = new StepRecord(step.id(), null, null);
    if (decided instanceof DecisionOutcome.Next next) {
      return new StepOutcome.Continue(record, next.nextStepId());
    }
    return new StepOutcome.Fail(record, new StepError(step.id(), DecisionOutcome.NoMatch.CODE,
      "no case matched and the step has no defaultNextStepId", ex.attempt));
  }
}
