package io.orchestrator.engine;

import io.orchestrator.definitions.DelayStep;
import java.time.Duration;

/** Executes a delay step: the run waits {@code delayMs}, then goes on to the step's {@code nextStepId}. */
final class DelayStepExecutor {

  private DelayStepExecutor() {
  }

  static StepOutcome execute(DelayStep step) {
    return new StepOutcome.Park(step.id(), step.nextStepId(), Duration.ofMillis(step.delayMs()));
  }
}
