package io.orchestrator.engine;

import io.orchestrator.runs.TransitionResult;
import io.orchestrator.runs.WakeSignal;
import io.orchestrator.tasks.NewTask;
import io.orchestrator.tasks.TaskResolution;
import io.orchestrator.tasks.TaskSignal;
import io.orchestrator.tasks.TaskStore;
import io.vertx.core.Future;

/**
 * A compute step run by a worker task: hands the task over (queued under the run's fencing token, waiting pollers
 * told, a wake-up set for its deadline) and, once the run is due again, takes back what the worker reported.
 */
public final class TaskHandOff {

  private final TaskStore tasks;
  private final TaskSignal taskSignal;
  private final WakeSignal wake;

  public TaskHandOff(TaskStore tasks, TaskSignal taskSignal, WakeSignal wake) {
    this.tasks = tasks;
    this.taskSignal = taskSignal;
    this.wake = wake;
  }

  /** @return OK once the task is queued (the run waits for it); STALE or NOT_RUNNING when the run was lost */
  Future<TransitionResult> handOver(String runId, long fence, NewTask task) {
    return tasks.enqueue(runId, fence, task).onSuccess(result -> {
      if (result == TransitionResult.OK) {
        taskSignal.taskAvailable(task.workspace(), task.queue());
        wake.runDue(runId, task.deadline().toEpochMilli());
      }
    });
  }

  /** @return what became of the task the run waited for: reported, timed out, lost, or none */
  Future<TaskResolution> takeBack(String runId, long fence) {
    return tasks.resolve(runId, fence);
  }
}
