package io.orchestrator.store.redis;

import io.orchestrator.runs.TransitionResult;
import io.orchestrator.tasks.NewTask;
import io.orchestrator.tasks.QueueRef;
import io.orchestrator.tasks.QueueStat;
import io.orchestrator.tasks.ReportOutcome;
import io.orchestrator.tasks.TaskResolution;
import io.orchestrator.tasks.TaskResult;
import io.orchestrator.tasks.TaskStore;
import io.orchestrator.tasks.WorkerTask;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/** {@link TaskStore} on Redis: one Lua script per transition, keys under the run store's hash tag. */
public final class RedisTaskStore implements TaskStore {

  public static final List<String> SCRIPTS = Scripts.TASKS;

  private final Redis redis;
  private final ScriptRegistry scripts;
  private final RedisKeys keys;
  private final Clock clock;

  public RedisTaskStore(Redis redis, ScriptRegistry scripts, RedisKeys keys, Clock clock) {
    this.redis = redis;
    this.scripts = scripts;
    this.keys = keys;
    this.clock = clock;
  }

  public static Future<RedisTaskStore> create(Vertx vertx, Redis redis, RedisKeys keys, Clock clock) {
    return ScriptRegistry.load(vertx, redis, SCRIPTS).map(registry -> new RedisTaskStore(redis, registry, keys, clock));
  }

  @Override
  public Future<TransitionResult> enqueue(String runId, long fence, NewTask task) {
    long now = clock.millis();
    List<String> args = new ArrayList<>(List.of(runId, Long.toString(fence), task.taskId(), Long.toString(now),
      Long.toString(task.deadline().toEpochMilli()), keys.prefix()));
    args.addAll(List.of("taskId", task.taskId(), "runId", runId, "orchestrationId", task.orchestrationId(),
      "orchestrationVersion", Integer.toString(task.orchestrationVersion()), "workspace", task.workspace(),
      "queue", task.queue(), "functionId", task.functionId(), "stepId", task.stepId(),
      "attempt", Integer.toString(task.attempt()), "payload", task.payload().encode(), "createdAt",
      Long.toString(now)));
    List<String> enqueueKeys = List.of(keys.run(runId), keys.leases(), keys.timers(), keys.task(task.taskId()),
      keys.taskQueue(task.workspace(), task.queue()));
    return scripts.call(Scripts.ENQUEUE_TASK, enqueueKeys, args).compose(ScriptCodes::toResult);
  }

  @Override
  public Future<TaskResolution> resolve(String runId, long fence) {
    return scripts.call(Scripts.RESOLVE_TASK, List.of(keys.run(runId), keys.leases(), keys.taskLeases()),
        List.of(keys.prefix(), runId, Long.toString(fence)))
      .map(reply -> {
        String text = reply.toString();
        if (text.startsWith("-")) {
          return new TaskResolution.Lost();
        }
        if (text.isEmpty()) {
          return new TaskResolution.NoTask();
        }
        return "timeout".equals(text) ? new TaskResolution.TimedOut()
          : new TaskResolution.Reported(TaskResult.fromJson(new JsonObject(text)));
      });
  }

  @Override
  public Future<List<WorkerTask>> claim(String workspace, String queue, int max, Duration lease) {
    long now = clock.millis();
    return scripts.call(Scripts.CLAIM_TASKS, List.of(keys.taskQueue(workspace, queue), keys.taskLeases()),
        List.of(keys.prefix(), Long.toString(now), Integer.toString(max), Long.toString(lease.toMillis())))
      .map(reply -> {
        List<WorkerTask> tasks = new ArrayList<>();
        for (Response entry : reply) {
          tasks.add(toTask(entry.get(0).toLong(), RunHashCodec.fields(entry.get(1)), now + lease.toMillis()));
        }
        return tasks;
      });
  }

  @Override
  public Future<ReportOutcome> report(String workspace, String taskId, TaskResult result) {
    TaskRef ref = TaskRef.parse(taskId);
    if (ref == null) {
      return Future.succeededFuture(ReportOutcome.UNKNOWN);
    }
    return scripts.call(Scripts.REPORT_TASK, List.of(keys.task(ref.id()), keys.taskLeases(), keys.ready()),
        List.of(keys.prefix(), ref.id(), ref.generation(), Long.toString(clock.millis()), result.toJson().encode(),
          workspace))
      .map(reply -> outcome(reply.toLong()));
  }

  @Override
  public Future<Optional<Instant>> heartbeat(String workspace, String taskId, Duration lease) {
    TaskRef ref = TaskRef.parse(taskId);
    if (ref == null) {
      return Future.succeededFuture(Optional.empty());
    }
    return scripts.call(Scripts.EXTEND_TASK_LEASE, List.of(keys.task(ref.id()), keys.taskLeases()), List.of(ref.id(),
        ref.generation(), Long.toString(clock.millis()), Long.toString(lease.toMillis()), workspace))
      .map(reply -> reply.toLong() > 0 ? Optional.of(Instant.ofEpochMilli(reply.toLong())) : Optional.empty());
  }

  @Override
  public Future<List<QueueRef>> requeueExpired(int max) {
    return scripts.call(Scripts.REQUEUE_EXPIRED_TASKS, List.of(keys.taskLeases()),
        List.of(keys.prefix(), Long.toString(clock.millis()), Integer.toString(max)))
      .map(reply -> {
        List<QueueRef> requeued = new ArrayList<>();
        for (int i = 0; i + 1 < reply.size(); i += 2) {
          requeued.add(new QueueRef(reply.get(i).toString(), reply.get(i + 1).toString()));
        }
        return requeued;
      });
  }

  @Override
  public Future<List<QueueStat>> queueStats() {
    return queueStats(queue -> true);
  }

  /** Reads only the workspace's queues: the others' are left out before any of them is counted. */
  @Override
  public Future<List<QueueStat>> queueStats(String workspace) {
    return queueStats(queue -> queue.workspace().equals(workspace));
  }

  private Future<List<QueueStat>> queueStats(Predicate<QueueRef> wanted) {
    return redis.send(Request.cmd(Command.SMEMBERS).arg(keys.taskQueues())).compose(members -> {
      List<Future<QueueStat>> stats = new ArrayList<>();
      members.forEach(member -> {
        QueueRef queue = keys.taskQueueRef(member.toString());
        if (queue != null && wanted.test(queue)) {
          stats.add(stat(queue));
        }
      });
      return Future.all(stats).map(all -> stats.stream().map(Future::result).toList());
    });
  }

  private Future<QueueStat> stat(QueueRef queue) {
    String queueKey = keys.taskQueue(queue.workspace(), queue.queue());
    Future<Response> depth = redis.send(Request.cmd(Command.ZCARD).arg(queueKey));
    Future<Response> oldest = redis.send(Request.cmd(Command.ZRANGE).arg(queueKey).arg(0).arg(0).arg("WITHSCORES"));
    return Future.all(depth, oldest).map(v -> {
      Response first = oldest.result();
      long age = first == null || first.size() == 0 ? 0 : clock.millis() - (long) scoreOf(first);
      return new QueueStat(queue.workspace(), queue.queue(), depth.result().toLong(), Math.max(0, age));
    });
  }

  private static double scoreOf(Response withScores) {
    Response score = withScores.size() >= 2 ? withScores.get(1) : withScores.get(0).get(1);
    return Double.parseDouble(score.toString());
  }

  private static ReportOutcome outcome(long code) {
    return code == 1 ? ReportOutcome.OK : code == -2 ? ReportOutcome.STALE : ReportOutcome.UNKNOWN;
  }

  private static WorkerTask toTask(long generation, Map<String, String> h, long leaseExpiry) {
    return new WorkerTask(h.get("taskId") + "." + generation, h.get("runId"),
      h.get("orchestrationId"), Integer.parseInt(h.getOrDefault("orchestrationVersion", "0")), h.get("workspace"),
      h.get("queue"), h.get("functionId"), h.get("stepId"), Integer.parseInt(h.getOrDefault("attempt", "1")),
      new JsonObject(h.getOrDefault("payload", "{}")), Instant.ofEpochMilli(leaseExpiry));
  }

  /** The worker-facing task id {@code <task>.<lease generation>}. */
  private record TaskRef(String id, String generation) {

    static TaskRef parse(String taskId) {
      int dot = taskId.lastIndexOf('.');
      if (dot <= 0 || dot == taskId.length() - 1 || !taskId.substring(dot + 1).chars().allMatch(Character::isDigit)) {
        return null;
      }
      return new TaskRef(taskId.substring(0, dot), taskId.substring(dot + 1));
    }
  }
}
