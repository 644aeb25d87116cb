package io.orchestrator.engine;

import static io.orchestrator.engine.RunTestSupport.awaitRun;
import static io.orchestrator.engine.RunTestSupport.awaitStatus;
import static io.orchestrator.engine.RunTestSupport.compute;
import static io.orchestrator.engine.RunTestSupport.createFunction;
import static io.orchestrator.engine.RunTestSupport.createOrchestration;
import static io.orchestrator.engine.RunTestSupport.delay;
import static io.orchestrator.engine.RunTestSupport.getRun;
import static io.orchestrator.engine.RunTestSupport.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.fixtures.FunctionServer.Answer;
import io.orchestrator.fixtures.SharedApp;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A worker whose every slot is busy (one slot here, held by a slow function call) still takes due timers: a run
 * whose delay was its last step completes at its due time instead of when the slot frees.
 */
@SharedApp.Config(value = {"ORCH_WORKER_CONCURRENCY=1", "ORCH_HTTP_INSTANCES=1"}, own = true)
class SaturatedWorkerIT extends EngineIntegrationBase {

  private static final long DELAY_MS = 1_000;
  private static final Duration SLOW_CALL = Duration.ofSeconds(6);

  @Test
  @DisplayName("a delay that ends its run completes on time while the only worker slot waits on a slow function")
  void lastDelayCompletesWhileEverySlotIsBusy() {
    functions.script(workspace).always(Answer.json(new JsonObject().put("ok", true)).delayed(SLOW_CALL));
    String slowFn = createFunction(client, "slow", functions.url(workspace)).getString("id");
    String waiting = createOrchestration(client, "wait-only", delay("wait", DELAY_MS, null));
    String busy = createOrchestration(client, "busy", compute("slow", slowFn, null));

    String waitRun = trigger(client, waiting, new JsonObject());
    JsonObject parked = awaitStatus(client, waiting, waitRun, "waiting");
    String busyRun = trigger(client, busy, new JsonObject());
    functions.awaitCalls(workspace, 1, Duration.ofSeconds(10));

    JsonObject done = awaitRun(client, waiting, waitRun, "completed",
      r -> "completed".equals(r.getString("status")), Duration.ofSeconds(4));

    long parkedAt = Instant.parse(parked.getString("startedAt")).toEpochMilli();
    long completedAt = Instant.parse(done.getString("completedAt")).toEpochMilli();
    // due at park time + delay, and the park came after startedAt: completion within a few hundred ms of it
    assertThat(completedAt - parkedAt).isBetween(DELAY_MS, DELAY_MS + 1_500);
    assertThat(getRun(client, busy, busyRun).getString("status")).isEqualTo("running");
  }
}
