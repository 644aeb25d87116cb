package io.orchestrator.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Writes JSON responses; failures go to the one {@link ErrorRenderer}. */
final class Responses {

  private Responses() {
  }

  static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.toBuffer());
  }

  static void noContent(RoutingContext ctx) {
    ctx.response().setStatusCode(204).end();
  }

  /** Sends {@code body} with {@code status} when the future succeeds, else fails the context. */
  static void reply(RoutingContext ctx, Future<JsonObject> body, int status) {
    body.onSuccess(json -> json(ctx, status, json)).onFailure(ctx::fail);
  }
}
