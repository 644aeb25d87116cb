package io.orchestrator.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.runs.Run;
import io.orchestrator.runs.RunStatus;
import io.orchestrator.runs.TransitionResult;
import io.orchestrator.tasks.NewTask;
import io.orchestrator.tasks.QueueRef;
import io.orchestrator.tasks.ReportOutcome;
import io.orchestrator.tasks.TaskResolution;
import io.orchestrator.tasks.TaskResult;
import io.orchestrator.tasks.WorkerTask;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Every return code of the worker-task scripts (enqueueTask, claimTasks, reportTask, extendTaskLease,
 * requeueExpiredTasks, resolveTask), through {@link RedisTaskStore} and, where the store folds codes together, through
 * the raw script reply, against the real Redis with a random key prefix and a hand-moved clock.
 */
class TaskScriptsIT extends RedisStoreTestBase {

  static final String QUEUE = "payments";
  static final Duration TASK_LEASE = Duration.ofSeconds(10);
  static final Duration TIMEOUT = Duration.ofMinutes(5);
  static final TaskResult DONE = TaskResult.completed(new JsonObject().put("total", 9));

  RedisTaskStore tasks;
  ScriptRegistry scripts;

  @BeforeEach
  void createTaskStore() throws Exception {
    tasks = await(RedisTaskStore.create(vertx, redis, keyspace, clock));
    scripts = await(ScriptRegistry.load(vertx, redis, RedisTaskStore.SCRIPTS));
  }

  // ---- helpers ------------------------------------------------------------------------------------------------

  NewTask newTask(String taskId, String runId) {
    return new NewTask(taskId, runId, ORCH, 3, WS, QUEUE, "func_w", "validate", 1,
      new JsonObject().put("input", new JsonObject().put("orderId", 42)).put("context", new JsonObject())
        .put("steps", new JsonObject()), clock.instant().plus(TIMEOUT));
  }

  /** A claimed run whose step put task {@code taskId} on the queue; returns the run as claimed (its fence). */
  Run waiting(String runId, String taskId) throws Exception {
    Run run = claimed(runId);
    assertThat(await(tasks.enqueue(runId, run.fence(), newTask(taskId, runId)))).isEqualTo(TransitionResult.OK);
    return run;
  }

  WorkerTask claimOne() throws Exception {
    List<WorkerTask> claimed = await(tasks.claim(WS, QUEUE, 1, TASK_LEASE));
    assertThat(claimed).hasSize(1);
    return claimed.get(0);
  }

  /** Takes the run back the way the engine does once it is due (timer or report): claims it, returns it. */
  Run reclaimed(String runId) throws Exception {
    List<Run> claimed = await(store.claimDue(0, 10, LEASE)).runs();
    assertThat(claimed).extracting(Run::id).containsExactly(runId);
    return claimed.get(0);
  }

  Map<String, String> hash(String key) throws Exception {
    return RunHashCodec.fields(await(redis.send(Request.cmd(Command.HGETALL).arg(key))));
  }

  long zcard(String key) throws Exception {
    return await(redis.send(Request.cmd(Command.ZCARD).arg(key))).toLong();
  }

  boolean exists(String key) throws Exception {
    return await(redis.send(Request.cmd(Command.EXISTS).arg(key))).toLong() == 1;
  }

  String queueKey() {
    return keys.taskQueue(WS, QUEUE);
  }

  /** extendTaskLease's raw reply for {@code taskId} ({@code <task>.<generation>}). */
  long rawHeartbeat(String taskId, String workspace) throws Exception {
    int dot = taskId.lastIndexOf('.');
    String id = taskId.substring(0, dot);
    return await(scripts.call(Scripts.EXTEND_TASK_LEASE, List.of(keys.task(id), keys.taskLeases()),
      List.of(id, taskId.substring(dot + 1), Long.toString(clock.millis()), Long.toString(TASK_LEASE.toMillis()),
        workspace))).toLong();
  }

  /** reportTask's raw reply. */
  long rawReport(String taskId, String workspace) throws Exception {
    int dot = taskId.lastIndexOf('.');
    String id = taskId.substring(0, dot);
    return await(scripts.call(Scripts.REPORT_TASK, List.of(keys.task(id), keys.taskLeases(), keys.ready()),
      List.of(keys.prefix(), id, taskId.substring(dot + 1), Long.toString(clock.millis()), DONE.toJson().encode(),
        workspace))).toLong();
  }

  /** resolveTask's raw reply, as a string ("-1", "-2", "", "timeout" or the result JSON). */
  String rawResolve(String runId, long fence) throws Exception {
    return await(scripts.call(Scripts.RESOLVE_TASK, List.of(keys.run(runId), keys.leases(), keys.taskLeases()),
      List.of(keys.prefix(), runId, Long.toString(fence)))).toString();
  }

  // ---- enqueueTask --------------------------------------------------------------------------------------------

  @Nested
  @DisplayName("enqueueTask")
  class Enqueue {

    @Test
    @DisplayName("ok (1): the task hash and queue entry exist, the run releases its lease and gets a deadline timer")
    void ok() throws Exception {
      Run run = claimed("run_1");

      assertThat(await(tasks.enqueue("run_1", run.fence(), newTask("task_1", "run_1"))))
        .isEqualTo(TransitionResult.OK);

      Map<String, String> task = hash(keys.task("task_1"));
      assertThat(task).containsEntry("taskId", "task_1").containsEntry("runId", "run_1")
        .containsEntry("workspace", WS).containsEntry("queue", QUEUE).containsEntry("functionId", "func_w")
        .containsEntry("stepId", "validate").containsEntry("attempt", "1").containsEntry("lease", "0")
        .containsEntry("orchestrationId", ORCH).containsEntry("orchestrationVersion", "3")
        .containsEntry("createdAt", Long.toString(T0.toEpochMilli()));
      assertThat(new JsonObject(task.get("payload")).getJsonObject("input"))
        .isEqualTo(new JsonObject().put("orderId", 42));
      assertThat(score(queueKey(), "task_1")).isEqualTo((double) T0.toEpochMilli());
      assertThat(await(redis.send(Request.cmd(Command.SISMEMBER).arg(keys.taskQueues()).arg(queueKey()))).toLong())
        .isEqualTo(1);
      assertThat(score(keys.leases(), "run_1")).as("lease released").isNull();
      assertThat(score(keys.timers(), "run_1")).isEqualTo((double) T0.plus(TIMEOUT).toEpochMilli());
      Run after = await(store.get("run_1")).orElseThrow();
      assertThat(after.status()).isEqualTo(RunStatus.RUNNING);
      assertThat(after.awaitingTask()).isEqualTo("task_1");
      assertThat(await(store.extendLease("run_1", run.fence(), LEASE))).isNotEqualTo(TransitionResult.OK);
    }

    @Test
    @DisplayName("stale (-2): an old fence, or a caller that no longer holds the lease; nothing is queued")
    void stale() throws Exception {
      Run run = claimed("run_1");

      assertThat(await(tasks.enqueue("run_1", run.fence() - 1, newTask("task_1", "run_1"))))
        .isEqualTo(TransitionResult.STALE);
      assertThat(exists(keys.task("task_1"))).isFalse();
      assertThat(zcard(queueKey())).isZero();

      assertThat(await(tasks.enqueue("run_1", run.fence(), newTask("task_1", "run_1"))))
        .isEqualTo(TransitionResult.OK);
      assertThat(await(tasks.enqueue("run_1", run.fence(), newTask("task_2", "run_1"))))
        .as("the first enqueue released the lease").isEqualTo(TransitionResult.STALE);
      assertThat(exists(keys.task("task_2"))).isFalse();
      assertThat(zcard(queueKey())).isEqualTo(1);
    }

    @Test
    @DisplayName("not running (-3): the run was cancelled meanwhile")
    void notRunning() throws Exception {
      Run run = claimed("run_1");
      assertThat(cancel("run_1")).isEqualTo(TransitionResult.OK);

      assertThat(await(tasks.enqueue("run_1", run.fence(), newTask("task_1", "run_1"))))
        .isEqualTo(TransitionResult.NOT_RUNNING);
      assertThat(exists(keys.task("task_1"))).isFalse();
    }

    @Test
    @DisplayName("not found (-1): no such run")
    void notFound() throws Exception {
      assertThat(await(tasks.enqueue("run_missing", 1, newTask("task_1", "run_missing"))))
        .isEqualTo(TransitionResult.NOT_FOUND);
      assertThat(exists(keys.task("task_1"))).isFalse();
    }
  }

  // ---- claimTasks ---------------------------------------------------------------------------------------------

  @Nested
  @DisplayName("claimTasks")
  class Claim {

    @Test
    @DisplayName("hands out tasks oldest first, generation 1, lease until now + lease; then none")
    void oldestFirst() throws Exception {
      waiting("run_1", "task_1");
      clock.advance(Duration.ofMillis(5));
      waiting("run_2", "task_2");

      WorkerTask first = claimOne();

      assertThat(first.taskId()).isEqualTo("task_1.1");
      assertThat(first.runId()).isEqualTo("run_1");
      assertThat(first.workspace()).isEqualTo(WS);
      assertThat(first.queue()).isEqualTo(QUEUE);
      assertThat(first.functionId()).isEqualTo("func_w");
      assertThat(first.stepId()).isEqualTo("validate");
      assertThat(first.attempt()).isEqualTo(1);
      assertThat(first.orchestrationId()).isEqualTo(ORCH);
      assertThat(first.orchestrationVersion()).isEqualTo(3);
      assertThat(first.payload().getJsonObject("input")).isEqualTo(new JsonObject().put("orderId", 42));
      assertThat(first.leaseExpiresAt()).isEqualTo(clock.instant().plus(TASK_LEASE));
      assertThat(score(keys.taskLeases(), "task_1")).isEqualTo((double) clock.millis() + TASK_LEASE.toMillis());
      assertThat(claimOne().taskId()).isEqualTo("task_2.1");
      assertThat(await(tasks.claim(WS, QUEUE, 10, TASK_LEASE))).isEmpty();
    }

    @Test
    @DisplayName("max bounds the batch; other workspaces and queues are not touched")
    void maxAndScope() throws Exception {
      for (int i = 1; i <= 3; i++) {
        waiting("run_" + i, "task_" + i);
      }

      assertThat(await(tasks.claim("ws-other", QUEUE, 10, TASK_LEASE))).isEmpty();
      assertThat(await(tasks.claim(WS, "other", 10, TASK_LEASE))).isEmpty();
      assertThat(await(tasks.claim(WS, QUEUE, 2, TASK_LEASE))).extracting(WorkerTask::taskId)
        .containsExactly("task_1.1", "task_2.1");
      assertThat(await(tasks.claim(WS, QUEUE, 2, TASK_LEASE))).extracting(WorkerTask::taskId)
        .containsExactly("task_3.1");
    }

    @Test
    @DisplayName("skips (and drops) a task whose hash is gone or whose run no longer waits for it")
    void skipsWithdrawn() throws Exception {
      waiting("run_1", "task_1");
      waiting("run_2", "task_2");
      waiting("run_3", "task_3");
      await(redis.send(Request.cmd(Command.DEL).arg(keys.task("task_1"))));
      await(redis.send(Request.cmd(Command.HSET).arg(keys.run("run_2")).arg("task").arg("")));

      assertThat(await(tasks.claim(WS, QUEUE, 10, TASK_LEASE))).extracting(WorkerTask::taskId)
        .containsExactly("task_3.1");
      assertThat(exists(keys.task("task_2"))).isFalse();
      assertThat(zcard(queueKey())).isZero();
    }
  }

  // ---- reportTask ---------------------------------------------------------------------------------------------

  @Nested
  @DisplayName("reportTask")
  class Report {

    @Test
    @DisplayName("ok (1): the result lands on the run, the run is ready at once, the task and its lease are gone")
    void ok() throws Exception {
      waiting("run_1", "task_1");
      WorkerTask task = claimOne();

      assertThat(await(tasks.report(WS, task.taskId(), DONE))).isEqualTo(ReportOutcome.OK);

      assertThat(hash(keys.run("run_1"))).containsEntry("taskResult", DONE.toJson().encode());
      assertThat(score(keys.ready(), "run_1")).isEqualTo((double) clock.millis());
      assertThat(score(keys.timers(), "run_1")).isNull();
      assertThat(exists(keys.task("task_1"))).isFalse();
      assertThat(score(keys.taskLeases(), "task_1")).isNull();
      Run run = reclaimed("run_1");
      assertThat(run.awaitingTask()).isEqualTo("task_1");
      assertThat(await(tasks.resolve("run_1", run.fence()))).isEqualTo(new TaskResolution.Reported(DONE));
    }

    @Test
    @DisplayName("a failure result is stored as reported: message and retryable")
    void failure() throws Exception {
      waiting("run_1", "task_1");
      WorkerTask task = claimOne();
      TaskResult failed = TaskResult.failed("card declined", true);

      assertThat(await(tasks.report(WS, task.taskId(), failed))).isEqualTo(ReportOutcome.OK);

      Run run = reclaimed("run_1");
      assertThat(await(tasks.resolve("run_1", run.fence()))).isEqualTo(new TaskResolution.Reported(failed));
    }

    @Test
    @DisplayName("unknown (-1): never existed, another workspace's, malformed id, or already reported")
    void unknown() throws Exception {
      waiting("run_1", "task_1");
      WorkerTask task = claimOne();

      assertThat(rawReport("task_nope.1", WS)).isEqualTo(-1);
      assertThat(rawReport(task.taskId(), "ws-other")).isEqualTo(-1);
      assertThat(await(tasks.report("ws-other", task.taskId(), DONE))).isEqualTo(ReportOutcome.UNKNOWN);
      for (String malformed : List.of("task_1", "task_1.", ".1", "task_1.x", "task_1.-1")) {
        assertThat(await(tasks.report(WS, malformed, DONE))).as(malformed).isEqualTo(ReportOutcome.UNKNOWN);
      }
      assertThat(await(tasks.report(WS, task.taskId(), DONE))).isEqualTo(ReportOutcome.OK);
      assertThat(rawReport(task.taskId(), WS)).as("already reported").isEqualTo(-1);
    }

    @Test
    @DisplayName("stale (-2): a generation not held, a lease never granted, or one that expired")
    void stale() throws Exception {
      waiting("run_1", "task_1");
      assertThat(rawReport("task_1.0", WS)).as("queued, never leased").isEqualTo(-2);
      WorkerTask task = claimOne();

      assertThat(rawReport("task_1.2", WS)).isEqualTo(-2);
      clock.advance(TASK_LEASE.plusMillis(1));
      assertThat(await(tasks.report(WS, task.taskId(), DONE))).isEqualTo(ReportOutcome.STALE);

      assertThat(await(tasks.requeueExpired(10))).hasSize(1);
      WorkerTask again = claimOne();
      assertThat(again.taskId()).isEqualTo("task_1.2");
      assertThat(await(tasks.report(WS, task.taskId(), DONE))).as("superseded").isEqualTo(ReportOutcome.STALE);
      assertThat(hash(keys.run("run_1"))).containsEntry("taskResult", "");
      assertThat(await(tasks.report(WS, again.taskId(), DONE))).isEqualTo(ReportOutcome.OK);
    }

    @Test
    @DisplayName("a report while the engine already holds the run (timer fired) does not queue the run a second time")
    void whileEngineHoldsRun() throws Exception {
      waiting("run_1", "task_1");
      WorkerTask task = await(tasks.claim(WS, QUEUE, 1, TIMEOUT.plusMinutes(1))).get(0);
      clock.advance(TIMEOUT);
      Run run = reclaimed("run_1");

      assertThat(await(tasks.report(WS, task.taskId(), DONE))).isEqualTo(ReportOutcome.OK);

      assertThat(score(keys.ready(), "run_1")).as("the lease holder resolves it").isNull();
      assertThat(await(tasks.resolve("run_1", run.fence()))).isEqualTo(new TaskResolution.Reported(DONE));
      assertThat(await(store.claimDue(0, 10, LEASE)).runs()).isEmpty();
    }

    @Test
    @DisplayName("after the run was cancelled, the worker's report is unknown (-1) and the run is not woken")
    void afterCancel() throws Exception {
      waiting("run_1", "task_1");
      WorkerTask task = claimOne();
      assertThat(cancel("run_1")).isEqualTo(TransitionResult.OK);

      assertThat(await(tasks.report(WS, task.taskId(), DONE))).isEqualTo(ReportOutcome.UNKNOWN);
      assertThat(rawHeartbeat(task.taskId(), WS)).isEqualTo(-1);
      assertThat(score(keys.ready(), "run_1")).isNull();
      assertThat(exists(keys.task("task_1"))).isFalse();
      assertThat(score(keys.taskLeases(), "task_1")).isNull();
      assertThat(await(store.get("run_1")).orElseThrow().status()).isEqualTo(RunStatus.CANCELLED);
    }

    @Test
    @DisplayName("cancelling a run whose task is still queued withdraws the task from the queue")
    void cancelWithdrawsQueuedTask() throws Exception {
      waiting("run_1", "task_1");

      assertThat(cancel("run_1")).isEqualTo(TransitionResult.OK);

      assertThat(zcard(queueKey())).isZero();
      assertThat(exists(keys.task("task_1"))).isFalse();
      assertThat(await(tasks.claim(WS, QUEUE, 10, TASK_LEASE))).isEmpty();
    }
  }

  // ---- extendTaskLease ----------------------------------------------------------------------------------------

  @Nested
  @DisplayName("extendTaskLease")
  class Heartbeat {

    @Test
    @DisplayName("ok: answers and stores the new expiry now + lease")
    void ok() throws Exception {
      waiting("run_1", "task_1");
      WorkerTask task = claimOne();
      clock.advance(Duration.ofSeconds(8));

      Optional<Instant> expiry = await(tasks.heartbeat(WS, task.taskId(), TASK_LEASE));

      assertThat(expiry).contains(clock.instant().plus(TASK_LEASE));
      assertThat(score(keys.taskLeases(), "task_1")).isEqualTo((double) clock.instant().plus(TASK_LEASE).toEpochMilli());
      clock.advance(Duration.ofSeconds(8));
      assertThat(await(tasks.report(WS, task.taskId(), DONE))).as("alive past the original expiry")
        .isEqualTo(ReportOutcome.OK);
    }

    @Test
    @DisplayName("unknown (-1): never existed, another workspace's, or already reported")
    void unknown() throws Exception {
      waiting("run_1", "task_1");
      WorkerTask task = claimOne();

      assertThat(rawHeartbeat("task_nope.1", WS)).isEqualTo(-1);
      assertThat(rawHeartbeat(task.taskId(), "ws-other")).isEqualTo(-1);
      assertThat(await(tasks.heartbeat("ws-other", task.taskId(), TASK_LEASE))).isEmpty();
      assertThat(await(tasks.heartbeat(WS, "garbage", TASK_LEASE))).isEmpty();
      await(tasks.report(WS, task.taskId(), DONE));
      assertThat(rawHeartbeat(task.taskId(), WS)).isEqualTo(-1);
    }

    @Test
    @DisplayName("stale (-2): another generation, or an expired lease (which the heartbeat does not revive)")
    void stale() throws Exception {
      waiting("run_1", "task_1");
      WorkerTask task = claimOne();

      assertThat(rawHeartbeat("task_1.7", WS)).isEqualTo(-2);
      clock.advance(TASK_LEASE.plusMillis(1));
      assertThat(rawHeartbeat(task.taskId(), WS)).isEqualTo(-2);
      assertThat(await(tasks.heartbeat(WS, task.taskId(), TASK_LEASE))).isEmpty();
      assertThat(await(tasks.requeueExpired(10))).hasSize(1);
    }
  }

  // ---- requeueExpiredTasks ------------------------------------------------------------------------------------

  @Nested
  @DisplayName("requeueExpiredTasks")
  class Requeue {

    @Test
    @DisplayName("puts expired tasks back at their original queue position; live leases and gone tasks stay out")
    void requeues() throws Exception {
      waiting("run_1", "task_1");
      waiting("run_2", "task_2");
      WorkerTask first = claimOne();
      clock.advance(Duration.ofSeconds(5));
      claimOne();

      assertThat(await(tasks.requeueExpired(10))).isEmpty();
      clock.advance(Duration.ofSeconds(6));
      assertThat(await(tasks.requeueExpired(10))).containsExactly(new QueueRef(WS, QUEUE));

      assertThat(score(queueKey(), "task_1")).isEqualTo((double) T0.toEpochMilli());
      assertThat(score(keys.taskLeases(), "task_1")).isNull();
      assertThat(score(keys.taskLeases(), "task_2")).isNotNull();
      WorkerTask again = claimOne();
      assertThat(again.taskId()).isEqualTo("task_1.2");
      assertThat(again.runId()).isEqualTo(first.runId());

      await(redis.send(Request.cmd(Command.DEL).arg(keys.task("task_2"))));
      clock.advance(Duration.ofSeconds(20));
      assertThat(await(tasks.requeueExpired(10))).as("task_1 again; task_2's hash is gone").hasSize(1);
      assertThat(zcard(keys.taskLeases())).isZero();
    }

    @Test
    @DisplayName("max bounds one call")
    void bounded() throws Exception {
      for (int i = 1; i <= 3; i++) {
        waiting("run_" + i, "task_" + i);
      }
      await(tasks.claim(WS, QUEUE, 3, TASK_LEASE));
      clock.advance(TASK_LEASE.plusMillis(1));

      assertThat(await(tasks.requeueExpired(2))).hasSize(2);
      assertThat(await(tasks.requeueExpired(2))).hasSize(1);
      assertThat(zcard(queueKey())).isEqualTo(3);
    }
  }

  // ---- resolveTask --------------------------------------------------------------------------------------------

  @Nested
  @DisplayName("resolveTask")
  class Resolve {

    @Test
    @DisplayName("result: the reported result JSON, once; the run then waits for no task")
    void result() throws Exception {
      waiting("run_1", "task_1");
      await(tasks.report(WS, claimOne().taskId(), DONE));
      Run run = reclaimed("run_1");

      assertThat(rawResolve("run_1", run.fence())).isEqualTo(DONE.toJson().encode());

      assertThat(hash(keys.run("run_1"))).containsEntry("task", "").containsEntry("taskResult", "");
      assertThat(await(tasks.resolve("run_1", run.fence()))).isEqualTo(new TaskResolution.NoTask());
    }

    @Test
    @DisplayName("timeout: the deadline passed unreported; the queued task is withdrawn")
    void timeoutQueued() throws Exception {
      waiting("run_1", "task_1");
      clock.advance(TIMEOUT);
      Run run = reclaimed("run_1");

      assertThat(await(tasks.resolve("run_1", run.fence()))).isEqualTo(new TaskResolution.TimedOut());

      assertThat(zcard(queueKey())).isZero();
      assertThat(exists(keys.task("task_1"))).isFalse();
      assertThat(hash(keys.run("run_1"))).containsEntry("task", "");
      assertThat(await(tasks.claim(WS, QUEUE, 10, TASK_LEASE))).isEmpty();
    }

    @Test
    @DisplayName("timeout of a leased task: the lease is withdrawn and the worker's late report is unknown")
    void timeoutLeased() throws Exception {
      waiting("run_1", "task_1");
      WorkerTask task = claimOne();
      clock.advance(TIMEOUT);
      Run run = reclaimed("run_1");

      assertThat(rawResolve("run_1", run.fence())).isEqualTo("timeout");

      assertThat(score(keys.taskLeases(), "task_1")).isNull();
      assertThat(await(tasks.report(WS, task.taskId(), DONE))).isEqualTo(ReportOutcome.UNKNOWN);
      assertThat(await(tasks.requeueExpired(10))).isEmpty();
    }

    @Test
    @DisplayName("none (\"\"): the run waits for no task")
    void none() throws Exception {
      Run run = claimed("run_1");

      assertThat(rawResolve("run_1", run.fence())).isEmpty();
      assertThat(await(tasks.resolve("run_1", run.fence()))).isEqualTo(new TaskResolution.NoTask());
    }

    @Test
    @DisplayName("stale (-2) / not found (-1): an old fence, a run not leased, an unknown run → Lost")
    void stale() throws Exception {
      Run run = waiting("run_1", "task_1");

      assertThat(rawResolve("run_1", run.fence())).as("waiting run holds no lease").isEqualTo("-2");
      clock.advance(TIMEOUT);
      Run again = reclaimed("run_1");
      assertThat(rawResolve("run_1", again.fence() - 1)).isEqualTo("-2");
      assertThat(await(tasks.resolve("run_1", run.fence()))).isEqualTo(new TaskResolution.Lost());
      assertThat(rawResolve("run_missing", 1)).isEqualTo("-1");
      assertThat(await(tasks.resolve("run_missing", 1))).isEqualTo(new TaskResolution.Lost());
      assertThat(exists(keys.task("task_1"))).as("a stale resolve touches nothing").isTrue();
    }
  }

  // ---- queue stats --------------------------------------------------------------------------------------------

  @Test
  @DisplayName("queueStats reports depth and the oldest task's age per queue")
  void queueStats() throws Exception {
    waiting("run_1", "task_1");
    clock.advance(Duration.ofSeconds(2));
    waiting("run_2", "task_2");
    clock.advance(Duration.ofSeconds(3));

    assertThat(await(tasks.queueStats())).containsExactly(new io.orchestrator.tasks.QueueStat(WS, QUEUE, 2, 5_000));
    Response members = await(redis.send(Request.cmd(Command.SMEMBERS).arg(keys.taskQueues())));
    assertThat(members.size()).isEqualTo(1);
  }
}
