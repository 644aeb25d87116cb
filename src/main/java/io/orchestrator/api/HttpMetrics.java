package io.orchestrator.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.ext.web.RoutingContext;

/** Records {@code http_server_requests_seconds} by operation (the route), method and status. */
final class HttpMetrics {

  private static final String OPERATION = "metricsOperation";

  private final MeterRegistry registry;

  HttpMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void start(RoutingContext ctx) {
    long started = System.nanoTime();
    ctx.addEndHandler(v -> {
      String operation = ctx.get(OPERATION);
      Timer.builder("http.server.requests")
        .tag("operation", operation == null ? "unmatched" : operation)
        .tag("method", ctx.request().method().name())
        .tag("status", Integer.toString(ctx.response().getStatusCode()))
        .publishPercentileHistogram()
        .register(registry)
        .record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
    });
  }

  static void operation(RoutingContext ctx, String operationId) {
    ctx.put(OPERATION, operationId);
  }
}
