package io.orchestrator.api;

import io.orchestrator.api.openapi.InvalidRequests;
import io.orchestrator.config.AppConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.TimeUnit;

/**
 * Serves the HTTP API; deployed once per event loop, all instances sharing one port, over which Vert.x spreads the
 * connections.
 */
public final class ApiVerticle extends VerticleBase {

  private static final long SHUTDOWN_GRACE_SECONDS = 5;
  /**
   * What a configured port 0 listens on. Vert.x shares a server among instances by the port they ask for, except 0,
   * on which each instance would bind a random port of its own (only the first is announced, so every connection
   * would reach that one event loop); instances asking for the same negative port share one random port.
   */
  private static final int SHARED_RANDOM_PORT = -1;

  private final AppConfig.Http http;
  private final ApiServices services;
  private HttpServer server;

  public ApiVerticle(AppConfig.Http http, ApiServices services) {
    this.http = http;
    this.services = services;
  }

  @Override
  public Future<?> start() {
    return ApiRouter.create(vertx, services)
      .compose(router -> vertx.createHttpServer(new HttpServerOptions().setHost(http.host())
          .setPort(http.port() == 0 ? SHARED_RANDOM_PORT : http.port())
          .setCompressionSupported(true).setIdleTimeout(60))
        .requestHandler(router)
        .invalidRequestHandler(InvalidRequests::respond)
        .listen())
      .onSuccess(s -> server = s);
  }

  @Override
  public Future<?> stop() {
    // In-flight requests get a few seconds; long polls beyond that are cut (workers simply poll again).
    return server == null ? Future.succeededFuture() : server.shutdown(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS);
  }

  public int port() {
    return server == null ? -1 : server.actualPort();
  }
}
