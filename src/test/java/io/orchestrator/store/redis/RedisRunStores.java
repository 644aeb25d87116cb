package io.orchestrator.store.redis;

import io.orchestrator.common.Partitions;
import io.orchestrator.fixtures.TestStores;
import io.orchestrator.runs.QueueProbe;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The Redis side of the run store contract tests ({@code io.orchestrator.runs.*Contract}), registered as a static
 * extension: one client to the Redis of {@link TestStores} per test class, a store under a random key prefix per
 * test (so tests never see each other's keys, whose deletion follows each test), and the raw key reads of
 * {@link QueueProbe}.
 */
final class RedisRunStores implements QueueProbe, BeforeAllCallback, AfterAllCallback, AfterEachCallback {

  private Vertx vertx;
  private Redis redis;
  private String name;
  private RedisKeys keys;

  @Override
  public void beforeAll(ExtensionContext context) {
    vertx = Vertx.vertx();
    redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(TestStores.redisUrl()));
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    await(redis.close());
    await(vertx.close());
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    if (keys != null) {
      for (Response key : send(Request.cmd(Command.KEYS).arg("{" + name + "*"))) {
        send(Request.cmd(Command.DEL).arg(key.toString()));
      }
      keys = null;
    }
  }

  /**
   * A one-partition store on {@code clock} under a new key prefix: the contracts pin one partition's semantics
   * (PartitionedRunStoreIT covers what spans partitions).
   */
  RedisRunStore newStore(Clock clock) throws Exception {
    name = "t" + UUID.randomUUID().toString().replace("-", "");
    Keyspace keyspace = new Keyspace(name, new Partitions(1));
    keys = keyspace.partition(0);
    return await(RedisRunStore.create(vertx, redis, keyspace, clock));
  }

  /** The keys of the store {@link #newStore} made last. */
  RedisKeys keys() {
    return keys;
  }

  Response send(Request request) throws Exception {
    return await(redis.send(request));
  }

  @Override
  public Optional<Instant> leaseExpiry(String runId) {
    return score(keys.leases(), runId);
  }

  @Override
  public Optional<Instant> readySince(String runId) {
    return score(keys.ready(), runId);
  }

  @Override
  public Optional<Instant> timerDue(String runId) {
    return score(keys.timers(), runId);
  }

  @Override
  public Optional<Instant> retentionEnd(String runId) {
    return score(keys.expiry(), runId);
  }

  /** ZSCORE of an epoch-ms score; a score that is not a whole number of ms fails the test rather than round. */
  private Optional<Instant> score(String zset, String member) {
    Response reply;
    try {
      reply = send(Request.cmd(Command.ZSCORE).arg(zset).arg(member));
    } catch (Exception e) {
      throw new IllegalStateException("ZSCORE " + zset + " " + member + " failed", e);
    }
    if (reply == null) {
      return Optional.empty();
    }
    double score = reply.toDouble();
    if (score != (long) score) {
      throw new AssertionError(zset + " scores " + member + " " + score + ", not a whole number of ms");
    }
    return Optional.of(Instant.ofEpochMilli((long) score));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }
}
