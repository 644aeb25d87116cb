package io.orchestrator.triggers.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.fixtures.ApiClient;
import io.orchestrator.fixtures.ApiClient.Reply;
import io.orchestrator.fixtures.ManualClock;
import io.orchestrator.fixtures.ScratchDatabase;
import io.orchestrator.fixtures.TestApp;
import io.orchestrator.fixtures.TestStores;
import io.orchestrator.common.Partitions;
import io.orchestrator.store.redis.Keyspace;
import io.orchestrator.store.redis.RedisKeys;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The scheduler end to end: whole instances sharing one PostgreSQL database, one Redis prefix and one
 * {@link ManualClock}, schedules created and changed through the API, runs counted through List Runs.
 *
 * <p>Time moves only when a test moves it ({@link #moveTo}): each step wakes every instance through the wake
 * channels, as the due timers of a real clock would, and waits until the pacer (a 1 s schedule every test keeps) has
 * run its fires up to the new instant, so the schedulers have handled everything due by then. Every schedule here
 * fires on the pacer's whole seconds and the clock rests on whole or half seconds, so no fire is ever inside a
 * scheduler's claim lookahead (250 ms) while the clock rests, and a stopping scheduler has nothing left to drain.
 */
@DisplayName("Scheduler end to end, on a shared manual clock")
class SchedulerIT {

  private static final long PACER_MS = 1000;
  private static final long STEP_MS = 500;
  private static final Duration DEADLINE = Duration.ofSeconds(15);

  private static Vertx vertx;
  private static ScratchDatabase database;
  private static Redis redis;
  private final List<TestApp> apps = new ArrayList<>();
  private final String prefix = "t" + UUID.randomUUID().toString().substring(0, 8);
  private final Keyspace keys = new Keyspace(prefix, new Partitions(Partitions.DEFAULT));
  private final String ws = TestApp.randomWorkspace();
  /** Starts on a whole second near the wall clock's now, which the test tokens are minted by. */
  private final ManualClock clock =
    new ManualClock(Instant.ofEpochMilli((System.currentTimeMillis() / 1000 + 2) * 1000));

  @BeforeAll
  static void createDatabase() {
    vertx = Vertx.vertx();
    // Its own database: a scheduler's start-up rebuild reads the active schedules of every workspace.
    database = ScratchDatabase.create(vertx, "sched_e2e");
    redis = Redis.createClient(vertx, TestStores.redisOptions());
  }

  @AfterAll
  static void dropDatabase() {
    redis.close();
    database.close();
    TestApp.await(vertx.close());
  }

  @AfterEach
  void stopApps() {
    apps.forEach(TestApp::close);
  }

  @Test
  @DisplayName("three scheduler instances start exactly one run per fire of a 1 s interval, over 20 fires")
  void exactlyOnceAcrossThreeInstances() {
    ApiClient client = start("api,worker,scheduler").client(ws);
    start("api,scheduler");
    start("api,scheduler");
    JsonObject created = create(client, "three-way", interval(1000));
    JsonObject pacer = pacer(client);

    moveTo(anchor(created).plusMillis(20_500), 1000, client, pacer);
    awaitRuns(client, created, "every fire up to the 20th", runs -> coveredFires(runs) >= 20);
    Instant deactivated = deactivate(client, created);
    moveTo(deactivated.plusSeconds(2), 1000, client, pacer);

    List<JsonObject> runs = runs(client, created);
    assertCoversEveryFireOnce(runs, anchor(created), 1000);
    long due = (deactivated.toEpochMilli() - anchor(created).toEpochMilli()) / 1000;
    assertThat(due).isGreaterThanOrEqualTo(20);
    // A fire due in the very millisecond of the deactivation may be dropped; none may be doubled.
    assertThat(coveredFires(runs)).isBetween(due - 1, due);
    assertThat(runs).allSatisfy(r -> assertThat(r.getString("triggerType")).isEqualTo("scheduled"));
  }

  @Test
  @DisplayName("after an outage of every scheduler: fire-once runs once with missedCount, skip runs nothing missed")
  void misfireAfterOutage() {
    ApiClient client = start("api,worker").client(ws);
    JsonObject fireOnce = create(client, "outage-fire-once", interval(1000).put("misfirePolicy", "fire-once"));
    JsonObject skip = create(client, "outage-skip", interval(1000).put("misfirePolicy", "skip"));
    JsonObject pacer = pacer(client);
    // No scheduler runs: three fires of each pass unhandled.
    clock.advance(Duration.ofMillis(3_500));
    wake();
    assertThat(runs(client, fireOnce)).isEmpty();

    Instant recovered = clock.instant();
    start("scheduler,api");
    awaitRuns(client, fireOnce, "the catch-up fire", runs -> !runs.isEmpty());
    moveTo(recovered.plusMillis(2_000), STEP_MS, client, pacer);
    awaitRuns(client, skip, "a fire after the outage", runs -> !runs.isEmpty());
    deactivate(client, fireOnce);
    deactivate(client, skip);

    List<JsonObject> fired = runs(client, fireOnce);
    assertThat(scheduledFor(fired.get(0))).isEqualTo(anchor(fireOnce).plusSeconds(1));
    assertThat(metadata(fired.get(0)).getInteger("missedCount")).isEqualTo(2);
    assertCoversEveryFireOnce(fired, anchor(fireOnce), 1000);
    assertThat(runs(client, skip)).isNotEmpty().allSatisfy(r -> {
      assertThat(scheduledFor(r)).isAfter(recovered);
      assertThat(metadata(r).getInteger("missedCount")).isZero();
    });
  }

  @Test
  @DisplayName("update, deactivate and delete take effect at once")
  void updateDeactivateDelete() {
    ApiClient client = start("api,worker,scheduler").client(ws);
    JsonObject created = create(client, "changing", interval(1000));
    JsonObject pacer = pacer(client);
    moveTo(anchor(created).plusMillis(2_000), STEP_MS, client, pacer);

    JsonObject updated = put(client, created, interval(2000), true);
    moveTo(anchor(updated).plusMillis(4_500), STEP_MS, client, pacer);
    List<JsonObject> afterUpdate = after(awaitRuns(client, created, "two fires after the update",
      runs -> after(runs, anchor(updated)).size() >= 2), anchor(updated));
    assertThat(afterUpdate).hasSize(2);
    assertCoversEveryFireOnce(afterUpdate, anchor(updated), 2000);

    Instant deactivated = Instant.parse(put(client, updated, interval(1000), false).getString("updatedAt"));
    moveTo(deactivated.plusMillis(2_500), STEP_MS, client, pacer);
    assertThat(runs(client, created)).allSatisfy(r -> assertThat(scheduledFor(r)).isBefore(deactivated));

    JsonObject reactivated = put(client, updated, interval(1000), true);
    moveTo(anchor(reactivated).plusMillis(1_500), STEP_MS, client, pacer);
    assertThat(awaitRuns(client, created, "a fire after the reactivation",
      runs -> !after(runs, anchor(reactivated)).isEmpty()))
      .anySatisfy(r -> assertThat(scheduledFor(r)).isAfter(anchor(reactivated)));
    assertThat(client.delete("/orchestrations/" + created.getString("id")).status()).isEqualTo(204);
    Instant deleted = clock.instant();
    moveTo(deleted.plusMillis(2_500), STEP_MS, client, pacer);
    assertThat(runs(client, created)).allSatisfy(r -> assertThat(scheduledFor(r)).isBefore(deleted));
  }

  @Test
  @DisplayName("a once schedule fires exactly once, on time; once past it can still be updated and deactivated, "
    + "and does not fire again")
  void onceFiresOnce() {
    ApiClient client = start("api,worker,scheduler").client(ws);
    Instant at = clock.instant().plusMillis(2_000);
    JsonObject created = create(client, "once", new JsonObject().put("type", "scheduled")
      .put("scheduleType", "once").put("scheduledAt", at.toString()));
    JsonObject pacer = pacer(client);

    moveTo(at.plusMillis(1_500), STEP_MS, client, pacer);

    assertThat(awaitRuns(client, created, "the fire", runs -> !runs.isEmpty())).singleElement().satisfies(r -> {
      assertThat(scheduledFor(r)).isEqualTo(at);
      assertThat(metadata(r).getInteger("missedCount")).isZero();
      assertThat(Instant.parse(r.getString("startedAt"))).isBetween(at, at.plusMillis(1000));
    });
    JsonObject updated = put(client, created, created.getJsonObject("trigger"), true);
    assertThat(updated.getInteger("version")).isEqualTo(2);
    deactivate(client, updated);
    moveTo(clock.instant().plusMillis(1_500), STEP_MS, client, pacer);
    assertThat(runs(client, created)).hasSize(1);
  }

  @Test
  @DisplayName("restarting the scheduler neither resets nor double-fires; a schedule lost from Redis is rebuilt")
  void restart() {
    TestApp first = start("api,worker,scheduler");
    JsonObject created = create(first.client(ws), "restarted", interval(1000));
    JsonObject pacer = pacer(first.client(ws));
    moveTo(anchor(created).plusMillis(2_500), STEP_MS, first.client(ws), pacer);
    stop(first);
    TestApp second = start("api,worker,scheduler");
    moveTo(clock.instant().plusMillis(2_000), STEP_MS, second.client(ws), pacer);

    List<JsonObject> beforeLoss = awaitRuns(second.client(ws), created, "the fires up to the 4th",
      runs -> coveredFires(runs) >= 4);
    assertThat(beforeLoss.size()).isGreaterThanOrEqualTo(3);
    assertCoversEveryFireOnce(beforeLoss, anchor(created), 1000);

    stop(second);
    deleteScheduleKeys(created.getString("id"), pacer.getString("id"));
    Instant lost = clock.instant();
    ApiClient client = start("api,worker,scheduler").client(ws);
    moveTo(lost.plusMillis(2_500), STEP_MS, client, pacer);
    awaitRuns(client, created, "the fires up to the 7th", runs -> coveredFires(runs) >= 7);
    deactivate(client, created);

    List<JsonObject> runs = runs(client, created);
    List<JsonObject> rebuilt = runs.stream().filter(r -> scheduledFor(r).isAfter(lost)).toList();
    assertThat(rebuilt).isNotEmpty();
    assertCoversEveryFireOnce(rebuilt, anchor(created), 1000);
    assertThat(runs).extracting(SchedulerIT::scheduledFor).doesNotHaveDuplicates();
  }

  // --- helpers ---------------------------------------------------------------------------------------------------

  /**
   * Moves the shared clock to {@code to} in steps of {@code stepMs}; after each step wakes every instance and waits
   * until {@code pacer} (see {@link #pacer}) has run its fires up to the new instant.
   */
  private void moveTo(Instant to, long stepMs, ApiClient client, JsonObject pacer) {
    while (clock.instant().isBefore(to)) {
      clock.advance(Duration.ofMillis(Math.min(stepMs, to.toEpochMilli() - clock.millis())));
      wake();
      long sinceAnchor = clock.millis() - anchor(pacer).toEpochMilli();
      Instant lastFire = anchor(pacer).plusMillis(sinceAnchor - sinceAnchor % PACER_MS);
      if (lastFire.isAfter(anchor(pacer))) {
        awaitRuns(client, pacer, "the fire at " + lastFire,
          runs -> !runs.isEmpty() && !lastCovered(runs.get(runs.size() - 1), PACER_MS).isBefore(lastFire));
      }
    }
  }

  /**
   * A 1 s schedule anchored on a whole second, as every schedule here: once its fire for an instant has run, the
   * schedulers have been woken for that instant and have handled the other fires due then (claimed in one pass).
   */
  private JsonObject pacer(ApiClient client) {
    return create(client, "pacer", interval(PACER_MS));
  }

  /** What a real clock's timers would do when the clock reaches a due time: wake the schedulers and workers. */
  private void wake() {
    for (String channel : List.of(keys.scheduleWakeChannel(), keys.wakeChannel())) {
      TestApp.await(redis.send(Request.cmd(Command.PUBLISH).arg(channel).arg(clock.millis())));
    }
  }

  /** Polls List Runs until {@code done} holds, failing after {@link #DEADLINE}; returns the last answer. */
  private static List<JsonObject> awaitRuns(ApiClient client, JsonObject orchestration, String what,
                                            Predicate<List<JsonObject>> done) {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (true) {
      List<JsonObject> runs = runs(client, orchestration);
      if (done.test(runs)) {
        return runs;
      }
      assertThat(System.nanoTime()).as("waiting for %s of %s, runs so far: %s", what, orchestration.getString("slug"),
        runs).isLessThan(deadline);
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  private static List<JsonObject> after(List<JsonObject> runs, Instant instant) {
    return runs.stream().filter(r -> scheduledFor(r).isAfter(instant)).toList();
  }

  /** How many fires the runs stand for: each run's own plus the ones it counted as missed. */
  private static long coveredFires(List<JsonObject> runs) {
    return runs.stream().mapToLong(r -> 1 + metadata(r).getInteger("missedCount")).sum();
  }

  /** The last fire a run stands for: its own, or the last one it counted as missed. */
  private static Instant lastCovered(JsonObject run, long periodMs) {
    return scheduledFor(run).plusMillis(periodMs * metadata(run).getInteger("missedCount"));
  }

  private void stop(TestApp app) {
    app.close();
    apps.remove(app);
  }

  private TestApp start(String roles) {
    TestApp app = TestApp.start(Map.of("ORCH_REDIS_PREFIX", prefix, "ORCH_PG_URL", database.url,
      "ORCH_ROLES", roles), clock);
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

  /** Simulates a Redis that lost the schedules (flushed, restored from an old backup). */
  private void deleteScheduleKeys(String... orchestrationIds) {
    for (String id : orchestrationIds) {
      RedisKeys partition = keys.ofName(id);
      TestApp.await(redis.send(Request.cmd(Command.DEL).arg(partition.schedules()).arg(partition.schedule(id))));
    }
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
