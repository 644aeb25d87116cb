package io.orchestrator.engine;

import static io.orchestrator.engine.RunTestSupport.TIMEOUT;
import static io.orchestrator.engine.RunTestSupport.awaitStatus;
import static io.orchestrator.engine.RunTestSupport.getRun;
import static io.orchestrator.engine.RunTestSupport.listRuns;
import static io.orchestrator.engine.RunTestSupport.pause;
import static io.orchestrator.engine.RunTestSupport.triggerWithKey;
import static io.orchestrator.fixtures.TestApp.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrator.common.Partitions;
import io.orchestrator.config.ConfigException;
import io.orchestrator.fixtures.ApiClient;
import io.orchestrator.fixtures.ApiClient.Reply;
import io.orchestrator.fixtures.TestApp;
import io.orchestrator.fixtures.TestStores;
import io.orchestrator.store.redis.Keyspace;
import io.orchestrator.store.redis.MigrationSummary;
import io.orchestrator.store.redis.PartitionMigration;
import io.orchestrator.store.redis.RedisKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Upgrading a single-tag deployment (DESIGN.md §11, README "Upgrading to partitions"): the service refuses the old
 * layout, {@code migrate-partitions} moves it with nothing lost, the upgraded service finds, lists and finishes every
 * run, a second migration changes nothing, an interrupted one finishes on a re-run with the same result, and the
 * partition count is fixed from then on.
 */
class PartitionMigrationIT {

  private static final int PARTITIONS = 16;

  private static Vertx vertx;
  private static Redis redis;
  /** The legacy data every test copies (so each starts from the same single-tag deployment). */
  private static LegacyDeployment legacy;

  @BeforeAll
  static void writeLegacyDeployment() {
    vertx = Vertx.vertx();
    redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(TestStores.redisUrl())
      .setMaxPoolSize(8).setMaxPoolWaiting(100_000).setMaxWaitingHandlers(100_000));
    legacy = LegacyDeployment.write(redis);
  }

  @AfterAll
  static void close() {
    redis.close();
    vertx.close().toCompletionStage().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
  }

  private static Keyspace keyspace(String prefix) {
    return new Keyspace(prefix, new Partitions(PARTITIONS));
  }

  private static MigrationSummary migrate(String prefix, Redis client) {
    return await(new PartitionMigration(client, keyspace(prefix)).run());
  }

  private static Map<String, String> env(String prefix) {
    return Map.of("ORCH_REDIS_PREFIX", prefix);
  }

  @Test
  @DisplayName("after migrate-partitions the upgraded service finds, lists and finishes every run of the old layout")
  void upgrade() {
    String prefix = LegacyDeployment.copy(redis, legacy.prefix);
    assertThat(startFailure(env(prefix))).hasMessageContaining("single-tag layout")
      .hasMessageContaining("migrate-partitions");

    long runs = LegacyDeployment.keys(redis, keyspace(prefix).legacy().prefix() + "run:").size();
    MigrationSummary summary = migrate(prefix, redis);

    // scheduled orchestrations (of other tests too: they share PostgreSQL) may have fired while the old service ran
    assertThat(runs).isGreaterThanOrEqualTo(legacy.totals.values().stream().mapToLong(Long::longValue).sum());
    Map<String, Long> counts = summary.counts();
    assertThat(counts).containsEntry("run hashes", runs).containsEntry("index entries", 2 * runs)
      .containsEntry("correlation entries", 1L)
      .containsEntry("task hashes", 1L).containsEntry("task ids re-minted", 1L)
      .containsEntry("task queue entries", 1L).containsEntry("task lease entries", 0L)
      .containsEntry("task queues known", 1L).containsEntry("event dedupe keys", 1L)
      .containsEntry("rate windows dropped", 1L).containsEntry("dangling entries dropped", 0L);
    // scheduled fires start their runs under idempotency keys
    assertThat(counts.get("idempotency keys")).isGreaterThanOrEqualTo(1);
    assertThat(counts.get("schedule entries")).isGreaterThanOrEqualTo(1);
    assertThat(counts.get("schedule hashes")).isGreaterThanOrEqualTo(2);
    assertThat(counts.get("ready entries")).isGreaterThanOrEqualTo(2);
    assertThat(counts.get("timers entries")).isGreaterThanOrEqualTo(2);
    assertThat(counts.get("unarchived entries")).isGreaterThanOrEqualTo(1);
    assertThat(counts.get("expiry entries")).isGreaterThanOrEqualTo(1);
    assertThat(summary.leftInPlace()).isEmpty();
    assertThat(LegacyDeployment.keys(redis, keyspace(prefix).legacy().prefix())).containsExactly(
      keyspace(prefix).meta());
    assertPlaced(prefix);
    assertThat(migrate(prefix, redis).nothingMoved()).as("a second run").isTrue();

    try (TestApp app = TestApp.start(env(prefix))) {
      ApiClient client = app.client(legacy.workspace);
      legacy.totals.forEach((orch, total) -> {
        if (!orch.equals(legacy.scheduled)) {
          assertThat(listRuns(client, orch, "").getJsonObject("meta").getLong("total")).as(orch).isEqualTo(total);
        }
      });
      assertThat(getRun(client, legacy.quick, legacy.persisted).getString("status")).isEqualTo("completed");
      assertThat(getRun(client, legacy.quick, legacy.cancelled).getString("status")).isEqualTo("cancelled");
      assertThat(listRuns(client, legacy.quick, "correlationId=order-7").getJsonArray("data")).hasSize(1);
      awaitStatus(client, legacy.quick, legacy.pending, "completed");
      awaitStatus(client, legacy.quick, legacy.keyed, "completed");
      JsonObject waited = awaitStatus(client, legacy.waiter, legacy.waiting, "completed");
      assertThat(waited.getJsonArray("executedSteps")).containsExactly("wait");
      Reply again = triggerWithKey(client, legacy.quick, new JsonObject(), LegacyDeployment.KEY);
      assertThat(again.json().getString("id")).as(again.body()).isEqualTo(legacy.keyed);

      JsonObject task = pollOne(client);
      assertThat(task.getString("runId")).isEqualTo(legacy.taskRun);
      Reply done = client.post("/worker-tasks/" + task.getString("taskId") + "/complete",
        new JsonObject().put("output", new JsonObject().put("ok", true)));
      assertThat(done.status()).as(done.body()).isEqualTo(200);
      awaitStatus(client, legacy.working, legacy.taskRun, "completed");

      long before = legacy.totals.get(legacy.scheduled);
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (listRuns(client, legacy.scheduled, "").getJsonObject("meta").getLong("total") <= before
        && System.nanoTime() < deadline) {
        pause();
      }
      assertThat(listRuns(client, legacy.scheduled, "").getJsonObject("meta").getLong("total")).isGreaterThan(before);
      assertArchived(app.keyspace, legacy.cancelled);
      Reply deleted = client.delete("/orchestrations/" + legacy.scheduled);
      assertThat(deleted.status()).as("stop the schedule: " + deleted.body()).isIn(200, 204);
    }
  }

  /** The keys the upgraded service looks up by name are where it looks. */
  private void assertPlaced(String prefix) {
    Keyspace keys = keyspace(prefix);
    RedisKeys idem = keys.partition(keys.partitions().ofIdempotencyKey(legacy.workspace, legacy.quick,
      LegacyDeployment.KEY));
    assertThat(get(idem.idempotency(legacy.workspace, legacy.quick, LegacyDeployment.KEY))).isEqualTo(legacy.keyed);
    assertThat(ttl(idem.idempotency(legacy.workspace, legacy.quick, LegacyDeployment.KEY))).isPositive();
    String dedupe = keys.ofName(legacy.workspace + ":" + LegacyDeployment.EVENT_ID)
      .eventDedupe(legacy.workspace, LegacyDeployment.EVENT_ID);
    assertThat(get(dedupe)).isEqualTo(LegacyDeployment.EVENT_RUNS);
    assertThat(ttl(dedupe)).isPositive();
    assertThat(ttl(keys.ofName("orch_gone").schedule("orch_gone"))).isPositive();
    assertThat(send(Request.cmd(Command.ZSCORE).arg(keys.ofName(legacy.scheduled).schedules()).arg(legacy.scheduled)))
      .isNotNull();
    RedisKeys runs = keys.ofId(legacy.taskRun);
    String task = get(Request.cmd(Command.HGET).arg(runs.run(legacy.taskRun)).arg("task"));
    assertThat(task).isNotEqualTo(legacy.taskId);
    assertThat(keys.partitions().of(task)).isEqualTo(runs.partition());
    assertThat(get(Request.cmd(Command.HGET).arg(runs.task(task)).arg("taskId"))).isEqualTo(task);
    assertThat(send(Request.cmd(Command.ZSCORE).arg(runs.taskQueue(legacy.workspace, LegacyDeployment.QUEUE))
      .arg(task))).isNotNull();
    assertThat(send(Request.cmd(Command.SISMEMBER).arg(runs.taskQueues())
      .arg(runs.taskQueue(legacy.workspace, LegacyDeployment.QUEUE))).toLong()).isEqualTo(1);
    assertThat(send(Request.cmd(Command.LRANGE).arg(keys.ofId(legacy.cancelled).unarchived()).arg(0).arg(-1))
      .toString()).contains(legacy.cancelled);
    assertThat(send(Request.cmd(Command.ZSCORE).arg(keys.ofId(legacy.waiting).timers()).arg(legacy.waiting)))
      .isNotNull();
    assertThat(send(Request.cmd(Command.ZSCORE).arg(keys.ofId(legacy.pending).ready()).arg(legacy.pending)))
      .isNotNull();
  }

  /** The cancelled run's history is written from its partition's unarchived list (it moves to expiry). */
  private void assertArchived(Keyspace keys, String runId) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (send(Request.cmd(Command.ZSCORE).arg(keys.ofId(runId).expiry()).arg(runId)) == null
      && System.nanoTime() < deadline) {
      pause();
    }
    assertThat(send(Request.cmd(Command.ZSCORE).arg(keys.ofId(runId).expiry()).arg(runId))).isNotNull();
  }

  private static JsonObject pollOne(ApiClient client) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      Reply reply = client.post("/worker-tasks/poll", new JsonObject().put("queue", LegacyDeployment.QUEUE)
        .put("max", 1).put("waitMs", 1000));
      assertThat(reply.status()).as(reply.body()).isEqualTo(200);
      JsonArray tasks = reply.json().getJsonArray("tasks");
      if (!tasks.isEmpty()) {
        return tasks.getJsonObject(0);
      }
    }
    throw new AssertionError("the migrated task was never delivered");
  }

  @Test
  @DisplayName("a migration interrupted at any command finishes on a re-run with exactly the uninterrupted result")
  void crashAnywhere() {
    String reference = LegacyDeployment.copy(redis, legacy.prefix);
    CrashingRedis counter = new CrashingRedis(redis, Long.MAX_VALUE);
    migrate(reference, counter);
    Map<String, Object> expected = snapshot(reference);
    long commands = counter.sent.get();
    assertThat(commands).isGreaterThan(20);

    for (long crashAt = 1; crashAt <= commands; crashAt += Math.max(1, commands / 24)) {
      String prefix = LegacyDeployment.copy(redis, legacy.prefix);
      long at = crashAt;
      assertThatThrownBy(() -> migrate(prefix, new CrashingRedis(redis, at))).as("crash at command %d", at)
        .hasMessageContaining("crashed");
      sleepBriefly();
      migrate(prefix, redis);
      assertThat(snapshot(prefix)).as("re-run after a crash at command %d of %d", at, commands).isEqualTo(expected);
      assertThat(LegacyDeployment.keys(redis, keyspace(prefix).legacy().prefix()))
        .containsExactly(keyspace(prefix).meta());
    }
  }

  @Test
  @DisplayName("a start with another ORCH_PARTITIONS than the data was written with fails with a ConfigException, "
    + "and so does a migration to another count")
  void partitionCountIsFixed() {
    String prefix = LegacyDeployment.copy(redis, legacy.prefix);
    migrate(prefix, redis);
    Map<String, String> eight = new HashMap<>(env(prefix));
    eight.put("ORCH_PARTITIONS", "8");

    Throwable failure = startFailure(eight);

    assertThat(failure).isInstanceOf(ConfigException.class)
      .hasMessageContaining("ORCH_PARTITIONS is 8 but this deployment's Redis data was written with 16 partitions");
    assertThatThrownBy(() -> await(new PartitionMigration(redis, new Keyspace(prefix, new Partitions(8))).run()))
      .hasRootCauseInstanceOf(ConfigException.class).hasMessageContaining("ORCH_PARTITIONS=16");
  }

  /** The failure of {@link io.orchestrator.Orchestrator#ready()} of a service started with {@code env}. */
  private static Throwable startFailure(Map<String, String> env) {
    TestApp app = TestApp.starting(env, Clock.systemUTC());
    try {
      Throwable failure = app.orchestrator.ready().toCompletionStage().toCompletableFuture()
        .handle((ok, e) -> e).get(60, TimeUnit.SECONDS);
      assertThat(failure).as("the start's failure").isNotNull();
      return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      app.close();
    }
  }

  /** Every partitioned key with its type, content and whether it has a TTL; key and member names without the tag. */
  private Map<String, Object> snapshot(String prefix) {
    Keyspace keys = keyspace(prefix);
    Map<String, Object> all = new TreeMap<>();
    all.put("meta", send(Request.cmd(Command.HGET).arg(keys.meta()).arg("partitions")).toString());
    for (RedisKeys partition : keys.all()) {
      String tag = partition.prefix();
      String name = "p" + partition.partition() + ":";
      for (String key : LegacyDeployment.keys(redis, tag)) {
        all.put(name + key.substring(tag.length()), content(key).toString().replace(tag, name));
      }
    }
    return all;
  }

  private Object content(String key) {
    String type = send(Request.cmd(Command.TYPE).arg(key)).toString();
    boolean ttl = send(Request.cmd(Command.PTTL).arg(key)).toLong() > 0;
    Object value = switch (type) {
      case "hash" -> new TreeMap<>(fields(send(Request.cmd(Command.HGETALL).arg(key))));
      case "zset" -> send(Request.cmd(Command.ZRANGE).arg(key).arg(0).arg(-1).arg("WITHSCORES")).toString();
      case "list" -> send(Request.cmd(Command.LRANGE).arg(key).arg(0).arg(-1)).toString();
      case "set" -> new TreeSet<>(strings(send(Request.cmd(Command.SMEMBERS).arg(key))));
      default -> send(Request.cmd(Command.GET).arg(key)).toString();
    };
    return type + (ttl ? " ttl " : " ") + value;
  }

  private static Map<String, String> fields(Response hash) {
    Map<String, String> fields = new HashMap<>();
    for (String field : hash.getKeys()) {
      fields.put(field, hash.get(field).toString());
    }
    return fields;
  }

  private static List<String> strings(Response reply) {
    List<String> all = new ArrayList<>();
    reply.forEach(r -> all.add(r.toString()));
    return all;
  }

  private static Response send(Request request) {
    return await(redis.send(request));
  }

  private static String get(String key) {
    return get(Request.cmd(Command.GET).arg(key));
  }

  private static String get(Request request) {
    Response reply = send(request);
    return reply == null ? null : reply.toString();
  }

  private static long ttl(String key) {
    return send(Request.cmd(Command.PTTL).arg(key)).toLong();
  }

  private static void sleepBriefly() {
    try {
      Thread.sleep(30);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A client that stops at its n-th command, as a process killed there: that command and every later one fail
   * without reaching Redis (those already sent complete).
   */
  private static final class CrashingRedis implements Redis {

    private final Redis delegate;
    private final long crashAt;
    final AtomicLong sent = new AtomicLong();

    CrashingRedis(Redis delegate, long crashAt) {
      this.delegate = delegate;
      this.crashAt = crashAt;
    }

    @Override
    public Future<Response> send(Request command) {
      return sent.incrementAndGet() >= crashAt ? Future.failedFuture("crashed") : delegate.send(command);
    }

    @Override
    public Future<RedisConnection> connect() {
      return Future.failedFuture("not for the migration");
    }

    @Override
    public Future<Void> close() {
      return Future.succeededFuture();
    }

    @Override
    public Future<List<Response>> batch(List<Request> commands) {
      return Future.failedFuture("not for the migration");
    }
  }
}
