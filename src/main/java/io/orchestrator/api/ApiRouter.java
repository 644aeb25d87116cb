package io.orchestrator.api;

import io.orchestrator.api.console.ConsoleRoutes;
import io.orchestrator.api.docs.ApiDocsRoutes;
import io.orchestrator.api.openapi.BodyProblems;
import io.orchestrator.api.openapi.HttpTriggerRoute;
import io.orchestrator.api.openapi.OpenApiRouter;
import io.orchestrator.availability.StoreAvailability;
import io.orchestrator.common.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The API's router: every operation of {@code openapi.yaml} bound to the handler of the same name, the definition
 * writes' own validators completing the schema's findings, and the one error renderer. How the OpenAPI router is
 * made to serve them (and every work-around that takes) is {@link OpenApiRouter}'s business.
 */
public final class ApiRouter {

  public static final String CONTRACT = "openapi.yaml";
  /** Served whatever the stores' state: health, metrics and the contract. */
  private static final Set<String> PUBLIC_OPERATIONS = Set.of("getOpenApiDocument", "getLiveness", "getReadiness",
    "getMetrics");

  private ApiRouter() {
  }

  public static Future<Router> create(Vertx vertx, ApiServices services) {
    return vertx.fileSystem().readFile(CONTRACT)
      .compose(document -> OpenApiRouter.create(vertx, CONTRACT, bindings(services, document)))
      .compose(router -> {
        // the console and the API explorer are no operations of the contract: their routes come after the contract's
        labelled(router, "/console*", "console");
        ConsoleRoutes.mount(router, services.devTokens());
        labelled(router, "/orchestration/api/v1/docs*", "docs");
        return ApiDocsRoutes.mount(vertx, router).map(router);
      });
  }

  /** Requests under {@code path} are timed under {@code operation} in the HTTP metrics. */
  private static void labelled(Router router, String path, String operation) {
    router.route(path).handler(ctx -> {
      HttpMetrics.operation(ctx, operation);
      ctx.next();
    });
  }

  private static OpenApiRouter.Bindings bindings(ApiServices services, Buffer document) {
    return new OpenApiRouter.Bindings(operations(services, document), bodyProblems(services),
      new RequestTracking(new HttpMetrics(services.registry())), services.authenticator(),
      new ErrorRenderer(services.availability()), ErrorRenderer::render);
  }

  /** Definition writes report the service validator's findings along with the schema's (all problems at once). */
  private static Map<String, BodyProblems> bodyProblems(ApiServices services) {
    BodyProblems functionProblems = (ctx, body) -> Future.succeededFuture(services.functions().problems(body));
    return Map.of(
      "createOrchestration", (ctx, body) -> services.orchestrations().problems(Requests.workspace(ctx), null, body),
      "updateOrchestration", (ctx, body) -> services.orchestrations().problems(Requests.workspace(ctx),
        ctx.pathParam("orchestrationId"), body),
      "createFunction", functionProblems,
      "updateFunction", functionProblems,
      "previewSchedule", (ctx, body) -> Future.succeededFuture(services.schedules().problems(body)),
      "simulateDefinition", (ctx, body) -> services.simulations().problems(Requests.workspace(ctx), body));
  }

  private static Map<String, Handler<RoutingContext>> operations(ApiServices services, Buffer document) {
    OrchestrationHandlers orchestrations = new OrchestrationHandlers(services.orchestrations());
    FunctionHandlers functions = new FunctionHandlers(services.functions());
    RunHandlers runs = new RunHandlers(services.runs(), services.runOperations());
    RunStreamHandlers streams = new RunStreamHandlers(services.runs(), services.runWatchers(),
      services.streamHeartbeat(), services.clock());
    BulkHandlers bulk = new BulkHandlers(services.bulk());
    HttpTriggerHandlers httpTriggers = new HttpTriggerHandlers(services.httpTriggers());
    WorkerTaskHandlers tasks = new WorkerTaskHandlers(services.tasks());
    EventHandlers events = new EventHandlers(services.events());
    ScheduleHandlers schedules = new ScheduleHandlers(services.schedules());
    SimulationHandlers simulations = new SimulationHandlers(services.simulations());
    OperationsHandlers ops = new OperationsHandlers(services.availability(), services.registry());
    Map<String, Handler<RoutingContext>> map = new HashMap<>();
    map.put("getOpenApiDocument", ctx -> ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8")
      .end(document));
    map.put("getLiveness", ops::getLiveness);
    map.put("getReadiness", ops::getReadiness);
    map.put("getMetrics", ops::getMetrics);
    map.put("listOrchestrations", orchestrations::listOrchestrations);
    map.put("getOrchestration", orchestrations::getOrchestration);
    map.put("createOrchestration", orchestrations::createOrchestration);
    map.put("updateOrchestration", orchestrations::updateOrchestration);
    map.put("deleteOrchestration", orchestrations::deleteOrchestration);
    map.put("listOrchestrationVersions", orchestrations::listOrchestrationVersions);
    map.put("getOrchestrationVersion", orchestrations::getOrchestrationVersion);
    map.put("listFunctions", functions::listFunctions);
    map.put("getFunction", functions::getFunction);
    map.put("createFunction", functions::createFunction);
    map.put("updateFunction", functions::updateFunction);
    map.put("deleteFunction", functions::deleteFunction);
    map.put("triggerOrchestration", runs::triggerOrchestration);
    map.put("listRuns", runs::listRuns);
    map.put("listWorkspaceRuns", runs::listWorkspaceRuns);
    map.put("getRun", runs::getRun);
    map.put("cancelRun", runs::cancelRun);
    map.put("redriveRun", runs::redriveRun);
    map.put("streamRun", streams::streamRun);
    map.put("streamRuns", streams::streamRuns);
    map.put("replayRun", runs::replayRun);
    map.put("createBulkOperation", bulk::createBulkOperation);
    map.put("getBulkOperation", bulk::getBulkOperation);
    map.put("listBulkOperations", bulk::listBulkOperations);
    map.put(HttpTriggerRoute.OPERATION, httpTriggers::receiveHttpTrigger);
    map.put("pollWorkerTasks", tasks::pollWorkerTasks);
    map.put("completeWorkerTask", tasks::completeWorkerTask);
    map.put("failWorkerTask", tasks::failWorkerTask);
    map.put("heartbeatWorkerTask", tasks::heartbeatWorkerTask);
    map.put("listWorkerQueues", tasks::listWorkerQueues);
    map.put("publishEvent", events::publishEvent);
    map.put("getNextFires", schedules::getNextFires);
    map.put("previewSchedule", schedules::previewSchedule);
    map.put("simulateOrchestration", simulations::simulateOrchestration);
    map.put("simulateDefinition", simulations::simulateDefinition);
    map.replaceAll((operationId, handler) -> PUBLIC_OPERATIONS.contains(operationId) ? handler
      : whenStarted(services.availability(), handler));
    map.replaceAll(ApiRouter::measured);
    return map;
  }

  /** Labels the request's latency with its operation (before anything else, so a 503 is labelled too). */
  private static Handler<RoutingContext> measured(String operationId, Handler<RoutingContext> handler) {
    return ctx -> {
      HttpMetrics.operation(ctx, operationId);
      handler.handle(ctx);
    };
  }

  /** Until start-up is over (stores reached, migrated) an operation that needs the stores answers 503. */
  private static Handler<RoutingContext> whenStarted(StoreAvailability availability, Handler<RoutingContext> handler) {
    return ctx -> {
      if (availability.started()) {
        handler.handle(ctx);
      } else {
        ctx.fail(ApiException.unavailable("The service is starting and cannot reach its stores yet; retry later"));
      }
    };
  }
}
