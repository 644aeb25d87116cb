package io.orchestrator.api;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/** Health, metrics and the contract itself: public, unauthenticated endpoints. */
final class OperationsHandlers {

  private final Supplier<Future<Void>> postgresPing;
  private final Supplier<Future<Void>> redisPing;
  private final PrometheusMeterRegistry registry;
  private final Buffer contract;

  OperationsHandlers(Supplier<Future<Void>> postgresPing, Supplier<Future<Void>> redisPing,
                     PrometheusMeterRegistry registry, Buffer contract) {
    this.postgresPing = postgresPing;
    this.redisPing = redisPing;
    this.registry = registry;
    this.contract = contract;
  }

  void getLiveness(RoutingContext ctx) {
    Responses.json(ctx, 200, new JsonObject().put("status", "UP"));
  }

  void getReadiness(RoutingContext ctx) {
    Future<Void> pg = postgresPing.get();
    Future<Void> redis = redisPing.get();
    Future.join(pg, redis).onComplete(done -> {
      boolean up = pg.succeeded() && redis.succeeded();
      JsonObject checks = new JsonObject().put("postgres", pg.succeeded() ? "UP" : "DOWN")
        .put("redis", redis.succeeded() ? "UP" : "DOWN");
      Responses.json(ctx, up ? 200 : 503, new JsonObject().put("status", up ? "UP" : "DOWN").put("checks", checks));
    });
  }

  void getMetrics(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(registry.scrape());
  }

  void getOpenApiDocument(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8").end(contract);
  }
}
