package io.orchestrator.api.openapi;

import io.orchestrator.auth.BearerAuthenticator;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.PlatformHandler;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import java.util.List;
import java.util.Map;

/**
 * The one entry to vertx-web-openapi-router: builds the HTTP router from {@code openapi.yaml} with every work-around
 * this package holds, so the API binds handlers and renders errors and knows none of them. What each work-around is
 * for is pinned by {@code OpenApiWorkaroundsTest}; start there after a Vert.x upgrade.
 * <ul>
 *   <li>{@link RequestExtractor#withBodyHandler()}: the default extractor reads the body from the request itself,
 *       which the {@link BodyHandler} (needed for the 1 MiB limit) has already consumed, and every request with a
 *       body fails with 500.</li>
 *   <li>Start-up fails if an operation lacks a handler: the builder would answer it 503 and only log a warning.</li>
 *   <li>Security off, authentication first ({@link AuthenticationFirst}); JSON-only bodies and the Content-Type
 *       rewrite ({@link JsonBodyGuard}, {@link StrictJson}); validation errors as the API's field list
 *       ({@link ValidationErrors}), completed by the service's ({@link CompleteBodyErrors}); the http-trigger side
 *       route ({@link HttpTriggerRoute}); JSON error pages with {@code Allow} ({@link ErrorPages},
 *       {@link AllowedMethods}); one validator per schema ({@link ValidatorCachingContract}); validation on the
 *       event loop ({@link InlineRequestValidation}), not through executeBlocking; and, on the server,
 *       JSON answers to undecodable requests ({@link InvalidRequests}).</li>
 * </ul>
 */
public final class OpenApiRouter {

  public static final int BODY_LIMIT_BYTES = 1024 * 1024;

  /**
   * What the API hands over.
   *
   * @param operations   a handler for every operationId of the contract
   * @param bodyProblems the operations whose schema errors are completed with the service's ({@link BodyProblems})
   * @param tracking     the first handler of every request (request id, metrics)
   * @param failures     renders any failure of a request
   * @param errors       renders one API error
   */
  public record Bindings(Map<String, Handler<RoutingContext>> operations, Map<String, BodyProblems> bodyProblems,
                         PlatformHandler tracking, BearerAuthenticator authenticator,
                         Handler<RoutingContext> failures, ErrorResponse errors) {
  }

  private OpenApiRouter() {
  }

  public static Future<Router> create(Vertx vertx, String contractPath, Bindings bindings) {
    return OpenAPIContract.from(vertx, contractPath)
      .map(contract -> build(vertx, new ValidatorCachingContract(contract), bindings));
  }

  private static Router build(Vertx vertx, OpenAPIContract contract, Bindings bindings) {
    RouterBuilder builder = RouterBuilder.create(vertx, contract, RequestExtractor.withBodyHandler());
    builder.rootHandler(bindings.tracking());
    builder.rootHandler(BodyHandler.create().setBodyLimit(BODY_LIMIT_BYTES).setHandleFileUploads(false));
    // who is asking comes first: a request without a valid token is 401 whatever its Content-Type
    builder.rootHandler(new AuthenticationFirst(bindings.authenticator())::authenticate);
    builder.rootHandler(JsonBodyGuard::requireJson);
    bind(builder, bindings.operations(), new InlineRequestValidation(vertx, contract));
    bindings.bodyProblems().forEach((operationId, problems) ->
      builder.getRoute(operationId).addFailureHandler(new CompleteBodyErrors(problems, bindings.errors())));
    AllowedMethods allowed = new AllowedMethods(builder.getRoutes()).add(HttpTriggerRoute.PATH, HttpMethod.POST);
    Router router = builder.createRouter();
    HttpTriggerRoute.mount(router, bindings.operations().get(HttpTriggerRoute.OPERATION));
    router.route().failureHandler(bindings.failures());
    ErrorPages.install(router, allowed, bindings.failures(), bindings.errors());
    return router;
  }

  private static void bind(RouterBuilder builder, Map<String, Handler<RoutingContext>> operations,
                           InlineRequestValidation validation) {
    List<String> missing = builder.getRoutes().stream()
      .map(route -> route.getOperation().getOperationId())
      .filter(id -> !operations.containsKey(id))
      .toList();
    if (!missing.isEmpty()) {
      throw new IllegalStateException("openapi.yaml operations without a handler: " + missing);
    }
    for (OpenAPIRoute route : builder.getRoutes()) {
      String operationId = route.getOperation().getOperationId();
      route.setDoSecurity(false).setDoValidation(false);
      if (!HttpTriggerRoute.OPERATION.equals(operationId)) {
        route.addHandler(validation.of(route.getOperation()));
      }
      route.addHandler(operations.get(operationId));
    }
  }
}
