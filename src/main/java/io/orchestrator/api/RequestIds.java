package io.orchestrator.api;

import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/** Each request gets an id, echoed in {@code X-Request-Id} and named on every log line about it. */
final class RequestIds {

  private static final String KEY = "requestId";

  private RequestIds() {
  }

  static void assign(RoutingContext ctx) {
    String incoming = ctx.request().getHeader("X-Request-Id");
    String id = incoming != null && incoming.matches("[A-Za-z0-9._-]{1,64}") ? incoming : UUID.randomUUID().toString();
    ctx.put(KEY, id);
    ctx.response().putHeader("X-Request-Id", id);
  }

  static String of(RoutingContext ctx) {
    String id = ctx.get(KEY);
    return id == null ? "-" : id;
  }
}
