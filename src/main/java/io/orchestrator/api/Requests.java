package io.orchestrator.api;

import io.orchestrator.api.openapi.AuthenticationFirst;
import io.orchestrator.common.ApiException;
import io.orchestrator.common.PageRequest;
import io.orchestrator.common.Timestamps;
import io.orchestrator.common.TraceParent;
import io.orchestrator.validation.Problems;
import io.orchestrator.validation.StorableJson;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatedRequest;
import java.time.Instant;

/** Reads what the OpenAPI validator already checked; defaults live here and in openapi.yaml alike. */
final class Requests {

  private static final int MAX_KEY_LENGTH = 255;
  private static final String TRACEPARENT = "traceparent";
  private static final String TRACESTATE = "tracestate";

  private Requests() {
  }

  static String workspace(RoutingContext ctx) {
    return ctx.pathParam("workspaceSlug");
  }

  /** The request's W3C {@code traceparent}; null when absent or malformed (the run then starts a new trace). */
  static TraceParent traceParent(RoutingContext ctx) {
    return TraceParent.parse(ctx.request().headers().getAll(TRACEPARENT)).orElse(null);
  }

  /** The request's {@code tracestate} when it is worth passing on, else null. */
  static String traceState(RoutingContext ctx) {
    return TraceParent.traceState(String.join(",", ctx.request().headers().getAll(TRACESTATE)));
  }

  static String actor(RoutingContext ctx) {
    return AuthenticationFirst.principal(ctx).subject();
  }

  static JsonObject body(RoutingContext ctx) {
    RequestParameter body = validated(ctx).getBody();
    if (body == null || body.isNull() || !(body.get() instanceof JsonObject json)) {
      throw ApiException.validation("body", "must be a JSON object");
    }
    return json;
  }

  /**
   * {@code body} when every value in it can be stored as sent (no U+0000, no unpaired surrogate, no number beyond
   * double range such as 1e400, which would turn into the string "Infinity"); else a 400 naming each place. For
   * bodies that become run data without a validator of their own (trigger, event, worker task report). Webhook
   * bodies are not checked: their sender cannot be asked to change them.
   */
  static JsonObject storable(JsonObject body) {
    Problems problems = new Problems();
    StorableJson.check(body, problems);
    if (!problems.isEmpty()) {
      throw ApiException.validation("Invalid request body", problems.toList());
    }
    return body;
  }

  /** An optional JSON object body: absent or empty means {}. */
  static JsonObject optionalBody(RoutingContext ctx) {
    RequestParameter body = validated(ctx).getBody();
    if (body == null || body.isNull()) {
      return new JsonObject();
    }
    if (!(body.get() instanceof JsonObject json)) {
      throw ApiException.validation("body", "must be a JSON object");
    }
    return json;
  }

  static PageRequest page(RoutingContext ctx) {
    ValidatedRequest request = validated(ctx);
    return new PageRequest(integer(request, "page", 1), integer(request, "pageSize", 20),
      string(request, "sort", "createdAt"), "asc".equals(string(request, "order", "desc")));
  }

  static String string(ValidatedRequest request, String name, String fallback) {
    RequestParameter p = request.getQuery().get(name);
    return p == null || p.isNull() ? fallback : p.getString();
  }

  static int integer(ValidatedRequest request, String name, int fallback) {
    RequestParameter p = request.getQuery().get(name);
    return p == null || p.isNull() ? fallback : p.getInteger();
  }

  /** An ISO-8601 date-time query parameter with an offset; null when absent; 400 naming it when malformed. */
  static Instant instant(ValidatedRequest request, String name) {
    String text = string(request, name, null);
    if (text == null) {
      return null;
    }
    return Timestamps.parseBound(text).orElseThrow(() -> ApiException.validation(name,
      "must be an ISO-8601 date-time with an offset or Z, such as 2026-03-01T10:00:00.000Z"));
  }

  /** The Idempotency-Key header; null when absent or blank; 400 when longer than 255 characters. */
  static String idempotencyKey(RoutingContext ctx) {
    String key = ctx.request().getHeader("Idempotency-Key");
    if (key == null || key.isBlank()) {
      return null;
    }
    if (key.length() > MAX_KEY_LENGTH) {
      throw ApiException.validation("Idempotency-Key", "must be at most " + MAX_KEY_LENGTH + " characters");
    }
    return key;
  }

  static ValidatedRequest validated(RoutingContext ctx) {
    return ctx.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
  }
}
