package io.orchestrator.engine;

import static io.orchestrator.engine.InMemoryEngine.LEASE;
import static io.orchestrator.engine.InMemoryEngine.T0;
import static io.orchestrator.engine.InMemoryEngine.WS;
import static io.orchestrator.engine.InMemoryEngine.await;
import static io.orchestrator.engine.RunTestSupport.compute;
import static io.orchestrator.engine.RunTestSupport.delay;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.availability.StoreAvailability;
import io.orchestrator.fixtures.FunctionServer;
import io.orchestrator.functions.FunctionHttpClient;
import io.orchestrator.runs.Run;
import io.orchestrator.runs.RunStatus;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@link WorkerVerticle} deployed on Vert.x over the in-memory run store: its claim loop, woken by the wake signal,
 * drives runs through a delay while the test moves the {@link io.orchestrator.fixtures.ManualClock}.
 */
class WorkerVerticleTest {

  private Vertx vertx;
  private FunctionServer server;
  private InMemoryEngine engine;

  @BeforeEach
  void deployWorker() {
    vertx = Vertx.vertx();
    server = FunctionServer.start();
    engine = new InMemoryEngine(vertx, FunctionHttpClient.create(vertx, 8));
    StoreAvailability availability = new StoreAvailability(vertx, Map.of(), e -> Optional.empty(),
      Duration.ofSeconds(1), engine.clock);
    await(vertx.deployVerticle(new WorkerVerticle(engine.store, engine.executor, availability, engine.wake,
      engine.clock, 4, LEASE, Duration.ofSeconds(1))));
  }

  @AfterEach
  void stop() {
    await(vertx.close());
    server.close();
  }

  @Test
  @DisplayName("the worker runs a created run to its delay, and on, to completion, once the clock reaches its due time")
  void workerDrivesRunsThroughDelays() {
    String function = engine.functions.addHttp(WS, "func_step", server.url("step")).id();
    String orch = engine.define(compute("fetch", function, "wait"), delay("wait", 600_000, "notify"),
      compute("notify", function, null));
    String last = engine.define(compute("fetch", function, "wait"), delay("wait", 600_000, null));
    String runId = engine.start(orch, new JsonObject());
    String lastDelayRunId = engine.start(last, new JsonObject());
    engine.wake.anyDue(engine.clock.millis());

    awaitStatus(runId, RunStatus.WAITING);
    awaitStatus(lastDelayRunId, RunStatus.WAITING);
    engine.clock.advance(Duration.ofMinutes(10));
    engine.wake.anyDue(engine.clock.millis());

    Run run = awaitStatus(runId, RunStatus.COMPLETED);
    assertThat(run.executedSteps()).isEqualTo(new JsonArray().add("fetch").add("wait").add("notify"));
    assertThat(run.completedAt()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
    Run lastDelay = awaitStatus(lastDelayRunId, RunStatus.COMPLETED);
    assertThat(lastDelay.executedSteps()).isEqualTo(new JsonArray().add("fetch").add("wait"));
    assertThat(server.calls("step")).hasSize(3);
    assertThat(engine.finished(RunStatus.COMPLETED)).isEqualTo(2);
  }

  /** Polls the store (real time, up to 5 s): the worker runs on its own event loop. */
  private Run awaitStatus(String runId, RunStatus status) {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    Run run = engine.run(runId);
    while (run.status() != status && System.nanoTime() < deadline) {
      RunTestSupport.pause();
      run = engine.run(runId);
    }
    assertThat(run.status()).as(runId).isEqualTo(status);
    return run;
  }
}
