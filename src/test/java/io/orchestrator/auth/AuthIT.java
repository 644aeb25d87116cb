package io.orchestrator.auth;

import io.orchestrator.fixtures.ApiClient;
import io.orchestrator.fixtures.ApiClient.Reply;
import io.orchestrator.fixtures.Jwts;
import io.orchestrator.fixtures.SharedApp;
import io.orchestrator.fixtures.TestApp;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Authentication and workspace isolation")
@SharedApp.Config
class AuthIT {

  private static TestApp app;

  @BeforeAll
  static void start(TestApp shared) {
    app = shared;
  }

  // ---- 401: missing, malformed, forged, expired ----------------------------------------------------------------

  @Test
  @DisplayName("a request without Authorization is 401 unauthorized with WWW-Authenticate: Bearer and a JSON body")
  void missingHeader() {
    Reply reply = anonymous(TestApp.randomWorkspace()).get("/orchestrations");

    assertUnauthorized(reply);
    assertThat(reply.header("Content-Type")).startsWith("application/json");
    assertThat(reply.json().getString("message")).isNotBlank();
  }

  @ParameterizedTest(name = "Authorization: \"{0}\"")
  @ValueSource(strings = {"Bearer", "Bearer ", "Bearer garbage", "Bearer a.b.c", "Bearer eyJhbGciOiJIUzI1NiJ9..",
    "Basic xyz", "Basic dXNlcjpwYXNz", "Token abc", "garbage"})
  @DisplayName("a malformed or non-Bearer Authorization header is 401 unauthorized")
  void malformedHeader(String header) {
    Reply reply = withAuthorization(TestApp.randomWorkspace(), header);

    assertUnauthorized(reply);
  }

  @Test
  @DisplayName("a bare token without the Bearer scheme is 401")
  void tokenWithoutScheme() {
    String ws = TestApp.randomWorkspace();

    assertUnauthorized(withAuthorization(ws, app.token("u1", ws)));
  }

  @Test
  @DisplayName("the Bearer scheme name is case-insensitive (RFC 7235)")
  void schemeCaseInsensitive() {
    String ws = TestApp.randomWorkspace();

    assertThat(withAuthorization(ws, "bearer " + app.token("u1", ws)).status()).isEqualTo(200);
  }

  @Test
  @DisplayName("a token signed with a different HS256 secret is 401")
  void otherSecret() {
    String ws = TestApp.randomWorkspace();
    String forged = Jwts.hs256("another-secret-0123456789-abcdefghijklmnopqrstuvwxyz", Jwts.claims("u1", ws));

    assertUnauthorized(bearer(ws, forged));
  }

  @Test
  @DisplayName("a token whose signature was tampered with is 401")
  void tamperedPayload() {
    String ws = TestApp.randomWorkspace();
    String good = Jwts.hs256(TestApp.SECRET, Jwts.claims("u1", "other"));
    String[] parts = good.split("\\.");
    String otherPayload = Jwts.hs256(TestApp.SECRET, Jwts.claims("u1", ws)).split("\\.")[1];

    assertUnauthorized(bearer(ws, parts[0] + "." + otherPayload + "." + parts[2]));
  }

  @Test
  @DisplayName("an unsigned token (alg none) is 401")
  void algNone() {
    String ws = TestApp.randomWorkspace();

    assertUnauthorized(bearer(ws, Jwts.none(Jwts.claims("u1", ws))));
  }

  @Test
  @DisplayName("an expired token is 401")
  void expired() {
    String ws = TestApp.randomWorkspace();
    long now = Instant.now().getEpochSecond();
    JsonObject claims = Jwts.claims("u1", ws).put("iat", now - 3600).put("exp", now - 60);

    assertUnauthorized(bearer(ws, Jwts.hs256(TestApp.SECRET, claims)));
  }

  @Test
  @DisplayName("a token without exp (one that never expires) is 401")
  void withoutExp() {
    String ws = TestApp.randomWorkspace();
    JsonObject claims = Jwts.claims("u1", ws);
    claims.remove("exp");

    assertUnauthorized(bearer(ws, Jwts.hs256(TestApp.SECRET, claims)));
  }

  @Test
  @DisplayName("a token whose exp is not a number is 401, not 500")
  void nonNumericExp() {
    String ws = TestApp.randomWorkspace();

    assertUnauthorized(bearer(ws, Jwts.hs256(TestApp.SECRET, Jwts.claims("u1", ws).put("exp", "tomorrow"))));
  }

  @Test
  @DisplayName("a token whose exp lies in the future is accepted when minted by another HS256 issuer")
  void handMintedHs256() {
    String ws = TestApp.randomWorkspace();

    assertThat(bearer(ws, Jwts.hs256(TestApp.SECRET, Jwts.claims("u1", ws))).status()).isEqualTo(200);
  }

  @Test
  @DisplayName("a token without a workspaces claim is 401")
  void withoutWorkspaces() {
    String ws = TestApp.randomWorkspace();
    JsonObject claims = Jwts.claims("u1", ws);
    claims.remove("workspaces");

    assertUnauthorized(bearer(ws, Jwts.hs256(TestApp.SECRET, claims)));
  }

  @Test
  @DisplayName("a token whose workspaces claim is a string instead of an array is 401")
  void workspacesNotArray() {
    String ws = TestApp.randomWorkspace();
    JsonObject claims = Jwts.claims("u1").put("workspaces", ws);

    assertUnauthorized(bearer(ws, Jwts.hs256(TestApp.SECRET, claims)));
  }

  @Test
  @DisplayName("a token without a sub claim is 401")
  void withoutSubject() {
    String ws = TestApp.randomWorkspace();
    JsonObject claims = Jwts.claims("u1", ws);
    claims.remove("sub");

    assertUnauthorized(bearer(ws, Jwts.hs256(TestApp.SECRET, claims)));
  }

  // ---- 403 and "*" ----------------------------------------------------------------------------------------------

  @Test
  @DisplayName("a valid token for workspace A used on workspace B is 403 forbidden")
  void otherWorkspaceForbidden() {
    String a = TestApp.randomWorkspace();
    String b = TestApp.randomWorkspace();

    Reply reply = bearer(b, app.token("u1", a));

    assertThat(reply.status()).isEqualTo(403);
    assertThat(reply.json().getString("error")).isEqualTo("forbidden");
    assertThat(reply.json().getString("message")).isNotBlank();
  }

  @Test
  @DisplayName("a token listing several workspaces grants each of them and nothing else")
  void severalWorkspaces() {
    String a = TestApp.randomWorkspace();
    String b = TestApp.randomWorkspace();
    String token = app.token("u1", a, b);

    assertThat(bearer(a, token).status()).isEqualTo(200);
    assertThat(bearer(b, token).status()).isEqualTo(200);
    assertThat(bearer(TestApp.randomWorkspace(), token).status()).isEqualTo(403);
  }

  @Test
  @DisplayName("a token with workspaces [\"*\"] reads and writes any workspace")
  void wildcard() {
    String token = app.token("admin", "*");
    for (int i = 0; i < 2; i++) {
      ApiClient client = new ApiClient(app.http, TestApp.randomWorkspace(), token);
      assertThat(client.get("/orchestrations").status()).isEqualTo(200);
      assertThat(client.post("/orchestrations", orchestration("wild")).status()).isEqualTo(201);
      assertThat(client.post("/functions", function("wild")).status()).isEqualTo(201);
    }
  }

  @Test
  @DisplayName("createdBy is the creating token's sub and updatedBy the updating token's sub")
  void createdByIsSubject() {
    String ws = TestApp.randomWorkspace();
    ApiClient alice = new ApiClient(app.http, ws, app.token("alice@example.com", ws));
    ApiClient bob = alice.withToken(app.token("bob", ws));

    Reply created = alice.post("/orchestrations", orchestration("who"));
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().getString("createdBy")).isEqualTo("alice@example.com");
    assertThat(created.json().getString("updatedBy")).isEqualTo("alice@example.com");

    Reply updated = bob.put("/orchestrations/who", orchestration("who"));
    assertThat(updated.status()).isEqualTo(200);
    assertThat(updated.json().getString("createdBy")).isEqualTo("alice@example.com");
    assertThat(updated.json().getString("updatedBy")).isEqualTo("bob");

    Reply function = alice.post("/functions", function("fn"));
    assertThat(function.status()).isEqualTo(201);
    assertThat(function.json().getString("createdBy")).isEqualTo("alice@example.com");
  }

  // ---- asymmetric keys -----------------------------------------------------------------------------------------

  @Test
  @DisplayName("with ORCH_JWT_PUBLIC_KEY (RSA) RS256 tokens are accepted; HS256, forged and key-confusion tokens are 401")
  void rs256() {
    KeyPair keys = Jwts.rsaKeyPair();
    String pem = Jwts.publicKeyPem(keys.getPublic());
    try (TestApp rsa = TestApp.start(Map.of("ORCH_JWT_SECRET", "", "ORCH_JWT_PUBLIC_KEY", pem))) {
      String ws = TestApp.randomWorkspace();
      ApiClient client = new ApiClient(rsa.http, ws, Jwts.rs256(keys.getPrivate(), Jwts.claims("rsa-user", ws)));

      Reply created = client.post("/orchestrations", orchestration("rsa"));
      assertThat(created.status()).isEqualTo(201);
      assertThat(created.json().getString("createdBy")).isEqualTo("rsa-user");

      assertUnauthorized(client.withToken(rsa.token("u1", ws)).get("/orchestrations"));
      assertUnauthorized(client.withToken(Jwts.rs256(Jwts.rsaKeyPair().getPrivate(), Jwts.claims("u1", ws)))
        .get("/orchestrations"));
      assertUnauthorized(client.withToken(Jwts.hs256(pem, Jwts.claims("u1", ws))).get("/orchestrations"));
      assertUnauthorized(client.withToken(Jwts.none(Jwts.claims("u1", ws))).get("/orchestrations"));
    }
  }

  @Test
  @DisplayName("with ORCH_JWT_PUBLIC_KEY (EC P-256) ES256 tokens in JOSE signature format are accepted; HS256 is 401")
  void es256() {
    KeyPair keys = Jwts.ecKeyPair();
    String pem = Jwts.publicKeyPem(keys.getPublic());
    try (TestApp ec = TestApp.start(Map.of("ORCH_JWT_SECRET", "", "ORCH_JWT_PUBLIC_KEY", pem))) {
      String ws = TestApp.randomWorkspace();
      ApiClient client = new ApiClient(ec.http, ws, Jwts.es256(keys.getPrivate(), Jwts.claims("ec-user", ws)));

      assertThat(client.get("/orchestrations").status()).isEqualTo(200);
      assertUnauthorized(client.withToken(ec.token("u1", ws)).get("/orchestrations"));
      assertUnauthorized(client.withToken(Jwts.es256(Jwts.ecKeyPair().getPrivate(), Jwts.claims("u1", ws)))
        .get("/orchestrations"));
    }
  }

  // ---- isolation -----------------------------------------------------------------------------------------------

  @Test
  @DisplayName("workspace B cannot list, read, update or delete A's orchestrations, even by id or slug")
  void orchestrationIsolation() {
    ApiClient a = app.client(TestApp.randomWorkspace());
    ApiClient b = app.client(TestApp.randomWorkspace());
    Reply created = a.post("/orchestrations", orchestration("secret-flow"));
    assertThat(created.status()).isEqualTo(201);
    String id = created.json().getString("id");

    assertThat(b.get("/orchestrations").json().getJsonArray("data")).isEmpty();
    assertThat(b.get("/orchestrations").json().getJsonObject("meta").getLong("total")).isZero();
    for (String ref : new String[] {id, "secret-flow"}) {
      assertNotFound(b.get("/orchestrations/" + ref));
      assertNotFound(b.put("/orchestrations/" + ref, orchestration("secret-flow")));
      assertNotFound(b.delete("/orchestrations/" + ref));
    }

    Reply stillThere = a.get("/orchestrations/" + id);
    assertThat(stillThere.status()).isEqualTo(200);
    assertThat(stillThere.json().getInteger("version")).isEqualTo(1);
    assertThat(a.get("/orchestrations").json().getJsonObject("meta").getLong("total")).isEqualTo(1);
  }

  @Test
  @DisplayName("the same slug may exist in two workspaces, each seeing only its own")
  void sameSlugInTwoWorkspaces() {
    ApiClient a = app.client(TestApp.randomWorkspace());
    ApiClient b = app.client(TestApp.randomWorkspace());

    String idA = a.post("/orchestrations", orchestration("shared")).json().getString("id");
    Reply createdB = b.post("/orchestrations", orchestration("shared"));

    assertThat(createdB.status()).isEqualTo(201);
    assertThat(createdB.json().getString("id")).isNotEqualTo(idA);
    assertThat(b.get("/orchestrations/shared").json().getString("id")).isEqualTo(createdB.json().getString("id"));
    assertThat(a.get("/orchestrations/shared").json().getString("id")).isEqualTo(idA);
  }

  @Test
  @DisplayName("workspace B cannot list, read, update or delete A's functions, even by id")
  void functionIsolation() {
    ApiClient a = app.client(TestApp.randomWorkspace());
    ApiClient b = app.client(TestApp.randomWorkspace());
    Reply created = a.post("/functions", function("private-fn"));
    assertThat(created.status()).isEqualTo(201);
    String id = created.json().getString("id");

    assertThat(b.get("/functions").json().getJsonArray("data")).isEmpty();
    assertNotFound(b.get("/functions/" + id));
    assertNotFound(b.put("/functions/" + id, function("stolen")));
    assertNotFound(b.delete("/functions/" + id));

    Reply stillThere = a.get("/functions/" + id);
    assertThat(stillThere.status()).isEqualTo(200);
    assertThat(stillThere.json().getString("name")).isEqualTo("private-fn");
  }

  @Test
  @DisplayName("an orchestration in B cannot call a function of A")
  void crossWorkspaceFunctionReference() {
    ApiClient a = app.client(TestApp.randomWorkspace());
    ApiClient b = app.client(TestApp.randomWorkspace());
    String functionId = a.post("/functions", function("fn")).json().getString("id");
    JsonObject body = orchestration("calls-a");
    body.put("steps", new io.vertx.core.json.JsonArray().add(new JsonObject().put("id", "call").put("type", "compute")
      .put("functionId", functionId)));

    assertThat(a.post("/orchestrations", body).status()).isEqualTo(201);
    Reply reply = b.post("/orchestrations", body);
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().getString("error")).isEqualTo("validation_error");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
    "/orchestration/api/v1/workspaces/{A}/../{B}/orchestrations",
    "/orchestration/api/v1/workspaces/{A}/%2e%2e/{B}/orchestrations",
    "/orchestration/api/v1/workspaces/{A}/./../{B}/orchestrations",
    "/orchestration/api/v1//workspaces/{B}/orchestrations",
    "//orchestration/api/v1/workspaces/{B}/orchestrations",
    "/orchestration/api/v1/workspaces//{B}/orchestrations",
    "/orchestration/api/v1/./workspaces/{B}/orchestrations",
    "/orchestration/api/v1/workspaces/./{B}/orchestrations",
    "/orchestration/api/v1/workspaces/{A}/orchestrations/../../{B}/orchestrations",
    "/orchestration/api/v1/workspaces/%7BB%7D/orchestrations"
  })
  @DisplayName("path tricks (dot segments, double slashes, encodings) never reach another workspace's data")
  void pathTricks(String template) {
    ApiClient a = app.client(TestApp.randomWorkspace());
    ApiClient b = app.client(TestApp.randomWorkspace());
    assertThat(b.post("/orchestrations", orchestration("b-only")).status()).isEqualTo(201);
    String path = template.replace("{A}", a.workspace).replace("{B}", b.workspace)
      .replace("%7BB%7D", b.workspace.replace("-", "%2D"));

    for (HttpMethod method : new HttpMethod[] {HttpMethod.GET, HttpMethod.POST}) {
      var request = app.http.request(method, path).putHeader("Authorization", "Bearer " + app.token("a", a.workspace))
        .putHeader("Content-Type", "application/json");
      HttpResponse<Buffer> response = TestApp.await(method == HttpMethod.GET ? request.send()
        : request.sendBuffer(orchestration("planted").toBuffer()));

      assertThat(response.statusCode()).as("%s %s → %s", method, path, response.bodyAsString())
        .isIn(400, 401, 403, 404, 405);
    }
    assertThat(b.get("/orchestrations").json().getJsonObject("meta").getLong("total")).isEqualTo(1);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
    "/orchestration/api/v1/workspaces/{B}/http-triggers/../orchestrations",
    "/orchestration/api/v1/workspaces/{B}/http-triggers/%2e%2e/orchestrations",
    "/orchestration/api/v1/workspaces/{B}/http-triggers/x/../../orchestrations",
    "/orchestration/api/v1//workspaces/{B}/orchestrations",
    "/orchestration/api/v1/workspaces/{B}/./orchestrations",
    "/orchestration/api/v1/workspaces/{B}/orchestrations/",
    "/ORCHESTRATION/api/v1/workspaces/{B}/orchestrations",
    "/orchestration/api/v1/workspaces/{B}%2Forchestrations",
    "/orchestration/api/v1/workspaces/{B};x=1/orchestrations",
    "/orchestration/api/v1/%77orkspaces/{B}/orchestrations"
  })
  @DisplayName("without a token, no path spelling (dot segments through the public webhook prefix, \"//\") is served")
  void pathTricksWithoutToken(String template) {
    ApiClient b = app.client(TestApp.randomWorkspace());
    assertThat(b.post("/orchestrations", orchestration("b-only")).status()).isEqualTo(201);
    String path = template.replace("{B}", b.workspace);

    for (HttpMethod method : new HttpMethod[] {HttpMethod.GET, HttpMethod.POST}) {
      var request = app.http.request(method, path).putHeader("Content-Type", "application/json");
      HttpResponse<Buffer> response = TestApp.await(method == HttpMethod.GET ? request.send()
        : request.sendBuffer(orchestration("planted").toBuffer()));

      assertThat(response.statusCode()).as("%s %s → %s", method, path, response.bodyAsString())
        .isIn(400, 401, 404, 405);
    }
    assertThat(b.get("/orchestrations").json().getJsonObject("meta").getLong("total")).isEqualTo(1);
  }

  // ---- public endpoints ----------------------------------------------------------------------------------------

  @ParameterizedTest(name = "GET {0}")
  @ValueSource(strings = {"/health/live", "/health/ready", "/metrics", "/orchestration/api/v1/openapi.yaml"})
  @DisplayName("health, metrics and the OpenAPI document need no token")
  void publicEndpoints(String path) {
    HttpResponse<Buffer> response = TestApp.await(app.http.get(path).send());

    assertThat(response.statusCode()).isEqualTo(200);
  }

  @ParameterizedTest(name = "GET {0}")
  @ValueSource(strings = {"/health/live", "/metrics", "/orchestration/api/v1/openapi.yaml"})
  @DisplayName("public endpoints ignore a garbage Authorization header")
  void publicEndpointsIgnoreBadToken(String path) {
    HttpResponse<Buffer> response = TestApp.await(app.http.get(path).putHeader("Authorization", "Bearer junk").send());

    assertThat(response.statusCode()).isEqualTo(200);
  }

  // ---- helpers -------------------------------------------------------------------------------------------------

  private static ApiClient anonymous(String workspace) {
    return new ApiClient(app.http, workspace, null);
  }

  private static Reply bearer(String workspace, String token) {
    return new ApiClient(app.http, workspace, token).get("/orchestrations");
  }

  private static Reply withAuthorization(String workspace, String header) {
    return anonymous(workspace).send(HttpMethod.GET, "/orchestrations", null,
      MultiMap.caseInsensitiveMultiMap().add("Authorization", header));
  }

  private static void assertUnauthorized(Reply reply) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(401);
    assertThat(reply.header("WWW-Authenticate")).startsWith("Bearer");
    assertThat(reply.json().getString("error")).isEqualTo("unauthorized");
  }

  private static void assertNotFound(Reply reply) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(404);
    assertThat(reply.json().getString("error")).isEqualTo("not_found");
  }

  static JsonObject orchestration(String slug) {
    return new JsonObject().put("slug", slug).put("name", "Flow " + slug)
      .put("trigger", new JsonObject().put("type", "on-demand"))
      .put("steps", new io.vertx.core.json.JsonArray()
        .add(new JsonObject().put("id", "wait").put("type", "delay").put("delayMs", 1000)));
  }

  static JsonObject function(String name) {
    return new JsonObject().put("name", name).put("runtime", "http").put("url", "https://functions.example.com/" + name)
      .put("headers", new JsonObject().put("X-Api-Key", "k-" + name));
  }
}
