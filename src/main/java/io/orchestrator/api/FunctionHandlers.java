package io.orchestrator.api;

import io.orchestrator.functions.FunctionService;
import io.vertx.ext.web.RoutingContext;

/** Handlers of the function operations; method names are the operationIds of openapi.yaml. */
final class FunctionHandlers {

  private final FunctionService service;

  FunctionHandlers(FunctionService service) {
    this.service = service;
  }

  void listFunctions(RoutingContext ctx) {
    Responses.reply(ctx, service.list(Requests.workspace(ctx), Requests.page(ctx))
      .map(page -> Representations.page(page, f -> Representations.function(f, false))), 200);
  }

  void getFunction(RoutingContext ctx) {
    Responses.reply(ctx, service.get(Requests.workspace(ctx), ctx.pathParam("functionId"))
      .map(f -> Representations.function(f, false)), 200);
  }

  void createFunction(RoutingContext ctx) {
    service.create(Requests.workspace(ctx), Requests.body(ctx), Requests.actor(ctx))
      .onSuccess(f -> {
        ctx.response().putHeader("Location", ctx.request().path() + "/" + f.id());
        Responses.json(ctx, 201, Representations.function(f, true));
      })
      .onFailure(ctx::fail);
  }

  void updateFunction(RoutingContext ctx) {
    Responses.reply(ctx, service.update(Requests.workspace(ctx), ctx.pathParam("functionId"), Requests.body(ctx),
      Requests.actor(ctx)).map(f -> Representations.function(f, false)), 200);
  }

  void deleteFunction(RoutingContext ctx) {
    service.delete(Requests.workspace(ctx), ctx.pathParam("functionId"))
      .onSuccess(v -> Responses.noContent(ctx)).onFailure(ctx::fail);
  }
}
