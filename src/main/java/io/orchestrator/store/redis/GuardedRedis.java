package io.orchestrator.store.redis;

import io.orchestrator.store.StoreFailures;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The pooled Redis client every store uses, with its outages named: every failure that means "Redis cannot serve
 * now" (refused, closed, {@code LOADING}, {@code BUSY}, {@code READONLY}, a connection closed because nothing came
 * back within the store timeout, on a cluster a command unanswered within it, ...) becomes a
 * {@link io.orchestrator.common.StoreUnavailableException}, so callers answer 503 and the engine retries on recovery
 * instead of treating it as a bug. Dedicated connections ({@link #connect()}) are handed out unchanged: their owners
 * (pub/sub, blocking reads) reconnect by themselves.
 */
public final class GuardedRedis implements Redis {

  private final Redis delegate;
  private final boolean cluster;
  /** Null but for a pooled cluster client (see {@link InFlightLimit}). */
  private final InFlightLimit limit;
  private final long timeoutMs;

  public GuardedRedis(Redis delegate) {
    this(delegate, false);
  }

  /** @param cluster whether {@code delegate} is a Redis Cluster client */
  public GuardedRedis(Redis delegate, boolean cluster) {
    this(delegate, cluster, 0, 0);
  }

  /**
   * @param maxInFlight for a pooled cluster client, how many commands and batches it may have in flight at once
   *                    (fewer than its pool's connections per node, see {@link InFlightLimit}); 0 for no limit
   * @param timeoutMs   when positive, a command or batch unanswered within it (once started) fails as unavailable;
   *                    0 when the connections themselves enforce the store timeout (see {@code Stores})
   */
  public GuardedRedis(Redis delegate, boolean cluster, int maxInFlight, long timeoutMs) {
    this.delegate = delegate;
    this.cluster = cluster;
    this.limit = maxInFlight > 0 ? new InFlightLimit(maxInFlight) : null;
    this.timeoutMs = timeoutMs;
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
    return guarded(() -> delegate.send(command));
  }

  @Override
  public Future<List<Response>> batch(List<Request> commands) {
    return guarded(() -> delegate.batch(commands));
  }

  /** The call within the in-flight limit and the timeout (an unanswered call gives its room up when it times out). */
  private <T> Future<T> guarded(Supplier<Future<T>> call) {
    Supplier<Future<T>> bounded = timeoutMs > 0 ? () -> call.get().timeout(timeoutMs, TimeUnit.MILLISECONDS) : call;
    Future<T> answer = limit == null ? bounded.get() : limit.run(bounded);
    return answer.recover(e -> Future.failedFuture(StoreFailures.fromRedis(e)));
  }
}
