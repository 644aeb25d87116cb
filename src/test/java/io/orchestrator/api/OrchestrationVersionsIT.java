package io.orchestrator.api;

import static io.orchestrator.api.ApiTestSupport.assertError;
import static io.orchestrator.api.ApiTestSupport.clockPast;
import static io.orchestrator.api.ApiTestSupport.createFunction;
import static io.orchestrator.api.ApiTestSupport.detailFields;
import static io.orchestrator.api.ApiTestSupport.httpTrigger;
import static io.orchestrator.api.ApiTestSupport.simpleOrchestration;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.fixtures.ApiClient;
import io.orchestrator.fixtures.ApiClient.Reply;
import io.orchestrator.fixtures.TestApp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** GET /orchestrations/{id}/versions and /versions/{version}, black box against real PostgreSQL and Redis. */
class OrchestrationVersionsIT {

  private static final List<String> SUMMARY_FIELDS = List.of("id", "slug", "name", "description", "version",
    "isActive", "trigger", "createdAt", "updatedAt", "createdBy", "updatedBy");

  private static TestApp app;

  private ApiClient client;
  private String functionId;

  @BeforeAll
  static void startApp() {
    app = TestApp.start();
  }

  @AfterAll
  static void stopApp() {
    if (app != null) {
      app.close();
    }
  }

  @BeforeEach
  void newWorkspace() {
    client = app.client(TestApp.randomWorkspace());
    functionId = createFunction(client, "fn");
  }

  /** Creates {@code slug} and updates it until it has {@code count} versions; the create and update responses. */
  private List<JsonObject> saveVersions(String slug, int count) {
    Reply created = client.post("/orchestrations", simpleOrchestration(slug, functionId));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    List<JsonObject> saved = new ArrayList<>(List.of(created.json()));
    for (int v = 2; v <= count; v++) {
      JsonObject previous = saved.get(saved.size() - 1);
      clockPast(previous.getString("updatedAt"));
      JsonObject body = previous.copy().put("name", "Name " + v).put("description", "saved as " + v)
        .put("isActive", v % 2 == 1);
      Reply updated = client.put("/orchestrations/" + slug, body);
      assertThat(updated.status()).as(updated.body()).isEqualTo(200);
      saved.add(updated.json());
    }
    return saved;
  }

  private JsonObject listOk(String path) {
    Reply reply = client.get(path);
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.json();
  }

  private static List<Integer> versions(JsonObject page) {
    List<Integer> versions = new ArrayList<>();
    page.getJsonArray("data").forEach(item -> versions.add(((JsonObject) item).getInteger("version")));
    return versions;
  }

  private static JsonObject meta(long total, int page, int pageSize) {
    return new JsonObject().put("total", total).put("page", page).put("pageSize", pageSize);
  }

  // ---- the list ----

  @Test
  @DisplayName("the list holds every version newest first, as summaries (no steps) of what each version saved")
  void listNewestFirst() {
    List<JsonObject> saved = saveVersions("orders", 3);
    String id = saved.get(0).getString("id");

    JsonObject page = listOk("/orchestrations/" + id + "/versions");

    assertThat(versions(page)).containsExactly(3, 2, 1);
    assertThat(page.getJsonObject("meta")).isEqualTo(meta(3, 1, 20));
    for (int i = 0; i < 3; i++) {
      JsonObject item = page.getJsonArray("data").getJsonObject(i);
      JsonObject expected = saved.get(2 - i).copy();
      expected.remove("steps");
      assertThat(item.fieldNames()).containsExactlyInAnyOrderElementsOf(SUMMARY_FIELDS);
      assertThat(item).isEqualTo(expected);
    }
    assertThat(page.getJsonArray("data").getJsonObject(2).getString("updatedAt"))
      .isEqualTo(saved.get(0).getString("createdAt"));
  }

  @Test
  @DisplayName("the list pages exactly: meta.total is the number of versions, a page past the end is empty")
  void listPaging() {
    String id = saveVersions("paged", 5).get(0).getString("id");

    JsonObject first = listOk("/orchestrations/" + id + "/versions?page=1&pageSize=2");
    JsonObject last = listOk("/orchestrations/" + id + "/versions?page=3&pageSize=2");
    JsonObject past = listOk("/orchestrations/" + id + "/versions?page=4&pageSize=2");

    assertThat(versions(first)).containsExactly(5, 4);
    assertThat(versions(listOk("/orchestrations/paged/versions?page=2&pageSize=2"))).containsExactly(3, 2);
    assertThat(versions(last)).containsExactly(1);
    assertThat(past.getJsonArray("data")).isEmpty();
    assertThat(past.getJsonObject("meta")).isEqualTo(meta(5, 4, 2));
    assertThat(versions(listOk("/orchestrations/paged/versions?pageSize=100"))).containsExactly(5, 4, 3, 2, 1);
  }

  @Test
  @DisplayName("a slug names the same orchestration as its id")
  void listBySlug() {
    String id = saveVersions("by-slug", 2).get(0).getString("id");

    assertThat(listOk("/orchestrations/by-slug/versions")).isEqualTo(listOk("/orchestrations/" + id + "/versions"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"page=0", "page=x", "pageSize=0", "pageSize=101", "pageSize=1.5"})
  @DisplayName("page below 1, pageSize outside 1..100 or not integers answer 400 naming the parameter")
  void listBadPaging(String query) {
    saveVersions("bad-paging", 1);

    Reply reply = client.get("/orchestrations/bad-paging/versions?" + query);

    assertError(reply, 400, "validation_error");
    assertThat(detailFields(reply)).containsExactly(query.substring(0, query.indexOf('=')));
  }

  @Test
  @DisplayName("an unknown id or slug answers 404 not_found")
  void listUnknown() {
    assertError(client.get("/orchestrations/orch_00000000000000000000000000/versions"), 404, "not_found");
    assertError(client.get("/orchestrations/no-such-slug/versions"), 404, "not_found");
  }

  // ---- one version ----

  @Test
  @DisplayName("version n is the whole definition saved as n; the current one equals Get Orchestration's body")
  void getVersion() {
    List<JsonObject> saved = saveVersions("full", 3);
    String id = saved.get(0).getString("id");

    for (int v = 1; v <= 3; v++) {
      Reply reply = client.get("/orchestrations/" + id + "/versions/" + v);
      assertThat(reply.status()).as(reply.body()).isEqualTo(200);
      assertThat(reply.json()).isEqualTo(saved.get(v - 1));
      assertThat(reply.header("ETag")).isNull();
    }
    assertThat(client.get("/orchestrations/full/versions/3").json())
      .isEqualTo(client.get("/orchestrations/full").json());
    assertThat(client.get("/orchestrations/full/versions/1").json().getString("name")).isEqualTo("Name of full");
  }

  @Test
  @DisplayName("an older version's steps and trigger are served as saved, even after the current ones changed")
  void olderDefinitionKept() {
    JsonObject created = saveVersions("changing", 1).get(0);
    String other = createFunction(client, "other");
    JsonObject body = created.copy().put("trigger", new JsonObject().put("type", "event-driven")
        .put("eventType", "record.updated"))
      .put("steps", new JsonArray().add(ApiTestSupport.computeStep("a", other, "b"))
        .add(ApiTestSupport.computeStep("b", functionId, null)));
    assertThat(client.put("/orchestrations/changing", body).status()).isEqualTo(200);

    JsonObject first = client.get("/orchestrations/changing/versions/1").json();
    JsonObject second = client.get("/orchestrations/changing/versions/2").json();

    assertThat(first.getJsonArray("steps")).isEqualTo(created.getJsonArray("steps"));
    assertThat(first.getJsonObject("trigger")).isEqualTo(new JsonObject().put("type", "on-demand"));
    assertThat(second.getJsonArray("steps")).hasSize(2);
    assertThat(second.getJsonObject("trigger").getString("eventType")).isEqualTo("record.updated");
  }

  @Test
  @DisplayName("a signing secret stays masked in every version, as on Get Orchestration")
  void secretsMasked() {
    JsonObject trigger = httpTrigger("/webhooks/versioned").put("validateSignature", true);
    Reply created = client.post("/orchestrations", simpleOrchestration("signed", functionId).put("trigger", trigger));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String secret = created.json().getJsonObject("trigger").getString("signingSecret");

    JsonObject version = client.get("/orchestrations/signed/versions/1").json();
    JsonObject listed = listOk("/orchestrations/signed/versions").getJsonArray("data").getJsonObject(0);

    String masked = client.get("/orchestrations/signed").json().getJsonObject("trigger").getString("signingSecret");
    assertThat(masked).isNotEqualTo(secret);
    assertThat(version.getJsonObject("trigger").getString("signingSecret")).isEqualTo(masked);
    assertThat(listed.getJsonObject("trigger").getString("signingSecret")).isEqualTo(masked);
    assertThat(version.encode()).doesNotContain(secret);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"0", "-1", "abc", "1.5", "0x1", "2147483648", "99999999999"})
  @DisplayName("a version that is not an integer of at least 1 answers 400 naming version")
  void badVersionNumber(String version) {
    saveVersions("bad-version", 1);

    Reply reply = client.get("/orchestrations/bad-version/versions/" + version);

    assertError(reply, 400, "validation_error");
    assertThat(detailFields(reply)).containsExactly("version");
  }

  @Test
  @DisplayName("a version the orchestration never had answers 404 not_found; so does any version of an unknown one")
  void unknownVersion() {
    saveVersions("two", 2);

    JsonObject error = assertError(client.get("/orchestrations/two/versions/3"), 404, "not_found");
    assertThat(error.getString("message")).contains("no version 3");
    assertError(client.get("/orchestrations/orch_00000000000000000000000000/versions/1"), 404, "not_found");
    assertError(client.get("/orchestrations/nothing/versions/1"), 404, "not_found");
  }

  // ---- deletion and workspaces ----

  @Test
  @DisplayName("a deleted orchestration's versions stay readable by its id (as its runs are), not by its slug")
  void deletedReadableById() {
    List<JsonObject> saved = saveVersions("gone", 2);
    String id = saved.get(0).getString("id");
    assertThat(client.delete("/orchestrations/gone").status()).isEqualTo(204);

    assertThat(versions(listOk("/orchestrations/" + id + "/versions"))).containsExactly(2, 1);
    assertThat(client.get("/orchestrations/" + id + "/versions/1").json()).isEqualTo(saved.get(0));
    assertError(client.get("/orchestrations/gone/versions"), 404, "not_found");
    assertError(client.get("/orchestrations/gone/versions/1"), 404, "not_found");
    assertError(client.get("/orchestrations/" + id), 404, "not_found");

    // the slug, free again, names the new orchestration; the old id still names the old one
    String reused = saveVersions("gone", 1).get(0).getString("id");
    assertThat(listOk("/orchestrations/gone/versions").getJsonArray("data").getJsonObject(0).getString("id"))
      .isEqualTo(reused);
    assertThat(listOk("/orchestrations/gone/versions").getJsonObject("meta").getLong("total")).isEqualTo(1);
    assertThat(listOk("/orchestrations/" + id + "/versions").getJsonObject("meta").getLong("total")).isEqualTo(2);
  }

  @Test
  @DisplayName("another workspace's id or slug answers 404, live or deleted; a token without the workspace 403")
  void otherWorkspaces() {
    String id = saveVersions("mine", 2).get(0).getString("id");
    ApiClient other = app.client(TestApp.randomWorkspace());

    for (String ref : List.of(id, "mine")) {
      assertError(other.get("/orchestrations/" + ref + "/versions"), 404, "not_found");
      assertError(other.get("/orchestrations/" + ref + "/versions/1"), 404, "not_found");
    }
    assertThat(client.delete("/orchestrations/" + id).status()).isEqualTo(204);
    assertError(other.get("/orchestrations/" + id + "/versions"), 404, "not_found");
    assertError(other.get("/orchestrations/" + id + "/versions/2"), 404, "not_found");

    ApiClient outsider = client.withToken(app.token("outsider", other.workspace));
    assertError(outsider.get("/orchestrations/" + id + "/versions"), 403, "forbidden");
    assertError(outsider.get("/orchestrations/" + id + "/versions/1"), 403, "forbidden");
  }
}
