package io.orchestrator.store.redis;

import io.orchestrator.common.Partitions;
import io.orchestrator.fixtures.ManualClock;
import io.orchestrator.fixtures.TestStores;
import io.orchestrator.runs.NewRun;
import io.orchestrator.runs.Run;
import io.orchestrator.runs.TransitionResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the store against the real Redis of {@link TestStores} ({@code ORCH_TEST_REDIS_URL}, else embedded). Each test
 * gets its own random key prefix, so tests never see each other's keys, and deletes its keys afterwards.
 */
abstract class RedisStoreTestBase {

  static final String WS = "ws-a";
  static final String ORCH = "orch_a";
  static final Instant T0 = Instant.parse("2025-01-15T10:00:00Z");
  static final Duration LEASE = Duration.ofSeconds(30);

  static Vertx vertx;
  static Redis redis;

  ManualClock clock;
  /** One partition: these tests pin each script's semantics; PartitionedRunStoreIT covers what spans partitions. */
  Keyspace keyspace;
  RedisKeys keys;
  RedisRunStore store;

  @BeforeAll
  static void connect() {
    vertx = Vertx.vertx();
    redis = Redis.createClient(vertx, options());
  }

  @AfterAll
  static void disconnect() throws Exception {
    await(redis.close());
    await(vertx.close());
  }

  static RedisOptions options() {
    String url = TestStores.redisUrl();
    return new RedisOptions().setConnectionString(url);
  }

  @BeforeEach
  void createStore() throws Exception {
    clock = new ManualClock(T0);
    keyspace = new Keyspace("t" + UUID.randomUUID().toString().replace("-", ""), new Partitions(1));
    keys = keyspace.partition(0);
    store = await(RedisRunStore.create(vertx, redis, keyspace, clock));
  }

  @AfterEach
  void deleteKeys() throws Exception {
    Response found = await(redis.send(Request.cmd(Command.KEYS).arg(keyspace.keyPattern())));
    for (Response key : found) {
      await(redis.send(Request.cmd(Command.DEL).arg(key.toString())));
    }
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  static NewRun newRun(String id) {
    return newRun(id, WS, ORCH, null, null);
  }

  static NewRun newRun(String id, String ws, String orch, Instant notBefore, String idempotencyKey) {
    return new NewRun(id, ws, orch, 3, "manual", new JsonObject().put("source", "test"),
      new JsonObject().put("orderId", 42), new JsonObject().put("region", "eu"), "corr_" + id, "validate",
      notBefore, idempotencyKey);
  }

  /** Creates a run and claims it: the returned run carries the worker's fencing token. */
  Run claimed(String id) throws Exception {
    await(store.create(newRun(id)));
    List<Run> claimed = await(store.claimDue(0, 1, LEASE)).runs();
    assertThat(claimed).extracting(Run::id).containsExactly(id);
    return claimed.get(0);
  }

  TransitionResult cancel(String id) throws Exception {
    return await(store.cancel(WS, ORCH, id));
  }

  Double score(String zset, String member) throws Exception {
    Response reply = await(redis.send(Request.cmd(Command.ZSCORE).arg(zset).arg(member)));
    return reply == null ? null : reply.toDouble();
  }
}
