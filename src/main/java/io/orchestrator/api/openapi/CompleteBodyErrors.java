package io.orchestrator.api.openapi;

import io.orchestrator.common.ApiException;
import io.orchestrator.common.FieldError;
import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.openapi.validation.SchemaValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Route failure handler of the definition writes: when the contract's schema rejects a body, the service's own
 * validator still runs on it, so the client sees every problem of the request at once (the service's message wins
 * where both name the same field). The router's validation handler fails the request before the operation's handler
 * runs, so without this a client would fix the schema's findings only to be told the service's on the next try. Any
 * other failure passes on to the router's failure handler.
 */
final class CompleteBodyErrors implements Handler<RoutingContext> {

  private final BodyProblems problems;
  private final ErrorResponse errors;

  CompleteBodyErrors(BodyProblems problems, ErrorResponse errors) {
    this.problems = problems;
    this.errors = errors;
  }

  @Override
  public void handle(RoutingContext ctx) {
    JsonObject body = schemaRejectedObject(ctx);
    if (body == null) {
      ctx.next();
      return;
    }
    ApiException schema = ValidationErrors.from((SchemaValidationException) ctx.failure().getCause());
    problems.of(ctx, body)
      .onSuccess(found -> errors.send(ctx, ApiException.validation(schema.getMessage(),
        merge(found, schema.details()))))
      .onFailure(e -> errors.send(ctx, e instanceof ApiException api ? api : schema));
  }

  /** The body as a JSON object when the failure is a schema rejection of it; null otherwise. */
  private static JsonObject schemaRejectedObject(RoutingContext ctx) {
    if (!(ctx.failure() instanceof HttpException http)
      || !(http.getCause() instanceof SchemaValidationException)
      || ctx.body() == null || ctx.body().length() <= 0) {
      return null;
    }
    try {
      return ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }

  private static List<FieldError> merge(List<FieldError> service, List<FieldError> schema) {
    Set<String> named = service.stream().map(FieldError::field).collect(Collectors.toSet());
    List<FieldError> merged = new ArrayList<>(service);
    schema.stream().filter(error -> !named.contains(error.field())).forEach(merged::add);
    return merged;
  }
}
