package io.orchestrator.api.openapi;

import static io.orchestrator.fixtures.TestApp.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrator.fixtures.ApiClient;
import io.orchestrator.fixtures.ApiClient.Reply;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.SchemaRepository;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One test per behaviour a work-around of {@code api.openapi} exists for, on the real router built from
 * {@code openapi.yaml} by {@link OpenApiRouter}, with the real authenticator and error renderer and stub operations
 * that echo what reached them (no stores: {@link StubbedApiRouter}). Each display name starts with the class whose
 * work-around it pins, so a Vert.x upgrade that breaks one names it.
 */
class OpenApiWorkaroundsTest {

  private static final String WS = StubbedApiRouter.WORKSPACE;

  private static StubbedApiRouter router;
  private static ApiClient client;

  @BeforeAll
  static void startRouter() {
    router = new StubbedApiRouter();
    client = router.client;
  }

  @AfterAll
  static void stop() {
    if (router != null) {
      router.close();
    }
  }

  private static JsonObject function() {
    return new JsonObject().put("name", "fn").put("runtime", "http").put("url", "https://functions.example.com/fn")
      .put("headers", new JsonObject().put("X-Api-Key", "k")).put("timeoutMs", 1000);
  }

  private static JsonObject error(Reply reply, int status, String code) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    assertThat(reply.header("Content-Type")).as(reply.body()).startsWith("application/json");
    JsonObject body = reply.json();
    assertThat(body.getString("error")).as(reply.body()).isEqualTo(code);
    assertThat(body.getString("message")).as(reply.body()).isNotBlank();
    return body;
  }

  private static JsonObject detail(String field, String message) {
    return new JsonObject().put("field", field).put("message", message);
  }

  @Test
  @DisplayName("OpenApiRouter (withBodyHandler): a body request behind the BodyHandler is validated and reaches its "
    + "handler, not 500")
  void bodyReachesTheHandlerValidated() {
    Reply reply = client.post("/functions", function());
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    assertThat(reply.json().getString("operation")).isEqualTo("createFunction");
    assertThat(reply.json().getBoolean("validated")).isTrue();
    assertThat(reply.json().getJsonObject("body")).isEqualTo(function());
  }

  @Test
  @DisplayName("HotPathsFirst: the trigger, event, poll and complete routes are tried first; a path another could "
    + "match stays where the contract put it")
  void hotPathsFirst() {
    List<String> order = new ValidatorCachingContract(router.contract).getPaths().stream()
      .map(io.vertx.openapi.contract.Path::getName).toList();

    assertThat(order.subList(0, 4)).containsExactlyElementsOf(HotPathsFirst.HOT.subList(0, 4));
    String runPath = HotPathsFirst.HOT.get(4);
    assertThat(order.indexOf(runPath)).as("runs/{runId} overlaps runs/stream and runs/bulk").isGreaterThan(3);
    assertThat(order).containsExactlyInAnyOrderElementsOf(router.contract.getPaths().stream()
      .map(io.vertx.openapi.contract.Path::getName).toList());
    assertThat(HotPathsFirst.overlap("/a/{x}/runs", "/a/b/{y}")).isTrue();
    assertThat(HotPathsFirst.overlap("/a/{x}/runs", "/a/{y}/events")).isFalse();
    assertThat(HotPathsFirst.overlap("/a/{x}", "/a/{x}/b")).isFalse();
    Reply trigger = client.post("/orchestrations/orch_1/trigger", new JsonObject().put("input", new JsonObject()));
    assertThat(trigger.status()).as(trigger.body()).isEqualTo(200);
    assertThat(trigger.json().getString("operation")).isEqualTo("triggerOrchestration");
    Reply stream = client.get("/orchestrations/orch_1/runs/stream");
    assertThat(stream.json().getString("operation")).as(stream.body()).isEqualTo("streamRuns");
  }

  @Test
  @DisplayName("InlineRequestValidation: requests are validated on the event loop, so they are answered while every "
    + "worker thread is busy (vertx-openapi's own validator waits for one)")
  void validationNeedsNoWorkerThread() throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    int workers = io.vertx.core.VertxOptions.DEFAULT_WORKER_POOL_SIZE;
    java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(workers);
    for (int i = 0; i < workers; i++) {
      router.vertx.executeBlocking(() -> {
        busy.countDown();
        return release.await(30, java.util.concurrent.TimeUnit.SECONDS);
      }, false);
    }
    try {
      assertThat(busy.await(10, java.util.concurrent.TimeUnit.SECONDS)).as("every worker thread taken").isTrue();
      long started = System.nanoTime();
      Reply valid = client.post("/functions", function());
      Reply invalid = client.post("/functions", new JsonObject().put("name", 42));

      assertThat(valid.status()).as(valid.body()).isEqualTo(200);
      assertThat(valid.json().getBoolean("validated")).isTrue();
      assertThat(invalid.status()).as(invalid.body()).isEqualTo(400);
      assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofSeconds(5));
    } finally {
      release.countDown();
    }
  }

  @Test
  @DisplayName("InlineRequestValidation: a path value that passed is taken from the cache, one that failed fails "
    + "again with the validator's error, every time")
  void pathValuesValidatedOncePerValue() {
    String tooLong = "o".repeat(65);
    for (int i = 0; i < 3; i++) {
      Reply valid = client.post("/orchestrations/orch_1/trigger", new JsonObject());
      assertThat(valid.status()).as(valid.body()).isEqualTo(200);
      assertThat(valid.json().getBoolean("validated")).isTrue();
      Reply invalid = client.post("/orchestrations/" + tooLong + "/trigger", new JsonObject());
      assertThat(invalid.status()).as(invalid.body()).isEqualTo(400);
      assertThat(invalid.json().getString("error")).isEqualTo("validation_error");
      assertThat(invalid.body()).contains("orchestrationId");
    }
  }

  @Test
  @DisplayName("ShallowBodySchema: the trigger body's schema has a shallow form that accepts only what the validator "
    + "accepts; a deeper schema has none")
  void shallowBodySchema() {
    ShallowBodySchema trigger = ShallowBodySchema.of(router.contract.operation("triggerOrchestration"));
    assertThat(trigger).isNotNull();
    assertThat(trigger.accepts(new JsonObject())).isTrue();
    assertThat(trigger.accepts(new JsonObject().put("input", new JsonObject().put("a", new JsonArray()))
      .put("context", new JsonObject()).put("correlationId", "é".repeat(255)).put("other", 1))).isTrue();
    assertThat(trigger.accepts(new JsonObject().put("input", new JsonArray()))).isFalse();
    assertThat(trigger.accepts(new JsonObject().putNull("input"))).isFalse();
    assertThat(trigger.accepts(new JsonObject().put("correlationId", "x".repeat(256)))).isFalse();
    assertThat(trigger.accepts(new JsonObject().put("correlationId", 7))).isFalse();
    assertThat(trigger.accepts(new JsonArray())).isFalse();
    assertThat(trigger.accepts("text")).isFalse();
    assertThat(ShallowBodySchema.of(router.contract.operation("createFunction"))).as("nested, enums, formats").isNull();
    assertThat(ShallowBodySchema.of(JsonSchema.of(new JsonObject().put("type", "object").put("properties",
      new JsonObject().put("n", new JsonObject().put("type", "integer")))))).as("integers: not shallow").isNull();
    assertThat(ShallowBodySchema.of(JsonSchema.of(new JsonObject().put("type", "object")
      .put("additionalProperties", false).put("properties", new JsonObject())))).isNull();
  }

  @Test
  @DisplayName("ShallowBodySchema: a trigger body the quick check does not accept gets the validator's own 400")
  void triggerBodyErrorsStayTheValidators() {
    Reply accepted = client.post("/orchestrations/orch_1/trigger", new JsonObject().put("input",
      new JsonObject().put("k", 1)));
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
    assertThat(accepted.json().getJsonObject("body")).isEqualTo(new JsonObject().put("input",
      new JsonObject().put("k", 1)));
    Reply wrongType = client.post("/orchestrations/orch_1/trigger", new JsonObject().put("input", "text"));
    JsonObject body = error(wrongType, 400, "validation_error");
    assertThat(body.encode()).contains("input");
    Reply notAnObject = client.post("/orchestrations/orch_1/trigger", new JsonArray().add(1));
    error(notAnObject, 400, "validation_error");
  }

  @Test
  @DisplayName("OpenApiRouter (bind): an operation without a handler fails start-up instead of answering 503")
  void missingHandlerFailsStartUp() {
    Map<String, Handler<RoutingContext>> operations = router.operations();
    operations.remove("getMetrics");
    assertThatThrownBy(() -> await(OpenApiRouter.create(router.vertx, "openapi.yaml", router.bindings(operations))))
      .hasMessageContaining("openapi.yaml operations without a handler: [getMetrics]");
  }

  @Test
  @DisplayName("OpenApiRouter (BodyHandler limit): a body over 1 MiB answers 413 payload_too_large as JSON")
  void bodyOverTheLimit() {
    String big = new JsonObject().put("name", "x".repeat(OpenApiRouter.BODY_LIMIT_BYTES)).encode();
    error(router.raw(HttpMethod.POST, "/functions", big, "application/json", router.token(WS)), 413,
      "payload_too_large");
  }

  @Test
  @DisplayName("AuthenticationFirst (security off): no or a bad token answers 401 with WWW-Authenticate before "
    + "the Content-Type and the body are looked at; another workspace's token 403")
  void authenticationBeforeEverythingElse() {
    Reply missing = router.raw(HttpMethod.POST, "/functions", "not json", "text/plain", null);
    error(missing, 401, "unauthorized");
    assertThat(missing.header("WWW-Authenticate")).startsWith("Bearer");
    error(router.raw(HttpMethod.POST, "/functions", "{\"name\": 1}", "application/json", "garbage"), 401,
      "unauthorized");
    error(router.raw(HttpMethod.POST, "/functions", "x", "text/plain", router.token("other")), 403, "forbidden");
    Reply allowed = client.get("/functions");
    assertThat(allowed.status()).as(allowed.body()).isEqualTo(200);
    assertThat(allowed.json().getString("subject")).isEqualTo("user-of-" + WS);
  }

  @Test
  @DisplayName("AuthenticationFirst (path regex): the workspace is read from the normalised path the router "
    + "serves, so a/../b authorises for b")
  void authenticationReadsTheNormalisedPath() {
    String path = ApiClient.BASE + "other/../" + WS + "/functions";
    error(router.absolute(HttpMethod.GET, path, null, null, router.token("other")), 403, "forbidden");
    Reply reply = router.absolute(HttpMethod.GET, path, null, null, router.token(WS));
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    assertThat(reply.json().getString("operation")).isEqualTo("listFunctions");
  }

  @Test
  @DisplayName("HttpTriggerRoute: the public endpoint takes any body and content type with no token and no "
    + "validation")
  void httpTriggerIsPublicAndUnvalidated() {
    Reply reply = router.raw(HttpMethod.POST, "/http-triggers/hook", "{not json", "text/plain; charset=latin1", null);
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    assertThat(reply.json().getString("operation")).isEqualTo("receiveHttpTrigger");
    assertThat(reply.json().getBoolean("validated")).isFalse();
    assertThat(reply.json().getString("contentType")).isEqualTo("text/plain; charset=latin1");
  }

  @Test
  @DisplayName("HttpTriggerRoute (side route): a trigger path of several segments reaches the same handler; other "
    + "methods answer 405 with Allow: POST")
  void httpTriggerSideRoute() {
    Reply deep = router.raw(HttpMethod.POST, "/http-triggers/webhooks/stripe/v2", "x", "application/octet-stream",
      null);
    assertThat(deep.status()).as(deep.body()).isEqualTo(200);
    assertThat(deep.json().getString("operation")).isEqualTo("receiveHttpTrigger");
    Reply get = router.raw(HttpMethod.GET, "/http-triggers/webhooks/stripe", null, null, null);
    error(get, 405, "method_not_allowed");
    assertThat(get.header("Allow")).isEqualTo("POST");
  }

  @Test
  @DisplayName("ErrorPages + AllowedMethods: a known path with another method answers 405 as JSON with every "
    + "method the path serves in Allow")
  void methodNotAllowedWithAllow() {
    Reply patch = router.raw(HttpMethod.PATCH, "/orchestrations", "{}", "application/json", router.token(WS));
    error(patch, 405, "method_not_allowed");
    assertThat(patch.header("Allow")).isEqualTo("GET, POST");
    Reply postItem = client.post("/orchestrations/orch_1", new JsonObject());
    error(postItem, 405, "method_not_allowed");
    assertThat(postItem.header("Allow")).isEqualTo("DELETE, GET, PUT");
    Reply deleteCollection = client.delete("/functions");
    error(deleteCollection, 405, "method_not_allowed");
    assertThat(deleteCollection.header("Allow")).isEqualTo("GET, POST");
    assertThat(client.get("/orchestrations/orch_1/trigger").header("Allow")).isEqualTo("POST");
  }

  @Test
  @DisplayName("ErrorPages: an unknown path answers 404 not_found as JSON, not vertx-web's HTML page")
  void notFoundAsJson() {
    error(client.get("/no-such-thing"), 404, "not_found");
    error(router.absolute(HttpMethod.GET, "/definitely/not/here", null, null, null), 404, "not_found");
  }

  @Test
  @DisplayName("ErrorPages: a path with a malformed %-escape answers 400 validation_error as JSON")
  void malformedEscapeAsJson() {
    error(client.get("/orchestrations/%ZZ"), 400, "validation_error");
    error(client.get("/orchestrations?page=%ZZ"), 400, "validation_error");
  }

  @Test
  @DisplayName("ErrorPages (failures): a handler that throws answers 500 internal_error as JSON, without details")
  void handlerFailureAsJson() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("X-Test-Throw", "1");
    JsonObject body = error(client.send(HttpMethod.GET, "/functions", null, headers), 500, "internal_error");
    assertThat(body.fieldNames()).containsExactlyInAnyOrder("error", "message");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"application/json; charset=utf-8", "Application/JSON", "APPLICATION/JSON; charset=UTF-8",
    "application/problem+json", "application/vnd.api+json"})
  @DisplayName("JsonBodyGuard (Content-Type rewrite): JSON in any letter case, with parameters or as +json passes "
    + "the validator, which sees application/json with the parameters kept")
  void jsonVariantsAccepted(String contentType) {
    Reply reply = router.raw(HttpMethod.POST, "/functions", function().encode(), contentType, router.token(WS));
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    assertThat(reply.json().getJsonObject("body")).isEqualTo(function());
    String parameters = contentType.contains(";") ? contentType.substring(contentType.indexOf(';')) : "";
    assertThat(reply.json().getString("contentType")).isEqualTo("application/json" + parameters);
    Reply trigger = router.raw(HttpMethod.POST, "/orchestrations/orch_1/trigger",
      new JsonObject().put("input", new JsonObject()).encode(), contentType, router.token(WS));
    assertThat(trigger.status()).as(trigger.body()).isEqualTo(200);
    assertThat(trigger.json().getString("operation")).isEqualTo("triggerOrchestration");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"text/plain", "application/xml", "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=abc", "(none)"})
  @DisplayName("JsonBodyGuard: a body that is not JSON (multipart included, which BodyHandler empties) answers "
    + "415 unsupported_media_type")
  void nonJsonIs415(String contentType) {
    String type = contentType.equals("(none)") ? null : contentType;
    error(router.raw(HttpMethod.POST, "/functions", function().encode(), type, router.token(WS)), 415,
      "unsupported_media_type");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"{/* note */", "{// note\n", "/* note */{", "# note\n{"})
  @DisplayName("StrictJson: comments, which Vert.x's JSON codec accepts, answer 400 Malformed JSON body")
  void commentsAreMalformed(String withComment) {
    String valid = function().encode();
    String body = withComment.startsWith("{") ? withComment + valid.substring(1) : withComment + valid;
    JsonObject error = error(router.raw(HttpMethod.POST, "/functions", body, "application/json", router.token(WS)), 400,
      "validation_error");
    assertThat(error).isEqualTo(new JsonObject().put("error", "validation_error").put("message", "Malformed JSON body")
      .put("details", new JsonArray().add(detail("body", "must be valid JSON"))));
  }

  @Test
  @DisplayName("ValidationErrors: schema errors become one {field, message} each with a dotted path; a missing "
    + "required property is named as the field; no duplicate properties/allOf noise")
  void schemaErrorsAsDottedFields() {
    JsonObject body = new JsonObject().put("slug", "s").put("name", "n")
      .put("trigger", new JsonObject().put("type", "event-driven").put("eventType", "record.created"))
      .put("steps", new JsonArray().add(new JsonObject().put("id", "a").put("type", "compute").put("timeoutMs", "x"))
        .add(new JsonObject().put("type", "teleport")));
    JsonObject error = error(client.post("/orchestrations", body), 400, "validation_error");
    assertThat(error.getString("message")).isEqualTo("Invalid request body");
    assertThat(error.getJsonArray("details")).containsExactlyInAnyOrder(
      detail("steps[0].timeoutMs", "must be integer, not string"),
      detail("steps[1].id", "required"),
      detail("steps[1].type", "must be one of the allowed values"));
  }

  @Test
  @DisplayName("ValidationErrors: a missing required body answers 400 with details [{body, required}]")
  void missingBody() {
    JsonObject error = error(router.raw(HttpMethod.POST, "/functions", null, null, router.token(WS)), 400,
      "validation_error");
    assertThat(error.getJsonArray("details")).containsExactly(detail("body", "required"));
  }

  @Test
  @DisplayName("ValidationErrors: a query parameter out of its schema is named by itself (pageSize), not 'query'")
  void parameterErrorNamesTheParameter() {
    JsonObject error = error(client.get("/orchestrations?pageSize=0"), 400, "validation_error");
    assertThat(error.getString("message")).isEqualTo("Invalid parameter pageSize");
    assertThat(error.getJsonArray("details")).hasSize(1);
    assertThat(error.getJsonArray("details").getJsonObject(0).getString("field")).isEqualTo("pageSize");
    error(client.get("/orchestrations?pageSize=many"), 400, "validation_error");
  }

  @Test
  @DisplayName("CompleteBodyErrors: when the schema rejects a definition body the service's findings come too, "
    + "service first, its message winning where both name a field")
  void completeBodyErrors() {
    JsonObject body = new JsonObject().put("url", "ftp://x").put("timeoutMs", "slow");
    JsonObject error = error(client.post("/functions", body), 400, "validation_error");
    assertThat(error).isEqualTo(new JsonObject().put("error", "validation_error")
      .put("message", "Invalid request body").put("details", new JsonArray()
        .add(detail("url", "must be an absolute http(s) URL"))
        .add(detail("timeoutMs", "the service's word on timeoutMs"))
        .add(detail("name", "required"))));
  }

  @Test
  @DisplayName("ValidatorCachingContract: one validator per schema for the process, and repeated requests are "
    + "judged alike (the validators keep no state)")
  void validatorsAreCachedAndStateless() {
    SchemaRepository repository = new ValidatorCachingContract(router.contract).getSchemaRepository();
    JsonSchema schema = router.contract.operation("createFunction").getRequestBody().getContent()
      .get("application/json").getSchema();
    assertThat(repository.validator(schema)).isSameAs(repository.validator(schema));
    JsonObject invalid = function().put("timeoutMs", "slow").put("runtime", "lambda");
    Reply first = client.post("/functions", invalid);
    for (int i = 0; i < 3; i++) {
      assertThat(client.post("/functions", function()).status()).isEqualTo(200);
      Reply again = client.post("/functions", invalid);
      assertThat(again.status()).isEqualTo(400);
      assertThat(again.json()).isEqualTo(first.json());
    }
  }

  @Test
  @DisplayName("InvalidRequests: a request line or headers over the decoder's limits answer 414 uri_too_long / "
    + "431 headers_too_large as JSON, not an empty body")
  void undecodableRequestsAsJson() {
    error(client.get("/orchestrations?filler=" + "x".repeat(9_000)), 414, "uri_too_long");
    MultiMap big = MultiMap.caseInsensitiveMultiMap().add("X-Filler", "x".repeat(20_000));
    error(client.send(HttpMethod.GET, "/orchestrations", null, big), 431, "headers_too_large");
    assertThat(client.get("/orchestrations").status()).isEqualTo(200);
  }
}
