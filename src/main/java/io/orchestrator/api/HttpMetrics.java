package io.orchestrator.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Records {@code http_server_requests_seconds} by operation (the route), method and status. */
final class HttpMetrics {

  private static final String OPERATION = "metricsOperation";

  private final MeterRegistry registry;
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  HttpMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void start(RoutingContext ctx) {
    long started = System.nanoTime();
    ctx.addEndHandler(v -> {
      String operation = ctx.get(OPERATION);
      timer(operation == null ? "unmatched" : operation, ctx.request().method().name(),
        ctx.response().getStatusCode()).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    });
  }

  /** One timer per (operation, method, status), looked up without building a meter id on every request. */
  private Timer timer(String operation, String method, int status) {
    return timers.computeIfAbsent(operation + ' ' + method + ' ' + status, key -> Timer.builder("http.server.requests")
      .tag("operation", operation).tag("method", method).tag("status", Integer.toString(status))
      .publishPercentileHistogram().register(registry));
  }

  static void operation(RoutingContext ctx, String operationId) {
    ctx.put(OPERATION, operationId);
  }
}
