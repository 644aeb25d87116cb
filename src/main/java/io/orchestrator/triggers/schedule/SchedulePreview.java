package io.orchestrator.triggers.schedule;

import io.orchestrator.common.ApiException;
import io.orchestrator.common.FieldError;
import io.orchestrator.definitions.DefinitionValidator;
import io.orchestrator.definitions.Orchestration;
import io.orchestrator.definitions.OrchestrationService;
import io.orchestrator.schedule.Fire;
import io.orchestrator.schedule.InvalidScheduleException;
import io.orchestrator.schedule.Timezone;
import io.orchestrator.validation.BodyReader;
import io.orchestrator.validation.Problems;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Schedule previews (DESIGN.md §9): the next fires of a saved orchestration's trigger, or of an unsaved one, listed
 * by {@link io.orchestrator.schedule.Schedule#nextFires}, which steps with the same {@code nextFire} the scheduler
 * arms and advances with; so a preview shows the instants that will fire, DST notes included.
 *
 * <p>A saved trigger is previewed from what the scheduler holds for it ({@link ScheduleStore#find}): its pending
 * fire first, then the fires after it, an interval on the anchor the entry keeps (an edit that keeps the schedule
 * keeps the phase, so the orchestration's {@code updatedAt} is not always the anchor). Without an entry of the
 * current schedule (a listener has not armed it yet) it starts from what {@link ScheduleSync} would arm now. A
 * pending fire already due (being fired now, or overdue while no scheduler runs) is left out: it fires at once or
 * misfires, not at its instant. An inactive orchestration, or a {@code once} that fired, has no fires.
 *
 * <p>An unsaved trigger is validated like a create's and previewed as if created now (an interval counts from now).
 */
public final class SchedulePreview {

  /** Fires listed when the request names no count. */
  public static final int DEFAULT_COUNT = 10;
  /** Most fires one preview lists. */
  public static final int MAX_COUNT = 100;

  private final OrchestrationService orchestrations;
  private final ScheduleStore store;
  private final DefinitionValidator validator;
  private final Clock clock;

  public SchedulePreview(OrchestrationService orchestrations, ScheduleStore store, DefinitionValidator validator,
                         Clock clock) {
    this.orchestrations = orchestrations;
    this.store = store;
    this.validator = validator;
    this.clock = clock;
  }

  /**
   * The next {@code count} fires of the orchestration's trigger. Fails not_found for an unknown orchestration (or
   * another workspace's), validation_error when its trigger is not scheduled or {@code count} is outside 1..100.
   */
  public Future<FirePreview> saved(String workspace, String ref, int count) {
    if (count < 1 || count > MAX_COUNT) {
      return Future.failedFuture(ApiException.validation("count", "must be between 1 and " + MAX_COUNT));
    }
    return orchestrations.get(workspace, ref).compose(orchestration -> {
      if (!isScheduled(orchestration.trigger())) {
        return Future.failedFuture(ApiException.validation("The orchestration's trigger is not scheduled ("
          + orchestration.trigger().getValue("type") + "): it has no fires to preview", List.of()));
      }
      ZoneId zone = zone(orchestration.trigger());
      if (!orchestration.active()) {
        return Future.succeededFuture(new FirePreview(List.of(), zone));
      }
      return store.find(orchestration.id()).map(held -> new FirePreview(fires(orchestration, held, count), zone));
    });
  }

  /** The next fires of {@code body.trigger}, {@code body.count} of them (default 10); every problem → 400. */
  public Future<FirePreview> unsaved(JsonObject body) {
    List<FieldError> problems = problems(body);
    if (!problems.isEmpty()) {
      return Future.failedFuture(ApiException.validation("Invalid request body", problems));
    }
    JsonObject trigger = body.getJsonObject("trigger");
    Instant now = now();
    ScheduledTrigger scheduled = ScheduledTrigger.from(trigger).orElseThrow();
    List<Fire> fires = scheduled.schedule(now).nextFires(now, body.getInteger("count", DEFAULT_COUNT));
    return Future.succeededFuture(new FirePreview(fires, zone(trigger)));
  }

  /**
   * Every problem of a preview body at once: the trigger's as a create reports them ({@code trigger.cronExpression}),
   * a trigger that is not scheduled ({@code trigger.type}), a count outside 1..100.
   */
  public List<FieldError> problems(JsonObject body) {
    List<FieldError> found = new ArrayList<>(validator.validateTrigger(body));
    if (body == null) {
      return found;
    }
    if (body.getValue("trigger") instanceof JsonObject trigger && !isScheduled(trigger)
      && found.stream().noneMatch(e -> e.field().equals("trigger.type"))) {
      found.add(new FieldError("trigger.type", "must be scheduled: only a scheduled trigger has fires to preview"));
    }
    Problems count = new Problems();
    new BodyReader(count).integer(body, "", "count", false, 1, MAX_COUNT);
    found.addAll(count.toList());
    return found;
  }

  private List<Fire> fires(Orchestration orchestration, Optional<ScheduleEntry> held, int count) {
    Instant now = now();
    Optional<String> spec = spec(orchestration.trigger());
    Optional<ScheduleEntry> pending = held.filter(entry -> spec.isPresent() && entry.spec().equals(spec.get()))
      .or(() -> ScheduleSync.entryFor(orchestration, now));
    return pending.map(entry -> entry.schedule().nextFires(firstAfter(entry, now), count)).orElse(List.of());
  }

  /** Just before the pending fire, so that it is listed first; now when it is already due. */
  private static Instant firstAfter(ScheduleEntry entry, Instant now) {
    return entry.scheduledFor().isBefore(now) ? now : entry.scheduledFor().minusMillis(1);
  }

  private Instant now() {
    return Instant.ofEpochMilli(clock.millis());
  }

  private static Optional<String> spec(JsonObject trigger) {
    try {
      return ScheduledTrigger.from(trigger).map(ScheduledTrigger::spec);
    } catch (RuntimeException e) {
      // a definition from before today's validation: ScheduleSync does not arm it either
      return Optional.empty();
    }
  }

  private static boolean isScheduled(JsonObject trigger) {
    return trigger != null && "scheduled".equals(trigger.getValue("type"));
  }

  /** The zone {@code localTime} is read in: the trigger's {@code timezone}, UTC when it names none (or a bad one). */
  private static ZoneId zone(JsonObject trigger) {
    try {
      return Timezone.parse(trigger.getString("timezone", Timezone.DEFAULT));
    } catch (InvalidScheduleException | ClassCastException e) {
      return ZoneId.of(Timezone.DEFAULT);
    }
  }
}
