package io.orchestrator.triggers.schedule;

import io.orchestrator.availability.StoreAvailability;
import io.orchestrator.common.ClaimLoop;
import io.orchestrator.definitions.Orchestration;
import io.orchestrator.runs.WakeSignal;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler loop of one instance. It sleeps until {@link #LOOKAHEAD} before the earliest entry is due, or until
 * the {@link WakeSignal} announces an earlier one (a schedule was armed on any instance), with a fallback poll of
 * a second (the {@link ClaimLoop}'s). Then it claims the entries due within the lookahead, reads their definitions in one
 * round trip ({@link ScheduleFirer#lookUp}) and fires each at its instant with a local timer, so the fire itself
 * costs one run creation. Claims never overlap and never hold more than {@link #MAX_IN_FLIGHT} entries. On stop it
 * claims nothing more and lets the claimed entries fire (bounded). A claim or fire that meets a store outage is
 * tried again as soon as the stores answer (a fire is idempotent per occurrence), not after the claim lease.
 */
public final class SchedulerVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(SchedulerVerticle.class);
  /** How long a claimed entry stays with its claimer: a crashed scheduler's fires are taken over after this. */
  static final Duration CLAIM_LEASE = Duration.ofSeconds(15);
  /** How far ahead entries are claimed and their definitions read: covers the round trips under load. */
  static final Duration LOOKAHEAD = Duration.ofMillis(250);
  private static final int MAX_IN_FLIGHT = 1_000;
  private static final int MAX_BATCH = 200;
  /** How long a stopping scheduler lets its claimed entries fire. */
  private static final Duration DRAIN_GRACE = Duration.ofSeconds(10);

  private final ScheduleStore store;
  private final ScheduleFirer firer;
  private final WakeSignal wake;
  private final StoreAvailability availability;
  private final Clock clock;
  private final ClaimLoop loop;
  private int inFlight;
  private boolean stopping;

  public SchedulerVerticle(ScheduleStore store, ScheduleFirer firer, WakeSignal wake, StoreAvailability availability,
                           Clock clock) {
    this.store = store;
    this.firer = firer;
    this.wake = wake;
    this.availability = availability;
    this.clock = clock;
    this.loop = new ClaimLoop("schedules", this::claim, store::nextDue, LOOKAHEAD, availability,
      availability::whenUp, clock);
  }

  @Override
  public Future<?> start() {
    loop.start(vertx, wakeAt -> wake.onRunDue((partition, due) -> wakeAt.accept(due)));
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    return loop.stop(() -> inFlight == 0, DRAIN_GRACE);
  }

  private Future<ClaimLoop.Next> claim() {
    int free = MAX_IN_FLIGHT - inFlight;
    if (free <= 0) {
      return Future.succeededFuture(ClaimLoop.Next.WAIT);
    }
    int batch = Math.min(free, MAX_BATCH);
    return store.claimDue(batch, CLAIM_LEASE, LOOKAHEAD).map(claimed -> {
      prepare(claimed);
      return claimed.size() == batch ? ClaimLoop.Next.AGAIN : ClaimLoop.Next.SLEEP;
    });
  }

  /** Reads the entries' definitions now, fires each at its instant; a failed read leaves them to the claim lease. */
  private void prepare(List<ScheduleEntry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    inFlight += entries.size();
    firer.lookUp(entries).onComplete(found -> {
      for (int i = 0; i < entries.size(); i++) {
        if (found.failed()) {
          done(entries.get(i), found.cause());
        } else {
          fireWhenDue(entries.get(i), found.result().get(i));
        }
      }
    });
  }

  private void fireWhenDue(ScheduleEntry entry, Optional<Orchestration> current) {
    long delay = entry.scheduledForMs() - clock.millis();
    if (delay > 0) {
      vertx.setTimer(delay, id -> fireWhenDue(entry, current));
      return;
    }
    firer.fire(entry, current).onComplete(fired -> done(entry, fired.cause()));
  }

  private void done(ScheduleEntry entry, Throwable failure) {
    if (failure != null && availability.of(failure).isPresent() && !stopping) {
      availability.whenUp().compose(v -> firer.lookUp(List.of(entry))).onComplete(found -> {
        if (found.failed()) {
          done(entry, found.cause());
        } else {
          fireWhenDue(entry, found.result().get(0));
        }
      });
      return;
    }
    if (failure != null) {
      LOG.warn("orchestration {}: scheduled fire failed, retried after the claim lease: {}",
        entry.orchestrationId(), failure.getMessage());
    }
    inFlight--;
    if (inFlight == MAX_IN_FLIGHT - 1) {
      loop.claimNow();
    }
  }
}
