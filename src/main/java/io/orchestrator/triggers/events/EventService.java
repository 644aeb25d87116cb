package io.orchestrator.triggers.events;

import io.orchestrator.common.Ids;
import io.orchestrator.common.TraceParent;
import io.orchestrator.definitions.Orchestration;
import io.orchestrator.definitions.OrchestrationStore;
import io.orchestrator.runs.RunService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Starts the runs of an event (DESIGN.md §7): every live, active orchestration of the event's workspace whose
 * event-driven trigger names the event's type, and, when the trigger names a structureSlug, the event's equal one.
 * Shared by {@code POST /events} and the event stream consumer.
 *
 * <p>Deliveries are idempotent per event id: the first delivery's runs are remembered for 24 h and returned to a
 * repeated one. Each run is also created under the idempotency key {@code event:<eventId>} of its orchestration,
 * so a delivery interrupted between starting runs and remembering them (a crash, a lost connection) starts the
 * same runs again instead of new ones when it is retried.
 */
public final class EventService {

  public static final String TRIGGER_TYPE = "event-driven";
  static final String EVENT_ID_PREFIX = "evt_";

  private final OrchestrationStore orchestrations;
  private final RunService runs;
  private final EventDedupe dedupe;
  private final Ids ids;

  public EventService(OrchestrationStore orchestrations, RunService runs, EventDedupe dedupe, Ids ids) {
    this.orchestrations = orchestrations;
    this.runs = runs;
    this.dedupe = dedupe;
    this.ids = ids;
  }

  /**
   * What a delivery produced.
   *
   * @param eventId  the event's id, generated when the event had none
   * @param runs     the runs started (or, when replayed, the runs the first delivery started); may be empty
   * @param replayed true when the event id was seen before and nothing new was started
   */
  public record Published(String eventId, List<EventRun> runs, boolean replayed) {
  }

  /** Starts the event's runs, or returns the first delivery's runs for an event id seen within 24 h. */
  public Future<Published> publish(Event event) {
    return publish(event, null, null);
  }

  /**
   * {@link #publish(Event)} inside the publisher's trace: every run started gets {@code traceParent}'s trace id
   * (null: each run starts a new trace) and passes {@code traceState} on.
   */
  public Future<Published> publish(Event event, TraceParent traceParent, String traceState) {
    String eventId = event.eventId() != null ? event.eventId() : ids.next(EVENT_ID_PREFIX);
    String workspace = event.workspace();
    return dedupe.find(workspace, eventId).compose(earlier -> earlier.isPresent()
      ? Future.succeededFuture(new Published(eventId, earlier.get(), true))
      : startRuns(event, eventId, traceParent, traceState)
        .compose(started -> dedupe.remember(workspace, eventId, started)
          .map(winner -> winner.map(first -> new Published(eventId, first, true))
            .orElseGet(() -> new Published(eventId, started, false)))));
  }

  private Future<List<EventRun>> startRuns(Event event, String eventId, TraceParent traceParent, String traceState) {
    return orchestrations.activeByTriggerType(event.workspace(), TRIGGER_TYPE).compose(candidates -> {
      List<Future<EventRun>> starts = candidates.stream()
        .filter(orchestration -> matches(orchestration.trigger(), event))
        .map(orchestration -> start(orchestration, event, eventId, traceParent, traceState))
        .toList();
      return Future.all(starts).map(done -> starts.stream().map(Future::result).toList());
    });
  }

  private Future<EventRun> start(Orchestration orchestration, Event event, String eventId, TraceParent traceParent,
                                 String traceState) {
    RunService.RunRequest request = new RunService.RunRequest(input(event), null, triggerMetadata(event, eventId),
      null, "event:" + eventId, null).withTrace(traceParent, traceState);
    return runs.start(orchestration, TRIGGER_TYPE, request)
      .map(started -> new EventRun(started.run().id(), orchestration.id(), started.run().status().wire()));
  }

  /** Whether an event-driven trigger listens for the event. */
  static boolean matches(JsonObject trigger, Event event) {
    if (trigger == null || !event.type().wire().equals(trigger.getString("eventType"))) {
      return false;
    }
    String structureSlug = trigger.getString("structureSlug");
    return structureSlug == null || structureSlug.equals(event.structureSlug());
  }

  /** {@code {event, workspaceSlug, recordSlug, recordId, data}}; absent values are present as null. */
  static JsonObject input(Event event) {
    return new JsonObject()
      .put("event", event.type().inputName())
      .put("workspaceSlug", event.workspace())
      .put("recordSlug", event.structureSlug())
      .put("recordId", event.recordId())
      .put("data", event.data());
  }

  static JsonObject triggerMetadata(Event event, String eventId) {
    return new JsonObject()
      .put("eventType", event.type().wire())
      .put("recordId", event.recordId())
      .put("eventId", eventId);
  }
}
