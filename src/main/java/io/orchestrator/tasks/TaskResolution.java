package io.orchestrator.tasks;

/** What the engine finds when it takes a run back from the task it waited for. */
public sealed interface TaskResolution {

  /** A worker reported in time. */
  record Reported(TaskResult result) implements TaskResolution {
  }

  /** The attempt's deadline passed first; the task was withdrawn. */
  record TimedOut() implements TaskResolution {
  }

  /** The run waits for no task (nothing to resolve). */
  record NoTask() implements TaskResolution {
  }

  /** This worker no longer holds the run: let go. */
  record Lost() implements TaskResolution {
  }
}
