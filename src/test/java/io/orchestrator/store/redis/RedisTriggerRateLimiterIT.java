package io.orchestrator.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** countRateWindow-1.lua through the limiter, against the real Redis, with a hand-moved clock. */
class RedisTriggerRateLimiterIT extends RedisStoreTestBase {

  private RedisTriggerRateLimiter limiter;

  @BeforeEach
  void createLimiter() throws Exception {
    limiter = await(RedisTriggerRateLimiter.create(vertx, redis, keyspace, clock));
  }

  @Test
  @DisplayName("returns 1 (allowed) for the first `limit` requests of a window")
  void allowsUpToTheLimit() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(await(limiter.tryAcquire(WS, "/hook", 3))).as("request %d", i + 1).isTrue();
    }
  }

  @Test
  @DisplayName("returns 0 (over the limit) once the window's count exceeds the limit")
  void refusesBeyondTheLimit() throws Exception {
    for (int i = 0; i < 3; i++) {
      await(limiter.tryAcquire(WS, "/hook", 3));
    }
    assertThat(await(limiter.tryAcquire(WS, "/hook", 3))).isFalse();
    assertThat(await(limiter.tryAcquire(WS, "/hook", 3))).isFalse();
  }

  @Test
  @DisplayName("a new second starts a new window with the full budget")
  void nextWindowHasFullBudget() throws Exception {
    await(limiter.tryAcquire(WS, "/hook", 1));
    assertThat(await(limiter.tryAcquire(WS, "/hook", 1))).isFalse();

    clock.advance(Duration.ofSeconds(1));

    assertThat(await(limiter.tryAcquire(WS, "/hook", 1))).isTrue();
  }

  @Test
  @DisplayName("paths and workspaces have separate budgets")
  void budgetsArePerPathAndWorkspace() throws Exception {
    await(limiter.tryAcquire(WS, "/hook", 1));

    assertThat(await(limiter.tryAcquire(WS, "/other", 1))).isTrue();
    assertThat(await(limiter.tryAcquire("ws-b", "/hook", 1))).isTrue();
    assertThat(await(limiter.tryAcquire(WS, "/hook", 1))).isFalse();
  }

  @Test
  @DisplayName("the window counter expires by itself: the window plus a margin for clock skew")
  void counterExpires() throws Exception {
    await(limiter.tryAcquire(WS, "/hook", 5));
    String key = keys.httpTriggerRate(WS, "/hook", clock.millis() / 1000);

    long ttl = await(redis.send(Request.cmd(Command.PTTL).arg(key))).toLong();

    assertThat(ttl).isPositive().isLessThanOrEqualTo(1000 + RedisTriggerRateLimiter.TTL_MARGIN_MS);
  }

  @Test
  @DisplayName("keeps working after Redis's script cache is flushed (NOSCRIPT falls back to EVAL)")
  void survivesScriptFlush() throws Exception {
    await(redis.send(Request.cmd(Command.SCRIPT).arg("FLUSH")));

    assertThat(await(limiter.tryAcquire(WS, "/hook", 1))).isTrue();
    assertThat(await(redis.send(Request.cmd(Command.KEYS).arg(keys.prefix() + "rate:*"))).size()).isEqualTo(1);
    assertThat(await(limiter.tryAcquire(WS, "/hook", 1))).isFalse();
  }
}
