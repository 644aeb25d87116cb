package io.orchestrator.api;

import io.orchestrator.bulk.BulkOperation;
import io.orchestrator.bulk.BulkRequest;
import io.orchestrator.bulk.BulkService;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.validation.ValidatedRequest;

/** Handlers of the bulk operations; method names are the operationIds of openapi.yaml. */
final class BulkHandlers {

  private final BulkService service;

  BulkHandlers(BulkService service) {
    this.service = service;
  }

  void createBulkOperation(RoutingContext ctx) {
    BulkRequest request = BulkRequest.parse(Requests.body(ctx));
    service.create(Requests.workspace(ctx), ctx.pathParam("orchestrationId"), request, Requests.idempotencyKey(ctx),
        Requests.actor(ctx))
      .onSuccess(created -> {
        if (created.replayed()) {
          ctx.response().putHeader("Idempotent-Replayed", "true");
        }
        ctx.response().putHeader("Location", ctx.request().path().replaceFirst(
          "/orchestrations/[^/]+/runs/bulk$", "/bulk-operations/" + created.operation().id()));
        Responses.json(ctx, 202, created.operation().accepted());
      })
      .onFailure(ctx::fail);
  }

  void getBulkOperation(RoutingContext ctx) {
    Responses.reply(ctx, service.get(Requests.workspace(ctx), ctx.pathParam("bulkId")).map(BulkOperation::toJson),
      200);
  }

  void listBulkOperations(RoutingContext ctx) {
    ValidatedRequest request = Requests.validated(ctx);
    Responses.reply(ctx, service.list(Requests.workspace(ctx), Requests.integer(request, "page", 1),
      Requests.integer(request, "pageSize", 20)).map(page -> Representations.page(page, BulkOperation::toJson)), 200);
  }
}
