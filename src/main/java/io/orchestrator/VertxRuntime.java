package io.orchestrator;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Vert.x instance every entry point runs on: on Netty's native epoll transport where it loads (Linux x86_64 and
 * aarch64), which spends less CPU per socket read and write than NIO; elsewhere, or with
 * {@code -Dio.netty.transport.noNative=true}, on NIO, said once in the log.
 */
final class VertxRuntime {

  private static final Logger LOG = LoggerFactory.getLogger(VertxRuntime.class);

  private VertxRuntime() {
  }

  static Vertx create() {
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    if (!vertx.isNativeTransportEnabled()) {
      Throwable cause = vertx.unavailableNativeTransportCause();
      LOG.info("native transport unavailable, running on NIO: {}", cause == null ? "unknown cause" : cause.getMessage());
    }
    return vertx;
  }
}
