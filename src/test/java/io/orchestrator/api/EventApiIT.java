package io.orchestrator.api;

import static io.orchestrator.api.ApiTestSupport.assertError;
import static io.orchestrator.api.ApiTestSupport.detailFields;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.fixtures.ApiClient;
import io.orchestrator.fixtures.ApiClient.Reply;
import io.orchestrator.fixtures.SharedApp;
import io.orchestrator.fixtures.TestApp;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code POST /events}: which orchestrations an event starts, the runs' shape, deduplication and validation. API
 * only: no worker picks the runs up, so every run stays exactly as the event created it.
 */
@SharedApp.Config("ORCH_ROLES=api")
class EventApiIT {

  private static final Pattern EVENT_ID = Pattern.compile("evt_[0-9a-z]{26}");
  private static final Pattern RUN_ID = Pattern.compile("run_[0-9a-z]{26}");

  private static TestApp app;

  private ApiClient client;

  @BeforeAll
  static void startApp(TestApp shared) {
    app = shared;
  }

  @BeforeEach
  void newWorkspace() {
    client = app.client(TestApp.randomWorkspace());
  }

  /** An orchestration with an event-driven trigger and one long delay step; returns its id. */
  static String createEventDriven(ApiClient client, String slug, String eventType, String structureSlug,
                                  boolean active) {
    JsonObject trigger = new JsonObject().put("type", "event-driven").put("eventType", eventType);
    if (structureSlug != null) {
      trigger.put("structureSlug", structureSlug);
    }
    JsonObject body = new JsonObject().put("slug", slug).put("name", "Name of " + slug).put("isActive", active)
      .put("trigger", trigger)
      .put("steps", new JsonArray().add(new JsonObject().put("id", "wait").put("type", "delay")
        .put("delayMs", 3_600_000)));
    Reply reply = client.post("/orchestrations", body);
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    return reply.json().getString("id");
  }

  private String createEventDriven(String slug, String eventType, String structureSlug) {
    return createEventDriven(client, slug, eventType, structureSlug, true);
  }

  private static JsonArray runsOf(ApiClient client, String orchestrationId) {
    Reply reply = client.get("/orchestrations/" + orchestrationId + "/runs?pageSize=100");
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.json().getJsonArray("data");
  }

  private JsonArray runsOf(String orchestrationId) {
    return runsOf(client, orchestrationId);
  }

  private JsonObject publish(JsonObject event) {
    Reply reply = client.post("/events", event);
    assertThat(reply.status()).as(reply.body()).isEqualTo(202);
    assertThat(reply.header("Content-Type")).startsWith("application/json");
    return reply.json();
  }

  private static List<String> orchestrationIds(JsonObject accepted) {
    return accepted.getJsonArray("runs").stream().map(run -> ((JsonObject) run).getString("orchestrationId"))
      .toList();
  }

  @Test
  @DisplayName("an event holding what cannot be stored as sent (U+0000, 1e400) answers 400 and starts nothing")
  void unstorableEventRejected() {
    String orchestration = createEventDriven("unstorable-events", "record.created", null);
    String body = "{\"eventType\": \"record.created\", \"data\": {\"nul\": \"a\\u0000b\", \"big\": 1e400}}";

    Reply reply = client.send(HttpMethod.POST, "/events", body, MultiMap.caseInsensitiveMultiMap());

    assertError(reply, 400, "validation_error");
    assertThat(detailFields(reply)).containsExactlyInAnyOrder("data.nul", "data.big");
    assertThat(runsOf(orchestration)).isEmpty();
  }

  @Test
  @DisplayName("an event starts one pending run per orchestration whose trigger matches its type and structureSlug")
  void matchesTypeAndStructure() {
    String ordersCreated = createEventDriven("orders-created", "record.created", "orders");
    String anyCreated = createEventDriven("any-created", "record.created", null);
    String ordersUpdated = createEventDriven("orders-updated", "record.updated", "orders");
    String invoicesCreated = createEventDriven("invoices-created", "record.created", "invoices");

    JsonObject accepted = publish(new JsonObject().put("eventType", "record.created").put("structureSlug", "orders")
      .put("recordId", "rec-1"));

    assertThat(accepted.getString("eventId")).matches(EVENT_ID);
    assertThat(orchestrationIds(accepted)).containsExactlyInAnyOrder(ordersCreated, anyCreated);
    for (Object o : accepted.getJsonArray("runs")) {
      JsonObject run = (JsonObject) o;
      assertThat(run.fieldNames()).containsExactlyInAnyOrder("id", "orchestrationId", "status");
      assertThat(run.getString("id")).matches(RUN_ID);
      assertThat(run.getString("status")).isEqualTo("pending");
      assertThat(runsOf(run.getString("orchestrationId")).getJsonObject(0).getString("id"))
        .isEqualTo(run.getString("id"));
    }
    assertThat(runsOf(ordersUpdated)).isEmpty();
    assertThat(runsOf(invoicesCreated)).isEmpty();
  }

  @Test
  @DisplayName("an event without structureSlug does not match a trigger that names one")
  void eventWithoutStructure() {
    String orders = createEventDriven("orders", "record.updated", "orders");
    String any = createEventDriven("any", "record.updated", null);

    JsonObject accepted = publish(new JsonObject().put("eventType", "record.updated"));

    assertThat(orchestrationIds(accepted)).containsExactly(any);
    assertThat(runsOf(orders)).isEmpty();
  }

  @Test
  @DisplayName("an event nobody listens for answers 202 with no runs")
  void noMatch() {
    createEventDriven("deleted-only", "record.deleted", null);

    JsonObject accepted = publish(new JsonObject().put("eventType", "record.created").put("eventId", "nobody"));

    assertThat(accepted).isEqualTo(new JsonObject().put("eventId", "nobody").put("runs", new JsonArray()));
  }

  @Test
  @DisplayName("inactive orchestrations get no run, and one deactivated by an update neither")
  void inactiveGetNothing() {
    String inactive = createEventDriven(client, "inactive", "record.created", null, false);
    String deactivated = createEventDriven("deactivated", "record.created", null);
    JsonObject update = client.get("/orchestrations/" + deactivated).json();
    JsonObject body = new JsonObject().put("name", update.getString("name")).put("isActive", false)
      .put("trigger", update.getJsonObject("trigger")).put("steps", update.getJsonArray("steps"));
    assertThat(client.put("/orchestrations/" + deactivated, body).status()).isEqualTo(200);

    JsonObject accepted = publish(new JsonObject().put("eventType", "record.created"));

    assertThat(accepted.getJsonArray("runs")).isEmpty();
    assertThat(runsOf(inactive)).isEmpty();
    assertThat(runsOf(deactivated)).isEmpty();
  }

  @Test
  @DisplayName("a deleted orchestration gets no run, while a live one with the same trigger does")
  void deletedGetNothing() {
    String deleted = createEventDriven("gone", "record.deleted", "orders");
    assertThat(client.delete("/orchestrations/" + deleted).status()).isEqualTo(204);
    String live = createEventDriven("live", "record.deleted", "orders");

    JsonObject accepted = publish(new JsonObject().put("eventType", "record.deleted").put("structureSlug", "orders"));

    assertThat(orchestrationIds(accepted)).containsExactly(live);
    assertThat(runsOf(deleted)).isEmpty();
  }

  @Test
  @DisplayName("the run's input is {event, workspaceSlug, recordSlug, recordId, data} and its triggerMetadata "
    + "{eventType, recordId, eventId}")
  void runShape() {
    String id = createEventDriven("shape", "record.created", "orders");
    JsonObject data = new JsonObject().put("total", 99.5).put("items", new JsonArray().add("a").add("b"));

    JsonObject accepted = publish(new JsonObject().put("eventType", "record.created").put("structureSlug", "orders")
      .put("recordId", "rec-42").put("data", data).put("eventId", "evt-shape-1"));

    String runId = accepted.getJsonArray("runs").getJsonObject(0).getString("id");
    JsonObject run = client.get("/orchestrations/" + id + "/runs/" + runId).json();
    assertThat(run.getString("triggerType")).isEqualTo("event-driven");
    assertThat(run.getString("status")).isEqualTo("pending");
    assertThat(run.getJsonObject("input")).isEqualTo(new JsonObject().put("event", "record_created")
      .put("workspaceSlug", client.workspace).put("recordSlug", "orders").put("recordId", "rec-42")
      .put("data", data));
    assertThat(run.getJsonObject("triggerMetadata")).isEqualTo(new JsonObject().put("eventType", "record.created")
      .put("recordId", "rec-42").put("eventId", "evt-shape-1"));
  }

  @Test
  @DisplayName("absent recordId, structureSlug and data are null in the run's input and triggerMetadata")
  void runShapeWithNulls() {
    String id = createEventDriven("nulls", "records.bulk_created", null);

    JsonObject accepted = publish(new JsonObject().put("eventType", "records.bulk_created"));

    String runId = accepted.getJsonArray("runs").getJsonObject(0).getString("id");
    JsonObject run = client.get("/orchestrations/" + id + "/runs/" + runId).json();
    assertThat(run.getJsonObject("input")).isEqualTo(new JsonObject().put("event", "records_bulk_created")
      .put("workspaceSlug", client.workspace).putNull("recordSlug").putNull("recordId").putNull("data"));
    assertThat(run.getJsonObject("triggerMetadata")).isEqualTo(new JsonObject()
      .put("eventType", "records.bulk_created").putNull("recordId").put("eventId", accepted.getString("eventId")));
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
    "record.created, record_created",
    "record.updated, record_updated",
    "record.deleted, record_deleted",
    "record.restored, record_restored",
    "records.bulk_created, records_bulk_created"})
  @DisplayName("every supported event type starts its listeners, and only them, with the type's input name")
  void everyEventType(String eventType, String inputName) {
    String listener = createEventDriven("listener", eventType, "things");
    String other = createEventDriven("other", eventType.equals("record.created") ? "record.updated"
      : "record.created", "things");

    JsonObject accepted = publish(new JsonObject().put("eventType", eventType).put("structureSlug", "things"));

    assertThat(orchestrationIds(accepted)).containsExactly(listener);
    String runId = accepted.getJsonArray("runs").getJsonObject(0).getString("id");
    JsonObject run = client.get("/orchestrations/" + listener + "/runs/" + runId).json();
    assertThat(run.getJsonObject("input").getString("event")).isEqualTo(inputName);
    assertThat(run.getJsonObject("triggerMetadata").getString("eventType")).isEqualTo(eventType);
    assertThat(runsOf(other)).isEmpty();
  }

  @Test
  @DisplayName("a repeated eventId starts nothing new and answers 202 with the first delivery's runs")
  void dedupeByEventId() {
    String first = createEventDriven("first", "record.created", null);
    String second = createEventDriven("second", "record.created", null);
    JsonObject event = new JsonObject().put("eventType", "record.created").put("eventId", "evt-dup-1")
      .put("recordId", "r1");

    Reply one = client.post("/events", event);
    createEventDriven("late", "record.created", null);
    Reply two = client.post("/events", event);

    assertThat(one.status()).isEqualTo(202);
    assertThat(one.header("Idempotent-Replayed")).isNull();
    assertThat(two.status()).isEqualTo(202);
    assertThat(two.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(two.json()).isEqualTo(one.json());
    assertThat(orchestrationIds(one.json())).containsExactlyInAnyOrder(first, second);
    assertThat(runsOf(first)).hasSize(1);
    assertThat(runsOf(second)).hasSize(1);
    assertThat(runsOf(client.get("/orchestrations/late").json().getString("id"))).isEmpty();
  }

  @Test
  @DisplayName("a generated eventId is returned, recorded in triggerMetadata and deduplicates when sent again")
  void generatedEventId() {
    String id = createEventDriven("gen", "record.restored", null);

    JsonObject accepted = publish(new JsonObject().put("eventType", "record.restored"));
    String eventId = accepted.getString("eventId");
    JsonObject again = publish(new JsonObject().put("eventType", "record.restored").put("eventId", eventId));
    JsonObject fresh = publish(new JsonObject().put("eventType", "record.restored"));

    assertThat(eventId).matches(EVENT_ID);
    assertThat(again).isEqualTo(accepted);
    assertThat(fresh.getString("eventId")).isNotEqualTo(eventId);
    assertThat(runsOf(id)).hasSize(2);
    String runId = accepted.getJsonArray("runs").getJsonObject(0).getString("id");
    assertThat(client.get("/orchestrations/" + id + "/runs/" + runId).json()
      .getJsonObject("triggerMetadata").getString("eventId")).isEqualTo(eventId);
  }

  @Test
  @DisplayName("events stay in their workspace: another workspace's orchestrations get nothing, its eventIds are its own")
  void workspaceIsolation() {
    ApiClient other = app.client(TestApp.randomWorkspace());
    String mine = createEventDriven("same-slug", "record.created", null);
    String theirs = createEventDriven(other, "same-slug", "record.created", null, true);
    JsonObject event = new JsonObject().put("eventType", "record.created").put("eventId", "shared-id");

    JsonObject inMine = publish(event);
    Reply inTheirs = other.post("/events", event);

    assertThat(orchestrationIds(inMine)).containsExactly(mine);
    assertThat(inTheirs.status()).isEqualTo(202);
    assertThat(inTheirs.header("Idempotent-Replayed")).isNull();
    assertThat(orchestrationIds(inTheirs.json())).containsExactly(theirs);
    assertThat(runsOf(mine)).hasSize(1);
    assertThat(runsOf(other, theirs)).hasSize(1);
    assertError(client.withToken(app.token("intruder", other.workspace)).post("/events", event), 403, "forbidden");
  }

  @Test
  @DisplayName("a token without the workspace gets 403 and no token 401; neither starts a run")
  void authRequired() {
    String id = createEventDriven("guarded", "record.created", null);
    JsonObject event = new JsonObject().put("eventType", "record.created");

    assertError(client.withToken(null).post("/events", event), 401, "unauthorized");
    assertError(client.withToken(app.token("u", "some-other-ws")).post("/events", event), 403, "forbidden");
    assertThat(runsOf(id)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"eventType\": \"record.exploded\"}", "{\"eventType\": \"RECORD.CREATED\"}",
    "{\"eventType\": 42}", "{\"eventType\": null}", "{\"structureSlug\": \"orders\"}", "{\"eventType\": \"\"}"})
  @DisplayName("a missing or unsupported eventType answers 400 with details naming eventType, and starts nothing")
  void badEventType(String body) {
    String id = createEventDriven("never", "record.created", null);

    Reply reply = client.post("/events", body);

    assertError(reply, 400, "validation_error");
    assertThat(detailFields(reply)).contains("eventType");
    assertThat(runsOf(id)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "{\"eventType\": \"record.created\", \"structureSlug\": 5}|structureSlug",
    "{\"eventType\": \"record.created\", \"recordId\": {}}|recordId",
    "{\"eventType\": \"record.created\", \"eventId\": \"\"}|eventId",
    "[]|body",
    "{\"eventType\": \"record.created\"|body"})
  @DisplayName("other malformed events answer 400 naming the field")
  void badFields(String body, String field) {
    Reply reply = client.post("/events", body);

    assertError(reply, 400, "validation_error");
    assertThat(detailFields(reply)).contains(field);
  }
}
