package io.orchestrator.api;

import io.orchestrator.common.ApiException;
import io.orchestrator.definitions.Orchestration;
import io.orchestrator.definitions.OrchestrationService;
import io.vertx.ext.web.RoutingContext;

/** Handlers of the orchestration operations; method names are the operationIds of openapi.yaml. */
final class OrchestrationHandlers {

  private final OrchestrationService service;

  OrchestrationHandlers(OrchestrationService service) {
    this.service = service;
  }

  void listOrchestrations(RoutingContext ctx) {
    Responses.reply(ctx, service.list(Requests.workspace(ctx), Requests.page(ctx))
      .map(page -> Representations.page(page, o -> Representations.orchestration(o, false, false))), 200);
  }

  void getOrchestration(RoutingContext ctx) {
    service.get(Requests.workspace(ctx), ctx.pathParam("orchestrationId"))
      .onSuccess(o -> send(ctx, 200, o, false)).onFailure(ctx::fail);
  }

  void createOrchestration(RoutingContext ctx) {
    service.create(Requests.workspace(ctx), Requests.body(ctx), Requests.actor(ctx))
      .onSuccess(o -> {
        ctx.response().putHeader("Location", ctx.request().path() + "/" + o.id());
        send(ctx, 201, o, true);
      })
      .onFailure(ctx::fail);
  }

  void updateOrchestration(RoutingContext ctx) {
    Integer expected = expectedVersion(ctx.request().getHeader("If-Match"));
    service.update(Requests.workspace(ctx), ctx.pathParam("orchestrationId"), expected, Requests.body(ctx),
        Requests.actor(ctx))
      .onSuccess(o -> send(ctx, 200, o, true)).onFailure(ctx::fail);
  }

  void deleteOrchestration(RoutingContext ctx) {
    service.delete(Requests.workspace(ctx), ctx.pathParam("orchestrationId"))
      .onSuccess(v -> Responses.noContent(ctx)).onFailure(ctx::fail);
  }

  private static void send(RoutingContext ctx, int status, Orchestration o, boolean revealSecret) {
    ctx.response().putHeader("ETag", "\"" + o.version() + "\"");
    Responses.json(ctx, status, Representations.orchestration(o, true, revealSecret));
  }

  /** {@code "3"}, {@code W/"3"} or {@code 3} → 3; {@code *} or absent → null (no check). */
  static Integer expectedVersion(String ifMatch) {
    if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
      return null;
    }
    String tag = ifMatch.trim().replaceFirst("^W/", "").replace("\"", "");
    try {
      return Integer.valueOf(tag);
    } catch (NumberFormatException e) {
      throw ApiException.preconditionFailed("If-Match must be the ETag of the current version, e.g. \"3\"");
    }
  }
}
