package io.orchestrator.api;

import static io.orchestrator.api.ApiTestSupport.FUNCTION_ID;
import static io.orchestrator.api.ApiTestSupport.RAW;
import static io.orchestrator.api.ApiTestSupport.TIMESTAMP;
import static io.orchestrator.api.ApiTestSupport.assertError;
import static io.orchestrator.api.ApiTestSupport.clockPast;
import static io.orchestrator.api.ApiTestSupport.createFunction;
import static io.orchestrator.api.ApiTestSupport.detailFields;
import static io.orchestrator.api.ApiTestSupport.functionBody;
import static io.orchestrator.api.ApiTestSupport.simpleOrchestration;
import static io.orchestrator.api.ApiTestSupport.withRaw;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.common.SecretMask;
import io.orchestrator.fixtures.ApiClient;
import io.orchestrator.fixtures.ApiClient.Reply;
import io.orchestrator.fixtures.SharedApp;
import io.orchestrator.fixtures.TestApp;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The functions endpoints, black box: CRUD, secret masking, URL policy, in-use protection and tenancy. */
@SharedApp.Config
class FunctionApiIT {

  private static TestApp app;

  private ApiClient client;
  private String workspace;

  @BeforeAll
  static void startApp(TestApp shared) {
    app = shared;
  }

  @BeforeEach
  void newWorkspace() {
    workspace = TestApp.randomWorkspace();
    client = app.client(workspace);
  }

  private JsonObject create(JsonObject body) {
    Reply reply = client.post("/functions", body);
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    return reply.json();
  }

  @Test
  @DisplayName("create answers 201 with Location, every field, masked headers and the full signing secret")
  void createFunctionResponse() {
    JsonObject request = functionBody("charge-card");

    Reply reply = client.post("/functions", request);

    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    assertThat(reply.header("Content-Type")).startsWith("application/json");
    JsonObject body = reply.json();
    String id = body.getString("id");
    assertThat(id).matches(FUNCTION_ID);
    assertThat(reply.header("Location")).isEqualTo(ApiClient.BASE + workspace + "/functions/" + id);
    assertThat(body.getString("name")).isEqualTo("charge-card");
    assertThat(body.getString("description")).isEqualTo("Function charge-card");
    assertThat(body.getString("runtime")).isEqualTo("http");
    assertThat(body.getString("url")).isEqualTo("https://functions.example.com/charge-card");
    assertThat(body.getValue("queue")).isNull();
    assertThat(body.getInteger("timeoutMs")).isEqualTo(10000);
    assertThat(body.getJsonObject("headers")).isEqualTo(new JsonObject().put("X-Api-Key", SecretMask.MASK));
    assertThat(body.getString("signingSecret")).startsWith("whsec_").doesNotContain("*").hasSizeGreaterThan(20);
    assertThat(body.getString("createdAt")).matches(TIMESTAMP);
    assertThat(body.getString("updatedAt")).isEqualTo(body.getString("createdAt"));
    assertThat(body.getString("createdBy")).isEqualTo("user-" + workspace);
    assertThat(body.getString("updatedBy")).isEqualTo("user-" + workspace);
  }

  @Test
  @DisplayName("GET masks header values and the signing secret; everything else equals the create response")
  void getMasksSecrets() {
    JsonObject created = create(functionBody("masked"));
    String secret = created.getString("signingSecret");

    Reply reply = client.get("/functions/" + created.getString("id"));

    assertThat(reply.status()).isEqualTo(200);
    JsonObject read = reply.json();
    assertThat(read.getJsonObject("headers").getString("X-Api-Key")).isEqualTo("********");
    assertThat(reply.body()).doesNotContain("key-of-masked").doesNotContain(secret);
    assertThat(read.getString("signingSecret")).isNotEqualTo(secret).contains("****");
    JsonObject expected = created.copy().put("signingSecret", read.getString("signingSecret"));
    assertThat(read).isEqualTo(expected);
  }

  @Test
  @DisplayName("list pages with exact meta and masks secrets in every item")
  void listFunctions() {
    List<String> ids = new ArrayList<>();
    List<String> secrets = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      JsonObject created = create(functionBody("listed-" + i));
      ids.add(created.getString("id"));
      secrets.add(created.getString("signingSecret"));
    }

    Reply all = client.get("/functions?pageSize=100");
    assertThat(all.status()).isEqualTo(200);
    assertThat(all.json().getJsonObject("meta"))
      .isEqualTo(new JsonObject().put("total", 3).put("page", 1).put("pageSize", 100));
    JsonArray data = all.json().getJsonArray("data");
    List<String> listed = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      listed.add(data.getJsonObject(i).getString("id"));
      assertThat(data.getJsonObject(i).getJsonObject("headers").getString("X-Api-Key")).isEqualTo("********");
    }
    assertThat(listed).containsExactlyInAnyOrderElementsOf(ids);
    secrets.forEach(secret -> assertThat(all.body()).doesNotContain(secret));

    Reply last = client.get("/functions?pageSize=2&page=2");
    assertThat(last.json().getJsonArray("data")).hasSize(1);
    assertThat(last.json().getJsonObject("meta").getLong("total")).isEqualTo(3);
    Reply beyond = client.get("/functions?pageSize=2&page=3");
    assertThat(beyond.json().getJsonArray("data")).isEmpty();
    assertThat(beyond.json().getJsonObject("meta").getLong("total")).isEqualTo(3);

    Reply bad = client.get("/functions?pageSize=101");
    assertError(bad, 400, "validation_error");
    assertThat(detailFields(bad)).containsExactly("pageSize");
  }

  @Test
  @DisplayName("PUT replaces the whole function: omitted optional fields are cleared, updatedAt moves")
  void putReplaces() {
    JsonObject created = create(functionBody("before"));
    String id = created.getString("id");
    clockPast(created.getString("updatedAt"));
    JsonObject replacement = new JsonObject().put("name", "after").put("url", "http://10.0.0.7:8080/run");

    Reply reply = client.withToken(app.token("editor-3", workspace)).put("/functions/" + id, replacement);

    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    JsonObject updated = reply.json();
    assertThat(updated.getString("id")).isEqualTo(id);
    assertThat(updated.getString("name")).isEqualTo("after");
    assertThat(updated.getString("url")).isEqualTo("http://10.0.0.7:8080/run");
    assertThat(updated.getValue("description")).isNull();
    assertThat(updated.getValue("timeoutMs")).isNull();
    assertThat(updated.getJsonObject("headers")).isEmpty();
    assertThat(updated.getString("runtime")).isEqualTo("http");
    assertThat(updated.getString("createdAt")).isEqualTo(created.getString("createdAt"));
    assertThat(updated.getString("updatedAt")).matches(TIMESTAMP).isGreaterThan(created.getString("updatedAt"));
    assertThat(updated.getString("createdBy")).isEqualTo("user-" + workspace);
    assertThat(updated.getString("updatedBy")).isEqualTo("editor-3");
    assertThat(updated.getString("signingSecret")).as("the secret is not revealed again").contains("****");
    assertThat(client.get("/functions/" + id).json()).isEqualTo(updated);
  }

  @Test
  @DisplayName("PUT sending back a masked header value keeps the header and updates the rest")
  void putWithMaskedHeader() {
    JsonObject created = create(functionBody("keeps-header"));
    String id = created.getString("id");
    JsonObject read = client.get("/functions/" + id).json();
    JsonObject body = new JsonObject().put("name", "renamed").put("url", read.getString("url"))
      .put("headers", read.getJsonObject("headers").copy().put("X-Extra", "plain"));

    Reply reply = client.put("/functions/" + id, body);

    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    JsonObject after = client.get("/functions/" + id).json();
    assertThat(after.getString("name")).isEqualTo("renamed");
    assertThat(after.getJsonObject("headers"))
      .isEqualTo(new JsonObject().put("X-Api-Key", "********").put("X-Extra", "********"));
  }

  @Test
  @DisplayName("a worker function needs a queue and has no url")
  void workerRuntime() {
    JsonObject created = create(new JsonObject().put("name", "worker").put("runtime", "worker")
      .put("queue", "payments.high"));
    assertThat(created.getString("runtime")).isEqualTo("worker");
    assertThat(created.getString("queue")).isEqualTo("payments.high");
    assertThat(created.getValue("url")).isNull();
  }

  static Stream<Arguments> invalidFunctions() {
    return Stream.of(
      rule("cloud metadata address", "url", b -> b.put("url", "http://169.254.169.254/latest/meta-data")),
      rule("IPv6 link-local address", "url", b -> b.put("url", "http://[fe80::1]/")),
      rule("metadata host name", "url", b -> b.put("url", "http://metadata.google.internal/computeMetadata")),
      rule("ftp scheme", "url", b -> b.put("url", "ftp://files.example.com/fn")),
      rule("relative url", "url", b -> b.put("url", "/just/a/path")),
      rule("credentials in url", "url", b -> b.put("url", "https://user:pw@example.com/")),
      rule("missing url for the http runtime", "url", b -> b.remove("url")),
      rule("worker runtime without queue", "queue", b -> b.put("runtime", "worker")),
      rule("bad queue name", "queue", b -> b.put("runtime", "worker").put("queue", "has space")),
      rule("unknown runtime", "runtime", b -> b.put("runtime", "lambda")),
      rule("missing name", "name", b -> b.remove("name")),
      rule("blank name", "name", b -> b.put("name", "   ")),
      rule("timeoutMs zero", "timeoutMs", b -> b.put("timeoutMs", 0)),
      rule("header value not a string", "headers.X-Api-Key", b -> b.getJsonObject("headers").put("X-Api-Key", 7)),
      rule("header value with a line break", "headers.X-Api-Key",
        b -> b.getJsonObject("headers").put("X-Api-Key", "a\r\nInjected: 1")),
      rule("reserved header", "headers.Idempotency-Key",
        b -> b.getJsonObject("headers").put("Idempotency-Key", "mine")));
  }

  private static Arguments rule(String name, String field, Consumer<JsonObject> mutation) {
    return Arguments.of(name, field, mutation);
  }

  @ParameterizedTest(name = "{0} → {1}")
  @MethodSource("invalidFunctions")
  @DisplayName("each broken function rule answers 400 naming exactly the offending field, on create and replace")
  void invalidFunction(String rule, String field, Consumer<JsonObject> mutation) {
    JsonObject existing = create(functionBody("existing"));
    JsonObject body = functionBody("broken");
    mutation.accept(body);

    Reply created = client.post("/functions", body);
    Reply replaced = client.put("/functions/" + existing.getString("id"), body);

    for (Reply reply : List.of(created, replaced)) {
      assertError(reply, 400, "validation_error");
      assertThat(detailFields(reply)).as(reply.body()).containsExactly(field);
    }
    assertThat(client.get("/functions").json().getJsonObject("meta").getLong("total")).isEqualTo(1);
    JsonObject after = client.get("/functions/" + existing.getString("id")).json();
    assertThat(after.getString("name")).isEqualTo("existing");
    assertThat(after.getString("updatedAt")).isEqualTo(existing.getString("updatedAt"));
  }

  static Stream<Arguments> unstorableValues() {
    return Stream.of(
      Arguments.of("NUL in name", "name", "\"a\\u0000b\"", (Consumer<JsonObject>) b -> b.put("name", RAW)),
      Arguments.of("unpaired surrogate in description", "description", "\"\\ud800\"",
        (Consumer<JsonObject>) b -> b.put("description", RAW)),
      Arguments.of("unpaired surrogate in a header value", "headers.X-Api-Key", "\"k\\udfff\"",
        (Consumer<JsonObject>) b -> b.getJsonObject("headers").put("X-Api-Key", RAW)),
      Arguments.of("1e309 in an extra field", "extra", "1e309", (Consumer<JsonObject>) b -> b.put("extra", RAW)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unstorableValues")
  @DisplayName("text PostgreSQL cannot store as sent and non-finite numbers answer 400 naming the field, not 500")
  void unstorableValue(String name, String field, String token, Consumer<JsonObject> placement) {
    JsonObject existing = create(functionBody("existing"));
    JsonObject body = functionBody("odd");
    placement.accept(body);
    String text = withRaw(body, token);

    for (Reply reply : List.of(
      client.send(HttpMethod.POST, "/functions", text, MultiMap.caseInsensitiveMultiMap()),
      client.send(HttpMethod.PUT, "/functions/" + existing.getString("id"), text, MultiMap.caseInsensitiveMultiMap()))) {
      assertError(reply, 400, "validation_error");
      assertThat(detailFields(reply)).as(reply.body()).containsExactly(field);
    }
    assertThat(client.get("/functions").json().getJsonObject("meta").getLong("total")).isEqualTo(1);
  }

  @Test
  @DisplayName("DELETE answers 204; afterwards GET, PUT and DELETE answer 404 and the list drops it")
  void deleteFunction() {
    String id = create(functionBody("doomed")).getString("id");

    Reply deleted = client.delete("/functions/" + id);

    assertThat(deleted.status()).isEqualTo(204);
    assertThat(assertError(client.get("/functions/" + id), 404, "not_found").getString("message"))
      .isEqualTo("Function not found");
    assertError(client.put("/functions/" + id, functionBody("doomed")), 404, "not_found");
    assertError(client.delete("/functions/" + id), 404, "not_found");
    assertThat(client.get("/functions").json().getJsonObject("meta").getLong("total")).isZero();
  }

  @Test
  @DisplayName("a function used by a live orchestration cannot be deleted (409) until the orchestration is gone")
  void deleteFunctionInUse() {
    String id = createFunction(client, "busy");
    assertThat(client.post("/orchestrations", simpleOrchestration("uses-busy", id)).status()).isEqualTo(201);

    JsonObject conflict = assertError(client.delete("/functions/" + id), 409, "conflict");
    assertThat(conflict.getString("message")).contains("uses-busy");
    assertThat(client.get("/functions/" + id).status()).isEqualTo(200);

    assertThat(client.delete("/orchestrations/uses-busy").status()).isEqualTo(204);
    assertThat(client.delete("/functions/" + id).status()).isEqualTo(204);
    assertError(client.get("/functions/" + id), 404, "not_found");
  }

  @Test
  @DisplayName("a function delete racing an orchestration create that calls it: exactly one of them succeeds")
  void deleteRacingCreate() throws Exception {
    for (int round = 0; round < 25; round++) {
      String id = createFunction(client, "raced-" + round);
      String slug = "races-" + round;
      CompletableFuture<Reply> create = CompletableFuture.supplyAsync(() ->
        client.post("/orchestrations", simpleOrchestration(slug, id)));
      CompletableFuture<Reply> delete = CompletableFuture.supplyAsync(() -> client.delete("/functions/" + id));
      int created = create.get(10, TimeUnit.SECONDS).status();
      int deleted = delete.get(10, TimeUnit.SECONDS).status();

      if (created == 201) {
        assertThat(deleted).as("round %d: the orchestration calls the function", round).isEqualTo(409);
        assertThat(client.get("/functions/" + id).status()).isEqualTo(200);
      } else {
        assertThat(created).as("round %d", round).isEqualTo(400);
        assertThat(deleted).as("round %d", round).isEqualTo(204);
        assertThat(client.get("/orchestrations/" + slug).status()).isEqualTo(404);
      }
    }
  }

  @Test
  @DisplayName("a deleted function can no longer be named by a compute step")
  void deletedFunctionUnusable() {
    String id = createFunction(client, "gone");
    assertThat(client.delete("/functions/" + id).status()).isEqualTo(204);
    Reply reply = client.post("/orchestrations", simpleOrchestration("uses-gone", id));
    assertError(reply, 400, "validation_error");
    assertThat(detailFields(reply)).containsExactly("steps[0].functionId");
  }

  @Test
  @DisplayName("another workspace cannot get, update or delete a function by its id (404)")
  void workspaceIsolation() {
    JsonObject created = create(functionBody("mine"));
    String id = created.getString("id");
    ApiClient other = app.client(TestApp.randomWorkspace());

    assertError(other.get("/functions/" + id), 404, "not_found");
    assertError(other.put("/functions/" + id, functionBody("stolen")), 404, "not_found");
    assertError(other.delete("/functions/" + id), 404, "not_found");
    assertThat(other.get("/functions").json().getJsonObject("meta").getLong("total")).isZero();

    JsonObject still = client.get("/functions/" + id).json();
    assertThat(still.getString("name")).isEqualTo("mine");
    assertThat(still.getString("updatedAt")).isEqualTo(created.getString("updatedAt"));
  }
}
