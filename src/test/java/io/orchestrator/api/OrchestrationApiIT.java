package io.orchestrator.api;

import static io.orchestrator.api.ApiTestSupport.ORCHESTRATION_ID;
import static io.orchestrator.api.ApiTestSupport.RAW;
import static io.orchestrator.api.ApiTestSupport.TIMESTAMP;
import static io.orchestrator.api.ApiTestSupport.assertError;
import static io.orchestrator.api.ApiTestSupport.clockPast;
import static io.orchestrator.api.ApiTestSupport.computeStep;
import static io.orchestrator.api.ApiTestSupport.createFunction;
import static io.orchestrator.api.ApiTestSupport.detailFields;
import static io.orchestrator.api.ApiTestSupport.httpTrigger;
import static io.orchestrator.api.ApiTestSupport.referenceOrchestration;
import static io.orchestrator.api.ApiTestSupport.simpleOrchestration;
import static io.orchestrator.api.ApiTestSupport.withRaw;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.fixtures.ApiClient;
import io.orchestrator.fixtures.ApiClient.Reply;
import io.orchestrator.fixtures.SharedApp;
import io.orchestrator.fixtures.TestApp;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The orchestrations endpoints, black box: the whole service against real PostgreSQL and Redis. */
@SharedApp.Config
class OrchestrationApiIT {

  private static TestApp app;

  private ApiClient client;
  private String workspace;
  private String functionId;

  @BeforeAll
  static void startApp(TestApp shared) {
    app = shared;
  }

  @BeforeEach
  void newWorkspace() {
    workspace = TestApp.randomWorkspace();
    client = app.client(workspace);
    functionId = createFunction(client, "fn");
  }

  private JsonObject create(JsonObject body) {
    Reply reply = client.post("/orchestrations", body);
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    return reply.json();
  }

  private JsonObject createSimple(String slug) {
    return create(simpleOrchestration(slug, functionId));
  }

  private Reply putWithIfMatch(String ref, JsonObject body, String ifMatch) {
    return client.send(HttpMethod.PUT, "/orchestrations/" + ref, body,
      MultiMap.caseInsensitiveMultiMap().add("If-Match", ifMatch));
  }

  private static JsonObject updateBody(JsonObject created) {
    return new JsonObject().put("name", created.getString("name") + " v2").put("description", "changed")
      .put("trigger", created.getJsonObject("trigger")).put("steps", created.getJsonArray("steps"));
  }

  // ---- create and read ----

  @Test
  @DisplayName("create answers 201 with Location, ETag \"1\" and every field of the reference's response")
  void createReturnsTheFullObject() {
    String fulfill = createFunction(client, "fulfill");
    String reject = createFunction(client, "reject");
    JsonObject request = referenceOrchestration("order-processing", functionId, fulfill, reject);

    Reply reply = client.post("/orchestrations", request);

    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    assertThat(reply.header("Content-Type")).startsWith("application/json");
    JsonObject body = reply.json();
    String id = body.getString("id");
    assertThat(id).matches(ORCHESTRATION_ID);
    assertThat(reply.header("Location")).isEqualTo(ApiClient.BASE + workspace + "/orchestrations/" + id);
    assertThat(reply.header("ETag")).isEqualTo("\"1\"");
    assertThat(body.fieldNames()).containsExactlyInAnyOrder("id", "slug", "name", "description", "version",
      "isActive", "trigger", "steps", "createdAt", "updatedAt", "createdBy", "updatedBy");
    assertThat(body.getString("slug")).isEqualTo("order-processing");
    assertThat(body.getString("name")).isEqualTo("Order Processing Workflow");
    assertThat(body.getString("description")).isEqualTo("Process new orders through validation and fulfillment");
    assertThat(body.getValue("version")).isEqualTo(1);
    assertThat(body.getValue("isActive")).isEqualTo(true);
    assertThat(body.getJsonObject("trigger")).isEqualTo(request.getJsonObject("trigger"));
    assertThat(body.getJsonArray("steps")).isEqualTo(request.getJsonArray("steps"));
    assertThat(body.getString("createdAt")).matches(TIMESTAMP);
    assertThat(body.getString("updatedAt")).isEqualTo(body.getString("createdAt"));
    assertThat(Instant.parse(body.getString("createdAt")))
      .isCloseTo(Instant.now(), org.assertj.core.api.Assertions.within(60, ChronoUnit.SECONDS));
    assertThat(body.getString("createdBy")).isEqualTo("user-" + workspace);
    assertThat(body.getString("updatedBy")).isEqualTo("user-" + workspace);
  }

  @Test
  @DisplayName("integers written as 5e3 or 3.0 are stored and served as integers (5000, 3)")
  void integersInExponentOrDecimalFormAreNormalised() {
    String body = """
      {"slug": "exp-ints", "name": "x",
       "trigger": {"type": "scheduled", "scheduleType": "interval", "interval": 1e4},
       "steps": [
         {"id": "wait", "type": "delay", "delayMs": 5e3, "nextStepId": "call"},
         {"id": "call", "type": "compute", "functionId": "%s", "timeoutMs": 3.0e4,
          "retry": {"maxAttempts": 3.0, "backoffMs": 250.0, "backoffMultiplier": 1.5}}]}
      """.formatted(functionId);
    Reply created = client.post("/orchestrations", body);
    assertThat(created.status()).as(created.body()).isEqualTo(201);

    for (Reply reply : List.of(created, client.get("/orchestrations/exp-ints"))) {
      JsonObject json = reply.json();
      // the definition as served, without its timestamps (a time like 05:53:03.0xxZ contains "3.0")
      String definition = new JsonObject().put("trigger", json.getValue("trigger")).put("steps", json.getValue("steps"))
        .encode();
      assertThat(definition).doesNotContain("1e4", "5e3", "3.0e4", "10000.0", "5000.0", "30000.0", "3.0", "250.0");
      JsonArray steps = json.getJsonArray("steps");
      assertThat(json.getJsonObject("trigger").getValue("interval")).isEqualTo(10_000);
      assertThat(steps.getJsonObject(0).getValue("delayMs")).isEqualTo(5_000);
      assertThat(steps.getJsonObject(1).getValue("timeoutMs")).isEqualTo(30_000);
      assertThat(steps.getJsonObject(1).getJsonObject("retry").getMap())
        .containsEntry("maxAttempts", 3).containsEntry("backoffMs", 250).containsEntry("backoffMultiplier", 1.5);
    }
    String listed = client.get("/orchestrations").body();
    assertThat(listed).contains("\"interval\":10000").doesNotContain("10000.0");
    // the shared database outlives this test: its schedule must not fire in later tests' instances
    assertThat(client.delete("/orchestrations/exp-ints").status()).isEqualTo(204);
  }

  @Test
  @DisplayName("a one-time scheduledAt with an offset and microseconds is stored and served in UTC with milliseconds")
  void scheduledAtIsNormalised() {
    OffsetDateTime at = OffsetDateTime.now(ZoneOffset.ofHours(2)).plusHours(1).withNano(123_456_789);
    JsonObject body = simpleOrchestration("once-offset", functionId).put("trigger", new JsonObject()
      .put("type", "scheduled").put("scheduleType", "once").put("scheduledAt", at.toString()));

    JsonObject created = create(body);

    String expected = at.toInstant().truncatedTo(ChronoUnit.MILLIS).toString();
    assertThat(expected).endsWith(".123Z");
    assertThat(created.getJsonObject("trigger").getString("scheduledAt")).isEqualTo(expected);
    assertThat(client.get("/orchestrations/once-offset").json().getJsonObject("trigger").getString("scheduledAt"))
      .isEqualTo(expected);
    assertThat(client.delete("/orchestrations/once-offset").status()).isEqualTo(204);
  }

  @Test
  @DisplayName("isActive defaults to true and an explicit false is kept")
  void isActiveDefaultAndExplicit() {
    assertThat(createSimple("active-by-default").getBoolean("isActive")).isTrue();
    JsonObject inactive = create(simpleOrchestration("inactive", functionId).put("isActive", false));
    assertThat(inactive.getBoolean("isActive")).isFalse();
    assertThat(client.get("/orchestrations/inactive").json().getBoolean("isActive")).isFalse();
  }

  @Test
  @DisplayName("GET by id and by slug return the same object as the create response, with ETag \"1\"")
  void getByIdAndBySlug() {
    JsonObject created = createSimple("lookup");

    Reply byId = client.get("/orchestrations/" + created.getString("id"));
    Reply bySlug = client.get("/orchestrations/lookup");

    assertThat(byId.status()).isEqualTo(200);
    assertThat(bySlug.status()).isEqualTo(200);
    assertThat(byId.json()).isEqualTo(created);
    assertThat(bySlug.json()).isEqualTo(created);
    assertThat(byId.header("ETag")).isEqualTo("\"1\"");
    assertThat(bySlug.header("ETag")).isEqualTo("\"1\"");
  }

  @Test
  @DisplayName("GET of an unknown id answers 404 not_found")
  void getUnknown() {
    JsonObject body = assertError(client.get("/orchestrations/orch_doesnotexist"), 404, "not_found");
    assertThat(body.getString("message")).isEqualTo("Orchestration not found");
  }

  // ---- list ----

  @Test
  @DisplayName("list pages exactly: meta.total, last partial page, page past the end, pageSize 1 and 100")
  void listPagination() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(createSimple("page-" + i).getString("id"));
    }

    JsonObject all = listOk("?pageSize=100");
    assertThat(all.getJsonObject("meta")).isEqualTo(meta(5, 1, 100));
    assertThat(idsOf(all)).containsExactlyInAnyOrderElementsOf(ids);

    JsonObject defaults = listOk("");
    assertThat(defaults.getJsonObject("meta")).isEqualTo(meta(5, 1, 20));
    assertThat(defaults.getJsonArray("data")).hasSize(5);

    List<String> paged = new ArrayList<>();
    for (int page = 1; page <= 3; page++) {
      JsonObject reply = listOk("?pageSize=2&page=" + page);
      assertThat(reply.getJsonObject("meta")).isEqualTo(meta(5, page, 2));
      assertThat(reply.getJsonArray("data")).hasSize(page < 3 ? 2 : 1);
      paged.addAll(idsOf(reply));
    }
    assertThat(paged).containsExactlyElementsOf(idsOf(all));

    JsonObject beyond = listOk("?pageSize=2&page=4");
    assertThat(beyond.getJsonArray("data")).isEmpty();
    assertThat(beyond.getJsonObject("meta")).isEqualTo(meta(5, 4, 2));

    JsonObject single = listOk("?pageSize=1&page=5");
    assertThat(idsOf(single)).containsExactly(idsOf(all).get(4));
    assertThat(single.getJsonObject("meta")).isEqualTo(meta(5, 5, 1));
  }

  @Test
  @DisplayName("an empty workspace lists no data with total 0")
  void listEmpty() {
    JsonObject reply = listOk("");
    assertThat(reply.getJsonArray("data")).isEmpty();
    assertThat(reply.getJsonObject("meta")).isEqualTo(meta(0, 1, 20));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"pageSize=0", "pageSize=101", "pageSize=abc", "pageSize=-1", "pageSize=1.5"})
  @DisplayName("pageSize outside 1..100 or not an integer answers 400 naming pageSize")
  void badPageSize(String query) {
    Reply reply = client.get("/orchestrations?" + query);
    assertError(reply, 400, "validation_error");
    assertThat(detailFields(reply)).containsExactly("pageSize");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"page=0", "page=-3", "page=x"})
  @DisplayName("page below 1 or not an integer answers 400 naming page")
  void badPage(String query) {
    Reply reply = client.get("/orchestrations?" + query);
    assertError(reply, 400, "validation_error");
    assertThat(detailFields(reply)).containsExactly("page");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"sort=version", "order=up"})
  @DisplayName("an unknown sort field or order answers 400")
  void badSort(String query) {
    Reply reply = client.get("/orchestrations?" + query);
    assertError(reply, 400, "validation_error");
    assertThat(detailFields(reply)).containsExactly(query.substring(0, query.indexOf('=')));
  }

  @Test
  @DisplayName("list sorts by createdAt, updatedAt, name and slug in both orders; default createdAt desc")
  void listSorting() {
    // creation order, name order and slug order all differ
    String[][] rows = {{"charlie", "Beta"}, {"alpha", "Delta"}, {"delta", "Alpha"}, {"bravo", "Charlie"}};
    List<String> creationOrder = new ArrayList<>();
    String last = null;
    for (String[] row : rows) {
      if (last != null) {
        clockPast(last);
      }
      JsonObject created = create(simpleOrchestration(row[0], functionId).put("name", row[1]));
      creationOrder.add(row[0]);
      last = created.getString("createdAt");
    }
    // touch the first-created one: it becomes the most recently updated
    clockPast(last);
    JsonObject charlie = client.get("/orchestrations/charlie").json();
    assertThat(client.put("/orchestrations/charlie", updateBody(charlie)).status()).isEqualTo(200);

    assertThat(slugs(listOk(""))).containsExactlyElementsOf(reversed(creationOrder));
    assertThat(slugs(listOk("?sort=createdAt&order=asc"))).containsExactlyElementsOf(creationOrder);
    assertThat(slugs(listOk("?sort=createdAt&order=desc"))).containsExactlyElementsOf(reversed(creationOrder));
    assertThat(slugs(listOk("?sort=updatedAt&order=asc"))).containsExactly("alpha", "delta", "bravo", "charlie");
    assertThat(slugs(listOk("?sort=updatedAt&order=desc"))).containsExactly("charlie", "bravo", "delta", "alpha");
    assertThat(slugs(listOk("?sort=slug&order=asc"))).containsExactly("alpha", "bravo", "charlie", "delta");
    assertThat(slugs(listOk("?sort=slug&order=desc"))).containsExactly("delta", "charlie", "bravo", "alpha");
    assertThat(names(listOk("?sort=name&order=asc"))).containsExactly("Alpha", "Beta v2", "Charlie", "Delta");
    assertThat(names(listOk("?sort=name&order=desc"))).containsExactly("Delta", "Charlie", "Beta v2", "Alpha");
    assertThat(slugs(listOk("?sort=name"))).as("order defaults to desc").containsExactly("alpha", "bravo",
      "charlie", "delta");
  }

  @Test
  @DisplayName("list items carry every summary field but no steps")
  void listItemsHaveNoSteps() {
    JsonObject created = createSimple("summary");
    JsonObject item = listOk("").getJsonArray("data").getJsonObject(0);
    assertThat(item.containsKey("steps")).isFalse();
    JsonObject expected = created.copy();
    expected.remove("steps");
    assertThat(item).isEqualTo(expected);
  }

  private JsonObject listOk(String query) {
    Reply reply = client.get("/orchestrations" + query);
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.json();
  }

  private static JsonObject meta(long total, int page, int pageSize) {
    return new JsonObject().put("total", total).put("page", page).put("pageSize", pageSize);
  }

  private static List<String> idsOf(JsonObject page) {
    return field(page, "id");
  }

  private static List<String> slugs(JsonObject page) {
    return field(page, "slug");
  }

  private static List<String> names(JsonObject page) {
    return field(page, "name");
  }

  private static List<String> field(JsonObject page, String name) {
    JsonArray data = page.getJsonArray("data");
    List<String> out = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      out.add(data.getJsonObject(i).getString(name));
    }
    return out;
  }

  private static List<String> reversed(List<String> list) {
    List<String> copy = new ArrayList<>(list);
    java.util.Collections.reverse(copy);
    return copy;
  }

  // ---- update ----

  @Test
  @DisplayName("PUT answers 200, increments version, moves updatedAt, records the updater and sets ETag")
  void updateReplacesAndBumpsVersion() {
    JsonObject created = createSimple("to-update");
    String id = created.getString("id");
    clockPast(created.getString("updatedAt"));
    ApiClient other = client.withToken(app.token("editor-7", workspace));

    Reply reply = other.put("/orchestrations/" + id, updateBody(created));

    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    assertThat(reply.header("ETag")).isEqualTo("\"2\"");
    JsonObject updated = reply.json();
    assertThat(updated.getInteger("version")).isEqualTo(2);
    assertThat(updated.getString("id")).isEqualTo(id);
    assertThat(updated.getString("slug")).isEqualTo("to-update");
    assertThat(updated.getString("name")).isEqualTo(created.getString("name") + " v2");
    assertThat(updated.getString("description")).isEqualTo("changed");
    assertThat(updated.getString("createdAt")).isEqualTo(created.getString("createdAt"));
    assertThat(updated.getString("updatedAt")).matches(TIMESTAMP).isGreaterThan(created.getString("updatedAt"));
    assertThat(updated.getString("createdBy")).isEqualTo("user-" + workspace);
    assertThat(updated.getString("updatedBy")).isEqualTo("editor-7");
    assertThat(updated.getBoolean("isActive")).as("absent isActive keeps the current value").isTrue();

    Reply get = client.get("/orchestrations/" + id);
    assertThat(get.header("ETag")).isEqualTo("\"2\"");
    assertThat(get.json()).isEqualTo(updated);
  }

  @Test
  @DisplayName("PUT replaces steps, trigger and isActive")
  void updateReplacesDefinition() {
    JsonObject created = createSimple("replace-all");
    String other = createFunction(client, "other");
    JsonObject body = new JsonObject().put("name", "Scheduled now").put("isActive", false)
      .put("trigger", new JsonObject().put("type", "scheduled").put("scheduleType", "cron")
        .put("cronExpression", "0 9 * * *").put("timezone", "America/New_York"))
      .put("steps", new JsonArray().add(computeStep("first", other, "wait"))
        .add(new JsonObject().put("id", "wait").put("type", "delay").put("delayMs", 1000)));

    Reply reply = client.put("/orchestrations/replace-all", body);

    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    JsonObject updated = client.get("/orchestrations/" + created.getString("id")).json();
    assertThat(updated.getJsonObject("trigger")).isEqualTo(body.getJsonObject("trigger"));
    assertThat(updated.getJsonArray("steps")).isEqualTo(body.getJsonArray("steps"));
    assertThat(updated.getBoolean("isActive")).isFalse();
    assertThat(updated.getValue("description")).isNull();
  }

  @Test
  @DisplayName("PUT may echo the current slug but answers 400 on slug for a different one")
  void updateSlugMustMatch() {
    JsonObject created = createSimple("fixed-slug");
    String id = created.getString("id");

    assertThat(client.put("/orchestrations/" + id, updateBody(created).put("slug", "fixed-slug")).status())
      .isEqualTo(200);
    Reply changed = client.put("/orchestrations/" + id, updateBody(created).put("slug", "other-slug"));

    assertError(changed, 400, "validation_error");
    assertThat(detailFields(changed)).containsExactly("slug");
    assertThat(client.get("/orchestrations/" + id).json().getInteger("version")).isEqualTo(2);
    assertError(client.get("/orchestrations/other-slug"), 404, "not_found");
  }

  @Test
  @DisplayName("If-Match naming the current version (alone or in a list) succeeds; stale, weak or malformed: 412; * any")
  void ifMatch() {
    JsonObject created = createSimple("guarded");
    String id = created.getString("id");

    Reply current = putWithIfMatch(id, updateBody(created), "\"1\"");
    assertThat(current.status()).as(current.body()).isEqualTo(200);
    assertThat(current.header("ETag")).isEqualTo("\"2\"");

    JsonObject stale = assertError(putWithIfMatch(id, updateBody(created), "\"1\""), 412, "precondition_failed");
    assertThat(stale.getString("message")).isNotBlank();
    assertThat(client.get("/orchestrations/" + id).json().getInteger("version")).isEqualTo(2);

    Reply any = putWithIfMatch(id, updateBody(created), "*");
    assertThat(any.status()).as(any.body()).isEqualTo(200);
    assertThat(any.header("ETag")).isEqualTo("\"3\"");

    assertError(putWithIfMatch(id, updateBody(created), "\"not-a-version\""), 412, "precondition_failed");
    assertError(putWithIfMatch(id, updateBody(created), "W/\"3\""), 412, "precondition_failed");
    assertError(putWithIfMatch(id, updateBody(created), "\"1\", W/\"3\""), 412, "precondition_failed");
    assertThat(client.get("/orchestrations/" + id).json().getInteger("version")).isEqualTo(3);
    Reply listed = putWithIfMatch(id, updateBody(created), "\"2\", \"3\"");
    assertThat(listed.status()).as(listed.body()).isEqualTo(200);
    assertThat(listed.header("ETag")).isEqualTo("\"4\"");

    Reply bySlug = putWithIfMatch("guarded", updateBody(created), "\"4\"");
    assertThat(bySlug.status()).as(bySlug.body()).isEqualTo(200);
    assertThat(bySlug.json().getInteger("version")).isEqualTo(5);
  }

  @Test
  @DisplayName("PUT of an invalid definition answers 400 and keeps the stored version")
  void invalidUpdateKeepsVersion() {
    JsonObject created = createSimple("stays");
    JsonObject body = updateBody(created).put("trigger", new JsonObject().put("type", "event-driven"));

    Reply reply = client.put("/orchestrations/stays", body);

    assertError(reply, 400, "validation_error");
    assertThat(detailFields(reply)).containsExactly("trigger.eventType");
    assertThat(client.get("/orchestrations/stays").json()).isEqualTo(created);
  }

  // ---- delete ----

  @Test
  @DisplayName("DELETE answers 204; afterwards GET, PUT and DELETE answer 404 and the slug can be reused")
  void deleteThenGone() {
    JsonObject created = createSimple("short-lived");
    String id = created.getString("id");
    createSimple("survivor");

    Reply deleted = client.delete("/orchestrations/" + id);
    assertThat(deleted.status()).isEqualTo(204);
    assertThat(deleted.body()).isNullOrEmpty();

    assertThat(assertError(client.get("/orchestrations/" + id), 404, "not_found").getString("message"))
      .isEqualTo("Orchestration not found");
    assertError(client.get("/orchestrations/short-lived"), 404, "not_found");
    assertError(client.put("/orchestrations/" + id, updateBody(created)), 404, "not_found");
    assertError(client.delete("/orchestrations/" + id), 404, "not_found");
    assertError(client.delete("/orchestrations/short-lived"), 404, "not_found");

    JsonObject list = listOk("");
    assertThat(slugs(list)).containsExactly("survivor");
    assertThat(list.getJsonObject("meta").getLong("total")).isEqualTo(1);

    JsonObject again = createSimple("short-lived");
    assertThat(again.getString("id")).isNotEqualTo(id);
    assertThat(again.getInteger("version")).isEqualTo(1);
    assertThat(client.get("/orchestrations/short-lived").json().getString("id")).isEqualTo(again.getString("id"));
  }

  @Test
  @DisplayName("DELETE by slug works too")
  void deleteBySlug() {
    createSimple("by-slug");
    assertThat(client.delete("/orchestrations/by-slug").status()).isEqualTo(204);
    assertError(client.get("/orchestrations/by-slug"), 404, "not_found");
  }

  // ---- conflicts and tenancy ----

  @Test
  @DisplayName("a duplicate slug answers 409 conflict naming the slug")
  void duplicateSlug() {
    createSimple("order-processing");
    Reply reply = client.post("/orchestrations", simpleOrchestration("order-processing", functionId));
    JsonObject body = assertError(reply, 409, "conflict");
    assertThat(body.getString("message")).isEqualTo("Orchestration with slug 'order-processing' already exists");
  }

  @Test
  @DisplayName("the same slug may exist in two workspaces")
  void slugPerWorkspace() {
    createSimple("shared-slug");
    ApiClient other = app.client(TestApp.randomWorkspace());
    String otherFunction = createFunction(other, "fn");
    assertThat(other.post("/orchestrations", simpleOrchestration("shared-slug", otherFunction)).status())
      .isEqualTo(201);
  }

  @Test
  @DisplayName("an http-trigger path taken in the workspace answers 409; another workspace may use it")
  void duplicateHttpTriggerPath() {
    create(simpleOrchestration("hook-one", functionId).put("trigger", httpTrigger("/webhooks/stripe")));

    Reply duplicate = client.post("/orchestrations",
      simpleOrchestration("hook-two", functionId).put("trigger", httpTrigger("/webhooks/stripe")));
    assertError(duplicate, 409, "conflict");

    JsonObject other = createSimple("hook-three");
    Reply update = client.put("/orchestrations/hook-three",
      updateBody(other).put("trigger", httpTrigger("/webhooks/stripe")));
    assertError(update, 409, "conflict");

    ApiClient otherWorkspace = app.client(TestApp.randomWorkspace());
    String otherFunction = createFunction(otherWorkspace, "fn");
    Reply elsewhere = otherWorkspace.post("/orchestrations",
      simpleOrchestration("hook-one", otherFunction).put("trigger", httpTrigger("/webhooks/stripe")));
    assertThat(elsewhere.status()).as(elsewhere.body()).isEqualTo(201);
  }

  @Test
  @DisplayName("a compute step naming a function of another workspace answers 400 on its functionId")
  void foreignFunction() {
    ApiClient other = app.client(TestApp.randomWorkspace());
    String foreign = createFunction(other, "foreign");

    Reply reply = client.post("/orchestrations", simpleOrchestration("uses-foreign", foreign));

    assertError(reply, 400, "validation_error");
    assertThat(detailFields(reply)).containsExactly("steps[0].functionId");
  }

  @Test
  @DisplayName("another workspace cannot read, update or delete an orchestration by id or slug")
  void workspaceIsolation() {
    JsonObject created = createSimple("private");
    ApiClient other = app.client(TestApp.randomWorkspace());
    for (String ref : List.of(created.getString("id"), "private")) {
      assertError(other.get("/orchestrations/" + ref), 404, "not_found");
      assertError(other.put("/orchestrations/" + ref, updateBody(created)), 404, "not_found");
      assertError(other.delete("/orchestrations/" + ref), 404, "not_found");
    }
    assertThat(other.get("/orchestrations").json().getJsonObject("meta").getLong("total")).isZero();
    assertThat(client.get("/orchestrations/private").json()).isEqualTo(created);
  }

  // ---- validation ----

  static Stream<Arguments> invalidDefinitions() {
    return Stream.of(
      rule("slug pattern", "slug", b -> b.put("slug", "Order_Processing")),
      rule("slug longer than 64", "slug", b -> b.put("slug", "a".repeat(65))),
      rule("missing name", "name", b -> b.remove("name")),
      rule("missing trigger.eventType", "trigger.eventType", b -> b.put("trigger",
        new JsonObject().put("type", "event-driven"))),
      rule("unknown event type", "trigger.eventType", b -> b.put("trigger",
        new JsonObject().put("type", "event-driven").put("eventType", "record.exploded"))),
      rule("unknown trigger type", "trigger.type", b -> b.getJsonObject("trigger").put("type", "telepathy")),
      rule("unknown step type", "steps[2].type", b -> step(b, 2).put("type", "teleport")),
      rule("dangling nextStepId", "steps[0].nextStepId", b -> step(b, 0).put("nextStepId", "nowhere")),
      rule("dangling defaultNextStepId", "steps[1].defaultNextStepId",
        b -> step(b, 1).put("defaultNextStepId", "nowhere")),
      rule("unreachable step", "steps[4].id", b -> steps(b).add(computeStep("orphan", fn(b), null))),
      rule("duplicate step id", "steps[3].id", b -> {
        step(b, 3).put("id", "fulfill");
        step(b, 1).put("defaultNextStepId", "fulfill");
      }),
      rule("bad step id", "steps[3].id", b -> {
        step(b, 3).put("id", "has space");
        step(b, 1).put("defaultNextStepId", "has space");
      }),
      rule("bad condition op", "steps[1].cases[0].conditions[0].op", b -> condition(b).put("op", "like")),
      rule("value missing for eq", "steps[1].cases[0].conditions[0].value", b -> condition(b).remove("value")),
      rule("in with a non-array", "steps[1].cases[0].conditions[0].value",
        b -> condition(b).put("op", "in").put("value", "premium")),
      rule("gt with a string", "steps[1].cases[0].conditions[0].value",
        b -> condition(b).put("op", "gt").put("value", "100")),
      rule("path with an unknown step id", "steps[1].cases[0].conditions[0].path",
        b -> condition(b).put("path", "steps.nope.output.isValid")),
      rule("path with an unknown root", "steps[1].cases[0].conditions[0].path",
        b -> condition(b).put("path", "record.status")),
      rule("bad cron", "trigger.cronExpression", b -> b.put("trigger", scheduled("cron")
        .put("cronExpression", "61 25 * * *"))),
      rule("cron with 6 fields", "trigger.cronExpression", b -> b.put("trigger", scheduled("cron")
        .put("cronExpression", "0 0 9 * * *"))),
      rule("bad timezone", "trigger.timezone", b -> b.put("trigger", scheduled("cron")
        .put("cronExpression", "0 9 * * *").put("timezone", "Mars/Olympus_Mons"))),
      rule("interval 999", "trigger.interval", b -> b.put("trigger", scheduled("interval").put("interval", 999))),
      rule("scheduledAt in the past", "trigger.scheduledAt", b -> b.put("trigger", scheduled("once")
        .put("scheduledAt", "2020-01-01T00:00:00Z"))),
      rule("scheduledAt not an instant", "trigger.scheduledAt", b -> b.put("trigger", scheduled("once")
        .put("scheduledAt", "tomorrow"))),
      rule("http-trigger path without leading slash", "trigger.path",
        b -> b.put("trigger", httpTrigger("webhooks/stripe"))),
      rule("201 steps", "steps", b -> {
        JsonArray many = new JsonArray();
        for (int i = 0; i < 201; i++) {
          many.add(computeStep("s" + i, fn(b), i < 200 ? "s" + (i + 1) : null));
        }
        b.put("steps", many);
      }),
      rule("no steps", "steps", b -> b.put("steps", new JsonArray())),
      rule("negative timeoutMs", "steps[0].timeoutMs", b -> step(b, 0).put("timeoutMs", -5)),
      rule("name of the wrong type", "name", b -> b.put("name", 42)));
  }

  private static Arguments rule(String name, String field, Consumer<JsonObject> mutation) {
    return Arguments.of(name, field, mutation);
  }

  private static JsonArray steps(JsonObject body) {
    return body.getJsonArray("steps");
  }

  private static JsonObject step(JsonObject body, int index) {
    return steps(body).getJsonObject(index);
  }

  private static String fn(JsonObject body) {
    return step(body, 0).getString("functionId");
  }

  private static JsonObject condition(JsonObject body) {
    return step(body, 1).getJsonArray("cases").getJsonObject(0).getJsonArray("conditions").getJsonObject(0);
  }

  private static JsonObject scheduled(String scheduleType) {
    return new JsonObject().put("type", "scheduled").put("scheduleType", scheduleType).put("timezone", "UTC");
  }

  @ParameterizedTest(name = "{0} → {1}")
  @MethodSource("invalidDefinitions")
  @DisplayName("each broken rule answers 400 validation_error naming exactly the offending field")
  void validationRule(String rule, String field, Consumer<JsonObject> mutation) {
    JsonObject body = referenceOrchestration("rule-check", functionId, functionId, functionId);
    mutation.accept(body);

    Reply reply = client.post("/orchestrations", body);

    JsonObject error = assertError(reply, 400, "validation_error");
    assertThat(detailFields(reply)).as(reply.body()).containsExactly(field);
    assertThat(error.getJsonArray("details").getJsonObject(0).getString("message")).isNotBlank();
    assertThat(listOk("").getJsonObject("meta").getLong("total")).isZero();
  }

  @Test
  @DisplayName("a missing name is reported as {field: name, message: required}")
  void missingNameMessage() {
    JsonObject body = simpleOrchestration("no-name", functionId);
    body.remove("name");
    Reply reply = client.post("/orchestrations", body);
    assertError(reply, 400, "validation_error");
    assertThat(reply.json().getJsonArray("details"))
      .containsExactly(new JsonObject().put("field", "name").put("message", "required"));
  }

  @Test
  @DisplayName("a missing trigger.eventType is reported exactly as the reference shows")
  void missingEventTypeMessage() {
    JsonObject body = simpleOrchestration("no-event", functionId)
      .put("trigger", new JsonObject().put("type", "event-driven"));
    Reply reply = client.post("/orchestrations", body);
    assertError(reply, 400, "validation_error");
    assertThat(reply.json()).isEqualTo(new JsonObject().put("error", "validation_error")
      .put("message", "Invalid request body").put("details", new JsonArray()
        .add(new JsonObject().put("field", "trigger.eventType").put("message", "required"))));
  }

  @Test
  @DisplayName("a body with several problems reports all of them at once")
  void severalProblems() {
    JsonObject body = referenceOrchestration("Bad Slug", functionId, functionId, functionId)
      .put("trigger", new JsonObject().put("type", "event-driven"));
    step(body, 0).put("nextStepId", "nowhere");
    condition(body).put("op", "gt").put("value", "ten");
    step(body, 3).put("timeoutMs", 0);

    Reply reply = client.post("/orchestrations", body);

    assertError(reply, 400, "validation_error");
    assertThat(detailFields(reply)).containsExactlyInAnyOrder("slug", "trigger.eventType", "steps[0].nextStepId",
      "steps[1].cases[0].conditions[0].value", "steps[3].timeoutMs");
  }

  static Stream<Arguments> unstorableValues() {
    return Stream.of(
      Arguments.of("NUL in name", "name", "\"a\\u0000b\"", (Consumer<JsonObject>) b -> b.put("name", RAW)),
      Arguments.of("NUL in description", "description", "\"\\u0000\"",
        (Consumer<JsonObject>) b -> b.put("description", RAW)),
      Arguments.of("unpaired surrogate in a step name", "steps[0].name", "\"x\\ud800\"",
        (Consumer<JsonObject>) b -> step(b, 0).put("name", RAW)),
      Arguments.of("NUL in an extra trigger field", "trigger.note", "\"\\u0000\"",
        (Consumer<JsonObject>) b -> b.getJsonObject("trigger").put("note", RAW)),
      Arguments.of("1e309 as an eq value", "steps[1].cases[0].conditions[0].value", "1e309",
        (Consumer<JsonObject>) b -> condition(b).put("value", RAW)),
      Arguments.of("-1e309 in an extra step field", "steps[2].weight", "-1e309",
        (Consumer<JsonObject>) b -> step(b, 2).put("weight", RAW)),
      Arguments.of("NUL in a field name", "steps[3].meta", "{\"a\\u0000\":1}",
        (Consumer<JsonObject>) b -> step(b, 3).put("meta", RAW)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unstorableValues")
  @DisplayName("text PostgreSQL cannot store as sent and non-finite numbers answer 400 naming the field, not 500")
  void unstorableValue(String name, String field, String token, Consumer<JsonObject> placement) {
    JsonObject body = referenceOrchestration("unstorable", functionId, functionId, functionId);
    placement.accept(body);

    Reply created = client.send(HttpMethod.POST, "/orchestrations", withRaw(body, token),
      MultiMap.caseInsensitiveMultiMap());
    assertError(created, 400, "validation_error");
    assertThat(detailFields(created)).containsExactly(field);

    JsonObject existing = createSimple("existing");
    Reply updated = client.send(HttpMethod.PUT, "/orchestrations/existing", withRaw(body.copy(), token),
      MultiMap.caseInsensitiveMultiMap());
    assertError(updated, 400, "validation_error");
    assertThat(client.get("/orchestrations/existing").json()).isEqualTo(existing);
  }

  // ---- signed http-triggers ----

  @Test
  @DisplayName("a signed http-trigger shows its generated whsec_ secret in full on create, masked on GET")
  void signingSecretMasking() {
    JsonObject trigger = httpTrigger("/webhooks/signed").put("validateSignature", true);
    JsonObject created = create(simpleOrchestration("signed", functionId).put("trigger", trigger));

    String secret = created.getJsonObject("trigger").getString("signingSecret");
    assertThat(secret).startsWith("whsec_").doesNotContain("*").hasSizeGreaterThan(20);

    JsonObject read = client.get("/orchestrations/signed").json();
    String masked = read.getJsonObject("trigger").getString("signingSecret");
    assertThat(masked).isNotEqualTo(secret).contains("****");
    assertThat(read.getJsonObject("trigger").fieldNames())
      .containsExactlyInAnyOrder("type", "path", "validateSignature", "signingSecret");

    JsonObject listed = listOk("").getJsonArray("data").getJsonObject(0);
    assertThat(listed.getJsonObject("trigger").getString("signingSecret")).isEqualTo(masked);

    // sending the masked value back keeps the secret: it stays masked the same way
    Reply update = client.put("/orchestrations/signed", updateBody(read));
    assertThat(update.status()).as(update.body()).isEqualTo(200);
    assertThat(client.get("/orchestrations/signed").json().getJsonObject("trigger").getString("signingSecret"))
      .isEqualTo(masked);
  }

  @Test
  @DisplayName("items sort newest first by default even across pages")
  void defaultOrderAcrossPages() {
    String last = null;
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      if (last != null) {
        clockPast(last);
      }
      JsonObject o = createSimple("newest-" + i);
      created.add(o.getString("id"));
      last = o.getString("createdAt");
    }
    List<String> paged = new ArrayList<>();
    for (int page = 1; page <= 3; page++) {
      paged.addAll(idsOf(listOk("?pageSize=1&page=" + page)));
    }
    assertThat(paged).containsExactlyElementsOf(reversed(created));
    assertThat(created).isSortedAccordingTo(Comparator.naturalOrder());
  }
}
