package io.orchestrator.api.openapi;

import static io.orchestrator.fixtures.TestApp.await;

import io.orchestrator.api.ErrorRenderer;
import io.orchestrator.auth.BearerAuthenticator;
import io.orchestrator.auth.JwtAuthFactory;
import io.orchestrator.auth.Principal;
import io.orchestrator.auth.TokenMinter;
import io.orchestrator.availability.StoreAvailability;
import io.orchestrator.common.FieldError;
import io.orchestrator.config.AppConfig;
import io.orchestrator.fixtures.ApiClient;
import io.orchestrator.fixtures.ApiClient.Reply;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatedRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The router {@link OpenApiRouter} builds from {@code openapi.yaml}, served on a port of its own with the real
 * authenticator, error renderer and invalid-request answers, and a stub for every operation that answers 200 with
 * what reached it: {@code operation}, {@code validated} (whether the validator ran), {@code body} (the validated
 * body), {@code contentType} (as the validator saw it), {@code subject} (the authenticated principal). No stores.
 * A request with an {@code X-Test-Throw} header makes the stub throw.
 */
final class StubbedApiRouter implements AutoCloseable {

  static final String WORKSPACE = "acme";
  private static final String SECRET = "contract-test-secret-0123456789-abcdefghijklmnop";

  /**
   * The service's findings on a createFunction body the schema rejected ({@link CompleteBodyErrors}): a body with
   * a {@code url} gets two, one of them on {@code timeoutMs}; any other body none.
   */
  static final BodyProblems SERVICE_PROBLEMS = (ctx, body) -> Future.succeededFuture(
    body.containsKey("url") ? List.of(new FieldError("url", "must be an absolute http(s) URL"),
      new FieldError("timeoutMs", "the service's word on timeoutMs")) : List.of());

  final Vertx vertx = Vertx.vertx();
  final OpenAPIContract contract = await(OpenAPIContract.from(vertx, "openapi.yaml"));
  private final TokenMinter minter = new TokenMinter(vertx, SECRET);
  private final WebClient http;
  /** Sends JSON with a token for {@link #WORKSPACE}, paths relative to it. */
  final ApiClient client;

  StubbedApiRouter() {
    Router router = await(OpenApiRouter.create(vertx, "openapi.yaml", bindings(operations())));
    HttpServer server = await(vertx.createHttpServer().requestHandler(router)
      .invalidRequestHandler(InvalidRequests::respond).listen(0, "127.0.0.1"));
    http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
      .setDefaultPort(server.actualPort()));
    client = new ApiClient(http, WORKSPACE, token(WORKSPACE));
  }

  String token(String workspace) {
    return minter.mint("user-of-" + workspace, List.of(workspace), 3600);
  }

  OpenApiRouter.Bindings bindings(Map<String, Handler<RoutingContext>> operations) {
    StoreAvailability noStores = new StoreAvailability(vertx, Map.of(), failure -> Optional.empty(),
      Duration.ofSeconds(1), Clock.systemUTC());
    BearerAuthenticator authenticator = new BearerAuthenticator(
      JwtAuthFactory.create(vertx, new AppConfig.Auth(SECRET, null)), Clock.systemUTC());
    return new OpenApiRouter.Bindings(operations, Map.of("createFunction", SERVICE_PROBLEMS),
      ctx -> ctx.next(), authenticator, new ErrorRenderer(noStores), ErrorRenderer::render);
  }

  /** A stub for every operation of the contract. */
  Map<String, Handler<RoutingContext>> operations() {
    Map<String, Handler<RoutingContext>> operations = new HashMap<>();
    contract.operations().forEach(op -> operations.put(op.getOperationId(), echo(op.getOperationId())));
    return operations;
  }

  private static Handler<RoutingContext> echo(String operationId) {
    return ctx -> {
      if (ctx.request().getHeader("X-Test-Throw") != null) {
        throw new IllegalStateException("a handler bug");
      }
      ValidatedRequest validated = ctx.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
      Principal principal = AuthenticationFirst.principal(ctx);
      RequestParameter body = validated == null ? null : validated.getBody();
      JsonObject answer = new JsonObject().put("operation", operationId).put("validated", validated != null)
        .put("contentType", ctx.request().getHeader("Content-Type"))
        .put("subject", principal == null ? null : principal.subject())
        .put("body", body == null || body.isNull() ? null : body.get());
      ctx.response().putHeader("Content-Type", "application/json").end(answer.encode());
    };
  }

  /** {@code path} relative to the workspace, sent exactly as given: only the headers named here. */
  Reply raw(HttpMethod method, String path, String body, String contentType, String token) {
    return absolute(method, ApiClient.BASE + WORKSPACE + path, body, contentType, token);
  }

  Reply absolute(HttpMethod method, String uri, String body, String contentType, String token) {
    HttpRequest<Buffer> request = http.request(method, uri);
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    if (contentType != null) {
      request.putHeader("Content-Type", contentType);
    }
    HttpResponse<Buffer> response = await(body == null ? request.send() : request.sendBuffer(Buffer.buffer(body)));
    return new Reply(response.statusCode(), response.headers(), response.bodyAsString());
  }

  @Override
  public void close() {
    await(vertx.close());
  }
}
