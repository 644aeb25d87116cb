package io.orchestrator.tasks;

import io.orchestrator.runs.TransitionResult;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Worker tasks: compute steps served by external workers that pull them. Queues are per workspace and queue name;
 * delivery is at-least-once with leases; a report under an expired or superseded lease is refused.
 */
public interface TaskStore {

  /**
   * Puts the task on its queue and parks the run (fenced, like a delay) until a worker reports or the deadline.
   *
   * @return OK, STALE, NOT_RUNNING or NOT_FOUND as for any run transition
   */
  Future<TransitionResult> enqueue(String runId, long fence, NewTask task);

  /** Called by the engine after re-claiming a run that waited for a task. */
  Future<TaskResolution> resolve(String runId, long fence);

  /** Leases up to {@code max} tasks of the queue, oldest first; empty when none wait. */
  Future<List<WorkerTask>> claim(String workspace, String queue, int max, Duration lease);

  /** Records a worker's result and wakes the run. */
  Future<ReportOutcome> report(String workspace, String taskId, TaskResult result);

  /** Extends the lease; the new expiry when OK. */
  Future<Optional<Instant>> heartbeat(String workspace, String taskId, Duration lease);

  /** Puts tasks whose lease expired back on their queue; the queue of each one re-queued (to wake its pollers). */
  Future<List<QueueRef>> requeueExpired(int max);

  /**
   * Every queue of every workspace that has ever held a task: how many tasks wait in it for a worker (leased ones
   * are not counted) and how long the oldest of them has waited, in ms since it was first queued (a task put back
   * after its lease expired keeps its age); 0 for an empty queue.
   */
  Future<List<QueueStat>> queueStats();

  /** {@link #queueStats()} of one workspace's queues only. */
  default Future<List<QueueStat>> queueStats(String workspace) {
    return queueStats().map(all -> all.stream().filter(stat -> stat.workspace().equals(workspace)).toList());
  }
}
