package io.orchestrator.engine;

import io.orchestrator.runs.StepError;

/**
 * What stops a run before its cursor step executes: the step limit ({@code ORCH_MAX_STEPS_PER_RUN}, counting every
 * executed step, loops included) and a cursor naming no step of the definition. Shared by runs and simulations.
 */
final class StepLimits {

  private final int maxSteps;

  StepLimits(int maxSteps) {
    this.maxSteps = maxSteps;
  }

  /** The error that fails the run before its cursor step, or null when that step may execute. */
  StepError check(ExecutableOrchestration def, Execution ex) {
    if (ex.stepCount >= maxSteps) {
      return new StepError(ex.cursor, "max_steps_exceeded",
        "the run executed " + ex.stepCount + " steps, the limit is " + maxSteps, ex.attempt);
    }
    if (def.step(ex.cursor) == null) {
      return new StepError(ex.cursor, "unknown_step", "the definition has no step '" + ex.cursor + "'", ex.attempt);
    }
    return null;
  }
}
