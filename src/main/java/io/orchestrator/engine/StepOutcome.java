package io.orchestrator.engine;

import io.orchestrator.runs.StepError;
import io.orchestrator.runs.StepRecord;
import io.orchestrator.tasks.NewTask;
import java.time.Duration;

/** What executing one step decided; {@link RunExecutor} turns it into exactly one store transition. */
sealed interface StepOutcome {

  /** The step finished; go on to {@code nextStepId} (null ends the run as completed). */
  record Continue(StepRecord record, String nextStepId) implements StepOutcome {
  }

  /** A delay step: wait {@code delay}, then go on to {@code nextStepId}. */
  record Park(String delayStepId, String nextStepId, Duration delay) implements StepOutcome {
  }

  /** A compute step served by an external worker: queue the task, wait for its report or its deadline. */
  record AwaitTask(NewTask task) implements StepOutcome {
  }

  /** A failed attempt that will be tried again after {@code backoff}. */
  record Retry(StepError error, Duration backoff) implements StepOutcome {
  }

  /** The run fails on the step of {@code record}, which is listed in executedSteps (null: no step failed). */
  record Fail(StepRecord record, StepError error) implements StepOutcome {
  }
}
