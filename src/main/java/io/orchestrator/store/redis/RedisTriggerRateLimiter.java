package io.orchestrator.store.redis;

import io.orchestrator.triggers.http.TriggerRateLimiter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.time.Clock;
import java.util.List;

/**
 * {@link TriggerRateLimiter} as a fixed window per path in Redis ({@code countRateWindow-1.lua}): one counter per
 * path and second, shared by every instance. A burst straddling two windows may see up to twice the limit within
 * one second; in exchange a check costs one round trip and one small key.
 */
public final class RedisTriggerRateLimiter implements TriggerRateLimiter {

  public static final List<String> SCRIPTS = List.of(Scripts.COUNT_RATE_WINDOW);
  /** The counter outlives its window by this much, so instances whose clocks differ a little share it. */
  static final long TTL_MARGIN_MS = 1000;

  private final ScriptRegistry scripts;
  private final Keyspace keys;
  private final Clock clock;

  /** @param scripts a registry holding at least {@link #SCRIPTS} */
  public RedisTriggerRateLimiter(ScriptRegistry scripts, Keyspace keys, Clock clock) {
    this.scripts = scripts;
    this.keys = keys;
    this.clock = clock;
  }

  /** Loads the script and returns the limiter; fails when Redis rejects the script. */
  public static Future<RedisTriggerRateLimiter> create(Vertx vertx, Redis redis, Keyspace keys, Clock clock) {
    return ScriptRegistry.load(vertx, redis, SCRIPTS)
      .map(scripts -> new RedisTriggerRateLimiter(scripts, keys, clock));
  }

  @Override
  public Future<Boolean> tryAcquire(String workspace, String path, int limit) {
    long windowMs = WINDOW.toMillis();
    long windowStart = clock.millis() / windowMs;
    String key = keys.ofName(workspace + ":" + path).httpTriggerRate(workspace, path, windowStart);
    List<String> args = List.of(Integer.toString(limit), Long.toString(windowMs + TTL_MARGIN_MS));
    return scripts.call(Scripts.COUNT_RATE_WINDOW, List.of(key), args).map(reply -> reply.get(0).toInteger() == 1);
  }
}
