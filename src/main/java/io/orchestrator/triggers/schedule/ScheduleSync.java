package io.orchestrator.triggers.schedule;

import io.orchestrator.definitions.DefinitionListener;
import io.orchestrator.definitions.Orchestration;
import io.orchestrator.definitions.OrchestrationStore;
import io.orchestrator.runs.WakeSignal;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@link ScheduleStore} in step with the definitions. Told of every create, update and delete (on any
 * instance with the API), it arms, replaces or removes the orchestration's schedule at once and wakes the
 * schedulers when a fire was armed; on a scheduler's start it adds the schedules Redis lacks ({@link #rebuild}).
 * The store's version checks make every call idempotent and safe in any order.
 */
public final class ScheduleSync implements DefinitionListener {

  private static final Logger LOG = LoggerFactory.getLogger(ScheduleSync.class);
  private static final int REBUILD_BATCH = 500;

  private final ScheduleStore store;
  private final WakeSignal wake;
  private final Clock clock;

  /** @param wake told the due time of every newly armed fire, so sleeping schedulers re-arm their timer */
  public ScheduleSync(ScheduleStore store, WakeSignal wake, Clock clock) {
    this.store = store;
    this.wake = wake;
    this.clock = clock;
  }

  @Override
  public void saved(Orchestration orchestration) {
    apply(orchestration).onFailure(e -> LOG.error("schedule of orchestration {} v{} not updated: {}",
      orchestration.id(), orchestration.version(), e.getMessage()));
  }

  @Override
  public void deleted(Orchestration orchestration) {
    remove(orchestration).onFailure(e -> LOG.error("schedule of deleted orchestration {} not removed: {}",
      orchestration.id(), e.getMessage()));
  }

  /** Removes a deleted orchestration's schedule for good. */
  public Future<Boolean> remove(Orchestration deleted) {
    return store.remove(deleted.id(), ScheduleStore.DELETED);
  }

  /** Arms the schedule of an active scheduled orchestration with a future fire, removes it otherwise. */
  public Future<ScheduleStore.Upsert> apply(Orchestration orchestration) {
    Optional<ScheduleEntry> entry = entryFor(orchestration, Instant.ofEpochMilli(clock.millis()));
    if (entry.isEmpty() && orchestration.version() == 1) {
      // Created unscheduled (another trigger type, or inactive): there is nothing to remove.
      return Future.succeededFuture(ScheduleStore.Upsert.IGNORED);
    }
    if (entry.isEmpty()) {
      return store.remove(orchestration.id(), orchestration.version()).map(ScheduleStore.Upsert.IGNORED);
    }
    return store.upsert(entry.get()).onSuccess(result -> {
      if (result == ScheduleStore.Upsert.ARMED) {
        wake.anyDue(entry.get().scheduledForMs());
      }
    });
  }

  /**
   * Adds the schedule of every active scheduled orchestration that Redis lacks, or holds at an older version.
   * Entries already there are left alone, so restarting a scheduler neither resets nor re-fires anything.
   *
   * @return how many schedules were armed
   */
  public Future<Integer> rebuild(OrchestrationStore orchestrations) {
    return orchestrations.allActiveScheduled().compose(all -> rebuild(all, 0, 0));
  }

  private Future<Integer> rebuild(List<Orchestration> all, int from, int armed) {
    if (from >= all.size()) {
      return Future.succeededFuture(armed);
    }
    Instant now = Instant.ofEpochMilli(clock.millis());
    List<Future<ScheduleStore.Upsert>> batch = new ArrayList<>();
    for (Orchestration orchestration : all.subList(from, Math.min(all.size(), from + REBUILD_BATCH))) {
      entryFor(orchestration, now).ifPresent(entry -> batch.add(store.upsert(entry)));
    }
    return Future.all(batch).compose(done -> rebuild(all, from + REBUILD_BATCH,
      armed + (int) batch.stream().filter(f -> f.result() == ScheduleStore.Upsert.ARMED).count()));
  }

  /** The entry to arm for the orchestration's current version, or empty when it must not fire any more. */
  static Optional<ScheduleEntry> entryFor(Orchestration orchestration, Instant now) {
    if (!orchestration.active()) {
      return Optional.empty();
    }
    try {
      Optional<ScheduledTrigger> trigger = ScheduledTrigger.from(orchestration.trigger());
      if (trigger.isEmpty()) {
        return Optional.empty();
      }
      Instant anchor = orchestration.updatedAt();
      return trigger.get().schedule(anchor).nextAfter(now).map(first -> new ScheduleEntry(orchestration.id(),
        orchestration.workspace(), orchestration.version(), trigger.get().spec(), anchor.toEpochMilli(),
        first.toEpochMilli(), null));
    } catch (RuntimeException e) {
      // Written before today's validation, or by hand: never let one bad definition stop the others' schedules.
      LOG.warn("orchestration {} v{} has an unusable schedule, not scheduled: {}", orchestration.id(),
        orchestration.version(), e.getMessage());
      return Optional.empty();
    }
  }
}
