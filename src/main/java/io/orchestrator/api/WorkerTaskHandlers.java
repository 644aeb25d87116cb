package io.orchestrator.api;

import io.orchestrator.tasks.TaskService;
import io.orchestrator.tasks.WorkerTask;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Handlers of the worker-task operations; method names are the operationIds of openapi.yaml. */
final class WorkerTaskHandlers {

  private final TaskService service;

  WorkerTaskHandlers(TaskService service) {
    this.service = service;
  }

  void pollWorkerTasks(RoutingContext ctx) {
    JsonObject body = Requests.body(ctx);
    Responses.reply(ctx, service.poll(Requests.workspace(ctx), body.getString("queue"), body.getInteger("max", 1),
        body.getLong("waitMs", 0L))
      .map(tasks -> {
        JsonArray data = new JsonArray();
        tasks.stream().map(WorkerTask::toJson).forEach(data::add);
        return new JsonObject().put("tasks", data);
      }), 200);
  }

  void completeWorkerTask(RoutingContext ctx) {
    JsonObject body = Requests.storable(Requests.optionalBody(ctx));
    service.complete(Requests.workspace(ctx), ctx.pathParam("taskId"), body.getValue("output"))
      .onSuccess(v -> Responses.json(ctx, 200, accepted(ctx))).onFailure(ctx::fail);
  }

  void failWorkerTask(RoutingContext ctx) {
    JsonObject body = Requests.storable(Requests.optionalBody(ctx));
    service.fail(Requests.workspace(ctx), ctx.pathParam("taskId"), body.getString("message", ""),
        body.getBoolean("retryable", false))
      .onSuccess(v -> Responses.json(ctx, 200, accepted(ctx))).onFailure(ctx::fail);
  }

  void heartbeatWorkerTask(RoutingContext ctx) {
    Responses.reply(ctx, service.heartbeat(Requests.workspace(ctx), ctx.pathParam("taskId")), 200);
  }

  void listWorkerQueues(RoutingContext ctx) {
    Responses.reply(ctx, service.queues(Requests.workspace(ctx)).map(stats -> {
      JsonArray data = new JsonArray();
      stats.forEach(stat -> data.add(new JsonObject().put("queue", stat.queue()).put("depth", stat.depth())
        .put("oldestAgeMs", stat.oldestAgeMs())));
      return new JsonObject().put("data", data);
    }), 200);
  }

  private static JsonObject accepted(RoutingContext ctx) {
    return new JsonObject().put("taskId", ctx.pathParam("taskId")).put("accepted", true);
  }
}
