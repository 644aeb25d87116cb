package io.orchestrator.api;

import io.orchestrator.availability.StoreAvailability;
import io.orchestrator.common.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the HTTP router from {@code openapi.yaml}: every operation is bound to the handler of the same name, and
 * start-up fails when one is missing (the builder would otherwise answer 503 silently).
 */
public final class ApiRouter {

  public static final String CONTRACT = "openapi.yaml";
  public static final int BODY_LIMIT_BYTES = 1024 * 1024;
  /** Served whatever the stores' state: health, metrics and the contract. */
  private static final Set<String> PUBLIC_OPERATIONS = Set.of("getOpenApiDocument", "getLiveness", "getReadiness",
    "getMetrics");

  private ApiRouter() {
  }

  public static Future<Router> create(Vertx vertx, ApiServices services) {
    return Future.all(OpenAPIContract.from(vertx, CONTRACT), vertx.fileSystem().readFile(CONTRACT))
      .map(all -> build(vertx, new ValidatorCachingContract(all.resultAt(0)), all.resultAt(1), services));
  }

  private static Router build(Vertx vertx, OpenAPIContract contract, Buffer document, ApiServices services) {
    RouterBuilder builder = RouterBuilder.create(vertx, contract, RequestExtractor.withBodyHandler());
    HttpMetrics metrics = new HttpMetrics(services.registry());
    RequestGuards guards = new RequestGuards(services.authenticator());
    builder.rootHandler(new RequestTracking(metrics));
    builder.rootHandler(BodyHandler.create().setBodyLimit(BODY_LIMIT_BYTES).setHandleFileUploads(false));
    // who is asking comes first: a request without a valid token is 401 whatever its Content-Type
    builder.rootHandler(guards::authenticate);
    builder.rootHandler(guards::requireJson);
    Map<String, Handler<RoutingContext>> operations = operations(services, document);
    bind(builder, operations);
    completeBodyErrors(builder, services);
    AllowedMethods allowed = new AllowedMethods(builder.getRoutes())
      .add(HttpTriggerHandlers.PATH, HttpMethod.POST);
    Router router = builder.createRouter();
    HttpTriggerHandlers.mount(router, operations.get(HttpTriggerHandlers.OPERATION));
    ErrorRenderer renderer = new ErrorRenderer(services.availability());
    router.route().failureHandler(renderer);
    // failures before any route matched, e.g. a path with a malformed %-escape
    router.errorHandler(400, ctx ->
      ErrorRenderer.render(ctx, ApiException.validation("Malformed request", List.of())));
    router.errorHandler(404, ctx -> ErrorRenderer.render(ctx, ApiException.notFound("No such endpoint")));
    router.errorHandler(405, ctx -> {
      ctx.response().putHeader("Allow", allowed.allowHeader(ctx));
      ErrorRenderer.render(ctx, ApiException.methodNotAllowed());
    });
    router.errorHandler(500, renderer);
    return router;
  }

  private static void bind(RouterBuilder builder, Map<String, Handler<RoutingContext>> operations) {
    List<String> missing = builder.getRoutes().stream()
      .map(route -> route.getOperation().getOperationId())
      .filter(id -> !operations.containsKey(id))
      .toList();
    if (!missing.isEmpty()) {
      throw new IllegalStateException("openapi.yaml operations without a handler: " + missing);
    }
    for (OpenAPIRoute route : builder.getRoutes()) {
      String operationId = route.getOperation().getOperationId();
      Handler<RoutingContext> handler = operations.get(operationId);
      // Authentication runs as a root handler (RequestGuards) so it precedes validation: 401 before 400.
      // The http-trigger endpoint takes any body (its raw bytes are what signatures cover): no validation.
      boolean validate = !HttpTriggerHandlers.OPERATION.equals(operationId);
      route.setDoSecurity(false).setDoValidation(validate).addHandler(ctx -> {
        HttpMetrics.operation(ctx, operationId);
        handler.handle(ctx);
      });
    }
  }

  /** Definition writes report the service validator's findings along with the schema's (all problems at once). */
  private static void completeBodyErrors(RouterBuilder builder, ApiServices services) {
    builder.getRoute("createOrchestration").addFailureHandler(new CompleteBodyErrors((ctx, body) ->
      services.orchestrations().problems(Requests.workspace(ctx), null, body)));
    builder.getRoute("updateOrchestration").addFailureHandler(new CompleteBodyErrors((ctx, body) ->
      services.orchestrations().problems(Requests.workspace(ctx), ctx.pathParam("orchestrationId"), body)));
    CompleteBodyErrors functionErrors = new CompleteBodyErrors((ctx, body) ->
      Future.succeededFuture(services.functions().problems(body)));
    builder.getRoute("createFunction").addFailureHandler(functionErrors);
    builder.getRoute("updateFunction").addFailureHandler(functionErrors);
    builder.getRoute("previewSchedule").addFailureHandler(new CompleteBodyErrors((ctx, body) ->
      Future.succeededFuture(services.schedules().problems(body))));
    builder.getRoute("simulateDefinition").addFailureHandler(new CompleteBodyErrors((ctx, body) ->
      services.simulations().problems(Requests.workspace(ctx), body)));
  }

  private static Map<String, Handler<RoutingContext>> operations(ApiServices services, Buffer document) {
    OrchestrationHandlers orchestrations = new OrchestrationHandlers(services.orchestrations());
    FunctionHandlers functions = new FunctionHandlers(services.functions());
    RunHandlers runs = new RunHandlers(services.runs());
    HttpTriggerHandlers httpTriggers = new HttpTriggerHandlers(services.httpTriggers());
    WorkerTaskHandlers tasks = new WorkerTaskHandlers(services.tasks());
    EventHandlers events = new EventHandlers(services.events());
    ScheduleHandlers schedules = new ScheduleHandlers(services.schedules());
    SimulationHandlers simulations = new SimulationHandlers(services.simulations());
    OperationsHandlers ops = new OperationsHandlers(services.availability(), services.registry(), document);
    Map<String, Handler<RoutingContext>> map = new HashMap<>();
    map.put("getOpenApiDocument", ops::getOpenApiDocument);
    map.put("getLiveness", ops::getLiveness);
    map.put("getReadiness", ops::getReadiness);
    map.put("getMetrics", ops::getMetrics);
    map.put("listOrchestrations", orchestrations::listOrchestrations);
    map.put("getOrchestration", orchestrations::getOrchestration);
    map.put("createOrchestration", orchestrations::createOrchestration);
    map.put("updateOrchestration", orchestrations::updateOrchestration);
    map.put("deleteOrchestration", orchestrations::deleteOrchestration);
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
    map.put(HttpTriggerHandlers.OPERATION, httpTriggers::receiveHttpTrigger);
    map.put("pollWorkerTasks", tasks::pollWorkerTasks);
    map.put("completeWorkerTask", tasks::completeWorkerTask);
    map.put("failWorkerTask", tasks::failWorkerTask);
    map.put("heartbeatWorkerTask", tasks::heartbeatWorkerTask);
    map.put("publishEvent", events::publishEvent);
    map.put("getNextFires", schedules::getNextFires);
    map.put("previewSchedule", schedules::previewSchedule);
    map.put("simulateOrchestration", simulations::simulateOrchestration);
    map.put("simulateDefinition", simulations::simulateDefinition);
    map.replaceAll((operationId, handler) -> PUBLIC_OPERATIONS.contains(operationId) ? handler
      : whenStarted(services.availability(), handler));
    return map;
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
