package io.orchestrator.engine;

import io.orchestrator.runs.Run;
import io.orchestrator.runs.RunStore;
import io.orchestrator.runs.WakeSignal;
import io.orchestrator.common.EarliestWakeUp;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims due runs and hands them to the {@link RunExecutor}, never holding more than its concurrency. It sleeps
 * until the earliest timer is due or a {@link WakeSignal} arrives, with a slow fallback poll; claims never overlap.
 * On stop it claims nothing more and waits (bounded) for the runs in flight.
 */
public final class WorkerVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(WorkerVerticle.class);
  private static final int MAX_BATCH = 64;
  private static final long FALLBACK_POLL_MS = 1_000;

  private final RunStore store;
  private final RunExecutor executor;
  private final WakeSignal wake;
  private final Clock clock;
  private final int concurrency;
  private final Duration lease;
  private int inFlight;
  private boolean claiming;
  private boolean claimAgain;
  private boolean stopping;
  private EarliestWakeUp wakeUp;

  public WorkerVerticle(RunStore store, RunExecutor executor, WakeSignal wake, Clock clock, int concurrency,
                        Duration lease) {
    this.store = store;
    this.executor = executor;
    this.wake = wake;
    this.clock = clock;
    this.concurrency = concurrency;
    this.lease = lease;
  }

  @Override
  public Future<?> start() {
    wakeUp = new EarliestWakeUp(vertx, clock, this::claim);
    wake.onRunDue(due -> context.runOnContext(v -> wakeUp.at(due)));
    claim();
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    wakeUp.cancel();
    return drain(System.currentTimeMillis() + 25_000);
  }

  private Future<Void> drain(long deadline) {
    if (inFlight == 0 || System.currentTimeMillis() > deadline) {
      return Future.succeededFuture();
    }
    return vertx.timer(50).compose(v -> drain(deadline));
  }

  /** Claims as many due runs as there are free slots; repeats while full batches come back. */
  private void claim() {
    if (stopping) {
      return;
    }
    int free = concurrency - inFlight;
    if (claiming || free <= 0) {
      claimAgain = claiming;
      return;
    }
    claiming = true;
    int batch = Math.min(free, MAX_BATCH);
    store.claimDue(batch, lease)
      .onSuccess(runs -> {
        runs.forEach(this::run);
        claiming = false;
        if (runs.size() == batch || claimAgain) {
          claimAgain = false;
          context.runOnContext(v -> claim());
        } else {
          sleep();
        }
      })
      .onFailure(e -> {
        claiming = false;
        LOG.warn("claiming runs failed: {}", e.getMessage());
        wakeUp.at(clock.millis() + FALLBACK_POLL_MS);
      });
  }

  private void run(Run run) {
    inFlight++;
    executor.execute(run)
      .onFailure(e -> LOG.error("run {} stopped on an infrastructure error; its lease will expire: {}", run.id(),
        e.getMessage()))
      .onComplete(done -> {
        inFlight--;
        if (inFlight == concurrency - 1) {
          claim();
        }
      });
  }

  /** Sleeps until the earliest timer (or the fallback poll), whichever comes first. */
  private void sleep() {
    wakeUp.at(clock.millis() + FALLBACK_POLL_MS);
    store.nextTimerDue().onSuccess(next -> next.ifPresent(due -> wakeUp.at(due.toEpochMilli())));
  }
}
