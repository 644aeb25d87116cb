package io.orchestrator.api;

import io.orchestrator.definitions.Orchestration;
import io.orchestrator.definitions.OrchestrationService;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.validation.ValidatedRequest;
import java.util.HashSet;
import java.util.Set;

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
    Set<Integer> accepted = acceptedVersions(ctx.request().getHeader("If-Match"));
    service.update(Requests.workspace(ctx), ctx.pathParam("orchestrationId"), accepted, Requests.body(ctx),
        Requests.actor(ctx))
      .onSuccess(o -> send(ctx, 200, o, true)).onFailure(ctx::fail);
  }

  void deleteOrchestration(RoutingContext ctx) {
    service.delete(Requests.workspace(ctx), ctx.pathParam("orchestrationId"))
      .onSuccess(v -> Responses.noContent(ctx)).onFailure(ctx::fail);
  }

  void listOrchestrationVersions(RoutingContext ctx) {
    ValidatedRequest request = Requests.validated(ctx);
    Responses.reply(ctx, service.versions(Requests.workspace(ctx), ctx.pathParam("orchestrationId"),
        Requests.integer(request, "page", 1), Requests.integer(request, "pageSize", 20))
      .map(versions -> Representations.page(versions, o -> Representations.orchestration(o, false, false))), 200);
  }

  void getOrchestrationVersion(RoutingContext ctx) {
    int version = Requests.validated(ctx).getPathParameters().get("version").getInteger();
    Responses.reply(ctx, service.version(Requests.workspace(ctx), ctx.pathParam("orchestrationId"), version)
      .map(o -> Representations.orchestration(o, true, false)), 200);
  }

  private static void send(RoutingContext ctx, int status, Orchestration o, boolean revealSecret) {
    ctx.response().putHeader("ETag", "\"" + o.version() + "\"");
    Responses.json(ctx, status, Representations.orchestration(o, true, revealSecret));
  }

  /**
   * The versions an If-Match header accepts: {@code "3"} (or {@code 3}) → {3}, a list {@code "2", "3"} → {2, 3};
   * {@code *} or no header → null (no precondition). If-Match compares strongly, so a weak tag ({@code W/"3"}) or one
   * that is no version matches nothing: the update then answers 412.
   */
  static Set<Integer> acceptedVersions(String ifMatch) {
    if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
      return null;
    }
    Set<Integer> versions = new HashSet<>();
    for (String tag : ifMatch.split(",")) {
      String trimmed = tag.trim();
      if (!trimmed.startsWith("W/")) {
        try {
          versions.add(Integer.valueOf(trimmed.replace("\"", "")));
        } catch (NumberFormatException e) {
          // not one of our ETags: matches no version
        }
      }
    }
    return versions;
  }
}
