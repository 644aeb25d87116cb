package io.orchestrator.engine;

import io.orchestrator.availability.StoreAvailability;
import io.orchestrator.common.ClaimLoop;
import io.orchestrator.runs.DirectStarts;
import io.orchestrator.runs.DueClaim;
import io.orchestrator.runs.Run;
import io.orchestrator.runs.RunQueue;
import io.orchestrator.runs.TransitionResult;
import io.orchestrator.runs.WakeSignal;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims due runs and hands them to the {@link RunExecutor}, never taking more than the instance's free
 * {@link WorkerSlots}; runs created on this instance can also start in one of those slots directly
 * ({@link #reserveSlot}, {@link LocalWorkers}: on the worker of the API event loop that created them), without a
 * claim. It sleeps until the earliest timer is due or a {@link WakeSignal} arrives, with a slow fallback poll; claims
 * never overlap.
 * Claims are made per partition ({@link DuePartitions}): a pass claims, all at once, from the partitions a signal
 * or a timer says are due, sharing the free slots out between them; every {@link #SWEEP_MS} it looks at every
 * partition, so a lost signal costs at most that.
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
  static final long SWEEP_MS = 1_000;

  private final RunQueue store;
  private final RunExecutor executor;
  private final StoreAvailability availability;
  private final WakeSignal wake;
  private final Clock clock;
  private final WorkerSlots slots;
  private final Duration lease;
  private final Duration shutdownGrace;
  /** Runs this worker holds: id → the fencing token of its claim. */
  private final Map<String, Long> held = new HashMap<>();
  /**
   * This worker's part of the instance's slots: runs held, the shares of its claims in flight, and slots reserved for
   * direct starts (written from the API's event loops too, hence atomic); stop waits until it is 0.
   */
  private final AtomicInteger busy = new AtomicInteger();
  /** Whether slots are given out for direct starts: from start until stop. */
  private volatile boolean accepting;
  /** The event loop thread of this worker's context, known from start. */
  private volatile Thread eventLoop;
  private final ClaimLoop loop;
  private final DuePartitions due;
  private long nextTimersOnlyPass;
  private long nextSweep;

  public WorkerVerticle(RunQueue store, RunExecutor executor, StoreAvailability availability, WakeSignal wake,
                        Clock clock, WorkerSlots slots, Duration lease, Duration shutdownGrace) {
    this.store = store;
    this.executor = executor;
    this.availability = availability;
    this.wake = wake;
    this.clock = clock;
    this.slots = slots;
    this.lease = lease;
    this.shutdownGrace = shutdownGrace;
    this.due = new DuePartitions(store.partitions());
    this.loop = new ClaimLoop("runs", this::claim, () -> Future.succeededFuture(due.earliest()), Duration.ZERO,
      availability, availability::whenUp, clock);
  }

  @Override
  public Future<?> start() {
    eventLoop = Thread.currentThread();
    accepting = true;
    loop.start(vertx);
    wake.onRunDue((partition, at) -> context.runOnContext(v -> {
      due.due(partition, at, clock.millis());
      loop.wakeAt(at);
    }));
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    accepting = false;
    return loop.stop(() -> busy.get() == 0, shutdownGrace).compose(v -> releaseHeld());
  }

  /** Whether the caller runs on this worker's event loop, where a run it starts needs no hand-over between threads. */
  boolean isOnItsEventLoop() {
    return Thread.currentThread() == eventLoop;
  }

  /**
   * A free slot for a run about to be created, taken now (from any thread) so that no claim pass fills it
   * meanwhile; null when every slot is taken or the worker is not running.
   */
  DirectStarts.Slot reserveSlot() {
    if (!accepting) {
      return null;
    }
    if (slots.take(1) == 0) {
      return null;
    }
    busy.incrementAndGet();
    return new DirectSlot();
  }

  /** A slot reserved for a direct start; whatever happens, the slot is given back once. */
  private final class DirectSlot implements DirectStarts.Slot {

    @Override
    public Duration lease() {
      return lease;
    }

    @Override
    public void start(Run claimed) {
      context.runOnContext(v -> {
        if (accepting) {
          run(claimed);
        } else {
          // stopped meanwhile: give the run back at once rather than after its lease
          store.release(claimed.id(), claimed.fence())
            .onFailure(e -> LOG.warn("run {} started while stopping could not be released: {}", claimed.id(),
              e.getMessage()))
            .onComplete(done -> slotFreed());
        }
      });
    }

    @Override
    public void cancel() {
      context.runOnContext(v -> slotFreed());
    }
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
   * Claims as many due runs as there are free slots, shared out over the due partitions; again at once while a
   * partition answers a full share or a timer backlog. With no free slot it still takes the due timers (claims of 0
   * runs), so a run whose delay was its last step completes on time while every slot waits on slow function calls;
   * such passes are spaced by {@link #TIMERS_ONLY_GAP_MS} and visit only the partitions whose timers are due, so the
   * run-created signals that keep arriving meanwhile cost nothing until a slot frees.
   */
  private Future<ClaimLoop.Next> claim() {
    int free = slots.free();
    boolean timersOnly = free <= 0;
    if (timersOnly && !timersOnlyPassDue()) {
      return Future.succeededFuture(ClaimLoop.Next.WAIT);
    }
    long now = clock.millis();
    if (now >= nextSweep) {
      nextSweep = now + SWEEP_MS;
      due.sweep(now);
    }
    List<Integer> partitions = due.dueBy(now, timersOnly);
    if (partitions.isEmpty()) {
      return Future.succeededFuture(ClaimLoop.Next.SLEEP);
    }
    int taken = slots.take(Math.min(free, MAX_BATCH));
    busy.addAndGet(taken);
    int[] shares = DuePartitions.shares(taken, partitions.size());
    List<Future<DueClaim>> claims = new ArrayList<>(partitions.size());
    for (int i = 0; i < partitions.size(); i++) {
      // a partition left without a share this pass stays due; a timers-only pass visits those with due timers
      if (shares[i] > 0 || timersOnly) {
        claims.add(claimIn(partitions.get(i), shares[i]));
      }
    }
    return Future.join(claims).transform(done -> {
      int started = claims.stream().filter(Future::succeeded).mapToInt(claim -> claim.result().runs().size()).sum();
      busy.addAndGet(started - taken);
      slots.giveBack(taken - started);
      Throwable failure = claims.stream().filter(Future::failed).map(Future::cause).findFirst().orElse(null);
      return failure != null ? Future.failedFuture(failure) : Future.succeededFuture(
        due.anyDueBy(clock.millis()) ? ClaimLoop.Next.AGAIN : ClaimLoop.Next.SLEEP);
    });
  }

  /** One partition's claim of up to {@code share} runs (0: its due timers only; what it knew of runs is kept). */
  private Future<DueClaim> claimIn(int partition, int share) {
    return store.claimDue(partition, share, lease)
      .onSuccess(claim -> {
        claim.completedOnWake().forEach(executor::completedOnWake);
        claim.runs().forEach(this::run);
        long at = clock.millis();
        due.timersTaken(partition, claim.timerBacklog(), claim.nextTimerDue(), at);
        if (share > 0) {
          due.runsClaimed(partition, claim.runs().size() == share, at);
        }
      })
      .onFailure(e -> due.due(partition, clock.millis(), clock.millis()));
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

  /** Executes a run in a slot taken for it (by a claim pass or a direct start), and frees the slot after it. */
  private void run(Run run) {
    held.put(run.id(), run.fence());
    execute(run).onComplete(done -> {
      held.remove(run.id());
      slotFreed();
    });
  }

  /** A slot was given back: with every slot of the instance taken until now, the claim loops were waiting for one. */
  private void slotFreed() {
    busy.decrementAndGet();
    if (slots.giveBack(1)) {
      loop.claimNow();
    }
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
