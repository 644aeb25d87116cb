package io.orchestrator.tasks;

import io.orchestrator.common.ApiException;
import io.orchestrator.common.Timestamps;
import io.orchestrator.runs.WakeSignal;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What external workers call: long-poll for tasks, report results, heartbeat. A poll returns as soon as its queue
 * has a task (woken by the {@link TaskSignal}) or empty after {@code waitMs}. An accepted report wakes the engine
 * (the {@link WakeSignal}) so the run advances at once.
 */
public final class TaskService {

  public static final long MAX_WAIT_MS = 30_000;

  private final Vertx vertx;
  private final TaskStore store;
  private final WakeSignal wake;
  private final Duration lease;
  private final Clock clock;
  private final Map<String, Set<Runnable>> waiters = new ConcurrentHashMap<>();

  public TaskService(Vertx vertx, TaskStore store, TaskSignal signal, WakeSignal wake, Duration lease, Clock clock) {
    this.vertx = vertx;
    this.clock = clock;
    this.store = store;
    this.wake = wake;
    this.lease = lease;
    signal.onTaskAvailable((workspace, queue) -> {
      Set<Runnable> waiting = waiters.get(key(workspace, queue));
      if (waiting != null) {
        waiting.forEach(Runnable::run);
      }
    });
  }

  public Future<List<WorkerTask>> poll(String workspace, String queue, int max, long waitMs) {
    long wait = Math.min(Math.max(0, waitMs), MAX_WAIT_MS);
    if (wait == 0) {
      return store.claim(workspace, queue, max, lease);
    }
    return claimOrWait(workspace, queue, max, clock.millis() + wait, Vertx.currentContext());
  }

  /**
   * Claims; when the queue is empty, waits for a signal on it (or the deadline) and claims again, until a claim
   * finds tasks or the deadline passes. The waiter is registered <em>before</em> the claim, so a task queued while
   * the claim is in flight (after it looked at the queue, before it answered) still wakes this poll.
   */
  private Future<List<WorkerTask>> claimOrWait(String workspace, String queue, int max, long deadline,
                                               Context context) {
    String key = key(workspace, queue);
    Promise<Void> woken = Promise.promise();
    Runnable waiter = context == null ? woken::tryComplete : () -> context.runOnContext(v -> woken.tryComplete());
    waiters.compute(key, (k, set) -> {
      Set<Runnable> registered = set == null ? ConcurrentHashMap.newKeySet() : set;
      registered.add(waiter);
      return registered;
    });
    return store.claim(workspace, queue, max, lease).transform(claimed -> {
      long remaining = deadline - clock.millis();
      if (claimed.failed() || !claimed.result().isEmpty() || remaining <= 0) {
        unregister(key, waiter);
        return claimed.failed() ? Future.failedFuture(claimed.cause()) : Future.succeededFuture(claimed.result());
      }
      long timer = vertx.setTimer(remaining, id -> woken.tryComplete());
      return woken.future().compose(v -> {
        vertx.cancelTimer(timer);
        unregister(key, waiter);
        return claimOrWait(workspace, queue, max, deadline, context);
      });
    });
  }

  private void unregister(String key, Runnable waiter) {
    waiters.computeIfPresent(key, (k, set) -> {
      set.remove(waiter);
      return set.isEmpty() ? null : set;
    });
  }

  private static String key(String workspace, String queue) {
    return workspace + " " + queue;
  }

  /** How many long polls wait right now (the gauge orchestrator_tasks_polls_waiting). */
  public int waiting() {
    return waiters.values().stream().mapToInt(Set::size).sum();
  }

  /** The workspace's queues (those that have ever held a task), by name; see {@link TaskStore#queueStats()}. */
  public Future<List<QueueStat>> queues(String workspace) {
    return store.queueStats(workspace).map(stats -> stats.stream()
      .sorted(Comparator.comparing(QueueStat::queue)).toList());
  }

  public Future<Void> complete(String workspace, String taskId, Object output) {
    return report(workspace, taskId, TaskResult.completed(output));
  }

  public Future<Void> fail(String workspace, String taskId, String message, boolean retryable) {
    return report(workspace, taskId, TaskResult.failed(message, retryable));
  }

  public Future<JsonObject> heartbeat(String workspace, String taskId) {
    return store.heartbeat(workspace, taskId, lease).compose(expiry -> expiry
      .map(at -> Future.succeededFuture(new JsonObject().put("taskId", taskId)
        .put("leaseExpiresAt", Timestamps.format(at))))
      .orElseGet(() -> Future.failedFuture(leaseGone(taskId))));
  }

  /** An accepted report made the run claimable: wake the engine now rather than at its next fallback poll. */
  private Future<Void> report(String workspace, String taskId, TaskResult result) {
    return store.report(workspace, taskId, result).compose(outcome -> {
      if (outcome != ReportOutcome.OK) {
        return Future.failedFuture(leaseGone(taskId));
      }
      wake.runDue(taskId, 0);
      return Future.succeededFuture();
    });
  }

  private static ApiException leaseGone(String taskId) {
    return ApiException.conflict("Task " + taskId + " is not leased to you any more (unknown, expired or reassigned)");
  }
}
