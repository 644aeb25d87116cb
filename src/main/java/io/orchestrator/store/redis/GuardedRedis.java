package io.orchestrator.store.redis;

import io.orchestrator.store.StoreFailures;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The pooled Redis client every store uses, bounded in time and with its outages named: a command that gets no
 * answer within the timeout fails, and every failure that means "Redis cannot serve now" (refused, closed,
 * {@code LOADING}, {@code BUSY}, {@code READONLY}, timeout, ...) becomes a
 * {@link io.orchestrator.common.StoreUnavailableException}, so callers answer 503 and the engine retries on
 * recovery instead of treating it as a bug. Dedicated connections ({@link #connect()}) are handed out unchanged:
 * their owners (pub/sub, blocking reads) reconnect by themselves.
 */
public final class GuardedRedis implements Redis {

  private final Redis delegate;
  private final long timeoutMs;

  public GuardedRedis(Redis delegate, Duration timeout) {
    this.delegate = delegate;
    this.timeoutMs = timeout.toMillis();
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
    return delegate.send(command).timeout(timeoutMs, TimeUnit.MILLISECONDS)
      .recover(e -> Future.failedFuture(StoreFailures.fromRedis(e)));
  }

  @Override
  public Future<List<Response>> batch(List<Request> commands) {
    return delegate.batch(commands).timeout(timeoutMs, TimeUnit.MILLISECONDS)
      .recover(e -> Future.failedFuture(StoreFailures.fromRedis(e)));
  }
}
