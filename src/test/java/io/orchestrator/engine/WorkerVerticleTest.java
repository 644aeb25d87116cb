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
import io.orchestrator.runs.CreateResult;
import io.orchestrator.runs.DirectStarts;
import io.orchestrator.runs.NewRun;
import io.orchestrator.runs.Run;
import io.orchestrator.runs.RunStatus;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

  private final LocalWorkers local = new LocalWorkers();
  private final WorkerSlots slots = new WorkerSlots(4);
  private StoreAvailability availability;

  @BeforeEach
  void deployWorker() {
    vertx = Vertx.vertx();
    server = FunctionServer.start();
    engine = new InMemoryEngine(vertx, FunctionHttpClient.create(vertx, 8));
    availability = new StoreAvailability(vertx, Map.of(), e -> Optional.empty(), Duration.ofSeconds(1),
      engine.clock);
    WorkerVerticle worker = new WorkerVerticle(engine.store, engine.executor, availability, engine.wake,
      engine.clock, slots, LEASE, Duration.ofSeconds(1));
    assertThat(local.reserve()).as("no slot before the worker runs").isNull();
    local.add(worker);
    await(vertx.deployVerticle(worker));
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

  @Test
  @DisplayName("direct starts: a run claimed as it was created runs in a reserved slot without a claim or a wake-up; "
    + "no slot is given beyond the concurrency, and a cancelled one comes back")
  void directStartsUseReservedSlots() {
    server.script("slow").always(FunctionServer.Answer.json(new JsonObject().put("ok", true))
      .delayed(Duration.ofMillis(300)));
    String slow = engine.functions.addHttp(WS, "func_slow", server.url("slow")).id();
    String orch = engine.define(compute("call", slow, null));
    List<String> runIds = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      DirectStarts.Slot slot = local.reserve();
      assertThat(slot).as("slot %d of 4", i + 1).isNotNull();
      NewRun request = engine.newRun(orch, new JsonObject());
      CreateResult created = await(engine.store.createClaimed(request, slot.lease()));
      assertThat(created.claimed()).isTrue();
      slot.start(Run.claimedAtCreation(request, created.startedAt()));
      runIds.add(request.id());
    }
    assertThat(local.reserve()).as("every slot taken").isNull();

    for (String runId : runIds) {
      Run run = awaitStatus(runId, RunStatus.COMPLETED);
      assertThat(run.fence()).as("never claimed again").isEqualTo(Run.FIRST_FENCE);
    }
    assertThat(engine.wake.announced()).as("no wake-up signal").isEmpty();
    DirectStarts.Slot again = awaitSlot();
    again.cancel();
    List<DirectStarts.Slot> all = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (all.size() < 4 && System.nanoTime() < deadline) {
      DirectStarts.Slot slot = local.reserve();
      if (slot != null) {
        all.add(slot);
      } else {
        RunTestSupport.pause();
      }
    }
    assertThat(all).as("the cancelled slot and the finished runs' slots are free again").hasSize(4);
    all.forEach(DirectStarts.Slot::cancel);
  }

  @Test
  @DisplayName("the instance's workers share its slots: a second worker adds a claim loop, not slots")
  void workersShareTheInstancesSlots() {
    WorkerVerticle second = new WorkerVerticle(engine.store, engine.executor, availability, engine.wake,
      engine.clock, slots, LEASE, Duration.ofSeconds(1));
    local.add(second);
    await(vertx.deployVerticle(second));

    List<DirectStarts.Slot> taken = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      taken.add(local.reserve());
    }
    assertThat(taken).doesNotContainNull();
    assertThat(local.reserve()).as("4 slots for the instance, not 4 per worker").isNull();
    taken.remove(0).cancel();
    taken.add(awaitSlot());
    taken.forEach(DirectStarts.Slot::cancel);
  }

  private DirectStarts.Slot awaitSlot() {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    DirectStarts.Slot slot = local.reserve();
    while (slot == null && System.nanoTime() < deadline) {
      RunTestSupport.pause();
      slot = local.reserve();
    }
    assertThat(slot).isNotNull();
    return slot;
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
