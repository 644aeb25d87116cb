package io.orchestrator.engine;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.orchestrator.common.Outages;
import io.orchestrator.runs.HistoryArchiver;
import io.orchestrator.runs.QueueDepths;
import io.orchestrator.runs.RunQueue;
import io.orchestrator.runs.WakeSignal;
import io.orchestrator.tasks.TaskSignal;
import io.orchestrator.tasks.TaskStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Background duties of a worker instance: re-queues runs whose lease expired (dead or stalled workers) and worker
 * tasks whose lease expired (waking the long polls of their queues), archives
 * finished runs to PostgreSQL, evicts them from Redis after the retention, and samples queue depths for metrics.
 */
public final class MaintenanceVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(MaintenanceVerticle.class);
  private static final long SWEEP_MS = 500;
  private static final long ARCHIVE_MS = 200;
  private static final long EVICT_MS = 5_000;

  private final RunQueue store;
  private final TaskStore tasks;
  private final TaskSignal taskSignal;
  private final TaskQueueGauges taskGauges;
  private final HistoryArchiver archiver;
  private final WakeSignal wake;
  private final Outages outages;
  private final Clock clock;
  private final AtomicReference<QueueDepths> depths = new AtomicReference<>(new QueueDepths(0, 0, 0, 0));

  public MaintenanceVerticle(RunQueue store, TaskStore tasks, TaskSignal taskSignal, HistoryArchiver archiver,
                             WakeSignal wake, Outages outages, Clock clock, MeterRegistry registry) {
    this.store = store;
    this.tasks = tasks;
    this.taskSignal = taskSignal;
    this.taskGauges = new TaskQueueGauges(registry);
    this.archiver = archiver;
    this.wake = wake;
    this.outages = outages;
    this.clock = clock;
    Gauge.builder("orchestrator.queue.ready", () -> depths.get().ready()).register(registry);
    Gauge.builder("orchestrator.queue.timers", () -> depths.get().timers()).register(registry);
    Gauge.builder("orchestrator.queue.leases", () -> depths.get().leases()).register(registry);
    Gauge.builder("orchestrator.queue.unarchived", () -> depths.get().unpersisted()).register(registry);
  }

  @Override
  public Future<?> start() {
    repeat(SWEEP_MS, this::sweepLeases);
    repeat(SWEEP_MS, this::sweepTaskLeases);
    repeat(EVICT_MS, () -> tasks.queueStats().onSuccess(taskGauges::update).mapEmpty());
    repeat(ARCHIVE_MS, () -> archiver.archiveRound().mapEmpty());
    repeat(EVICT_MS, () -> archiver.evictBatch().mapEmpty());
    repeat(EVICT_MS, () -> store.queueDepths().onSuccess(depths::set).mapEmpty());
    return Future.succeededFuture();
  }

  private Future<Void> sweepLeases() {
    return store.requeueExpiredLeases(500).onSuccess(count -> {
      if (count > 0) {
        LOG.info("re-queued {} runs whose worker lost its lease", count);
        wake.anyDue(clock.millis());
      }
    }).mapEmpty();
  }

  /** Re-queues tasks whose worker stopped heart-beating and wakes the long polls waiting on their queues. */
  private Future<Void> sweepTaskLeases() {
    return tasks.requeueExpired(500).onSuccess(requeued -> {
      if (!requeued.isEmpty()) {
        LOG.info("re-queued {} worker tasks whose lease expired", requeued.size());
        new LinkedHashSet<>(requeued).forEach(q -> taskSignal.taskAvailable(q.workspace(), q.queue()));
      }
    }).mapEmpty();
  }

  /**
   * Runs {@code task} every {@code periodMs}, never two at once; a failure is logged (a store outage only once, by
   * the outage tracking) and the next round goes on: what a failed round left (unarchived runs, expired leases)
   * waits in Redis for the next one.
   */
  private void repeat(long periodMs, java.util.function.Supplier<Future<Void>> task) {
    vertx.setTimer(periodMs, id -> task.get()
      .onFailure(e -> {
        if (outages.of(e).isEmpty()) {
          LOG.warn("maintenance task failed: {}", e.getMessage());
        }
      })
      .onComplete(done -> repeat(periodMs, task)));
  }
}
