package io.orchestrator.triggers.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.fixtures.ApiClient;
import io.orchestrator.fixtures.ApiClient.Reply;
import io.orchestrator.fixtures.ScratchDatabase;
import io.orchestrator.fixtures.TestApp;
import io.orchestrator.fixtures.TestStores;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The scheduler end to end and in real time: whole instances sharing one PostgreSQL database and one Redis prefix,
 * schedules created and changed through the API, runs counted through List Runs.
 */
@DisplayName("Scheduler end to end, in real time")
class SchedulerIT {

  private static Vertx vertx;
  private static ScratchDatabase database;
  private final List<TestApp> apps = new ArrayList<>();
  private final String prefix = "t" + UUID.randomUUID().toString().substring(0, 8);
  private final String ws = TestApp.randomWorkspace();

  @BeforeAll
  static void createDatabase() {
    vertx = Vertx.vertx();
    // Its own database: a scheduler's start-up rebuild reads the active schedules of every workspace.
    database = ScratchDatabase.create(vertx, "sched_e2e");
  }

  @AfterAll
  static void dropDatabase() {
    database.close();
    TestApp.await(vertx.close());
  }

  @AfterEach
  void stopApps() {
    apps.forEach(TestApp::close);
  }

  @Test
  @DisplayName("three scheduler instances start exactly one run per fire of a 1 s interval, over 20 fires")
  void exactlyOnceAcrossThreeInstances() throws Exception {
    ApiClient client = start("api,worker,scheduler").client(ws);
    start("api,scheduler");
    start("api,scheduler");
    JsonObject created = create(client, "three-way", interval(1000));

    Thread.sleep(20_500);
    Instant deactivated = deactivate(client, created);
    Thread.sleep(500);

    List<JsonObject> runs = runs(client, created);
    assertCoversEveryFireOnce(runs, anchor(created), 1000);
    long due = (deactivated.toEpochMilli() - anchor(created).toEpochMilli()) / 1000;
    assertThat(due).isGreaterThanOrEqualTo(20);
    // A fire due in the very millisecond of the deactivation may be dropped; none may be doubled.
    assertThat(runs.stream().mapToLong(r -> 1 + metadata(r).getInteger("missedCount")).sum()).isBetween(due - 1, due);
    assertThat(runs).allSatisfy(r -> assertThat(r.getString("triggerType")).isEqualTo("scheduled"));
  }

  @Test
  @DisplayName("after an outage of every scheduler: fire-once runs once with missedCount, skip runs nothing missed")
  void misfireAfterOutage() throws Exception {
    ApiClient client = start("api,worker").client(ws);
    JsonObject fireOnce = create(client, "outage-fire-once", interval(1000).put("misfirePolicy", "fire-once"));
    JsonObject skip = create(client, "outage-skip", interval(1000).put("misfirePolicy", "skip"));
    Thread.sleep(3_500);
    assertThat(runs(client, fireOnce)).isEmpty();

    Instant recovered = Instant.now();
    start("scheduler,api");
    Thread.sleep(2_000);
    deactivate(client, fireOnce);
    deactivate(client, skip);

    List<JsonObject> fired = runs(client, fireOnce);
    assertThat(scheduledFor(fired.get(0))).isEqualTo(anchor(fireOnce).plusSeconds(1));
    assertThat(metadata(fired.get(0)).getInteger("missedCount")).isGreaterThanOrEqualTo(2);
    assertCoversEveryFireOnce(fired, anchor(fireOnce), 1000);
    assertThat(runs(client, skip)).isNotEmpty().allSatisfy(r -> {
      assertThat(scheduledFor(r)).isAfter(recovered);
      assertThat(metadata(r).getInteger("missedCount")).isZero();
    });
  }

  @Test
  @DisplayName("update, deactivate and delete take effect at once")
  void updateDeactivateDelete() throws Exception {
    ApiClient client = start("api,worker,scheduler").client(ws);
    JsonObject created = create(client, "changing", interval(1000));
    Thread.sleep(2_500);

    JsonObject updated = put(client, created, interval(2000), true);
    Thread.sleep(4_500);
    List<JsonObject> afterUpdate = runs(client, created).stream()
      .filter(r -> scheduledFor(r).isAfter(anchor(updated))).toList();
    assertThat(afterUpdate).hasSizeBetween(2, 3);
    assertCoversEveryFireOnce(afterUpdate, anchor(updated), 2000);

    Instant deactivated = Instant.parse(put(client, updated, interval(1000), false).getString("updatedAt"));
    Thread.sleep(2_500);
    assertThat(runs(client, created)).allSatisfy(r -> assertThat(scheduledFor(r)).isBefore(deactivated));

    JsonObject reactivated = put(client, updated, interval(1000), true);
    Thread.sleep(1_600);
    assertThat(runs(client, created)).anySatisfy(r -> assertThat(scheduledFor(r)).isAfter(anchor(reactivated)));
    assertThat(client.delete("/orchestrations/" + created.getString("id")).status()).isEqualTo(204);
    Instant deleted = Instant.now();
    Thread.sleep(2_500);
    assertThat(runs(client, created)).allSatisfy(r -> assertThat(scheduledFor(r)).isBefore(deleted));
  }

  @Test
  @DisplayName("a once schedule fires exactly once, on time; once past it can still be updated and deactivated, "
    + "and does not fire again")
  void onceFiresOnce() throws Exception {
    ApiClient client = start("api,worker,scheduler").client(ws);
    Instant at = Instant.now().plusMillis(1500).truncatedTo(ChronoUnit.MILLIS);
    JsonObject created = create(client, "once", new JsonObject().put("type", "scheduled")
      .put("scheduleType", "once").put("scheduledAt", at.toString()));

    Thread.sleep(3_500);

    assertThat(runs(client, created)).singleElement().satisfies(r -> {
      assertThat(scheduledFor(r)).isEqualTo(at);
      assertThat(metadata(r).getInteger("missedCount")).isZero();
      assertThat(Instant.parse(r.getString("startedAt"))).isBetween(at, at.plusMillis(1000));
    });
    JsonObject updated = put(client, created, created.getJsonObject("trigger"), true);
    assertThat(updated.getInteger("version")).isEqualTo(2);
    deactivate(client, updated);
    Thread.sleep(500);
    assertThat(runs(client, created)).hasSize(1);
  }

  @Test
  @DisplayName("restarting the scheduler neither resets nor double-fires; a schedule lost from Redis is rebuilt")
  void restart() throws Exception {
    TestApp first = start("api,worker,scheduler");
    JsonObject created = create(first.client(ws), "restarted", interval(1000));
    Thread.sleep(2_500);
    stop(first);
    TestApp second = start("api,worker,scheduler");
    Thread.sleep(2_500);

    List<JsonObject> beforeLoss = runs(second.client(ws), created);
    assertThat(beforeLoss.size()).isGreaterThanOrEqualTo(3);
    assertCoversEveryFireOnce(beforeLoss, anchor(created), 1000);

    stop(second);
    deleteScheduleKeys(created.getString("id"));
    Instant lost = Instant.now();
    ApiClient client = start("api,worker,scheduler").client(ws);
    Thread.sleep(2_500);
    deactivate(client, created);

    List<JsonObject> runs = runs(client, created);
    List<JsonObject> rebuilt = runs.stream().filter(r -> scheduledFor(r).isAfter(lost)).toList();
    assertThat(rebuilt).isNotEmpty();
    assertCoversEveryFireOnce(rebuilt, anchor(created), 1000);
    assertThat(runs).extracting(SchedulerIT::scheduledFor).doesNotHaveDuplicates();
  }

  // --- helpers ---------------------------------------------------------------------------------------------------

  private void stop(TestApp app) {
    app.close();
    apps.remove(app);
  }

  private TestApp start(String roles) {
    TestApp app = TestApp.start(Map.of("ORCH_REDIS_PREFIX", prefix, "ORCH_PG_URL", database.url,
      "ORCH_ROLES", roles));
    apps.add(app);
    return app;
  }

  /** Every fire of the grid from the first one on has exactly one run, or is counted as missed by the one before. */
  private static void assertCoversEveryFireOnce(List<JsonObject> runs, Instant anchor, long periodMs) {
    List<JsonObject> sorted = runs.stream().sorted(Comparator.comparing(SchedulerIT::scheduledFor)).toList();
    assertThat(sorted).as("runs").isNotEmpty();
    long k = (scheduledFor(sorted.get(0)).toEpochMilli() - anchor.toEpochMilli()) / periodMs;
    for (JsonObject run : sorted) {
      assertThat(scheduledFor(run)).as("fire %d of %s", k, sorted).isEqualTo(anchor.plusMillis(k * periodMs));
      k += 1 + metadata(run).getInteger("missedCount");
    }
  }

  /** Simulates a Redis that lost the schedule (flushed, restored from an old backup). */
  private void deleteScheduleKeys(String orchestrationId) {
    Redis redis = Redis.createClient(vertx, TestStores.redisUrl());
    String p = "{" + prefix + "}:";
    TestApp.await(redis.send(Request.cmd(Command.DEL).arg(p + "schedules").arg(p + "schedule:" + orchestrationId)));
    redis.close();
  }

  private static JsonObject create(ApiClient client, String slug, JsonObject trigger) {
    Reply reply = client.post("/orchestrations", body(slug, trigger, true));
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    return reply.json();
  }

  private static JsonObject put(ApiClient client, JsonObject current, JsonObject trigger, boolean active) {
    Reply reply = client.put("/orchestrations/" + current.getString("id"),
      body(current.getString("slug"), trigger, active).put("slug", current.getString("slug")));
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.json();
  }

  /** @return the deactivated version's updatedAt */
  private static Instant deactivate(ApiClient client, JsonObject created) {
    JsonObject current = client.get("/orchestrations/" + created.getString("id")).json();
    return anchor(put(client, current, current.getJsonObject("trigger"), false));
  }

  private static JsonObject body(String slug, JsonObject trigger, boolean active) {
    return new JsonObject().put("slug", slug).put("name", "Scheduled " + slug).put("isActive", active)
      .put("trigger", trigger)
      .put("steps", new JsonArray().add(new JsonObject().put("id", "wait").put("type", "delay").put("delayMs", 0)));
  }

  private static JsonObject interval(long ms) {
    return new JsonObject().put("type", "scheduled").put("scheduleType", "interval").put("interval", ms);
  }

  /** The orchestration's runs, oldest fire first. */
  private static List<JsonObject> runs(ApiClient client, JsonObject orchestration) {
    Reply reply = client.get("/orchestrations/" + orchestration.getString("id") + "/runs?pageSize=100");
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    List<JsonObject> runs = new ArrayList<>();
    reply.json().getJsonArray("data").forEach(r -> runs.add((JsonObject) r));
    runs.sort(Comparator.comparing(SchedulerIT::scheduledFor));
    return runs;
  }

  private static Instant anchor(JsonObject orchestration) {
    return Instant.parse(orchestration.getString("updatedAt"));
  }

  private static JsonObject metadata(JsonObject run) {
    return run.getJsonObject("triggerMetadata");
  }

  private static Instant scheduledFor(JsonObject run) {
    return Instant.parse(metadata(run).getString("scheduledFor"));
  }
}
