package io.orchestrator.engine;

import static io.orchestrator.engine.RunTestSupport.awaitStatus;
import static io.orchestrator.engine.RunTestSupport.clockPast;
import static io.orchestrator.engine.RunTestSupport.compute;
import static io.orchestrator.engine.RunTestSupport.createFunction;
import static io.orchestrator.engine.RunTestSupport.createOrchestration;
import static io.orchestrator.engine.RunTestSupport.getRun;
import static io.orchestrator.engine.RunTestSupport.ids;
import static io.orchestrator.engine.RunTestSupport.listRuns;
import static io.orchestrator.engine.RunTestSupport.pause;
import static io.orchestrator.engine.RunTestSupport.triggerReply;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.fixtures.FunctionServer.Answer;
import io.orchestrator.fixtures.SharedApp;
import io.orchestrator.fixtures.TestApp;
import io.orchestrator.fixtures.TestStores;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Finished runs outlive the Redis retention: once evicted they are served, unchanged, from PostgreSQL. */
@SharedApp.Config("ORCH_RUN_RETENTION=1s")
class RunRetentionIT extends EngineIntegrationBase {

  private static Redis redis;

  @BeforeAll
  static void openRedis() {
    redis = Redis.createClient(app.vertx, TestStores.redisOptions());
  }

  @AfterAll
  static void closeRedis() {
    if (redis != null) {
      redis.close();
    }
  }

  private static boolean inRedis(String runId) {
    String key = app.keyspace.ofId(runId).run(runId);
    return TestApp.await(redis.send(Request.cmd(Command.EXISTS).arg(key))).toLong() == 1;
  }

  private static void await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + " did not happen within " + timeout);
      }
      pause();
    }
  }

  @Test
  @DisplayName("after the retention a finished run leaves Redis; Get Run and List Runs still return it unchanged")
  void evictedRunIsServedFromHistory() {
    functions.script(workspace + "-a").always(Answer.json(new JsonObject().put("a", 1)
      .put("$context", new JsonObject().put("seen", true))));
    functions.script(workspace + "-b").always(Answer.json(new JsonArray().add("x").add(2.5)));
    String orch = createOrchestration(client, "retained",
      compute("a", createFunction(client, "a", functions.url(workspace + "-a")).getString("id"), "b"),
      compute("b", createFunction(client, "b", functions.url(workspace + "-b")).getString("id"), null));
    JsonObject started = triggerReply(client, orch, new JsonObject()
      .put("input", new JsonObject().put("orderId", "o-1").put("qty", 3))
      .put("context", new JsonObject().put("tenant", "t")).put("correlationId", "corr-retained"));
    String runId = started.getString("id");
    JsonObject details = awaitStatus(client, orch, runId, "completed");
    JsonObject summary = listRuns(client, orch, "").getJsonArray("data").getJsonObject(0);
    assertThat(inRedis(runId)).isTrue();

    await("eviction of " + runId + " from Redis", Duration.ofSeconds(15), () -> !inRedis(runId));

    assertThat(getRun(client, orch, runId)).isEqualTo(details);
    // the history row is flagged as evicted right after the Redis copy is dropped
    await("the evicted run in List Runs", Duration.ofSeconds(2),
      () -> listRuns(client, orch, "").getJsonObject("meta").getLong("total") == 1);
    JsonObject page = listRuns(client, orch, "");
    assertThat(page.getJsonArray("data")).containsExactly(summary);
    assertThat(ids(listRuns(client, orch, "status=completed"))).containsExactly(runId);
    assertThat(listRuns(client, orch, "status=failed").getJsonObject("meta").getLong("total")).isZero();

    // a newer run, still in Redis, is listed before the evicted one
    clockPast(details.getString("completedAt"));
    String newer = triggerReply(client, orch, new JsonObject()).getString("id");
    awaitStatus(client, orch, newer, "completed");
    JsonObject both = listRuns(client, orch, "");
    assertThat(ids(both)).containsExactly(newer, runId);
    assertThat(both.getJsonObject("meta").getLong("total")).isEqualTo(2);
    assertThat(ids(listRuns(client, orch, "page=2&pageSize=1"))).containsExactly(runId);
  }
}
