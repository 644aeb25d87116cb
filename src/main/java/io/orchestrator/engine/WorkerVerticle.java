package io.orchestrator.engine;

import io.orchestrator.availability.StoreAvailability;
import io.orchestrator.common.ClaimLoop;
import io.orchestrator.runs.Run;
import io.orchestrator.runs.RunQueue;
import io.orchestrator.runs.TransitionResult;
import io.orchestrator.runs.WakeSignal;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims due runs and hands them to the {@link RunExecutor}, never holding more than its concurrency. It sleeps
 * until the earliest timer is due or a {@link WakeSignal} arrives, with a slow fallback poll; claims never overlap.
 * On stop it claims nothing more and lets the runs in flight reach their next park point for up to the shutdown
 * grace; the runs still mid-step are then released, so another instance resumes them at once instead of after the
 * lease, and this worker's late writes for them are rejected by their new fencing token.
 *
 * <p>A store outage does not cost a run its lease time: a run whose step failed on one is held until the stores
 * answer again ({@link StoreAvailability#whenUp()}), then reclaimed under a new fencing token and resumed from what
 * is recorded; a failed claim is retried as soon as the stores answer, so due wake-ups fire within a probe period
 * of the recovery.
 */
public final class WorkerVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(WorkerVerticle.class);
  private static final int MAX_BATCH = 64;
  private static final long TIMERS_ONLY_GAP_MS = 25;

  private final RunQueue store;
  private final RunExecutor executor;
  private final StoreAvailability availability;
  private final WakeSignal wake;
  private final Clock clock;
  private final int concurrency;
  private final Duration lease;
  private final Duration shutdownGrace;
  /** Runs this worker holds: id → the fencing token of its claim. */
  private final Map<String, Long> held = new HashMap<>();
  private final ClaimLoop loop;
  private long nextTimersOnlyPass;

  public WorkerVerticle(RunQueue store, RunExecutor executor, StoreAvailability availability, WakeSignal wake,
                        Clock clock, int concurrency, Duration lease, Duration shutdownGrace) {
    this.store = store;
    this.executor = executor;
    this.availability = availability;
    this.wake = wake;
    this.clock = clock;
    this.concurrency = concurrency;
    this.lease = lease;
    this.shutdownGrace = shutdownGrace;
    this.loop = new ClaimLoop("runs", this::claim, this::nextTimerDue, Duration.ZERO, availability,
      availability::whenUp, clock);
  }

  @Override
  public Future<?> start() {
    loop.start(vertx, wake::onRunDue);
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    return loop.stop(held::isEmpty, shutdownGrace).compose(v -> releaseHeld());
  }

  private Future<Void> releaseHeld() {
    List<Future<TransitionResult>> releases = new ArrayList<>();
    held.forEach((runId, fence) -> releases.add(store.release(runId, fence)
      .onSuccess(result -> LOG.info("run {} released at shutdown: {}", runId, result))));
    return Future.join(releases)
      .onFailure(e -> LOG.warn("releasing runs at shutdown failed, their leases will expire: {}", e.getMessage()))
      .recover(e -> Future.succeededFuture()).mapEmpty();
  }

  /**
   * Claims as many due runs as there are free slots; again at once while full batches come back. With no free slot
   * it still takes the due timers (a claim of 0 runs), so a run whose delay was its last step completes on time
   * while every slot waits on slow function calls; such passes are spaced by {@link #TIMERS_ONLY_GAP_MS}, so the
   * run-created signals that keep arriving meanwhile cost at most one script call per gap.
   */
  private Future<ClaimLoop.Next> claim() {
    int free = concurrency - held.size();
    if (free <= 0 && !timersOnlyPassDue()) {
      return Future.succeededFuture(ClaimLoop.Next.WAIT);
    }
    int batch = Math.min(Math.max(free, 0), MAX_BATCH);
    return store.claimDue(batch, lease).map(claim -> {
      claim.completedOnWake().forEach(executor::completedOnWake);
      claim.runs().forEach(this::run);
      boolean fullBatch = batch > 0 && claim.runs().size() == batch;
      return fullBatch || claim.timerBacklog() ? ClaimLoop.Next.AGAIN : ClaimLoop.Next.SLEEP;
    });
  }

  private Future<Optional<Long>> nextTimerDue() {
    return store.nextTimerDue().map(next -> next.map(Instant::toEpochMilli));
  }

  /** True when a timers-only pass may run now; otherwise arms one for when it may. */
  private boolean timersOnlyPassDue() {
    long now = clock.millis();
    if (now < nextTimersOnlyPass) {
      loop.wakeAt(nextTimersOnlyPass);
      return false;
    }
    nextTimersOnlyPass = now + TIMERS_ONLY_GAP_MS;
    return true;
  }

  private void run(Run run) {
    held.put(run.id(), run.fence());
    execute(run).onComplete(done -> {
      held.remove(run.id());
      if (held.size() == concurrency - 1) {
        loop.claimNow();
      }
    });
  }

  /** Completes when this worker is done with the run, after any number of outages on the way; never fails. */
  private Future<Void> execute(Run run) {
    return executor.execute(run).recover(e -> afterFailure(run, e));
  }

  private Future<Void> afterFailure(Run run, Throwable failure) {
    if (availability.of(failure).isEmpty()) {
      LOG.error("run {} stopped on an infrastructure error; its lease will expire: {}", run.id(),
        failure.getMessage());
      return Future.succeededFuture();
    }
    LOG.debug("run {} paused by a store outage, resuming when the stores answer: {}", run.id(),
      failure.getMessage());
    return reclaim(run).compose(reclaimed -> {
      if (reclaimed.isEmpty()) {
        LOG.debug("run {} moved on during the store outage (parked, finished or taken over)", run.id());
        return Future.succeededFuture();
      }
      held.put(run.id(), reclaimed.get().fence());
      LOG.debug("run {} resumed after a store outage at step {}", run.id(), reclaimed.get().currentStepId());
      return execute(reclaimed.get());
    }).recover(e -> {
      LOG.error("run {} could not be resumed after a store outage; its lease will expire: {}", run.id(),
        e.getMessage());
      return Future.succeededFuture();
    });
  }

  /** Once the stores answer, takes the interrupted run up again under a new fencing token (see RunQueue). */
  private Future<Optional<Run>> reclaim(Run interrupted) {
    return availability.whenUp().compose(v -> store.reclaim(interrupted.id(), interrupted.fence(), lease))
      .recover(e -> availability.of(e).isPresent() ? reclaim(interrupted) : Future.failedFuture(e));
  }
}
