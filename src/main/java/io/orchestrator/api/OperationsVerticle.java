package io.orchestrator.api;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.orchestrator.availability.StoreAvailability;
import io.orchestrator.config.AppConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

/**
 * Serves only {@code /health/live}, {@code /health/ready} and {@code /metrics} on the HTTP port of an instance
 * without the api role (a worker or scheduler), so that probes and scrapes reach every instance; any other path is
 * a 404 in the API's error body.
 */
public final class OperationsVerticle extends VerticleBase {

  private final AppConfig.Http http;
  private final OperationsHandlers handlers;
  private final StoreAvailability availability;
  private HttpServer server;

  public OperationsVerticle(AppConfig.Http http, StoreAvailability availability, PrometheusMeterRegistry registry) {
    this.http = http;
    this.availability = availability;
    this.handlers = new OperationsHandlers(availability, registry);
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.get("/health/live").handler(handlers::getLiveness);
    router.get("/health/ready").handler(handlers::getReadiness);
    router.get("/metrics").handler(handlers::getMetrics);
    router.route().handler(ctx -> ctx.fail(404));
    router.route().failureHandler(new ErrorRenderer(availability));
    return vertx.createHttpServer(new HttpServerOptions().setHost(http.host()).setPort(http.port())
        .setIdleTimeout(60))
      .requestHandler(router)
      .listen()
      .onSuccess(s -> server = s);
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  public int port() {
    return server == null ? -1 : server.actualPort();
  }
}
