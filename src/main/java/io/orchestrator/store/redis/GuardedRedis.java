package io.orchestrator.store.redis;

import io.orchestrator.store.StoreFailures;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;

/**
 * The pooled Redis client every store uses, with its outages named: every failure that means "Redis cannot serve
 * now" (refused, closed, {@code LOADING}, {@code BUSY}, {@code READONLY}, a connection closed because nothing came
 * back within the store timeout, ...) becomes a {@link io.orchestrator.common.StoreUnavailableException}, so callers
 * answer 503 and the engine retries on recovery instead of treating it as a bug. Dedicated connections
 * ({@link #connect()}) are handed out unchanged: their owners (pub/sub, blocking reads) reconnect by themselves.
 */
public final class GuardedRedis implements Redis {

  private final Redis delegate;
  private final boolean cluster;

  public GuardedRedis(Redis delegate) {
    this(delegate, false);
  }

  /** @param cluster whether {@code delegate} is a Redis Cluster client */
  public GuardedRedis(Redis delegate, boolean cluster) {
    this.delegate = delegate;
    this.cluster = cluster;
  }

  /** Whether this client talks to a Redis Cluster (see {@link RedisNodes}). */
  public boolean cluster() {
    return cluster;
  }

  @Override
  public Future<RedisConnection> connect() {
    return delegate.connect();
  }

  @Override
  public Future<Void> close() {
    return delegate.close();
  }

  @Override
  public Future<Response> send(Request command) {
    return delegate.send(command).recover(e -> Future.failedFuture(StoreFailures.fromRedis(e)));
  }

  @Override
  public Future<List<Response>> batch(List<Request> commands) {
    return delegate.batch(commands).recover(e -> Future.failedFuture(StoreFailures.fromRedis(e)));
  }
}
