package io.orchestrator.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.auth.TokenMinter;
import io.orchestrator.common.ApiException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The console's routes on a bare router (no stores): headers, static files, the zero-set-up sign-in's rules. */
class DevTokensTest {

  private static final String SECRET = "console-test-secret-0123456789-abcdefghijkl";
  private static Vertx vertx;
  private static HttpServer server;
  private static HttpClient client;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create());
    ConsoleRoutes.mount(router, new DevTokens(new TokenMinter(vertx, SECRET),
      Clock.fixed(Instant.parse("2026-12-07T10:00:00Z"), ZoneOffset.UTC)));
    router.route().failureHandler(ctx -> ctx.response()
      .setStatusCode(ctx.failure() instanceof ApiException e ? e.status() : 500).end());
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
      .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    // one connection per request: each test reads its answer's headers after the body, from a fresh exchange
    client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("the console's page is served without a token, with a CSP allowing no inline script and no other origin")
  void staticFilesWithHeaders() throws Exception {
    Answer page = send(HttpMethod.GET, "/console/", null, null);
    assertThat(page.status).isEqualTo(200);
    assertThat(page.response.getHeader("Content-Type")).startsWith("text/html");
    assertThat(page.body).contains("<script type=\"module\" src=\"js/app.js\"></script>").doesNotContain("style=");
    String csp = page.response.getHeader("Content-Security-Policy");
    assertThat(csp).contains("script-src 'self'").contains("default-src 'self'").contains("frame-ancestors 'none'")
      .doesNotContain("unsafe-inline").doesNotContain("unsafe-eval").doesNotContain("http");
    assertThat(page.response.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
    Answer module = send(HttpMethod.GET, "/console/js/app.js", null, null);
    assertThat(module.response.getHeader("Content-Type")).startsWith("text/javascript");
    assertThat(module.response.getHeader("Content-Security-Policy")).isEqualTo(csp);
    assertThat(send(HttpMethod.GET, "/console", null, null).response.getHeader("Location")).isEqualTo("/console/");
  }

  @Test
  @DisplayName("POST /console/dev-token mints a token for the workspace that the service's secret verifies")
  void mints() throws Exception {
    assertThat(send(HttpMethod.GET, "/console/dev-token", null, null).status).isEqualTo(204);
    Answer answer = send(HttpMethod.POST, "/console/dev-token", "{\"workspace\": \"acme\"}", null);
    assertThat(answer.status).isEqualTo(201);
    assertThat(answer.response.getHeader("Cache-Control")).isEqualTo("no-store");
    JsonObject body = new JsonObject(answer.body);
    assertThat(body.getString("workspace")).isEqualTo("acme");
    JWTAuth jwt = JWTAuth.create(vertx, new JWTAuthOptions()
      .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(SECRET)));
    JsonObject claims = jwt.authenticate(new TokenCredentials(body.getString("token")))
      .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).principal();
    assertThat(claims.getString("sub")).isEqualTo("console");
    assertThat(claims.getJsonArray("workspaces")).isEqualTo(new JsonArray().add("acme"));
  }

  @Test
  @DisplayName("a bad workspace is 400; a request from another site (Origin) is 404, as if the path did not exist")
  void refusals() throws Exception {
    assertThat(send(HttpMethod.POST, "/console/dev-token", "{\"workspace\": \"../x\"}", null).status).isEqualTo(400);
    assertThat(send(HttpMethod.POST, "/console/dev-token", "{}", null).status).isEqualTo(400);
    assertThat(send(HttpMethod.POST, "/console/dev-token", "{\"workspace\": \"acme\"}", "http://evil.example").status)
      .isEqualTo(404);
    int port = server.actualPort();
    assertThat(send(HttpMethod.POST, "/console/dev-token", "{\"workspace\": \"acme\"}", "http://127.0.0.1:" + port)
      .status).isEqualTo(201);
  }

  @Test
  @DisplayName("only loopback addresses count as this machine")
  void loopback() {
    assertThat(DevTokens.fromLoopback(SocketAddress.inetSocketAddress(1, "127.0.0.1"))).isTrue();
    assertThat(DevTokens.fromLoopback(SocketAddress.inetSocketAddress(1, "127.8.9.10"))).isTrue();
    assertThat(DevTokens.fromLoopback(SocketAddress.inetSocketAddress(1, "::1"))).isTrue();
    assertThat(DevTokens.fromLoopback(SocketAddress.inetSocketAddress(1, "10.0.0.7"))).isFalse();
    assertThat(DevTokens.fromLoopback(SocketAddress.inetSocketAddress(1, "192.168.1.2"))).isFalse();
    assertThat(DevTokens.fromLoopback(null)).isFalse();
  }

  private record Answer(int status, HttpClientResponse response, String body) {
  }

  private static Answer send(HttpMethod method, String path, String body, String origin) throws Exception {
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1")
      .setPort(server.actualPort()).setURI(path);
    if (body != null) {
      options.putHeader("Content-Type", "application/json");
    }
    if (origin != null) {
      options.putHeader("Origin", origin);
    }
    return client.request(options)
      .compose(req -> body == null ? req.send() : req.send(Buffer.buffer(body)))
      .compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(), resp, b.toString())))
      .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
