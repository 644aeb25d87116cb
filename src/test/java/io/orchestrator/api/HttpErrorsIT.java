package io.orchestrator.api;

import static io.orchestrator.api.ApiTestSupport.assertError;
import static io.orchestrator.api.ApiTestSupport.createFunction;
import static io.orchestrator.api.ApiTestSupport.functionBody;
import static io.orchestrator.api.ApiTestSupport.simpleOrchestration;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.fixtures.ApiClient;
import io.orchestrator.fixtures.ApiClient.Reply;
import io.orchestrator.fixtures.SharedApp;
import io.orchestrator.fixtures.TestApp;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HTTP-level failures: every one answers the reference's JSON error body, never HTML or an empty 500. What the
 * OpenAPI router's work-arounds alone decide (405 with Allow, 414/431, JSON Content-Type variants, comments in JSON,
 * malformed %-escapes) is pinned, without stores, by {@code api.openapi.OpenApiWorkaroundsTest}.
 */
@SharedApp.Config
class HttpErrorsIT {

  /** Every write endpoint, relative to the workspace; {id} slots are filled per test. */
  private static final List<String[]> WRITES = List.of(
    new String[] {"POST", "/orchestrations"}, new String[] {"PUT", "/orchestrations/%o"},
    new String[] {"POST", "/functions"}, new String[] {"PUT", "/functions/%f"},
    new String[] {"POST", "/orchestrations/%o/simulate"}, new String[] {"POST", "/orchestrations/simulate"});

  private static TestApp app;

  private ApiClient client;
  private String orchestrationId;
  private String functionId;

  @BeforeAll
  static void startApp(TestApp shared) {
    app = shared;
  }

  @BeforeEach
  void newWorkspace() {
    client = app.client(TestApp.randomWorkspace());
    functionId = createFunction(client, "fn");
    Reply created = client.post("/orchestrations", simpleOrchestration("existing", functionId));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    orchestrationId = created.json().getString("id");
  }

  private Reply raw(String method, String path, Buffer body, String contentType) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (contentType != null) {
      headers.add("Content-Type", contentType);
    }
    return client.send(HttpMethod.valueOf(method), path.replace("%o", orchestrationId).replace("%f", functionId),
      body, headers);
  }

  private void eachWrite(Buffer body, String contentType, int status, String code) {
    for (String[] write : WRITES) {
      Reply reply = raw(write[0], write[1], body, contentType);
      assertThat(reply.status()).as("%s %s → %s", write[0], write[1], reply.body()).isEqualTo(status);
      assertError(reply, status, code);
    }
  }

  @Test
  @DisplayName("an unknown path answers 404 not_found as JSON, inside and outside the workspace base")
  void unknownPath() {
    assertError(client.get("/no-such-thing"), 404, "not_found");
    assertError(client.get("/orchestrations/x/y/z"), 404, "not_found");
    HttpResponse<Buffer> outside = TestApp.await(app.http.get("/definitely/not/here").send());
    Reply reply = new Reply(outside.statusCode(), outside.headers(), outside.bodyAsString());
    assertError(reply, 404, "not_found");
  }

  @Test
  @DisplayName("a body over 1 MiB answers 413 payload_too_large on every write endpoint")
  void bodyTooLarge() {
    String big = "x".repeat(1024 * 1024 + 16);
    Buffer body = new JsonObject().put("name", big).toBuffer();
    eachWrite(body, "application/json", 413, "payload_too_large");
  }

  @Test
  @DisplayName("a body just under 1 MiB is read and validated (400, not 413)")
  void bodyJustUnderLimit() {
    JsonObject body = simpleOrchestration("big-one", functionId).put("description", "");
    int room = 1024 * 1024 - body.toBuffer().length() - 64;
    body.put("description", "d".repeat(room));
    Reply reply = client.post("/orchestrations", body);
    assertError(reply, 400, "validation_error");
    assertThat(ApiTestSupport.detailFields(reply)).containsExactly("description");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"text/plain", "application/xml", "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=abc"})
  @DisplayName("a non-JSON content type answers 415 unsupported_media_type on every write endpoint")
  void unsupportedMediaType(String contentType) {
    eachWrite(functionBody("x").toBuffer(), contentType, 415, "unsupported_media_type");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"{", "{\"name\":", "{\"name\" \"x\"}", "{'name': 'x'}", "nul", "{\"a\":1,}",
    "\u0000\u0001\u0002"})
  @DisplayName("malformed JSON answers 400 validation_error on every write endpoint")
  void malformedJson(String text) {
    eachWrite(Buffer.buffer(text), "application/json", 400, "validation_error");
  }

  @Test
  @DisplayName("without a valid token a write is 401 whatever its Content-Type; a token for another workspace 403")
  void authenticationComesBeforeContentChecks() {
    MultiMap textPlain = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "text/plain");
    for (String[] write : WRITES) {
      String path = write[1].replace("%o", orchestrationId).replace("%f", functionId);
      HttpMethod method = HttpMethod.valueOf(write[0]);
      assertError(client.withToken(null).send(method, path, "x", textPlain), 401, "unauthorized");
      assertError(client.withToken("garbage").send(method, path, "x", textPlain), 401, "unauthorized");
      ApiClient otherWorkspace = client.withToken(app.token("mallory", TestApp.randomWorkspace()));
      assertError(otherWorkspace.send(method, path, "x", textPlain), 403, "forbidden");
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"[]", "[{\"name\":\"x\"}]", "\"a string\"", "42", "true", "null"})
  @DisplayName("a JSON body that is not an object answers 400 validation_error on every write endpoint")
  void nonObjectJson(String text) {
    eachWrite(Buffer.buffer(text), "application/json", 400, "validation_error");
  }

  @Test
  @DisplayName("an empty or absent body answers 400 validation_error on every write endpoint")
  void emptyBody() {
    eachWrite(Buffer.buffer(), "application/json", 400, "validation_error");
    eachWrite(null, null, 400, "validation_error");
  }

  @Test
  @DisplayName("missing or invalid bearer tokens answer 401 JSON with WWW-Authenticate; another workspace 403")
  void authErrors() {
    Reply missing = client.withToken(null).get("/orchestrations");
    assertError(missing, 401, "unauthorized");
    assertThat(missing.header("WWW-Authenticate")).startsWith("Bearer");
    assertError(client.withToken("not-a-jwt").get("/orchestrations"), 401, "unauthorized");
    assertError(client.withToken(app.token("u", "some-other-ws")).get("/orchestrations"), 403, "forbidden");
  }

  @Test
  @DisplayName("the failed writes above left the workspace's data untouched")
  void failuresChangeNothing() {
    JsonObject before = client.get("/orchestrations/" + orchestrationId).json();
    eachWrite(Buffer.buffer("{"), "application/json", 400, "validation_error");
    eachWrite(Buffer.buffer("[]"), "application/json", 400, "validation_error");
    eachWrite(functionBody("x").toBuffer(), "text/plain", 415, "unsupported_media_type");
    assertThat(client.get("/orchestrations/" + orchestrationId).json()).isEqualTo(before);
    assertThat(client.get("/orchestrations").json().getJsonObject("meta").getLong("total")).isEqualTo(1);
    assertThat(client.get("/functions").json().getJsonObject("meta").getLong("total")).isEqualTo(1);
  }
}
