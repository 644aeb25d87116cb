package io.orchestrator.api;

import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;

/** First handler of every request: assigns the request id and starts the latency timer. */
final class RequestTracking implements PlatformHandler {

  private final HttpMetrics metrics;

  RequestTracking(HttpMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void handle(RoutingContext ctx) {
    RequestIds.assign(ctx);
    metrics.start(ctx);
    ctx.next();
  }
}
