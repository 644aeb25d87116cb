package io.orchestrator;

import io.orchestrator.bulk.BulkProcessor;
import io.orchestrator.bulk.BulkProcessorVerticle;
import io.orchestrator.bulk.RunActions;
import io.orchestrator.config.AppConfig;
import io.orchestrator.engine.ComputeStepExecutor;
import io.orchestrator.engine.DefinitionCache;
import io.orchestrator.engine.EngineMetrics;
import io.orchestrator.engine.LeaseKeeper;
import io.orchestrator.engine.MaintenanceVerticle;
import io.orchestrator.engine.RunExecutor;
import io.orchestrator.engine.TaskHandOff;
import io.orchestrator.engine.WorkerSlots;
import io.orchestrator.engine.WorkerVerticle;
import io.orchestrator.functions.FunctionHttpClient;
import io.orchestrator.functions.FunctionLookup;
import io.orchestrator.functions.HttpFunctionInvoker;
import io.orchestrator.runs.HistoryArchiver;
import io.vertx.core.Deployable;
import java.util.ArrayList;
import java.util.List;

/**
 * Part of the composition root: the worker role's verticles, claim loops sharing the instance's run slots and one
 * maintenance loop.
 */
final class WorkerRole {

  private WorkerRole() {
  }

  static List<Deployable> verticles(Components c, int claimLoops) {
    AppConfig.Engine config = c.config.engine();
    ComputeStepExecutor compute = new ComputeStepExecutor(new FunctionLookup(c.functionStore, c.availability, c.clock),
      new HttpFunctionInvoker(FunctionHttpClient.create(c.vertx, config.workerConcurrency()), c.urlPolicy, c.clock,
        config.maxResponseBytes()), c.ids, c.clock, c.spans);
    RunExecutor executor = new RunExecutor(c.runStore, new DefinitionCache(c.orchestrationStore), compute,
      new TaskHandOff(c.taskStore, c.taskSignal, c.wake), new LeaseKeeper(c.vertx, c.runStore, config.leaseDuration()),
      c.wake, new EngineMetrics(c.registry, c.runMeters), c.clock, config.maxStepsPerRun(), c.spans);
    List<Deployable> verticles = new ArrayList<>();
    WorkerSlots slots = new WorkerSlots(config.workerConcurrency());
    for (int i = 0; i < claimLoops; i++) {
      WorkerVerticle worker = new WorkerVerticle(c.runStore, executor, c.availability, c.wake, c.clock, slots,
        config.leaseDuration(), config.shutdownGrace());
      c.localWorkers.add(worker);
      verticles.add(worker);
    }
    verticles.add(new MaintenanceVerticle(c.runStore, c.taskStore, c.taskSignal,
      new HistoryArchiver(c.runStore, c.runStore, c.history, config.runRetention()), c.wake, c.availability,
      c.clock, c.registry));
    verticles.add(bulkProcessor(c));
    return verticles;
  }

  /** One bulk processor per instance: it works on one bulk operation at a time, in batches. */
  private static BulkProcessorVerticle bulkProcessor(Components c) {
    AppConfig.Bulk bulk = c.config.bulk();
    RunActions actions = new RunActions(c.runs, c.runOperations, c.runStore, c.availability);
    BulkProcessor processor = new BulkProcessor(c.bulkStore, actions::act, c.bulkMeters, c.clock,
      new BulkProcessor.Settings(bulk.batchSize(), bulk.batchPause(), bulk.lease()), c.config.stores().redisPrefix(),
      c.instanceId, ms -> c.vertx.timer(ms));
    return new BulkProcessorVerticle(processor, c.availability, c.clock, c.config.engine().shutdownGrace());
  }
}
