package io.orchestrator.api.openapi;

import io.orchestrator.common.ApiException;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * The router's own answers in the API's JSON error shape. Where no route handles a request, vertx-web answers by
 * itself ({@code RoutingContextImpl.checkHandleNoMatch}, {@code unhandledFailure}): 404 with an HTML page, 405
 * with an empty body, 400 with an empty body for a path it cannot decode (a malformed %-escape fails the request
 * before any route), 500 with an empty body; an error handler per status replaces each. Setting one for 405 also
 * drops the {@code Allow} header vertx-web would have written, so it is written here from {@link AllowedMethods}.
 */
final class ErrorPages {

  private ErrorPages() {
  }

  static void install(Router router, AllowedMethods allowed, Handler<RoutingContext> failures, ErrorResponse errors) {
    router.errorHandler(400, ctx -> errors.send(ctx, ApiException.validation("Malformed request", List.of())));
    router.errorHandler(404, ctx -> errors.send(ctx, ApiException.notFound("No such endpoint")));
    router.errorHandler(405, ctx -> {
      ctx.response().putHeader("Allow", allowed.allowHeader(ctx));
      errors.send(ctx, ApiException.methodNotAllowed());
    });
    router.errorHandler(500, failures);
  }
}
