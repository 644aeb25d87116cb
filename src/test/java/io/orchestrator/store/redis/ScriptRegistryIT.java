package io.orchestrator.store.redis;

import io.orchestrator.runs.CreateResult;
import io.orchestrator.runs.Run;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ScriptRegistryIT extends RedisStoreTestBase {

  @Test
  @DisplayName("after SCRIPT FLUSH a call still works (EVAL fallback) and puts the script back in Redis's cache")
  void noScriptFallsBackToEval() throws Exception {
    await(redis.send(Request.cmd(Command.SCRIPT).arg("FLUSH")));

    assertThat(await(store.create(newRun("run_1")))).extracting(CreateResult::created, CreateResult::runId)
      .containsExactly(true, "run_1");
    assertThat(await(store.claimDue(0, 1, LEASE)).runs()).extracting(Run::id).containsExactly("run_1");

    Response exists = await(redis.send(Request.cmd(Command.SCRIPT).arg("EXISTS").arg(sha1("createRun-8"))));
    assertThat(exists.get(0).toInteger()).isEqualTo(1);
  }

  @Test
  @DisplayName("a call with the wrong number of keys fails before reaching Redis")
  void wrongKeyCountFails() throws Exception {
    ScriptRegistry registry = await(ScriptRegistry.load(vertx, redis, List.of("extendLease-2")));

    assertThat(registry.call("extendLease-2", List.of(keys.leases()), List.of()).failed()).isTrue();
    assertThat(registry.call("claimDueRuns-4", List.of(), List.of()).failed()).isTrue();
  }

  @Test
  @DisplayName("loading a script that is not on the classpath fails the load")
  void missingScriptFailsLoad() {
    Throwable failure = ScriptRegistry.load(vertx, redis, List.of("noSuchScript-1"))
      .toCompletionStage().toCompletableFuture().handle((ok, err) -> err).join();

    assertThat(failure).hasMessageContaining("redis/noSuchScript-1.lua");
  }

  @Test
  @DisplayName("a Redis error inside a script fails the future instead of being swallowed")
  void scriptErrorPropagates() throws Exception {
    await(store.create(newRun("run_1")));
    await(redis.send(Request.cmd(Command.SET).arg(keys.timers()).arg("not-a-zset")));

    Throwable failure = store.claimDue(0, 1, LEASE)
      .toCompletionStage().toCompletableFuture().handle((ok, err) -> err).join();

    assertThat(failure).hasMessageContaining("WRONGTYPE");
  }

  /** The SHA1 Redis knows the script by: of the source as sent, the prelude in front. */
  private static String sha1(String script) throws Exception {
    try (InputStream in = ScriptRegistry.class.getClassLoader().getResourceAsStream("redis/" + script + ".lua")) {
      byte[] prelude = LuaPrelude.SOURCE.getBytes(StandardCharsets.UTF_8);
      MessageDigest digest = MessageDigest.getInstance("SHA-1");
      digest.update(prelude);
      return HexFormat.of().formatHex(digest.digest(in.readAllBytes()));
    }
  }
}
