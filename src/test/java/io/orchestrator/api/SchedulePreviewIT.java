package io.orchestrator.api;

import static io.orchestrator.api.ApiTestSupport.assertError;
import static io.orchestrator.api.ApiTestSupport.detailFields;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.fixtures.ApiClient;
import io.orchestrator.fixtures.ApiClient.Reply;
import io.orchestrator.fixtures.ScratchDatabase;
import io.orchestrator.fixtures.TestApp;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The schedule previews end to end: an instance with the api and scheduler roles whose clock runs from
 * 2026-03-28T12:00Z (the day before Berlin springs forward), on its own database so that its scheduler fires only
 * this class's schedules.
 */
@DisplayName("Schedule preview API: GET …/schedule/next and POST /schedules/preview")
class SchedulePreviewIT {

  private static final Instant START = Instant.parse("2026-03-28T12:00:00Z");

  private static Vertx vertx;
  private static ScratchDatabase database;
  private static TestApp app;
  private static Clock clock;

  private ApiClient client;

  @BeforeAll
  static void startApp() {
    vertx = Vertx.vertx();
    database = ScratchDatabase.create(vertx, "preview");
    clock = Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), START));
    app = TestApp.start(Map.of("ORCH_PG_URL", database.url, "ORCH_ROLES", "api,scheduler"), clock);
  }

  @AfterAll
  static void stopApp() {
    if (app != null) {
      app.close();
    }
    database.close();
    TestApp.await(vertx.close());
  }

  @BeforeEach
  void newWorkspace() {
    client = app.client(TestApp.randomWorkspace());
  }

  @Test
  @DisplayName("a saved Berlin cron: 02:30 of 2026-03-29 does not exist, fires at 03:00+02:00 noted dst-gap")
  void savedCronAcrossTheGap() {
    JsonObject created = create("berlin", cron("30 2 * * *", "Europe/Berlin"), true);

    Reply reply = client.get("/orchestrations/" + created.getString("id") + "/schedule/next?count=3");

    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    assertThat(reply.json()).isEqualTo(new JsonObject().put("next", new JsonArray()
      .add(fire("2026-03-29T01:00:00.000Z", "2026-03-29T03:00:00.000+02:00").put("note", "dst-gap"))
      .add(fire("2026-03-30T00:30:00.000Z", "2026-03-30T02:30:00.000+02:00"))
      .add(fire("2026-03-31T00:30:00.000Z", "2026-03-31T02:30:00.000+02:00"))));
    assertThat(client.get("/orchestrations/berlin/schedule/next").json().getJsonArray("next")).as("by slug, default")
      .hasSize(10);
  }

  @Test
  @DisplayName("an unsaved cron: the first of two 02:30s of 2026-10-25 is dst-overlap; gap times collapse into one")
  void unsavedCronNotes() {
    Reply overlap = client.post("/schedules/preview", new JsonObject()
      .put("trigger", cron("30 2 25 10 *", "Europe/Berlin")).put("count", 1));
    Reply gap = client.post("/schedules/preview", new JsonObject()
      .put("trigger", cron("*/30 2 * * *", "Europe/Berlin")).put("count", 3));

    assertThat(overlap.status()).as(overlap.body()).isEqualTo(200);
    assertThat(overlap.json().getJsonArray("next")).containsExactly(
      fire("2026-10-25T00:30:00.000Z", "2026-10-25T02:30:00.000+02:00").put("note", "dst-overlap"));
    assertThat(gap.json().getJsonArray("next")).containsExactly(
      fire("2026-03-29T01:00:00.000Z", "2026-03-29T03:00:00.000+02:00").put("note", "dst-gap"),
      fire("2026-03-30T00:00:00.000Z", "2026-03-30T02:00:00.000+02:00"),
      fire("2026-03-30T00:30:00.000Z", "2026-03-30T02:30:00.000+02:00"));
  }

  @Test
  @DisplayName("an interval previews the instants its runs are then fired for; deactivated, it previews none")
  void intervalFiresWhatItPreviewed() throws Exception {
    JsonObject created = create("every-1500", interval(1500), true);
    String path = "/orchestrations/" + created.getString("id") + "/schedule/next?count=3";

    List<String> previewed = ats(client.get(path).json());
    assertThat(previewed).hasSize(3);
    Instant last = Instant.parse(previewed.get(2));
    Thread.sleep(Math.max(0, last.toEpochMilli() - clock.millis()) + 1_000);

    assertThat(scheduledFors(created).subList(0, 3)).containsExactlyElementsOf(previewed);
    assertThat(Instant.parse(ats(client.get(path).json()).get(0))).isAfter(last);
    update(created, interval(1500), false);
    assertThat(client.get(path).json()).isEqualTo(new JsonObject().put("next", new JsonArray()));
  }

  @Test
  @DisplayName("a once lists its instant until it fired, then nothing")
  void onceUntilFired() throws Exception {
    Instant at = Instant.ofEpochMilli(clock.millis()).plusSeconds(2);
    JsonObject created = create("once", new JsonObject().put("type", "scheduled").put("scheduleType", "once")
      .put("scheduledAt", at.toString()).put("timezone", "Asia/Kolkata"), true);
    String path = "/orchestrations/" + created.getString("id") + "/schedule/next";

    JsonArray before = client.get(path).json().getJsonArray("next");
    assertThat(before).hasSize(1);
    assertThat(before.getJsonObject(0).getString("localTime")).endsWith("+05:30");
    Thread.sleep(3_500);

    assertThat(scheduledFors(created)).hasSize(1);
    assertThat(client.get(path).json()).isEqualTo(new JsonObject().put("next", new JsonArray()));
  }

  @ParameterizedTest(name = "count={0}")
  @ValueSource(strings = {"0", "101", "ten", "1.5"})
  @DisplayName("a count that is not an integer in 1..100 → 400 naming count")
  void badCount(String count) {
    JsonObject created = create("c" + Math.abs(count.hashCode()), cron("0 9 * * *", "UTC"), true);

    Reply reply = client.get("/orchestrations/" + created.getString("id") + "/schedule/next?count=" + count);

    assertError(reply, 400, "validation_error");
    assertThat(detailFields(reply)).containsExactly("count");
  }

  @Test
  @DisplayName("count 0 or 101 in a preview body → 400 naming count")
  void badCountInBody() {
    for (int count : new int[] {0, 101}) {
      Reply reply = client.post("/schedules/preview", new JsonObject().put("trigger", cron("0 9 * * *", "UTC"))
        .put("count", count));

      assertError(reply, 400, "validation_error");
      assertThat(detailFields(reply)).containsExactly("count");
    }
  }

  @Test
  @DisplayName("an unknown id, or another workspace's, → 404")
  void notFound() {
    JsonObject created = create("mine", cron("0 9 * * *", "UTC"), true);
    ApiClient other = app.client(TestApp.randomWorkspace());

    assertError(client.get("/orchestrations/orch_unknown/schedule/next"), 404, "not_found");
    assertError(other.get("/orchestrations/" + created.getString("id") + "/schedule/next"), 404, "not_found");
  }

  @Test
  @DisplayName("a trigger that is not scheduled → 400, saved or not")
  void notScheduled() {
    JsonObject created = create("manual", new JsonObject().put("type", "on-demand"), true);

    assertError(client.get("/orchestrations/" + created.getString("id") + "/schedule/next"), 400,
      "validation_error");
    Reply unsaved = client.post("/schedules/preview", new JsonObject().put("trigger", new JsonObject()
      .put("type", "event-driven").put("eventType", "record.created")));
    assertError(unsaved, 400, "validation_error");
    assertThat(detailFields(unsaved)).containsExactly("trigger.type");
  }

  @Test
  @DisplayName("an invalid cron or zone, or a missing trigger → 400 with the field paths a create reports")
  void invalidTrigger() {
    Reply cron = client.post("/schedules/preview", new JsonObject().put("trigger", cron("61 * * * *", "UTC")));
    Reply zone = client.post("/schedules/preview", new JsonObject().put("trigger", cron("0 9 * * *", "Mars/Base")));
    Reply both = client.post("/schedules/preview", new JsonObject()
      .put("trigger", cron("0 9 * *", "Mars/Base").put("scheduleType", "hourly")).put("count", 0));
    Reply missing = client.post("/schedules/preview", new JsonObject().put("count", 3));

    assertError(cron, 400, "validation_error");
    assertThat(detailFields(cron)).containsExactly("trigger.cronExpression");
    assertThat(detailFields(zone)).containsExactly("trigger.timezone");
    assertThat(detailFields(both)).contains("trigger.scheduleType", "trigger.timezone", "count");
    assertError(missing, 400, "validation_error");
    assertThat(detailFields(missing)).containsExactly("trigger");
  }

  @Test
  @DisplayName("JWT as everywhere: no token → 401, a token without the workspace → 403")
  void auth() {
    JsonObject body = new JsonObject().put("trigger", cron("0 9 * * *", "UTC"));

    assertError(client.withToken(null).post("/schedules/preview", body), 401, "unauthorized");
    assertError(client.withToken(app.token("u", "elsewhere")).get("/orchestrations/x/schedule/next"), 403,
      "forbidden");
  }

  // --- helpers ---------------------------------------------------------------------------------------------------

  private JsonObject create(String slug, JsonObject trigger, boolean active) {
    Reply reply = client.post("/orchestrations", body(slug, trigger, active));
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    return reply.json();
  }

  private void update(JsonObject current, JsonObject trigger, boolean active) {
    Reply reply = client.put("/orchestrations/" + current.getString("id"),
      body(current.getString("slug"), trigger, active));
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
  }

  private static JsonObject body(String slug, JsonObject trigger, boolean active) {
    return new JsonObject().put("slug", slug).put("name", "Preview " + slug).put("isActive", active)
      .put("trigger", trigger)
      .put("steps", new JsonArray().add(new JsonObject().put("id", "wait").put("type", "delay").put("delayMs", 0)));
  }

  private static JsonObject cron(String expression, String zone) {
    return new JsonObject().put("type", "scheduled").put("scheduleType", "cron").put("cronExpression", expression)
      .put("timezone", zone);
  }

  private static JsonObject interval(long ms) {
    return new JsonObject().put("type", "scheduled").put("scheduleType", "interval").put("interval", ms);
  }

  private static JsonObject fire(String at, String localTime) {
    return new JsonObject().put("at", at).put("localTime", localTime);
  }

  private static List<String> ats(JsonObject preview) {
    return preview.getJsonArray("next").stream().map(f -> ((JsonObject) f).getString("at")).toList();
  }

  /** The scheduledFor of the orchestration's runs, earliest first. */
  private List<String> scheduledFors(JsonObject orchestration) {
    Reply reply = client.get("/orchestrations/" + orchestration.getString("id") + "/runs?pageSize=100");
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.json().getJsonArray("data").stream()
      .map(r -> ((JsonObject) r).getJsonObject("triggerMetadata").getString("scheduledFor"))
      .sorted(Comparator.naturalOrder()).toList();
  }
}
