package io.orchestrator.engine;

import static io.orchestrator.engine.RunTestSupport.awaitRun;
import static io.orchestrator.engine.RunTestSupport.awaitStatus;
import static io.orchestrator.engine.RunTestSupport.createOrchestration;
import static io.orchestrator.engine.RunTestSupport.delay;
import static io.orchestrator.engine.RunTestSupport.listRuns;
import static io.orchestrator.engine.RunTestSupport.orchestrationBody;
import static io.orchestrator.engine.RunTestSupport.pause;
import static io.orchestrator.engine.RunTestSupport.runPath;
import static io.orchestrator.engine.RunTestSupport.triggerReply;
import static io.orchestrator.engine.RunTestSupport.triggerWithKey;
import static io.orchestrator.fixtures.TestApp.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.common.Partitions;
import io.orchestrator.fixtures.ApiClient;
import io.orchestrator.fixtures.ApiClient.Reply;
import io.orchestrator.fixtures.TestApp;
import io.orchestrator.store.redis.Keyspace;
import io.orchestrator.store.redis.RedisKeys;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A deployment in the single-tag layout of the versions before partitions (DESIGN.md §11), made the way they made it:
 * the real service and its scripts write the data, on one partition, and its keys are then renamed to the single tag
 * {@code {<prefix>}:} ({@link Keyspace#legacy()}: the scripts' layout under one tag is exactly the old layout). What
 * the partitioned service added is undone: the meta hash goes, and the worker task gets a random id of the kind the
 * old version minted (whose last characters name another partition than its run's). Holds the ids the test checks.
 */
final class LegacyDeployment {

  static final String QUEUE = "legacy-q";
  static final String KEY = "order-key-1";
  static final String EVENT_ID = "evt-1";
  static final String EVENT_RUNS = "[{\"orchestrationId\":\"orch_x\",\"runId\":\"run_x\"}]";

  final String prefix;
  final String workspace;
  final Map<String, String> env;
  String quick;
  String waiter;
  String working;
  String scheduled;
  String persisted;
  String waiting;
  String taskRun;
  String taskId;
  String pending;
  String keyed;
  String cancelled;
  final Map<String, Long> totals = new HashMap<>();

  private LegacyDeployment(String prefix) {
    this.prefix = prefix;
    this.workspace = TestApp.randomWorkspace();
    this.env = Map.of("ORCH_REDIS_PREFIX", prefix);
  }

  /** Writes the deployment with the service on one partition, then turns it into the single-tag layout. */
  static LegacyDeployment write(Redis redis) {
    LegacyDeployment d = new LegacyDeployment("m" + UUID.randomUUID().toString().substring(0, 8));
    Map<String, String> one = Map.of("ORCH_REDIS_PREFIX", d.prefix, "ORCH_PARTITIONS", "1");
    try (TestApp app = TestApp.start(one)) {
      d.runEverything(app, redis);
    }
    Map<String, String> apiOnly = new HashMap<>(one);
    apiOnly.put("ORCH_ROLES", "api");
    try (TestApp app = TestApp.start(apiOnly)) {
      d.queueWithoutWorkers(app.client(d.workspace));
    }
    d.toSingleTag(redis);
    return d;
  }

  /** With workers: a finished and persisted run, a run waiting on its timer, a run whose task waits for a worker. */
  private void runEverything(TestApp app, Redis redis) {
    ApiClient client = app.client(workspace);
    quick = createOrchestration(client, "quick", delay("d", 10, null));
    waiter = createOrchestration(client, "waiter", delay("wait", 6000, null));
    Reply function = client.post("/functions", new JsonObject().put("name", "worker").put("runtime", "worker")
      .put("queue", QUEUE));
    assertThat(function.status()).as(function.body()).isEqualTo(201);
    working = createOrchestration(client, "working", new JsonObject().put("id", "work").put("name", "Work")
      .put("type", "compute").put("functionId", function.json().getString("id")).put("timeoutMs", 120_000));
    scheduled = createOrchestration(client, orchestrationBody("scheduled", delay("d", 10, null)).put("trigger",
      new JsonObject().put("type", "scheduled").put("scheduleType", "interval").put("interval", 2000)));
    persisted = triggerReply(client, quick, new JsonObject().put("input", new JsonObject())
      .put("correlationId", "order-7")).getString("id");
    awaitStatus(client, quick, persisted, "completed");
    RedisKeys p0 = app.keyspace.partition(0);
    while (await(redis.send(Request.cmd(Command.ZSCORE).arg(p0.expiry()).arg(persisted))) == null) {
      pause();
    }
    waiting = triggerReply(client, waiter, new JsonObject()).getString("id");
    awaitRun(client, waiter, waiting, "waiting", r -> r.getString("status").equals("waiting"));
    taskRun = triggerReply(client, working, new JsonObject()).getString("id");
    String queueKey = p0.taskQueue(workspace, QUEUE);
    while (await(redis.send(Request.cmd(Command.ZCARD).arg(queueKey))).toLong() == 0) {
      pause();
    }
  }

  /** Without workers: a pending run in the ready queue, one under an idempotency key, a cancelled one unarchived. */
  private void queueWithoutWorkers(ApiClient client) {
    pending = triggerReply(client, quick, new JsonObject()).getString("id");
    Reply reply = triggerWithKey(client, quick, new JsonObject(), KEY);
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    keyed = reply.json().getString("id");
    cancelled = triggerReply(client, quick, new JsonObject()).getString("id");
    Reply cancel = client.post(runPath(quick, cancelled) + "/cancel", null);
    assertThat(cancel.status()).as(cancel.body()).isEqualTo(200);
    for (String orch : List.of(quick, waiter, working, scheduled)) {
      totals.put(orch, listRuns(client, orch, "").getJsonObject("meta").getLong("total"));
    }
  }

  private void toSingleTag(Redis redis) {
    Keyspace one = new Keyspace(prefix, new Partitions(1));
    String from = one.partition(0).prefix();
    String to = one.legacy().prefix();
    for (String key : keys(redis, from)) {
      await(redis.send(Request.cmd(Command.RENAME).arg(key).arg(to + key.substring(from.length()))));
    }
    for (Response member : await(redis.send(Request.cmd(Command.SMEMBERS).arg(to + "tqueues")))) {
      String name = member.toString();
      await(redis.send(Request.cmd(Command.SREM).arg(to + "tqueues").arg(name)));
      await(redis.send(Request.cmd(Command.SADD).arg(to + "tqueues").arg(to + name.substring(from.length()))));
    }
    await(redis.send(Request.cmd(Command.DEL).arg(one.meta())));
    String minted = await(redis.send(Request.cmd(Command.HGET).arg(to + "run:" + taskRun).arg("task"))).toString();
    taskId = oldStyleTaskId(minted);
    await(redis.send(Request.cmd(Command.RENAME).arg(to + "task:" + minted).arg(to + "task:" + taskId)));
    await(redis.send(Request.cmd(Command.HSET).arg(to + "task:" + taskId).arg("taskId").arg(taskId)));
    await(redis.send(Request.cmd(Command.HSET).arg(to + "run:" + taskRun).arg("task").arg(taskId)));
    String queue = to + "tq:" + workspace + ":" + QUEUE;
    Response score = await(redis.send(Request.cmd(Command.ZSCORE).arg(queue).arg(minted)));
    await(redis.send(Request.cmd(Command.ZREM).arg(queue).arg(minted)));
    await(redis.send(Request.cmd(Command.ZADD).arg(queue).arg(score.toString()).arg(taskId)));
    // what the old version also held: an event's dedupe entry, a rate-limit window, a schedule's tombstone
    await(redis.send(Request.cmd(Command.SET).arg(to + "evt:" + workspace + ":" + EVENT_ID).arg(EVENT_RUNS)
      .arg("PX").arg(3_600_000)));
    await(redis.send(Request.cmd(Command.SET).arg(to + "rate:http:" + workspace + ":hook:123").arg(3).arg("PX")
      .arg(60_000)));
    await(redis.send(Request.cmd(Command.HSET).arg(to + "schedule:orch_gone").arg("version").arg(3)
      .arg("removed").arg(1)));
    await(redis.send(Request.cmd(Command.PEXPIRE).arg(to + "schedule:orch_gone").arg(3_600_000)));
  }

  /** A task id as the old version minted it: random, here chosen to name another of 16 partitions than its run. */
  private String oldStyleTaskId(String minted) {
    Partitions sixteen = new Partitions(16);
    String stem = minted.substring(0, minted.length() - 2);
    for (char c = 'a'; ; c++) {
      String id = stem + "z" + c;
      if (sixteen.of(id) != sixteen.of(taskRun)) {
        return id;
      }
    }
  }

  /** Every key starting with {@code prefix}, by SCAN. */
  static List<String> keys(Redis redis, String prefix) {
    List<String> keys = new ArrayList<>();
    String cursor = "0";
    do {
      Response reply = await(redis.send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH")
        .arg(prefix.replaceAll("([*?\\[\\]\\\\])", "\\\\$1") + "*").arg("COUNT").arg(1000)));
      reply.get(1).forEach(key -> keys.add(key.toString()));
      cursor = reply.get(0).toString();
    } while (!cursor.equals("0"));
    return keys;
  }

  /** The legacy data copied to another prefix (DUMP/RESTORE with TTLs; the known queues renamed), for re-runs. */
  static String copy(Redis redis, String fromPrefix) {
    String toPrefix = "c" + UUID.randomUUID().toString().substring(0, 8);
    String from = new Keyspace(fromPrefix, new Partitions(1)).legacy().prefix();
    String to = new Keyspace(toPrefix, new Partitions(1)).legacy().prefix();
    for (String key : keys(redis, from)) {
      long ttl = await(redis.send(Request.cmd(Command.PTTL).arg(key))).toLong();
      Response dump = await(redis.send(Request.cmd(Command.DUMP).arg(key)));
      await(redis.send(Request.cmd(Command.RESTORE).arg(to + key.substring(from.length())).arg(Math.max(0, ttl))
        .arg(dump.toBuffer())));
    }
    for (Response member : await(redis.send(Request.cmd(Command.SMEMBERS).arg(to + "tqueues")))) {
      await(redis.send(Request.cmd(Command.SREM).arg(to + "tqueues").arg(member.toString())));
      await(redis.send(Request.cmd(Command.SADD).arg(to + "tqueues")
        .arg(to + member.toString().substring(from.length()))));
    }
    return toPrefix;
  }
}
