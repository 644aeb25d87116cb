package io.orchestrator.triggers.schedule;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.orchestrator.common.Timestamps;
import io.orchestrator.definitions.Orchestration;
import io.orchestrator.definitions.OrchestrationStore;
import io.orchestrator.runs.RunService;
import io.orchestrator.runs.RunService.RunRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires claimed schedule entries: reads their definitions ahead ({@link #lookUp}), then at each fire instant plans
 * the fire ({@link FirePlan}), starts the run and advances the entry.
 *
 * <p>Exactly one run per fire, however many schedulers race: the claim lets one scheduler at a time handle an entry,
 * and the run is started under the idempotency key {@code sched:<scheduledFor ms>}, so a scheduler that re-claims
 * the entry after another died between starting the run and advancing gets the same run back. The run is started
 * before the entry advances; a failure leaves the entry claimed, and it is retried when the claim lease expires.
 *
 * <p>The run's {@code triggerMetadata} is {@code {scheduledFor, firedAt, missedCount}}; its input carries the same
 * fields, so steps can read them ({@code input.scheduledFor}).
 */
public final class ScheduleFirer {

  private static final Logger LOG = LoggerFactory.getLogger(ScheduleFirer.class);

  private final ScheduleStore store;
  private final ScheduleSync sync;
  private final OrchestrationStore orchestrations;
  private final RunService runs;
  private final Clock clock;
  private final Timer lateness;

  public ScheduleFirer(ScheduleStore store, ScheduleSync sync, OrchestrationStore orchestrations, RunService runs,
                       Clock clock, MeterRegistry registry) {
    this.store = store;
    this.sync = sync;
    this.orchestrations = orchestrations;
    this.runs = runs;
    this.clock = clock;
    this.lateness = Timer.builder("orchestrator.schedule.lateness")
      .description("How long after its scheduled time a scheduled run was started")
      .publishPercentileHistogram().register(registry);
  }

  /**
   * Reads the orchestrations of claimed entries in one round trip, so that {@link #fire(ScheduleEntry, Optional)}
   * can start each run without one at its fire instant.
   *
   * @return per entry, in order, its live orchestration, or empty when it was deleted
   */
  public Future<List<Optional<Orchestration>>> lookUp(List<ScheduleEntry> claimed) {
    Set<String> ids = claimed.stream().map(ScheduleEntry::orchestrationId).collect(Collectors.toSet());
    return orchestrations.findLiveByIds(ids).map(found -> {
      Map<String, Orchestration> byId = found.stream().collect(Collectors.toMap(Orchestration::id, o -> o));
      return claimed.stream().map(entry -> Optional.ofNullable(byId.get(entry.orchestrationId()))
        .filter(o -> o.workspace().equals(entry.workspace()))).toList();
    });
  }

  /**
   * Fires {@code claimed} (an entry from {@link ScheduleStore#claimDue}) now: starts its run unless the fire
   * misfired under {@code skip}, or {@code current} (from {@link #lookUp}) shows that the orchestration is gone,
   * inactive or scheduled differently, in which case the entry is removed or re-armed instead. Fails only on a
   * store error.
   */
  public Future<Void> fire(ScheduleEntry claimed, Optional<Orchestration> current) {
    Instant now = Instant.ofEpochMilli(clock.millis());
    FirePlan plan = FirePlan.of(claimed.schedule(), claimed.trigger().misfirePolicy(), claimed.scheduledFor(), now);
    if (plan.misfired()) {
      LOG.info("orchestration {}: fire for {} misfired ({} later fires missed), {}", claimed.orchestrationId(),
        Timestamps.format(claimed.scheduledFor()), plan.missedCount(), plan.run() ? "firing once" : "skipped");
    }
    if (!plan.run()) {
      return advance(claimed, plan.next());
    }
    return startIfCurrent(claimed, current, plan, now);
  }

  private Future<Void> startIfCurrent(ScheduleEntry claimed, Optional<Orchestration> found, FirePlan plan,
                                      Instant now) {
    if (found.isEmpty()) {
      return store.remove(claimed.orchestrationId(), ScheduleStore.DELETED).mapEmpty();
    }
    Orchestration current = found.get();
    Optional<String> spec = ScheduledTrigger.from(current.trigger()).map(ScheduledTrigger::spec);
    if (!current.active() || !spec.equals(Optional.of(claimed.spec()))) {
      // Changed after the claim and before its listener reached the store (or the listener failed): fix the entry.
      return sync.apply(current).mapEmpty();
    }
    return runs.start(current, "scheduled", request(claimed, plan, now)).compose(started -> {
      if (!started.replayed()) {
        lateness.record(Math.max(0, now.toEpochMilli() - claimed.scheduledForMs()), TimeUnit.MILLISECONDS);
      }
      return advance(claimed, plan.next());
    });
  }

  private static RunRequest request(ScheduleEntry claimed, FirePlan plan, Instant now) {
    JsonObject metadata = new JsonObject().put("scheduledFor", Timestamps.format(claimed.scheduledFor()))
      .put("firedAt", Timestamps.format(now)).put("missedCount", plan.missedCount());
    return new RunRequest(metadata.copy(), new JsonObject(), metadata, null, "sched:" + claimed.scheduledForMs(),
      null);
  }

  private Future<Void> advance(ScheduleEntry claimed, Optional<Instant> next) {
    return store.advance(claimed, next).map(result -> {
      if (result == ScheduleStore.Advance.STALE || result == ScheduleStore.Advance.NOT_FOUND) {
        LOG.debug("orchestration {}: schedule changed while firing ({})", claimed.orchestrationId(), result);
      }
      return null;
    });
  }
}
