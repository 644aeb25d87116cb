package io.orchestrator.engine;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orchestrator.common.Ids;
import io.orchestrator.definitions.Orchestration;
import io.orchestrator.fixtures.InMemoryDefinitions;
import io.orchestrator.fixtures.InMemoryFunctions;
import io.orchestrator.fixtures.InMemoryRunStore;
import io.orchestrator.fixtures.LocalWakeSignal;
import io.orchestrator.fixtures.ManualClock;
import io.orchestrator.fixtures.NoWorkerTasks;
import io.orchestrator.functions.FunctionLookup;
import io.orchestrator.functions.HttpFunctionInvoker;
import io.orchestrator.functions.UrlPolicy;
import io.orchestrator.runs.DueClaim;
import io.orchestrator.runs.NewRun;
import io.orchestrator.runs.Run;
import io.orchestrator.runs.RunMeters;
import io.orchestrator.runs.RunStatus;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The engine wired as {@code WorkerRole} wires it (real Decider, compute step executor, HTTP invoker, lease keeper),
 * on in-memory stores and a {@link ManualClock} at {@link #T0}: runs advance as fast as the code does, and the
 * tests move time by hand. Function URLs point at a real HTTP server of the test.
 */
final class InMemoryEngine {

  static final String WS = "ws-engine";
  static final Instant T0 = Instant.parse("2025-01-15T10:00:00Z");
  static final Duration LEASE = Duration.ofSeconds(30);
  static final int MAX_STEPS = 20;

  final ManualClock clock = new ManualClock(T0);
  final InMemoryRunStore store = new InMemoryRunStore(clock);
  final InMemoryFunctions functions = new InMemoryFunctions();
  final LocalWakeSignal wake = new LocalWakeSignal();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final RunExecutor executor;
  private final Context context;
  private final InMemoryDefinitions definitions = new InMemoryDefinitions();
  private final Map<String, String> entrySteps = new HashMap<>();
  private int ids;

  /** @param http the client function calls go through ({@code FunctionHttpClient}) */
  InMemoryEngine(Vertx vertx, HttpClient http) {
    this(vertx, http, MAX_STEPS);
  }

  InMemoryEngine(Vertx vertx, HttpClient http, int maxSteps) {
    context = vertx.getOrCreateContext();
    NoWorkerTasks tasks = new NoWorkerTasks();
    ComputeStepExecutor compute = new ComputeStepExecutor(new FunctionLookup(functions, e -> Optional.empty(), clock),
      new HttpFunctionInvoker(http, UrlPolicy.defaults(), clock, 1 << 20), new Ids(clock), clock);
    executor = new RunExecutor(store, new DefinitionCache(definitions), compute, new TaskHandOff(tasks, tasks, wake),
      new LeaseKeeper(vertx, store, LEASE), wake, new EngineMetrics(registry, new RunMeters(registry)), clock,
      maxSteps);
  }

  /** Stores version 1 of an orchestration with these steps (the first is the entry step); returns its id. */
  String define(JsonObject... steps) {
    String id = "orch_" + ++ids;
    definitions.add(new Orchestration(id, WS, "slug-" + ids, "Orchestration " + ids, null, 1, true,
      new JsonObject().put("type", "on-demand"), new JsonArray(List.of((Object[]) steps)), T0, T0, "test", "test"));
    entrySteps.put(id, steps[0].getString("id"));
    return id;
  }

  /** Creates a run of that orchestration with {@code input} and an empty context, ready at once; returns its id. */
  String start(String orchestrationId, JsonObject input) {
    NewRun run = newRun(orchestrationId, input);
    await(store.create(run));
    return run.id();
  }

  /** A run of the orchestration as a trigger would ask for it, not stored yet. */
  NewRun newRun(String orchestrationId, JsonObject input) {
    return new NewRun("run_" + ++ids, WS, orchestrationId, 1, "manual", null, input, null, null,
      entrySteps.get(orchestrationId), null, null);
  }

  /**
   * One pass of a worker: claims the due runs (a run whose last step was a delay completes in the claim) and
   * executes each until this worker lets go of it (parked, finished or lost).
   *
   * @return the runs this pass claimed, as claimed
   */
  List<Run> claimAndExecute() {
    DueClaim claim = await(store.claimDue(0, 10, LEASE));
    claim.completedOnWake().forEach(executor::completedOnWake);
    claim.runs().forEach(run -> await(execute(run)));
    return claim.runs();
  }

  /**
   * Executes a claimed run on the engine's event-loop context, as the worker verticle does (the HTTP invoker expects
   * its callbacks on the context that sent the request); completes when the executor lets go of the run.
   */
  Future<Void> execute(Run run) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> executor.execute(run).onComplete(done));
    return done.future();
  }

  Run run(String runId) {
    return await(store.get(runId)).orElseThrow();
  }

  /** orchestrator_runs_finished_total of that status. */
  double finished(RunStatus status) {
    Counter counter = registry.find("orchestrator.runs.finished").tag("status", status.wire()).counter();
    return counter == null ? 0 : counter.count();
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("future did not complete: " + e, e);
    }
  }
}
