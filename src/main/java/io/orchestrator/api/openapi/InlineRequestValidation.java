package io.orchestrator.api.openapi;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.ValidatedRequest;
import io.vertx.openapi.validation.ValidatorException;
import io.vertx.openapi.validation.impl.RequestParameterImpl;
import io.vertx.openapi.validation.impl.RequestValidatorImpl;
import io.vertx.openapi.validation.impl.ValidatedRequestImpl;
import java.util.HashMap;
import java.util.Map;

/**
 * Request validation on the event loop, in place of the router builder's. vertx-openapi's
 * {@code RequestValidatorImpl.validate} hands every request's validation to {@code vertx.executeBlocking}, ordered
 * per context: a trip to a worker thread and back (two thread wake-ups) for a few schema checks, and one request at
 * a time per event loop. This handler does the same validation ({@link RequestValidatorImpl#validateParameter} and
 * {@link RequestValidatorImpl#validateBody}, each parameter from where the contract says it is), puts the
 * {@link ValidatedRequest} where handlers read it ({@link RouterBuilder#KEY_META_DATA_VALIDATED_REQUEST}) and fails
 * a request the way the builder does (a {@link ValidatorException} as a 400 {@link HttpException}), on the caller's
 * thread; keeps the path parameter values it found valid ({@link #validPath}); and accepts a body of a shallow
 * schema with a quick check of its own ({@link ShallowBodySchema}), the validator judging every body it does not
 * accept. {@code OpenApiWorkaroundsTest} pins that validation still happens and answers as before.
 */
final class InlineRequestValidation {

  /** Valid path parameter values kept (run and orchestration ids, workspace slugs recur request after request). */
  private static final int MAX_PATH_VALUES = 10_000;

  private final RequestValidatorImpl validator;
  private final RequestExtractor extractor = RequestExtractor.withBodyHandler();
  private final Cache<PathValue, RequestParameter> validPathValues =
    Caffeine.newBuilder().maximumSize(MAX_PATH_VALUES).build();

  /** A path parameter's raw value: its validation depends on nothing else. */
  private record PathValue(Parameter parameter, Object raw) {
  }

  InlineRequestValidation(Vertx vertx, OpenAPIContract contract) {
    this.validator = new RequestValidatorImpl(vertx, contract);
  }

  /** The first handler of the operation's route. */
  Handler<RoutingContext> of(Operation operation) {
    ShallowBodySchema shallow = ShallowBodySchema.of(operation);
    return ctx -> {
      Future<ValidatableRequest> extracted = extractor.extractValidatableRequest(ctx, operation);
      if (extracted.failed()) {
        ctx.fail(extracted.cause());
      } else if (extracted.succeeded()) {
        validated(ctx, operation, shallow, extracted.result());
      } else {
        extracted.onComplete(done -> {
          if (done.failed()) {
            ctx.fail(done.cause());
          } else {
            validated(ctx, operation, shallow, done.result());
          }
        });
      }
    };
  }

  private void validated(RoutingContext ctx, Operation operation, ShallowBodySchema shallow,
                         ValidatableRequest request) {
    ValidatedRequest validated;
    try {
      validated = validate(operation, shallow, request);
    } catch (ValidatorException e) {
      ctx.fail(new HttpException(400, e.getMessage(), e));
      return;
    } catch (RuntimeException e) {
      ctx.fail(e);
      return;
    }
    ctx.put(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST, validated);
    ctx.next();
  }

  /** What {@code RequestValidatorImpl.validate} does on the worker thread, step for step. */
  private ValidatedRequest validate(Operation operation, ShallowBodySchema shallow, ValidatableRequest request) {
    Map<String, RequestParameter> cookies = new HashMap<>(request.getCookies().size());
    Map<String, RequestParameter> headers = new HashMap<>(request.getHeaders().size());
    Map<String, RequestParameter> path = new HashMap<>(request.getPathParameters().size());
    Map<String, RequestParameter> query = new HashMap<>(request.getQuery().size());
    for (Parameter parameter : operation.getParameters()) {
      String name = parameter.getName();
      switch (parameter.getIn()) {
        case COOKIE -> cookies.put(name, validator.validateParameter(parameter, request.getCookies().get(name)));
        case HEADER -> headers.put(name, validator.validateParameter(parameter, request.getHeaders().get(name)));
        case PATH -> path.put(name, validPath(parameter, request.getPathParameters().get(name)));
        case QUERY -> query.put(name, validator.validateParameter(parameter, request.getQuery().get(name)));
        default -> throw new IllegalStateException("parameter " + name + " in " + parameter.getIn());
      }
    }
    RequestParameter body = shallowBody(shallow, request);
    if (body == null) {
      body = validator.validateBody(operation.getRequestBody(), request);
    }
    return new ValidatedRequestImpl(cookies, headers, path, query, body);
  }

  /**
   * The JSON body, decoded as the validator decodes it, when the operation's schema is shallow and accepts it
   * ({@link ShallowBodySchema}); null for every other case (no or an empty body, another content type, a body the
   * quick check does not accept), which the validator then handles.
   */
  private static RequestParameter shallowBody(ShallowBodySchema shallow, ValidatableRequest request) {
    RequestParameter raw = request.getBody();
    String type = request.getContentType();
    if (shallow == null || raw == null || raw.isEmpty() || type == null
      || !type.startsWith(MediaType.APPLICATION_JSON)) {
      return null;
    }
    Object decoded;
    try {
      decoded = Json.decodeValue(raw.getBuffer(Buffer.buffer()));
    } catch (DecodeException e) {
      return null;
    }
    return shallow.accepts(decoded) ? new RequestParameterImpl(decoded) : null;
  }

  /**
   * A path parameter validated as {@link RequestValidatorImpl#validateParameter} does, a value that passed once
   * taken from the cache: the validator compiles a schema's {@code pattern} anew on every call and decodes every
   * value as JSON first, the largest part of a trigger's validation (docs/performance.md §14). A value that fails is
   * never kept, so it fails every time with the validator's own error.
   */
  private RequestParameter validPath(Parameter parameter, RequestParameter raw) {
    if (raw == null || raw.isNull()) {
      return validator.validateParameter(parameter, raw);
    }
    PathValue key = new PathValue(parameter, raw.get());
    RequestParameter valid = validPathValues.getIfPresent(key);
    if (valid == null) {
      valid = validator.validateParameter(parameter, raw);
      validPathValues.put(key, valid);
    }
    return valid;
  }
}
