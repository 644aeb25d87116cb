package io.orchestrator.api.openapi;

import io.orchestrator.common.ApiException;
import io.vertx.ext.web.RoutingContext;

/** Sends one error as the API's JSON error body (the API's renderer; this package never writes error bodies itself). */
@FunctionalInterface
public interface ErrorResponse {

  void send(RoutingContext ctx, ApiException error);
}
