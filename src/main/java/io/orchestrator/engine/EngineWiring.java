package io.orchestrator.engine;

import io.micrometer.core.instrument.MeterRegistry;
import io.orchestrator.availability.StoreAvailability;
import io.orchestrator.common.Ids;
import io.orchestrator.config.AppConfig;
import io.orchestrator.definitions.OrchestrationStore;
import io.orchestrator.functions.FunctionHttpClient;
import io.orchestrator.functions.FunctionLookup;
import io.orchestrator.functions.FunctionStore;
import io.orchestrator.functions.HttpFunctionInvoker;
import io.orchestrator.functions.UrlPolicy;
import io.orchestrator.runs.HistoryArchiver;
import io.orchestrator.runs.RunMeters;
import io.orchestrator.runs.RunHistory;
import io.orchestrator.runs.RunStore;
import io.orchestrator.runs.WakeSignal;
import io.orchestrator.tasks.TaskSignal;
import io.orchestrator.tasks.TaskStore;
import io.vertx.core.Deployable;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** Builds the engine's verticles for a worker instance: one claim loop per event loop and one maintenance loop. */
public final class EngineWiring {

  private final Vertx vertx;
  private final AppConfig.Engine config;
  private final RunStore runs;
  private final RunHistory history;
  private final WakeSignal wake;
  private final MeterRegistry registry;
  private final Clock clock;
  private final RunExecutor executor;
  private final TaskStore tasks;
  private final TaskSignal taskSignal;
  private final StoreAvailability availability;

  public EngineWiring(Vertx vertx, AppConfig.Engine config, RunStore runs, RunHistory history,
                      OrchestrationStore orchestrations, FunctionStore functions, UrlPolicy urlPolicy,
                      WakeSignal wake, TaskStore tasks, TaskSignal taskSignal, MeterRegistry registry,
                      RunMeters runMeters, StoreAvailability availability, Ids ids, Clock clock) {
    this.vertx = vertx;
    this.config = config;
    this.runs = runs;
    this.history = history;
    this.wake = wake;
    this.registry = registry;
    this.clock = clock;
    this.availability = availability;
    HttpClient client = FunctionHttpClient.create(vertx, config.workerConcurrency());
    ComputeStepExecutor compute = new ComputeStepExecutor(new FunctionLookup(functions, availability, clock),
      new HttpFunctionInvoker(client, urlPolicy, clock, config.maxResponseBytes()), ids, clock);
    this.executor = new RunExecutor(vertx, runs, new DefinitionCache(orchestrations), compute, wake, tasks,
      taskSignal, new EngineMetrics(registry, runMeters), clock, config.maxStepsPerRun(), config.leaseDuration());
    this.tasks = tasks;
    this.taskSignal = taskSignal;
  }

  public List<Deployable> verticles(int claimLoops) {
    List<Deployable> verticles = new ArrayList<>();
    int perLoop = Math.max(1, config.workerConcurrency() / claimLoops);
    for (int i = 0; i < claimLoops; i++) {
      verticles.add(new WorkerVerticle(runs, executor, availability, wake, clock, perLoop, config.leaseDuration(),
        config.shutdownGrace()));
    }
    verticles.add(new MaintenanceVerticle(runs, tasks, taskSignal,
      new HistoryArchiver(runs, history, config.runRetention()), wake, availability, clock, registry));
    return verticles;
  }
}
