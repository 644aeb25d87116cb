package io.orchestrator.api;

import io.orchestrator.api.openapi.ValidationErrors;
import io.orchestrator.availability.StoreAvailability;
import io.orchestrator.common.ApiException;
import io.orchestrator.common.FieldError;
import io.orchestrator.common.StoreUnavailableException;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place errors become responses: every non-2xx body is {@code {error, message, details?}}. Client errors
 * are logged at debug without a stack; server errors once at error with the request id, never in the response.
 */
public final class ErrorRenderer implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(ErrorRenderer.class);
  /** How long a client should wait before retrying a 503: the stores' outages are noticed within a second. */
  static final String RETRY_AFTER_SECONDS = "1";

  private final StoreAvailability availability;

  public ErrorRenderer(StoreAvailability availability) {
    this.availability = availability;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    ApiException error = toApiException(ctx);
    if (error.code().equals("unavailable")) {
      // the outage itself is logged once, when the store goes down (StoreAvailability)
      LOG.debug("request {} answered 503: {}", RequestIds.of(ctx), String.valueOf(ctx.failure()));
    } else if (error.status() >= 500) {
      LOG.error("request {} {} {} failed", RequestIds.of(ctx), ctx.request().method(), ctx.request().path(),
        ctx.failure());
    } else {
      LOG.debug("request {} rejected: {} {}", RequestIds.of(ctx), error.code(), error.getMessage());
    }
    render(ctx, error);
  }

  public static void render(RoutingContext ctx, ApiException error) {
    JsonObject body = new JsonObject().put("error", error.code()).put("message", error.getMessage());
    if (!error.details().isEmpty()) {
      JsonArray details = new JsonArray();
      for (FieldError d : error.details()) {
        details.add(new JsonObject().put("field", d.field()).put("message", d.message()));
      }
      body.put("details", details);
    }
    if (error.code().equals("unauthorized")) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
    }
    if (error.code().equals("unavailable")) {
      ctx.response().putHeader("Retry-After", RETRY_AFTER_SECONDS);
    }
    ctx.response().setStatusCode(error.status()).putHeader("Content-Type", "application/json")
      .end(body.toBuffer());
  }

  private ApiException toApiException(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof ApiException api) {
      return api;
    }
    if (failure != null) {
      Optional<StoreUnavailableException> outage = availability.of(failure);
      if (outage.isPresent()) {
        return ApiException.unavailable(outage.get().store() + " is temporarily unavailable; retry later");
      }
    }
    Optional<ApiException> invalid = ValidationErrors.of(failure);
    if (invalid.isPresent()) {
      return invalid.get();
    }
    int status = failure instanceof HttpException http ? http.getStatusCode() : ctx.statusCode();
    return byStatus(status);
  }

  static ApiException byStatus(int status) {
    return switch (status) {
      case 400 -> ApiException.validation("Bad request", java.util.List.of());
      case 401 -> ApiException.unauthorized("Authentication required");
      case 403 -> ApiException.forbidden("Access denied");
      case 404 -> ApiException.notFound("Resource not found");
      case 405 -> ApiException.methodNotAllowed();
      case 413 -> ApiException.payloadTooLarge("Request body exceeds 1 MiB");
      case 415 -> ApiException.unsupportedMediaType("Content-Type must be application/json");
      default -> ApiException.internal();
    };
  }
}
