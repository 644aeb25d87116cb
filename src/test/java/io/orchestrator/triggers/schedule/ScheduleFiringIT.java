package io.orchestrator.triggers.schedule;

import io.orchestrator.common.Outages;
import io.orchestrator.fixtures.ManualClock;
import static io.orchestrator.fixtures.TestApp.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orchestrator.common.Ids;
import io.orchestrator.definitions.DefinitionValidator;
import io.orchestrator.definitions.LiveOrchestrationCache;
import io.orchestrator.definitions.Orchestration;
import io.orchestrator.definitions.OrchestrationService;
import io.orchestrator.fixtures.ScratchDatabase;
import io.orchestrator.fixtures.TestApp;
import io.orchestrator.fixtures.TestStores;
import io.orchestrator.runs.Run;
import io.orchestrator.runs.RunFilter;
import io.orchestrator.runs.RunMeters;
import io.orchestrator.runs.DirectStarts;
import io.orchestrator.runs.RunService;
import io.orchestrator.runs.StepTypes;
import io.orchestrator.runs.WakeSignal;
import io.orchestrator.store.pg.Migrations;
import io.orchestrator.store.pg.PgFunctionStore;
import io.orchestrator.store.pg.PgOrchestrationStore;
import io.orchestrator.store.pg.PgRunHistory;
import io.orchestrator.common.Partitions;
import io.orchestrator.store.redis.Keyspace;
import io.orchestrator.store.redis.RedisRunStore;
import io.orchestrator.store.redis.RedisScheduleStore;
import io.orchestrator.tracing.Spans;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's firing against the real PostgreSQL and Redis, with three simulated scheduler instances and a fake
 * clock shared by every component, so hours of schedule run in milliseconds and outages are exact.
 */
@DisplayName("Scheduled firing with three schedulers and a fake clock")
class ScheduleFiringIT {

  private static final Instant T0 = Instant.parse("2030-01-15T10:00:00Z");
  private static final Duration LEASE = Duration.ofSeconds(15);
  private static final WakeSignal NO_WAKE = new WakeSignal() {
    @Override
    public void runDue(String runOrTaskId, long dueAtMillis) {
    }

    @Override
    public void anyDue(long dueAtMillis) {
    }

    @Override
    public void onRunDue(Listener listener) {
    }
  };

  private static Vertx vertx;
  private static ScratchDatabase database;
  private static Pool pool;
  private static Redis redis;

  private ManualClock clock;
  private Keyspace keys;
  private String ws;
  private OrchestrationService definitions;
  private RedisRunStore runStore;
  private ScheduleSync sync;
  private RunService runs;
  private PgOrchestrationStore orchestrationStore;
  private final List<Instance> instances = new ArrayList<>();

  /** One scheduler instance: its own store client (own claim ids) and firer. */
  private record Instance(ScheduleStore store, ScheduleFirer firer) {
  }

  @BeforeAll
  static void connect() {
    vertx = Vertx.vertx();
    // Its own database: the rebuild reads the active schedules of every workspace.
    database = ScratchDatabase.create(vertx, "sched_firing");
    pool = database.pool(4);
    await(new Migrations(vertx, pool).migrate());
    redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(TestStores.redisUrl())
      .setMaxPoolWaiting(10_000));
  }

  @AfterAll
  static void disconnect() {
    redis.close();
    await(pool.close());
    database.close();
    await(vertx.close());
  }

  @BeforeEach
  void wire() {
    await(pool.query("TRUNCATE orchestrations, orchestration_versions").execute());
    clock = new ManualClock(T0);
    keys = new Keyspace("t" + UUID.randomUUID().toString().replace("-", ""), new Partitions(4));
    ws = TestApp.randomWorkspace();
    orchestrationStore = new PgOrchestrationStore(pool);
    definitions = new OrchestrationService(orchestrationStore, new PgFunctionStore(pool),
      new DefinitionValidator(clock), new Ids(clock), clock);
    runStore = await(RedisRunStore.create(vertx, redis, keys, clock));
    Outages noOutages = failure -> Optional.empty();
    runs = new RunService(orchestrationStore, new LiveOrchestrationCache(orchestrationStore, noOutages, clock),
      runStore, new PgRunHistory(pool), NO_WAKE, DirectStarts.NONE, new Ids(clock, keys.partitions()), new RunMeters(new SimpleMeterRegistry()),
      new StepTypes(orchestrationStore, noOutages, clock), Spans.NONE, clock);
    ScheduleStore shared = await(RedisScheduleStore.create(vertx, redis, keys, clock));
    sync = new ScheduleSync(shared, NO_WAKE, clock);
    for (int i = 0; i < 3; i++) {
      instances.add(instance(await(RedisScheduleStore.create(vertx, redis, keys, clock))));
    }
  }

  private Instance instance(ScheduleStore store) {
    return new Instance(store, new ScheduleFirer(store, sync, orchestrationStore, runs, clock,
      new SimpleMeterRegistry()));
  }

  @AfterEach
  void deleteKeys() {
    Response found = await(redis.send(Request.cmd(Command.KEYS).arg(keys.keyPattern())));
    for (Response key : found) {
      await(redis.send(Request.cmd(Command.DEL).arg(key.toString())));
    }
  }

  @Test
  @DisplayName("three schedulers claiming at once start exactly one run per fire: 20 schedules x 25 fires")
  void exactlyOnceUnderContention() {
    List<Orchestration> all = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      all.add(create("every-" + i, interval(1000L * (1 + i % 3))));
    }
    tickEverySecond(75);
    for (Orchestration o : all) {
      long period = 1000L * (1 + all.indexOf(o) % 3);
      List<Run> fired = runsOf(o);
      List<String> expected = new ArrayList<>();
      for (long at = o.updatedAt().toEpochMilli() + period; at <= clock.millis(); at += period) {
        expected.add(iso(at));
      }
      assertThat(fired).extracting(r -> r.triggerMetadata().getString("scheduledFor"))
        .as("fires of %s", o.slug()).containsExactlyInAnyOrderElementsOf(expected);
      assertThat(fired).allSatisfy(r -> {
        assertThat(r.triggerType()).isEqualTo("scheduled");
        assertThat(r.triggerMetadata().getInteger("missedCount")).isZero();
        assertThat(r.triggerMetadata().getString("firedAt")).isEqualTo(r.triggerMetadata().getString("scheduledFor"));
        assertThat(r.traceParent()).as("a scheduled run starts a trace of its own").isNull();
        assertThat(r.traceId()).matches("[0-9a-f]{32}");
      });
      assertThat(fired).extracting(Run::traceId).doesNotHaveDuplicates();
    }
  }

  @Test
  @DisplayName("a scheduler that dies after starting the run but before advancing causes no second run")
  void crashBetweenStartAndAdvance() {
    Orchestration o = create("crashy", interval(10_000));
    Instance crashing = instance(new AdvanceFails(instances.get(0).store()));
    clock.advance(Duration.ofSeconds(10));

    Throwable failure = fireAll(crashing).toCompletionStage().toCompletableFuture().handle((ok, e) -> e).join();
    assertThat(failure).hasMessageContaining("crashed");
    assertThat(runsOf(o)).hasSize(1);
    tickAll();
    assertThat(runsOf(o)).as("claimed until the lease expires").hasSize(1);
    clock.advance(LEASE);
    tickAll();

    assertThat(runsOf(o)).extracting(r -> r.triggerMetadata().getString("scheduledFor"))
      .containsExactly(iso(T0.plusSeconds(10).toEpochMilli()));
    clock.set(T0.plusSeconds(30));
    tickAll();
    assertThat(runsOf(o)).hasSize(2);
  }

  @Test
  @DisplayName("fire-once after an outage: one run for the first missed fire with missedCount 6, then on time")
  void misfireFireOnce() {
    Orchestration o = create("outage-fire-once", interval(10_000).put("misfirePolicy", "fire-once"));
    clock.advance(Duration.ofSeconds(75));

    tickAll();

    List<Run> fired = runsOf(o);
    assertThat(fired).hasSize(1);
    assertThat(fired.get(0).triggerMetadata().getString("scheduledFor")).isEqualTo(iso(T0.plusSeconds(10)));
    assertThat(fired.get(0).triggerMetadata().getString("firedAt")).isEqualTo(iso(T0.plusSeconds(75)));
    assertThat(fired.get(0).triggerMetadata().getInteger("missedCount")).isEqualTo(6);
    clock.set(T0.plusSeconds(80));
    tickAll();
    assertThat(runsOf(o)).hasSize(2).anySatisfy(r -> {
      assertThat(r.triggerMetadata().getString("scheduledFor")).isEqualTo(iso(T0.plusSeconds(80)));
      assertThat(r.triggerMetadata().getInteger("missedCount")).isZero();
    });
  }

  @Test
  @DisplayName("skip after an outage: no run for the missed fires, the schedule resumes at the next future fire")
  void misfireSkip() {
    Orchestration o = create("outage-skip", interval(10_000).put("misfirePolicy", "skip"));
    clock.advance(Duration.ofSeconds(75));

    tickAll();

    assertThat(runsOf(o)).isEmpty();
    assertThat(await(instances.get(0).store().nextDue())).contains(T0.plusSeconds(80).toEpochMilli());
    clock.set(T0.plusSeconds(80));
    tickAll();
    assertThat(runsOf(o)).singleElement().satisfies(r -> {
      assertThat(r.triggerMetadata().getString("scheduledFor")).isEqualTo(iso(T0.plusSeconds(80)));
      assertThat(r.triggerMetadata().getInteger("missedCount")).isZero();
    });
  }

  @Test
  @DisplayName("a daily cron missed by 2 minutes: fire-once runs it late with missedCount 0, skip drops it")
  void lateCron() {
    JsonObject daily = new JsonObject().put("type", "scheduled").put("scheduleType", "cron")
      .put("cronExpression", "5 10 * * *").put("timezone", "UTC");
    Orchestration fireOnce = create("daily-fire-once", daily.copy());
    Orchestration skip = create("daily-skip", daily.copy().put("misfirePolicy", "skip"));
    clock.set(T0.plus(Duration.ofMinutes(7)));

    tickAll();

    assertThat(runsOf(fireOnce)).singleElement().satisfies(r -> {
      assertThat(r.triggerMetadata().getString("scheduledFor")).isEqualTo(iso(T0.plus(Duration.ofMinutes(5))));
      assertThat(r.triggerMetadata().getInteger("missedCount")).isZero();
    });
    assertThat(runsOf(skip)).isEmpty();
    clock.set(T0.plus(Duration.ofDays(1)).plus(Duration.ofMinutes(5)));
    tickAll();
    assertThat(runsOf(skip)).hasSize(1);
  }

  @Test
  @DisplayName("once fires exactly once and is then gone; a missed once fires on recovery (fire-once) or not (skip)")
  void once() {
    Orchestration onTime = create("once-on-time", once(T0.plusSeconds(5)));
    Orchestration missed = create("once-missed", once(T0.plusSeconds(6)));
    Orchestration skipped = create("once-skipped", once(T0.plusSeconds(6)).put("misfirePolicy", "skip"));
    clock.set(T0.plusSeconds(5));
    tickAll();
    tickAll();
    clock.set(T0.plusSeconds(600));
    tickAll();
    clock.advance(Duration.ofDays(1));
    tickAll();

    assertThat(runsOf(onTime)).singleElement().satisfies(r ->
      assertThat(r.triggerMetadata().getString("scheduledFor")).isEqualTo(iso(T0.plusSeconds(5))));
    assertThat(runsOf(missed)).singleElement().satisfies(r ->
      assertThat(r.triggerMetadata().getString("firedAt")).isEqualTo(iso(T0.plusSeconds(600))));
    assertThat(runsOf(skipped)).isEmpty();
    assertThat(await(instances.get(0).store().nextDue())).isEmpty();
  }

  @Test
  @DisplayName("an update to the schedule takes effect at once: the old fires stop, the new ones start")
  void updateMidSchedule() {
    Orchestration o = create("changing", interval(10_000));
    tickEverySecond(25);
    assertThat(runsOf(o)).hasSize(2);

    Orchestration updated = update(o, interval(3_000), true);
    tickEverySecond(10);

    assertThat(runsOf(o)).extracting(r -> r.triggerMetadata().getString("scheduledFor")).containsExactlyInAnyOrder(
      iso(T0.plusSeconds(10)), iso(T0.plusSeconds(20)), iso(updated.updatedAt().plusSeconds(3)),
      iso(updated.updatedAt().plusSeconds(6)), iso(updated.updatedAt().plusSeconds(9)));
  }

  @Test
  @DisplayName("an update that leaves the trigger alone keeps the interval's phase")
  void unrelatedUpdateKeepsPhase() {
    Orchestration o = create("renamed", interval(10_000));
    clock.advance(Duration.ofSeconds(4));
    update(o, interval(10_000), true);

    clock.set(T0.plusSeconds(10));
    tickAll();

    assertThat(runsOf(o)).singleElement().satisfies(r -> {
      assertThat(r.triggerMetadata().getString("scheduledFor")).isEqualTo(iso(T0.plusSeconds(10)));
      assertThat(r.orchestrationVersion()).isEqualTo(2);
    });
  }

  @Test
  @DisplayName("deactivate and delete stop the schedule at once; reactivating starts it again")
  void deactivateAndDelete() {
    Orchestration paused = create("paused", interval(5_000));
    Orchestration deleted = create("deleted", interval(5_000));
    clock.advance(Duration.ofSeconds(5));
    tickAll();

    Orchestration inactive = update(paused, interval(5_000), false);
    await(definitions.delete(ws, deleted.id()));
    await(sync.remove(deleted));
    clock.advance(Duration.ofSeconds(30));
    tickAll();
    assertThat(runsOf(paused)).hasSize(1);
    assertThat(runsOf(deleted)).hasSize(1);
    assertThat(await(instances.get(0).store().nextDue())).isEmpty();

    update(inactive, interval(5_000), true);
    clock.advance(Duration.ofSeconds(5));
    tickAll();
    assertThat(runsOf(paused)).hasSize(2);
  }

  @Test
  @DisplayName("a change whose listener never reached Redis is caught at fire time: no run, the entry is fixed")
  void missedListenerCaughtAtFireTime() {
    Orchestration o = create("sneaky", interval(5_000));
    await(definitions.update(ws, o.id(), null, body(o.slug(), interval(5_000)).put("isActive", false), "test"));
    clock.advance(Duration.ofSeconds(5));

    tickAll();

    assertThat(runsOf(o)).isEmpty();
    assertThat(await(instances.get(0).store().nextDue())).isEmpty();
  }

  @Test
  @DisplayName("a rebuild re-adds lost schedules and leaves existing ones alone, so restarts never double-fire")
  void rebuild() {
    Orchestration kept = create("kept", interval(10_000));
    Orchestration lost = create("lost", interval(10_000));
    await(redis.send(Request.cmd(Command.ZREM).arg(keys.ofName(lost.id()).schedules()).arg(lost.id())));
    await(redis.send(Request.cmd(Command.DEL).arg(keys.ofName(lost.id()).schedule(lost.id()))));
    clock.advance(Duration.ofSeconds(10));
    tickAll();

    assertThat(await(sync.rebuild(orchestrationStore))).isEqualTo(1);
    assertThat(await(sync.rebuild(orchestrationStore))).isZero();
    tickAll();
    clock.advance(Duration.ofSeconds(10));
    tickAll();

    assertThat(runsOf(kept)).hasSize(2);
    assertThat(runsOf(lost)).singleElement().satisfies(r ->
      assertThat(r.triggerMetadata().getString("scheduledFor")).isEqualTo(iso(T0.plusSeconds(20))));
  }

  // --- helpers ---------------------------------------------------------------------------------------------------

  private void tickAll() {
    await(Future.all(instances.stream().map(this::fireAll).toList()));
  }

  private void tickEverySecond(int seconds) {
    for (int i = 0; i < seconds; i++) {
      clock.advance(Duration.ofSeconds(1));
      tickAll();
    }
  }

  private Future<Void> fireAll(Instance instance) {
    return instance.store().claimDue(100, LEASE, Duration.ZERO).compose(claimed -> instance.firer().lookUp(claimed)
      .compose(found -> Future.all(IntStream.range(0, claimed.size())
        .mapToObj(i -> instance.firer().fire(claimed.get(i), found.get(i))).toList()).mapEmpty()));
  }

  private Orchestration create(String slug, JsonObject trigger) {
    Orchestration created = await(definitions.create(ws, body(slug, trigger), "test"));
    await(sync.apply(created));
    return created;
  }

  private Orchestration update(Orchestration o, JsonObject trigger, boolean active) {
    Orchestration updated = await(definitions.update(ws, o.id(), null,
      body(o.slug(), trigger).put("isActive", active), "test"));
    await(sync.apply(updated));
    return updated;
  }

  private static JsonObject body(String slug, JsonObject trigger) {
    return new JsonObject().put("slug", slug).put("name", "Scheduled " + slug).put("trigger", trigger)
      .put("steps", new JsonArray().add(new JsonObject().put("id", "wait").put("type", "delay").put("delayMs", 0)));
  }

  private static JsonObject interval(long ms) {
    return new JsonObject().put("type", "scheduled").put("scheduleType", "interval").put("interval", ms);
  }

  private static JsonObject once(Instant at) {
    return new JsonObject().put("type", "scheduled").put("scheduleType", "once").put("scheduledAt", at.toString());
  }

  private List<Run> runsOf(Orchestration o) {
    List<String> ids = await(runStore.listIds(ws, o.id(), RunFilter.ALL, 0, 1000)).ids();
    return await(runStore.getMany(ids));
  }

  private static String iso(long ms) {
    return io.orchestrator.common.Timestamps.formatMillis(ms);
  }

  private static String iso(Instant at) {
    return io.orchestrator.common.Timestamps.format(at);
  }

  /** A scheduler that dies right after starting the run: its advance never reaches Redis. */
  private record AdvanceFails(ScheduleStore delegate) implements ScheduleStore {

    @Override
    public Future<Upsert> upsert(ScheduleEntry entry) {
      return delegate.upsert(entry);
    }

    @Override
    public Future<Boolean> remove(String orchestrationId, int version) {
      return delegate.remove(orchestrationId, version);
    }

    @Override
    public Future<List<ScheduleEntry>> claimDue(int max, Duration lease, Duration lookahead) {
      return delegate.claimDue(max, lease, lookahead);
    }

    @Override
    public Future<Advance> advance(ScheduleEntry claimed, Optional<Instant> next) {
      return Future.failedFuture(new IllegalStateException("crashed"));
    }

    @Override
    public Future<Optional<ScheduleEntry>> find(String orchestrationId) {
      return delegate.find(orchestrationId);
    }

    @Override
    public Future<Optional<Long>> nextDue() {
      return delegate.nextDue();
    }
  }
}
