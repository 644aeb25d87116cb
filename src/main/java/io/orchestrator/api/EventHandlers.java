package io.orchestrator.api;

import io.orchestrator.triggers.events.Event;
import io.orchestrator.triggers.events.EventRun;
import io.orchestrator.triggers.events.EventService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Handlers of the event operations; method names are the operationIds of openapi.yaml. */
final class EventHandlers {

  private final EventService service;

  EventHandlers(EventService service) {
    this.service = service;
  }

  void publishEvent(RoutingContext ctx) {
    Event event = Event.fromJson(Requests.workspace(ctx), Requests.storable(Requests.body(ctx)));
    service.publish(event, Requests.traceParent(ctx), Requests.traceState(ctx))
      .onSuccess(published -> {
        if (published.replayed()) {
          ctx.response().putHeader("Idempotent-Replayed", "true");
        }
        Responses.json(ctx, 202, new JsonObject().put("eventId", published.eventId())
          .put("runs", new JsonArray(published.runs().stream().map(EventRun::toJson).toList())));
      })
      .onFailure(ctx::fail);
  }
}
