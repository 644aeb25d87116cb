package io.orchestrator.api.openapi;

import io.orchestrator.common.ApiException;
import io.vertx.ext.web.RoutingContext;

/**
 * Sends one error as the API's JSON error body: the API's renderer, so the router's work-arounds write no error body
 * of their own ({@link InvalidRequests}, answering before any router, excepted).
 */
@FunctionalInterface
public interface ErrorResponse {

  void send(RoutingContext ctx, ApiException error);
}
