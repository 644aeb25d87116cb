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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * {@link TaskStore} on Redis: one Lua script per transition. A task lives in its run's partition (its id carries the
 * run's partition, see {@code Ids.task}), with the run's keys; a worker queue is one queue per partition, FIFO within
 * each, and a claim takes from the partitions holding tasks, starting one further round each claim.
 */
public final class RedisTaskStore implements TaskStore {

  public static final List<String> SCRIPTS = Scripts.TASKS;

  private final Redis redis;
  private final ScriptRegistry scripts;
  private final Keyspace keyspace;
  private final Clock clock;
  private final AtomicInteger firstPartition = new AtomicInteger();

  public RedisTaskStore(Redis redis, ScriptRegistry scripts, Keyspace keyspace, Clock clock) {
    this.redis = redis;
    this.scripts = scripts;
    this.keyspace = keyspace;
    this.clock = clock;
  }

  public static Future<RedisTaskStore> create(Vertx vertx, Redis redis, Keyspace keys, Clock clock) {
    return ScriptRegistry.load(vertx, redis, SCRIPTS).map(registry -> new RedisTaskStore(redis, registry, keys, clock));
  }

  @Override
  public Future<TransitionResult> enqueue(String runId, long fence, NewTask task) {
    RedisKeys keys = keyspace.ofId(runId);
    if (keyspace.partitions().of(task.taskId()) != keys.partition()) {
      return Future.failedFuture(new IllegalArgumentException("task " + task.taskId()
        + " was not minted in its run's partition (Ids.task(runId))"));
    }
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
    RedisKeys keys = keyspace.ofId(runId);
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

  /**
   * Looks at the queue's depth in every partition at once, then claims from those holding tasks one after another,
   * from a starting partition that turns with every claim, until {@code max} tasks are taken.
   */
  @Override
  public Future<List<WorkerTask>> claim(String workspace, String queue, int max, Duration lease) {
    int first = firstPartition.getAndIncrement();
    return Fanout.each(keyspace, keys -> redis.send(Request.cmd(Command.ZCARD).arg(keys.taskQueue(workspace, queue)))
        .map(Response::toLong))
      .compose(depths -> {
        List<RedisKeys> holding = new ArrayList<>();
        for (int i = 0; i < depths.size(); i++) {
          int p = Math.floorMod(first + i, depths.size());
          if (depths.get(p) > 0) {
            holding.add(keyspace.partition(p));
          }
        }
        return claimFrom(holding, 0, workspace, queue, max, lease, new ArrayList<>());
      });
  }

  private Future<List<WorkerTask>> claimFrom(List<RedisKeys> partitions, int next, String workspace, String queue,
                                             int max, Duration lease, List<WorkerTask> taken) {
    if (taken.size() >= max || next >= partitions.size()) {
      return Future.succeededFuture(taken);
    }
    return claimIn(partitions.get(next), workspace, queue, max - taken.size(), lease).compose(tasks -> {
      taken.addAll(tasks);
      return claimFrom(partitions, next + 1, workspace, queue, max, lease, taken);
    });
  }

  private Future<List<WorkerTask>> claimIn(RedisKeys keys, String workspace, String queue, int max, Duration lease) {
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
    RedisKeys keys = keyspace.ofId(ref.id());
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
    RedisKeys keys = keyspace.ofId(ref.id());
    return scripts.call(Scripts.EXTEND_TASK_LEASE, List.of(keys.task(ref.id()), keys.taskLeases()), List.of(ref.id(),
        ref.generation(), Long.toString(clock.millis()), Long.toString(lease.toMillis()), workspace))
      .map(reply -> reply.toLong() > 0 ? Optional.of(Instant.ofEpochMilli(reply.toLong())) : Optional.empty());
  }

  /** Every partition's expired task leases, up to {@code max} in each. */
  @Override
  public Future<List<QueueRef>> requeueExpired(int max) {
    String now = Long.toString(clock.millis());
    return Fanout.each(keyspace, keys -> scripts.call(Scripts.REQUEUE_EXPIRED_TASKS, List.of(keys.taskLeases()),
        List.of(keys.prefix(), now, Integer.toString(max)))
      .map(reply -> {
        List<QueueRef> requeued = new ArrayList<>();
        for (int i = 0; i + 1 < reply.size(); i += 2) {
          requeued.add(new QueueRef(reply.get(i).toString(), reply.get(i + 1).toString()));
        }
        return requeued;
      }))
      .map(parts -> parts.stream().flatMap(List::stream).toList());
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

  /** A queue's depth summed over the partitions, its age the oldest task's in any of them. */
  private Future<List<QueueStat>> queueStats(Predicate<QueueRef> wanted) {
    return Fanout.each(keyspace, keys -> redis.send(Request.cmd(Command.SMEMBERS).arg(keys.taskQueues()))
        .compose(members -> {
          List<Future<QueueStat>> stats = new ArrayList<>();
          members.forEach(member -> {
            QueueRef queue = keys.taskQueueRef(member.toString());
            if (queue != null && wanted.test(queue)) {
              stats.add(stat(keys, queue));
            }
          });
          return Future.all(stats).map(all -> stats.stream().map(Future::result).toList());
        }))
      .map(parts -> {
        Map<QueueRef, QueueStat> merged = new LinkedHashMap<>();
        parts.forEach(stats -> stats.forEach(stat -> merged.merge(new QueueRef(stat.workspace(), stat.queue()), stat,
          (a, b) -> new QueueStat(a.workspace(), a.queue(), a.depth() + b.depth(),
            Math.max(a.oldestAgeMs(), b.oldestAgeMs())))));
        return List.copyOf(merged.values());
      });
  }

  private Future<QueueStat> stat(RedisKeys keys, QueueRef queue) {
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
