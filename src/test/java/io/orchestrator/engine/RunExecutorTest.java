package io.orchestrator.engine;

import static io.orchestrator.engine.InMemoryEngine.LEASE;
import static io.orchestrator.engine.InMemoryEngine.T0;
import static io.orchestrator.engine.InMemoryEngine.WS;
import static io.orchestrator.engine.InMemoryEngine.await;
import static io.orchestrator.engine.RunTestSupport.compute;
import static io.orchestrator.engine.RunTestSupport.condition;
import static io.orchestrator.engine.RunTestSupport.decision;
import static io.orchestrator.engine.RunTestSupport.delay;
import static io.orchestrator.engine.RunTestSupport.when;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.fixtures.FunctionServer;
import io.orchestrator.fixtures.FunctionServer.Answer;
import io.orchestrator.fixtures.FunctionServer.Call;
import io.orchestrator.functions.FunctionHttpClient;
import io.orchestrator.runs.QueueDepths;
import io.orchestrator.runs.Run;
import io.orchestrator.runs.RunStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@link RunExecutor} on the in-memory run store, with the real Decider and a manual clock: what the engine ITs
 * check through the whole service, in milliseconds. Compute steps call a real HTTP server of
 * the test ({@link FunctionServer}, port 0).
 */
class RunExecutorTest {

  private static Vertx vertx;
  private static HttpClient http;
  private static FunctionServer server;
  private static int tests;

  private InMemoryEngine engine;
  private String name;
  private String function;

  @BeforeAll
  static void startServers() {
    vertx = Vertx.vertx();
    http = FunctionHttpClient.create(vertx, 8);
    server = FunctionServer.start();
  }

  @AfterAll
  static void stopServers() {
    server.close();
    await(vertx.close());
  }

  /** A fresh engine and a function of its own on the shared server, so tests never see each other's calls. */
  @BeforeEach
  void newEngine() {
    engine = new InMemoryEngine(vertx, http);
    name = "fn" + ++tests;
    function = engine.functions.addHttp(WS, "func_" + name, server.url(name)).id();
  }

  @Test
  @DisplayName("a chain of decisions routes on the input and the compute step it leads to completes the run")
  void decisionChainCompletes() {
    server.script(name).always(Answer.json(new JsonObject().put("sent", true)
      .put("$context", new JsonObject().put("notified", true))));
    String orch = engine.define(
      decision("route", "other", when("amount", condition("input.kind", "eq", "order"))),
      decision("amount", "small", when("big", condition("input.total", "gt", 100))),
      compute("big", function, null), compute("small", function, null), compute("other", function, null));
    String runId = engine.start(orch, new JsonObject().put("kind", "order").put("total", 250));

    assertThat(engine.claimAndExecute()).extracting(Run::id).containsExactly(runId);

    Run run = engine.run(runId);
    assertThat(run.status()).as(run.errors().encode()).isEqualTo(RunStatus.COMPLETED);
    assertThat(run.executedSteps()).isEqualTo(new JsonArray().add("route").add("amount").add("big"));
    assertThat(run.stepOutputs()).isEqualTo(new JsonObject().put("big", new JsonObject().put("sent", true)));
    assertThat(run.context()).isEqualTo(new JsonObject().put("notified", true));
    assertThat(run.currentStepId()).isNull();
    assertThat(run.completedAt()).isEqualTo(T0);
    assertThat(run.hasErrors()).isFalse();
    List<Call> calls = server.calls(name);
    assertThat(calls).hasSize(1);
    assertThat(calls.get(0).json().getString("stepId")).isEqualTo("big");
    assertThat(calls.get(0).idempotencyKey()).isEqualTo(runId + ":big:2");
    assertThat(await(engine.store.queueDepths())).isEqualTo(new QueueDepths(0, 0, 0, 1));
    assertThat(engine.finished(RunStatus.COMPLETED)).isEqualTo(1);
  }

  @Test
  @DisplayName("decisions cost no transition: written with the step before them, a run with two takes as many as one without")
  void decisionsRideOnTheStepBefore() {
    server.script(name).always(Answer.json(new JsonObject().put("ok", true)));
    String withDecisions = engine.define(compute("validate", function, "check"),
      decision("check", "other", when("route", condition("steps.validate.output.ok", "eq", true))),
      decision("route", "other", when("fulfill", condition("input.kind", "eq", "order"))),
      compute("fulfill", function, null), compute("other", function, null));
    String without = engine.define(compute("validate", function, "fulfill"), compute("fulfill", function, null));
    String decided = engine.start(withDecisions, new JsonObject().put("kind", "order"));
    String plain = engine.start(without, new JsonObject());

    engine.claimAndExecute();

    Run run = engine.run(decided);
    assertThat(run.status()).as(run.errors().encode()).isEqualTo(RunStatus.COMPLETED);
    assertThat(run.executedSteps()).isEqualTo(new JsonArray().add("validate").add("check").add("route").add("fulfill"));
    assertThat(run.stepCount()).isEqualTo(4);
    assertThat(run.seq()).as("create, claim, one advance, finish").isEqualTo(engine.run(plain).seq()).isEqualTo(4);
    long t0 = T0.toEpochMilli();
    assertThat(run.timeline()).extracting(entry -> ((JsonArray) entry).getString(0) + ":" + ((JsonArray) entry)
      .getString(3)).containsExactly("validate:c", "check:c", "route:c", "fulfill:c");
    assertThat(server.calls(name)).extracting(Call::idempotencyKey)
      .contains(decided + ":validate:0", decided + ":fulfill:3");
  }

  @Test
  @DisplayName("a decision with no matching case right after a compute step fails the run in the same transition")
  void decisionFailingAfterComputeFailsTheRun() {
    server.script(name).always(Answer.json(new JsonObject().put("ok", false)));
    String orch = engine.define(compute("validate", function, "check"),
      decision("check", null, when("fulfill", condition("steps.validate.output.ok", "eq", true))),
      compute("fulfill", function, null));
    String runId = engine.start(orch, new JsonObject());

    engine.claimAndExecute();

    Run run = engine.run(runId);
    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    assertThat(run.executedSteps()).isEqualTo(new JsonArray().add("validate").add("check"));
    assertThat(run.stepOutputs()).isEqualTo(new JsonObject().put("validate", new JsonObject().put("ok", false)));
    assertThat(run.errors().getJsonObject(0).getString("code")).isEqualTo("no_matching_case");
    assertThat(run.errors().getJsonObject(0).getString("stepId")).isEqualTo("check");
    assertThat(run.seq()).as("create, claim, finish").isEqualTo(3);
    assertThat(server.calls(name)).hasSize(1);
    assertThat(engine.finished(RunStatus.FAILED)).isEqualTo(1);
  }

  @Test
  @DisplayName("a delay parks the run until its due time; claimed again then, the run goes on and completes")
  void delayParksThenCompletes() {
    String orch = engine.define(compute("fetch", function, "wait"), delay("wait", 60_000, "notify"),
      compute("notify", function, null));
    String runId = engine.start(orch, new JsonObject());

    engine.claimAndExecute();

    Run parked = engine.run(runId);
    assertThat(parked.status()).as(parked.errors().encode()).isEqualTo(RunStatus.WAITING);
    assertThat(parked.currentStepId()).isEqualTo("wait");
    assertThat(parked.cursor()).isEqualTo("notify");
    assertThat(engine.store.timerDue(runId)).contains(T0.plusSeconds(60));
    assertThat(engine.store.leaseExpiry(runId)).isEmpty();
    assertThat(engine.wake.announced()).containsExactly(T0.plusSeconds(60).toEpochMilli());
    assertThat(server.calls(name)).hasSize(1);
    engine.clock.advance(Duration.ofSeconds(60).minusMillis(1));
    assertThat(engine.claimAndExecute()).isEmpty();
    engine.clock.advance(Duration.ofMillis(1));

    List<Run> woken = engine.claimAndExecute();

    assertThat(woken).extracting(Run::dueAt).containsExactly(T0.plusSeconds(60).toEpochMilli());
    Run run = engine.run(runId);
    assertThat(run.status()).as(run.errors().encode()).isEqualTo(RunStatus.COMPLETED);
    assertThat(run.executedSteps()).isEqualTo(new JsonArray().add("fetch").add("wait").add("notify"));
    assertThat(run.delayStepCount()).isEqualTo(1);
    assertThat(run.completedAt()).isEqualTo(T0.plusSeconds(60));
    assertThat(server.calls(name)).extracting(Call::idempotencyKey)
      .containsExactly(runId + ":fetch:0", runId + ":notify:2");
  }

  @Test
  @DisplayName("a run whose last step is a delay completes as it wakes, inside the claim, without a worker")
  void lastDelayCompletesOnWaking() {
    String orch = engine.define(compute("fetch", function, "wait"), delay("wait", 5_000, null));
    String runId = engine.start(orch, new JsonObject());
    engine.claimAndExecute();
    engine.clock.advance(Duration.ofSeconds(5));

    assertThat(engine.claimAndExecute()).isEmpty();

    Run run = engine.run(runId);
    assertThat(run.status()).as(run.errors().encode()).isEqualTo(RunStatus.COMPLETED);
    assertThat(run.executedSteps()).isEqualTo(new JsonArray().add("fetch").add("wait"));
    assertThat(run.completedAt()).isEqualTo(T0.plusSeconds(5));
    assertThat(engine.finished(RunStatus.COMPLETED)).isEqualTo(1);
  }

  @Test
  @DisplayName("a failing compute step is retried after each backoff, then fails the run once its attempts are spent")
  void retriesWithBackoffThenFails() {
    server.script(name).always(Answer.status(500, new JsonObject().put("error", "boom")));
    JsonObject retry = new JsonObject().put("maxAttempts", 3).put("backoffMs", 1000).put("backoffMultiplier", 2);
    String orch = engine.define(compute("charge", function, null).put("retry", retry));
    String runId = engine.start(orch, new JsonObject());

    engine.claimAndExecute();

    Run backingOff = engine.run(runId);
    assertThat(backingOff.status()).as(backingOff.errors().encode()).isEqualTo(RunStatus.RUNNING);
    assertThat(backingOff.attempt()).isEqualTo(2);
    assertThat(backingOff.errors()).hasSize(1);
    assertThat(engine.store.leaseExpiry(runId)).isEmpty();
    assertThat(engine.store.timerDue(runId)).contains(T0.plusSeconds(1));
    engine.clock.advance(Duration.ofMillis(999));
    assertThat(engine.claimAndExecute()).isEmpty();
    engine.clock.advance(Duration.ofMillis(1));
    assertThat(engine.claimAndExecute()).hasSize(1);
    assertThat(engine.store.timerDue(runId)).as("second backoff: 1000 ms * 2").contains(T0.plusSeconds(3));
    engine.clock.advance(Duration.ofSeconds(2));
    assertThat(engine.claimAndExecute()).hasSize(1);

    Run run = engine.run(runId);
    assertThat(run.status()).as(run.errors().encode()).isEqualTo(RunStatus.FAILED);
    assertThat(run.completedAt()).isEqualTo(T0.plusSeconds(3));
    assertThat(run.executedSteps()).isEqualTo(new JsonArray().add("charge"));
    assertThat(run.hasErrors()).isTrue();
    assertThat(run.errors()).extracting(e -> ((JsonObject) e).getString("code"))
      .containsExactly("http_500", "http_500", "http_500");
    assertThat(run.errors()).extracting(e -> ((JsonObject) e).getInteger("attempt")).containsExactly(1, 2, 3);
    assertThat(run.errors()).extracting(e -> ((JsonObject) e).getString("at"))
      .containsExactly("2025-01-15T10:00:00.000Z", "2025-01-15T10:00:01.000Z", "2025-01-15T10:00:03.000Z");
    assertThat(server.calls(name)).extracting(Call::attempt).containsExactly(1, 2, 3);
    assertThat(server.calls(name)).extracting(Call::idempotencyKey).containsOnly(runId + ":charge:0");
    assertThat(engine.finished(RunStatus.FAILED)).isEqualTo(1);
  }

  @Test
  @DisplayName("a run looping between decisions fails with max_steps_exceeded once it executed the limit")
  void maxStepsExceeded() {
    String orch = engine.define(decision("ping", "pong"), decision("pong", "ping"));
    String runId = engine.start(orch, new JsonObject());

    engine.claimAndExecute();

    Run run = engine.run(runId);
    assertThat(run.status()).as(run.errors().encode()).isEqualTo(RunStatus.FAILED);
    assertThat(run.executedSteps()).hasSize(InMemoryEngine.MAX_STEPS);
    assertThat(run.stepCount()).isEqualTo(InMemoryEngine.MAX_STEPS);
    for (int i = 0; i < InMemoryEngine.MAX_STEPS; i++) {
      assertThat(run.executedSteps().getString(i)).isEqualTo(i % 2 == 0 ? "ping" : "pong");
    }
    assertThat(run.errors()).hasSize(1);
    JsonObject error = run.errors().getJsonObject(0);
    assertThat(error.getString("code")).isEqualTo("max_steps_exceeded");
    assertThat(error.getString("stepId")).isEqualTo("ping");
    assertThat(error.getInteger("attempt")).isEqualTo(1);
  }

  @Test
  @DisplayName("a run cycling through 10,000 decisions reaches the step limit, its decisions written in slices of "
    + "bounded transitions")
  void longDecisionCycleIsWrittenInSlices() {
    InMemoryEngine big = new InMemoryEngine(vertx, http, 10_000);
    String orch = big.define(decision("ping", "pong"), decision("pong", "ping"));
    String runId = big.start(orch, new JsonObject());

    big.claimAndExecute();

    Run run = big.run(runId);
    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    assertThat(run.stepCount()).isEqualTo(10_000);
    assertThat(run.errors().getJsonObject(0).getString("code")).isEqualTo("max_steps_exceeded");
    assertThat(run.seq()).as("create, claim, an advance per %d decisions, finish",
      RunExecutor.MAX_STEPS_PER_TRANSITION).isEqualTo(2 + 10_000 / RunExecutor.MAX_STEPS_PER_TRANSITION + 1);
  }

  @Test
  @DisplayName("a worker whose lease was taken back mid-step is fenced off: its late write is rejected, nothing twice")
  void staleWorkerIsFencedOff() {
    // the first call (the stalled worker's) answers late; by then its lease has been taken back and re-claimed
    server.script(name).then(Answer.json(new JsonObject().put("by", "stalled")).delayed(Duration.ofSeconds(1)))
      .always(Answer.json(new JsonObject().put("by", "successor")));
    String orch = engine.define(compute("call", function, "done"), decision("done", "end"),
      compute("end", function, null));
    String runId = engine.start(orch, new JsonObject());
    Run stalled = await(engine.store.claimDue(0, 1, LEASE)).runs().get(0);
    Future<Void> stalledWork = engine.execute(stalled);
    server.awaitCalls(name, 1, Duration.ofSeconds(5));

    engine.clock.advance(LEASE);
    assertThat(await(engine.store.requeueExpiredLeases(10))).isEqualTo(1);
    List<Run> successor = engine.claimAndExecute();
    await(stalledWork);

    assertThat(successor).extracting(Run::fence).containsExactly(stalled.fence() + 2);
    Run run = engine.run(runId);
    assertThat(run.status()).as(run.errors().encode()).isEqualTo(RunStatus.COMPLETED);
    assertThat(run.executedSteps()).isEqualTo(new JsonArray().add("call").add("done").add("end"));
    assertThat(run.stepOutputs().getJsonObject("call")).isEqualTo(new JsonObject().put("by", "successor"));
    assertThat(server.calls(name)).extracting(Call::idempotencyKey)
      .as("the step's two attempts share its Idempotency-Key, so the function can tell the repeat")
      .containsExactly(runId + ":call:0", runId + ":call:0", runId + ":end:2");
    assertThat(await(engine.store.queueDepths())).isEqualTo(new QueueDepths(0, 0, 0, 1));
    assertThat(engine.finished(RunStatus.COMPLETED)).isEqualTo(1);
  }
}
