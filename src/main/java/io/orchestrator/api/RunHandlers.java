package io.orchestrator.api;

import io.orchestrator.common.ApiException;
import io.orchestrator.runs.RunFilter;
import io.orchestrator.runs.RunJson;
import io.orchestrator.runs.RunOperations;
import io.orchestrator.runs.RunService;
import io.orchestrator.runs.RunStatus;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.validation.ValidatedRequest;
import java.time.Instant;

/** Handlers of the run operations; method names are the operationIds of openapi.yaml. */
final class RunHandlers {

  private final RunService service;
  private final RunOperations operations;

  RunHandlers(RunService service, RunOperations operations) {
    this.service = service;
    this.operations = operations;
  }

  void triggerOrchestration(RoutingContext ctx) {
    JsonObject body = Requests.storable(Requests.optionalBody(ctx));
    RunService.RunRequest request = new RunService.RunRequest(body.getJsonObject("input"),
      body.getJsonObject("context"), new JsonObject().put("triggeredBy", Requests.actor(ctx)),
      body.getString("correlationId"), Requests.idempotencyKey(ctx), null)
      .withTrace(Requests.traceParent(ctx), Requests.traceState(ctx));
    service.trigger(Requests.workspace(ctx), ctx.pathParam("orchestrationId"), request)
      .onSuccess(started -> replyStarted(ctx, started))
      .onFailure(ctx::fail);
  }

  void redriveRun(RoutingContext ctx) {
    Responses.reply(ctx, operations.redrive(Requests.workspace(ctx), ctx.pathParam("orchestrationId"),
      ctx.pathParam("runId"), Requests.actor(ctx)).compose(service::details), 200);
  }

  void replayRun(RoutingContext ctx) {
    JsonObject body = Requests.storable(Requests.optionalBody(ctx));
    RunOperations.ReplayRequest request = new RunOperations.ReplayRequest(body.getJsonObject("input"),
      body.getJsonObject("context"), body.getInteger("version"), Requests.idempotencyKey(ctx), Requests.actor(ctx),
      Requests.traceParent(ctx), Requests.traceState(ctx));
    operations.replay(Requests.workspace(ctx), ctx.pathParam("orchestrationId"), ctx.pathParam("runId"), request)
      .onSuccess(started -> replyStarted(ctx, started))
      .onFailure(ctx::fail);
  }

  private static void replyStarted(RoutingContext ctx, RunService.Started started) {
    if (started.replayed()) {
      ctx.response().putHeader("Idempotent-Replayed", "true");
    }
    Responses.json(ctx, 201, RunJson.triggered(started.run()));
  }

  void listRuns(RoutingContext ctx) {
    ValidatedRequest request = Requests.validated(ctx);
    String status = Requests.string(request, "status", null);
    RunFilter filter = filter(request, status == null ? null : RunStatus.fromWire(status),
      Requests.string(request, "correlationId", null));
    Responses.reply(ctx, service.list(Requests.workspace(ctx), ctx.pathParam("orchestrationId"), filter,
        Requests.integer(request, "page", 1), Requests.integer(request, "pageSize", 20))
      .map(page -> Representations.page(page, RunJson::summary)), 200);
  }

  void listWorkspaceRuns(RoutingContext ctx) {
    ValidatedRequest request = Requests.validated(ctx);
    Responses.reply(ctx, service.listByCorrelation(Requests.workspace(ctx), Requests.string(request, "correlationId",
        null),
        Requests.integer(request, "page", 1), Requests.integer(request, "pageSize", 20))
      .map(page -> Representations.page(page, RunJson::summary)), 200);
  }

  private static RunFilter filter(ValidatedRequest request, RunStatus status, String correlationId) {
    Instant after = Requests.instant(request, "startedAfter");
    Instant before = Requests.instant(request, "startedBefore");
    if (after != null && before != null && after.isAfter(before)) {
      throw ApiException.validation("startedAfter", "must not be later than startedBefore");
    }
    return new RunFilter(status, after, before, correlationId);
  }

  void getRun(RoutingContext ctx) {
    Responses.reply(ctx, service.get(Requests.workspace(ctx), ctx.pathParam("orchestrationId"),
      ctx.pathParam("runId")).compose(service::details), 200);
  }

  void cancelRun(RoutingContext ctx) {
    Responses.reply(ctx, service.cancel(Requests.workspace(ctx), ctx.pathParam("orchestrationId"),
      ctx.pathParam("runId")).compose(service::details), 200);
  }
}
