package io.orchestrator.tasks;

import io.orchestrator.common.ApiException;
import io.orchestrator.common.Timestamps;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What external workers call: long-poll for tasks, report results, heartbeat. A poll returns as soon as its queue
 * has a task (woken by the {@link TaskSignal}) or empty after {@code waitMs}.
 */
public final class TaskService {

  public static final long MAX_WAIT_MS = 30_000;

  private final Vertx vertx;
  private final TaskStore store;
  private final Duration lease;
  private final Map<String, Set<Runnable>> waiters = new ConcurrentHashMap<>();

  public TaskService(Vertx vertx, TaskStore store, TaskSignal signal, Duration lease) {
    this.vertx = vertx;
    this.store = store;
    this.lease = lease;
    signal.onTaskAvailable((workspace, queue) -> {
      Set<Runnable> wake = waiters.get(workspace + " " + queue);
      if (wake != null) {
        wake.forEach(Runnable::run);
      }
    });
  }

  public Future<List<WorkerTask>> poll(String workspace, String queue, int max, long waitMs) {
    long deadline = System.currentTimeMillis() + Math.min(Math.max(0, waitMs), MAX_WAIT_MS);
    return store.claim(workspace, queue, max, lease).compose(tasks -> tasks.isEmpty() && waitMs > 0
      ? waitForTasks(workspace, queue, max, deadline) : Future.succeededFuture(tasks));
  }

  /** Waits for a signal on the queue (or the deadline), then claims; repeats while another poller won the race. */
  private Future<List<WorkerTask>> waitForTasks(String workspace, String queue, int max, long deadline) {
    long remaining = deadline - System.currentTimeMillis();
    if (remaining <= 0) {
      return Future.succeededFuture(List.of());
    }
    String key = workspace + " " + queue;
    Promise<Void> woken = Promise.promise();
    Runnable waiter = () -> woken.tryComplete();
    waiters.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(waiter);
    long timer = vertx.setTimer(remaining, id -> woken.tryComplete());
    return woken.future()
      .andThen(done -> {
        vertx.cancelTimer(timer);
        waiters.computeIfPresent(key, (k, set) -> {
          set.remove(waiter);
          return set.isEmpty() ? null : set;
        });
      })
      .compose(v -> store.claim(workspace, queue, max, lease))
      .compose(tasks -> tasks.isEmpty() ? waitForTasks(workspace, queue, max, deadline)
        : Future.succeededFuture(tasks));
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

  private Future<Void> report(String workspace, String taskId, TaskResult result) {
    return store.report(workspace, taskId, result).compose(outcome -> outcome == ReportOutcome.OK
      ? Future.succeededFuture() : Future.failedFuture(leaseGone(taskId)));
  }

  private static ApiException leaseGone(String taskId) {
    return ApiException.conflict("Task " + taskId + " is not leased to you any more (unknown, expired or reassigned)");
  }
}
