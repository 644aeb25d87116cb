package io.orchestrator.store.redis;

import io.vertx.redis.client.Redis;
import java.util.List;
import java.util.stream.Stream;

/** Every script the service calls, in one registry shared by the Redis stores. */
public final class EngineScripts {

  private EngineScripts() {
  }

  /** Reads every store's scripts from the classpath; nothing is sent to Redis until {@code preload()} or a call. */
  public static ScriptRegistry registry(Redis redis) {
    List<String> names = Stream.of(RedisRunStore.SCRIPTS, RedisTaskStore.SCRIPTS, RedisScheduleStore.SCRIPTS,
      RedisTriggerRateLimiter.SCRIPTS).flatMap(List::stream).distinct().toList();
    return ScriptRegistry.of(redis, names);
  }
}
