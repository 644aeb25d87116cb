package io.orchestrator.triggers.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.fixtures.ApiClient;
import io.orchestrator.fixtures.ApiClient.Reply;
import io.orchestrator.fixtures.TestApp;
import io.orchestrator.fixtures.TestStores;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The event stream, end to end: entries added with XADD become runs, shared by several instances in one consumer
 * group, with malformed entries skipped and a dead consumer's entries taken over. Each test has its own stream.
 */
class EventStreamIT {

  private static final String GROUP = "orchestrator";

  private static Vertx vertx;
  private static Redis redis;

  private final List<TestApp> apps = new ArrayList<>();
  private final String prefix = "t" + UUID.randomUUID().toString().substring(0, 8);
  private final String stream = "events-it-" + prefix;

  @BeforeAll
  static void connect() {
    vertx = Vertx.vertx();
    redis = Redis.createClient(vertx, TestStores.redisOptions());
  }

  @AfterAll
  static void disconnect() {
    TestApp.await(redis.close());
    TestApp.await(vertx.close());
  }

  @AfterEach
  void stopApps() {
    apps.forEach(TestApp::close);
    send(Request.cmd(Command.DEL).arg(stream));
  }

  /** An instance with every role, on this test's key prefix and stream, claiming entries idle for 300 ms. */
  private TestApp startApp() {
    return startApp("api,worker,scheduler");
  }

  private TestApp startApp(String roles) {
    TestApp app = TestApp.start(Map.of("ORCH_REDIS_PREFIX", prefix, "ORCH_EVENT_STREAM", stream,
      "ORCH_EVENT_CLAIM_IDLE", "300ms", "ORCH_ROLES", roles));
    apps.add(app);
    return app;
  }

  @Test
  @DisplayName("an instance trims the entries older than ORCH_EVENT_STREAM_RETENTION that the group has handled")
  void handledOldEntriesAreTrimmed() {
    send(Request.cmd(Command.XADD).arg(stream).arg("1000-0").arg("event").arg("{}"));
    send(Request.cmd(Command.XADD).arg(stream).arg("2000-0").arg("event").arg("{}"));
    send(Request.cmd(Command.XGROUP).arg("CREATE").arg(stream).arg(GROUP).arg("0"));
    // an earlier instance read both and acknowledged the first; the second stays pending, so is kept
    send(Request.cmd(Command.XREADGROUP).arg("GROUP").arg(GROUP).arg("earlier").arg("COUNT").arg(2)
      .arg("STREAMS").arg(stream).arg(">"));
    send(Request.cmd(Command.XACK).arg(stream).arg(GROUP).arg("1000-0"));
    String recent = xadd(event("ws-trim", "record.created"));

    // a claim idle longer than the test: the pending entry stays pending on "earlier"
    apps.add(TestApp.start(Map.of("ORCH_REDIS_PREFIX", prefix, "ORCH_EVENT_STREAM", stream,
      "ORCH_EVENT_CLAIM_IDLE", "60s")));

    await("the handled entry older than the retention is trimmed", 5_000, () -> !entryIds().contains("1000-0"));
    assertThat(entryIds()).containsExactly("2000-0", recent);
  }

  private List<String> entryIds() {
    return send(Request.cmd(Command.XRANGE).arg(stream).arg("-").arg("+")).stream()
      .map(entry -> entry.get(0).toString()).toList();
  }

  private static Response send(Request request) {
    return TestApp.await(redis.send(request));
  }

  private String xadd(Object event) {
    return send(Request.cmd(Command.XADD).arg(stream).arg("*").arg("event").arg(event.toString())).toString();
  }

  private static JsonObject event(String workspace, String eventType) {
    return new JsonObject().put("workspaceSlug", workspace).put("eventType", eventType);
  }

  private long pendingCount() {
    return send(Request.cmd(Command.XPENDING).arg(stream).arg(GROUP)).get(0).toLong();
  }

  /** Entries of the stream not yet delivered to any consumer of the group (lag), via XINFO GROUPS. */
  private long undelivered() {
    Response groups = send(Request.cmd(Command.XINFO).arg("GROUPS").arg(stream));
    for (Response group : groups) {
      Map<String, String> fields = new HashMap<>();
      if (group.isMap()) {
        group.getKeys().forEach(key -> fields.put(key, String.valueOf(group.get(key))));
      } else {
        for (int i = 0; i + 1 < group.size(); i += 2) {
          fields.put(group.get(i).toString(), String.valueOf(group.get(i + 1)));
        }
      }
      if (GROUP.equals(fields.get("name"))) {
        String lag = fields.get("lag");
        if (lag != null && !"null".equals(lag)) {
          return Long.parseLong(lag);
        }
        // Redis before 7 has no lag: count the entries after the group's last delivered id.
        return send(Request.cmd(Command.XRANGE).arg(stream).arg("(" + fields.get("last-delivered-id")).arg("+"))
          .size();
      }
    }
    throw new AssertionError("group " + GROUP + " not found");
  }

  private static String createEventDriven(ApiClient client, String slug, String eventType, String structureSlug) {
    JsonObject trigger = new JsonObject().put("type", "event-driven").put("eventType", eventType);
    if (structureSlug != null) {
      trigger.put("structureSlug", structureSlug);
    }
    JsonObject body = new JsonObject().put("slug", slug).put("name", slug).put("trigger", trigger)
      .put("steps", new JsonArray().add(new JsonObject().put("id", "wait").put("type", "delay")
        .put("delayMs", 3_600_000)));
    Reply reply = client.post("/orchestrations", body);
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    return reply.json().getString("id");
  }

  /** Every run of the orchestration, following pages. */
  private static List<JsonObject> runs(ApiClient client, String orchestrationId) {
    List<JsonObject> all = new ArrayList<>();
    for (int page = 1; ; page++) {
      Reply reply = client.get("/orchestrations/" + orchestrationId + "/runs?pageSize=100&page=" + page);
      assertThat(reply.status()).as(reply.body()).isEqualTo(200);
      JsonArray data = reply.json().getJsonArray("data");
      data.forEach(run -> all.add((JsonObject) run));
      if (data.size() < 100) {
        return all;
      }
    }
  }

  private static void await(String what, long timeoutMs, BooleanSupplier done) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (!done.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  @Test
  @DisplayName("an event added to the stream starts a run with the same input and triggerMetadata as POST /events")
  void xaddStartsRun() {
    ApiClient client = startApp().client(TestApp.randomWorkspace());
    String id = createEventDriven(client, "from-stream", "record.created", "orders");
    String unrelated = createEventDriven(client, "unrelated", "record.created", "invoices");

    JsonObject data = new JsonObject().put("total", 12);
    xadd(event(client.workspace, "record.created").put("structureSlug", "orders").put("recordId", "r-7")
      .put("data", data).put("eventId", "stream-evt-1"));

    await("the run exists", 10_000, () -> runs(client, id).size() == 1);
    JsonObject run = client.get("/orchestrations/" + id + "/runs/" + runs(client, id).get(0).getString("id")).json();
    assertThat(run.getString("triggerType")).isEqualTo("event-driven");
    assertThat(run.getJsonObject("input")).isEqualTo(new JsonObject().put("event", "record_created")
      .put("workspaceSlug", client.workspace).put("recordSlug", "orders").put("recordId", "r-7").put("data", data));
    assertThat(run.getJsonObject("triggerMetadata")).isEqualTo(new JsonObject().put("eventType", "record.created")
      .put("recordId", "r-7").put("eventId", "stream-evt-1"));
    await("the entry is acknowledged", 5_000, () -> pendingCount() == 0);
    assertThat(runs(client, unrelated)).isEmpty();
  }

  @Test
  @DisplayName("an entry without eventId gets evt_<entry id>, and the same eventId added twice starts one run")
  void streamDedupe() {
    ApiClient client = startApp().client(TestApp.randomWorkspace());
    String id = createEventDriven(client, "dedupe", "record.updated", null);

    String entryId = xadd(event(client.workspace, "record.updated"));
    xadd(event(client.workspace, "record.updated").put("eventId", "twice"));
    xadd(event(client.workspace, "record.updated").put("eventId", "twice"));

    await("both events were handled", 10_000, () -> undelivered() == 0 && pendingCount() == 0);
    List<String> eventIds = runs(client, id).stream()
      .map(run -> run.getJsonObject("triggerMetadata").getString("eventId")).toList();
    assertThat(eventIds).containsExactlyInAnyOrder("evt_" + entryId, "twice");
  }

  @Test
  @DisplayName("malformed entries are acknowledged and skipped; the entries after them still start runs")
  void malformedEntriesAreSkipped() {
    ApiClient client = startApp().client(TestApp.randomWorkspace());
    String id = createEventDriven(client, "after-garbage", "record.deleted", null);

    xadd("not json at all");
    xadd("[1, 2, 3]");
    xadd(new JsonObject().put("eventType", "record.deleted"));
    xadd(event("bad slug!", "record.deleted"));
    xadd(event(client.workspace, "record.exploded"));
    xadd(event(client.workspace, "record.deleted").put("recordId", 42));
    send(Request.cmd(Command.XADD).arg(stream).arg("*").arg("other-field").arg("x"));
    xadd(event(client.workspace, "record.deleted").put("recordId", "good"));

    await("the good entry's run exists", 10_000, () -> runs(client, id).size() == 1);
    await("every entry is acknowledged", 5_000, () -> undelivered() == 0 && pendingCount() == 0);
    assertThat(runs(client, id).get(0).getJsonObject("triggerMetadata").getString("recordId")).isEqualTo("good");
  }

  @Test
  @DisplayName("two instances sharing the stream turn 200 entries into exactly 200 runs, none doubled")
  void twoConsumersShareTheStream() {
    TestApp first = startApp();
    startApp();
    ApiClient client = first.client(TestApp.randomWorkspace());
    String id = createEventDriven(client, "shared", "records.bulk_created", null);

    for (int i = 0; i < 200; i++) {
      xadd(event(client.workspace, "records.bulk_created").put("recordId", "rec-" + i));
    }

    await("200 runs exist", 30_000, () -> runs(client, id).size() >= 200);
    await("every entry is acknowledged", 10_000, () -> undelivered() == 0 && pendingCount() == 0);
    List<JsonObject> runs = runs(client, id);
    Set<String> recordIds = new HashSet<>();
    runs.forEach(run -> recordIds.add(run.getJsonObject("triggerMetadata").getString("recordId")));
    assertThat(runs).hasSize(200);
    assertThat(recordIds).hasSize(200);
    Response consumers = send(Request.cmd(Command.XINFO).arg("CONSUMERS").arg(stream).arg(GROUP));
    assertThat(consumers.size()).isEqualTo(2);
  }

  @Test
  @DisplayName("an entry read by a consumer that died before acknowledging it is claimed by another and runs")
  void deadConsumersEntryIsClaimed() {
    send(Request.cmd(Command.XGROUP).arg("CREATE").arg(stream).arg(GROUP).arg("0").arg("MKSTREAM"));
    String workspace = TestApp.randomWorkspace();
    String entryId = xadd(event(workspace, "record.created").put("recordId", "orphan"));
    Response read = send(Request.cmd(Command.XREADGROUP).arg("GROUP").arg(GROUP).arg("dead").arg("COUNT").arg(1)
      .arg("STREAMS").arg(stream).arg(">"));
    assertThat(read).isNotNull();
    assertThat(pendingCount()).isEqualTo(1);

    // The orchestration exists before any consumer runs, so the claim cannot come first.
    ApiClient client = startApp("api").client(workspace);
    String id = createEventDriven(client, "claimer", "record.created", null);
    startApp("worker");

    await("the orphaned entry's run exists", 15_000, () -> runs(client, id).size() == 1);
    await("the entry is acknowledged", 5_000, () -> pendingCount() == 0);
    JsonObject metadata = runs(client, id).get(0).getJsonObject("triggerMetadata");
    assertThat(metadata).isEqualTo(new JsonObject().put("eventType", "record.created").put("recordId", "orphan")
      .put("eventId", "evt_" + entryId));
  }

  @Test
  @DisplayName("a redelivered entry whose runs were already started (crash before the ack) starts nothing new")
  void redeliveryAfterCrashStartsNothing() {
    send(Request.cmd(Command.XGROUP).arg("CREATE").arg(stream).arg(GROUP).arg("0").arg("MKSTREAM"));
    String workspace = TestApp.randomWorkspace();
    String entryId = xadd(event(workspace, "record.created").put("recordId", "once"));
    send(Request.cmd(Command.XREADGROUP).arg("GROUP").arg(GROUP).arg("crashed").arg("COUNT").arg(1)
      .arg("STREAMS").arg(stream).arg(">"));

    ApiClient client = startApp("api").client(workspace);
    String id = createEventDriven(client, "once", "record.created", null);
    // What the crashed consumer did before dying: start the runs of the entry's event.
    Reply before = client.post("/events", new JsonObject().put("eventType", "record.created")
      .put("recordId", "once").put("eventId", "evt_" + entryId));
    assertThat(before.status()).isEqualTo(202);
    startApp("worker");

    await("the entry is claimed and acknowledged", 15_000, () -> pendingCount() == 0);
    List<JsonObject> runs = runs(client, id);
    assertThat(runs).hasSize(1);
    assertThat(runs.get(0).getString("id"))
      .isEqualTo(before.json().getJsonArray("runs").getJsonObject(0).getString("id"));
  }
}
