package io.orchestrator.engine;

import static io.orchestrator.engine.RunTestSupport.assertUnavailable;
import static io.orchestrator.engine.RunTestSupport.awaitFinished;
import static io.orchestrator.engine.RunTestSupport.compute;
import static io.orchestrator.engine.RunTestSupport.createFunction;
import static io.orchestrator.engine.RunTestSupport.createOrchestration;
import static io.orchestrator.engine.RunTestSupport.delay;
import static io.orchestrator.engine.RunTestSupport.sleep;
import static io.orchestrator.engine.RunTestSupport.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.orchestrator.availability.StoreAvailability;
import io.orchestrator.engine.TriggerLoad.Answer;
import io.orchestrator.fixtures.ApiClient;
import io.orchestrator.fixtures.ApiClient.Reply;
import io.orchestrator.fixtures.FaultProxy;
import io.orchestrator.fixtures.FunctionServer;
import io.orchestrator.fixtures.TestApp;
import io.orchestrator.fixtures.TestStores;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Store outages injected through TCP proxies of the test's own between the service and the machine's PostgreSQL
 * and Redis (never by stopping those): requests that need the missing store answer 503 with Retry-After and never
 * 500, the others keep working, every acknowledged run completes exactly once, and runs resume within a second of
 * the store's return.
 */
@DisplayName("store outages")
class StoreOutageIT {

  private static final long OUTAGE_MS = 5_000;
  private static final long DELAY_MS = 300;
  private static final Duration FINISH_TIMEOUT = Duration.ofSeconds(30);

  private static Vertx proxies;
  private static FunctionServer functions;
  private FaultProxy redisProxy;
  private FaultProxy pgProxy;
  private TestApp app;
  private ApiClient client;
  private ListAppender<ILoggingEvent> availabilityLog;

  @BeforeAll
  static void startFunctions() {
    proxies = Vertx.vertx();
    functions = FunctionServer.start();
  }

  @AfterAll
  static void stopFunctions() {
    functions.close();
    TestApp.await(proxies.close());
  }

  @BeforeEach
  void startProxies() {
    URI redis = URI.create(TestStores.redisUrl());
    URI pg = URI.create(TestStores.pgUrl());
    redisProxy = FaultProxy.start(proxies, redis.getHost(), redis.getPort());
    pgProxy = FaultProxy.start(proxies, pg.getHost(), pg.getPort());
    availabilityLog = new ListAppender<>();
    availabilityLog.start();
    ((Logger) LoggerFactory.getLogger(StoreAvailability.class)).addAppender(availabilityLog);
  }

  @AfterEach
  void stopAll() {
    ((Logger) LoggerFactory.getLogger(StoreAvailability.class)).detachAppender(availabilityLog);
    redisProxy.pass();
    pgProxy.pass();
    if (app != null) {
      app.close();
    }
    redisProxy.close();
    pgProxy.close();
  }

  @Test
  @DisplayName("Redis refusing connections for 5 s under load: 503s with Retry-After, no 500, every acknowledged "
    + "run completes exactly once, wake-ups late by at most the outage + 1 s")
  void redisDownUnderLoad() {
    startApp();
    String orchestration = chainOfComputeDelayCompute();
    TriggerLoad load = new TriggerLoad(app, client, orchestration).start(25);
    sleep(1_500);
    redisProxy.refuse();
    long outageStart = System.currentTimeMillis();
    sleep(OUTAGE_MS);
    redisProxy.pass();
    long outageEnd = System.currentTimeMillis();
    sleep(1_500);
    List<Answer> answers = load.stop();

    assertOnly201And503(answers);
    assertThat(TriggerLoad.byStatus(answers)).as("triggers during the outage answer 503").containsKey(503);
    assertThat(firstAcknowledgedAfter(answers, outageEnd)).as("first 201 for a trigger sent after the outage")
      .isLessThanOrEqualTo(outageEnd + 1_000);
    assertEveryRunCompletedOnce(orchestration, TriggerLoad.acknowledged(answers), outageEnd - outageStart);
    assertOutageLoggedOnce("Redis");
  }

  @Test
  @DisplayName("PostgreSQL refusing connections for 5 s under load: triggers of cached definitions, run reads and "
    + "the engine keep working; List Runs and definition writes answer 503; history catches up afterwards")
  void postgresDownUnderLoad() {
    startApp();
    String orchestration = chainOfComputeDelayCompute();
    String finishedBefore = trigger(client, orchestration, new JsonObject());
    awaitFinished(client, orchestration, finishedBefore);
    TriggerLoad load = new TriggerLoad(app, client, orchestration).start(25);
    sleep(1_500);
    pgProxy.refuse();
    long outageStart = System.currentTimeMillis();
    sleep(1_000);
    Reply list = client.get("/orchestrations/" + orchestration + "/runs");
    Reply create = client.post("/orchestrations", new JsonObject().put("slug", "x").put("name", "x")
      .put("trigger", new JsonObject().put("type", "on-demand")).put("steps", new JsonArray().add(delay("d", 1, null))));
    Reply read = client.get(RunTestSupport.runPath(orchestration, finishedBefore));
    Reply ready = health("ready");
    sleep(OUTAGE_MS - 1_000);
    pgProxy.pass();
    long outageEnd = System.currentTimeMillis();
    sleep(1_500);
    List<Answer> answers = load.stop();

    assertUnavailable(list);
    assertUnavailable(create);
    assertThat(read.status()).as("a run in Redis is read without PostgreSQL: " + read.body()).isEqualTo(200);
    assertThat(ready.status()).isEqualTo(503);
    assertThat(ready.json().getJsonObject("checks").getString("postgres")).isEqualTo("DOWN");
    assertThat(ready.json().getJsonObject("checks").getString("redis")).isEqualTo("UP");
    assertThat(TriggerLoad.byStatus(answers)).as("every trigger of a cached definition is accepted")
      .containsOnlyKeys(201);
    List<String> runs = TriggerLoad.acknowledged(answers);
    assertEveryRunCompletedOnce(orchestration, runs, outageEnd - outageStart);
    awaitHistoryHolds(runs);
    assertOutageLoggedOnce("PostgreSQL");
  }

  @Test
  @DisplayName("Redis that accepts connections but never answers: requests answer 503 within the store timeout")
  void redisStalled() {
    startApp();
    String orchestration = chainOfComputeDelayCompute();
    redisProxy.stall();
    long started = System.currentTimeMillis();
    Reply stalled = client.post("/orchestrations/" + orchestration + "/trigger", new JsonObject());
    long took = System.currentTimeMillis() - started;
    redisProxy.pass();

    assertUnavailable(stalled);
    assertThat(took).as("answered within the 1 s store timeout plus margin").isLessThan(3_000);
    String after = awaitAcknowledged(orchestration);
    assertThat(awaitFinished(client, orchestration, after).getString("status")).isEqualTo("completed");
  }

  @Test
  @DisplayName("PostgreSQL that accepts connections but never answers: requests needing it answer 503 within "
    + "the store timeout; triggers of cached definitions still work")
  void postgresStalled() {
    startApp();
    String orchestration = chainOfComputeDelayCompute();
    RunTestSupport.trigger(client, orchestration, new JsonObject());
    pgProxy.stall();
    long started = System.currentTimeMillis();
    Reply stalled = client.get("/orchestrations");
    long took = System.currentTimeMillis() - started;
    Reply trigger = client.post("/orchestrations/" + orchestration + "/trigger", new JsonObject());
    pgProxy.pass();

    assertUnavailable(stalled);
    assertThat(took).as("answered within the 1 s store timeout plus margin").isLessThan(3_000L);
    assertThat(trigger.status()).as(trigger.body()).isEqualTo(201);
    poll(() -> client.get("/orchestrations").status() == 200, Duration.ofSeconds(10), "listing works again");
  }

  @Test
  @DisplayName("with PostgreSQL down, a run of a known orchestration starts, its worker task is polled and "
    + "completed, and the run finishes")
  void workerTasksWithoutPostgres() {
    startApp();
    String function = client.post("/functions", new JsonObject().put("name", "w").put("runtime", "worker")
      .put("queue", "q")).json().getString("id");
    String orchestration = createOrchestration(client, "worker-chain", compute("work", function, "wait"),
      delay("wait", DELAY_MS, null));
    assertThat(completeOneRun(orchestration).getString("status")).isEqualTo("completed");
    pgProxy.refuse();
    sleep(2_100); // past every cache's time to live: what is served now is served despite the outage
    JsonObject finished = completeOneRun(orchestration);
    pgProxy.pass();

    assertThat(finished.getString("status")).isEqualTo("completed");
    assertThat(finished.getJsonObject("stepOutputs").getJsonObject("work"))
      .isEqualTo(new JsonObject().put("done", true));
  }

  private JsonObject completeOneRun(String orchestration) {
    String run = trigger(client, orchestration, new JsonObject());
    JsonObject task = pollTask("q");
    Reply complete = client.post("/worker-tasks/" + task.getString("taskId") + "/complete",
      new JsonObject().put("output", new JsonObject().put("done", true)));
    assertThat(complete.status()).as(complete.body()).isEqualTo(200);
    return awaitFinished(client, orchestration, run);
  }

  @Test
  @DisplayName("start-up with Redis refused for 5 s: live at once, ready 503 naming Redis, API 503, then ready")
  void startWhileRedisDown() {
    assertStartsThrough(redisProxy, "redis");
  }

  @Test
  @DisplayName("start-up with PostgreSQL refused for 5 s: live at once, ready 503 naming PostgreSQL, then ready")
  void startWhilePostgresDown() {
    assertStartsThrough(pgProxy, "postgres");
  }

  private void assertStartsThrough(FaultProxy down, String check) {
    down.refuse();
    app = TestApp.starting(env(), Clock.systemUTC());
    client = app.client(TestApp.randomWorkspace());
    assertThat(health("live").status()).isEqualTo(200);
    Reply notReady = health("ready");
    assertThat(notReady.status()).isEqualTo(503);
    assertThat(notReady.header("Retry-After")).isNotNull();
    assertThat(notReady.json().getJsonObject("checks").getString(check)).isEqualTo("DOWN");
    assertUnavailable(client.get("/orchestrations"));
    sleep(OUTAGE_MS);
    assertThat(app.orchestrator.ready().isComplete()).as("not ready while a store is down").isFalse();
    down.pass();
    long back = System.currentTimeMillis();
    TestApp.await(app.orchestrator.ready());
    assertThat(System.currentTimeMillis() - back).as("ready soon after the store answers").isLessThan(5_000);
    assertThat(health("ready").status()).isEqualTo(200);
    String orchestration = chainOfComputeDelayCompute();
    String run = trigger(client, orchestration, new JsonObject());
    assertThat(awaitFinished(client, orchestration, run).getString("status")).isEqualTo("completed");
    long downLines = availabilityLog.list.stream().filter(e -> e.getLevel() == Level.WARN).count();
    assertThat(downLines).as("one warning for the store that did not answer, not one per attempt: "
      + availabilityLog.list).isEqualTo(1);
  }

  // ---- helpers -------------------------------------------------------------------------------------------------

  private void startApp() {
    app = TestApp.start(env());
    client = app.client(TestApp.randomWorkspace());
  }

  private Map<String, String> env() {
    URI pg = URI.create(TestStores.pgUrl());
    Map<String, String> env = new HashMap<>();
    env.put("ORCH_ROLES", "api,worker");
    env.put("ORCH_STORE_TIMEOUT", "1s");
    env.put("ORCH_REDIS_URL", "redis://127.0.0.1:" + redisProxy.port());
    env.put("ORCH_PG_URL", pg.getScheme() + "://" + pg.getRawUserInfo() + "@127.0.0.1:" + pgProxy.port()
      + pg.getRawPath() + (pg.getRawQuery() == null ? "" : "?" + pg.getRawQuery()));
    return env;
  }

  /** compute "a" → delay "wait" (300 ms) → compute "b", on functions recording every call. */
  private String chainOfComputeDelayCompute() {
    String a = createFunction(client, "a", functions.url(client.workspace + "-a")).getString("id");
    String b = createFunction(client, "b", functions.url(client.workspace + "-b")).getString("id");
    return createOrchestration(client, "chain", compute("a", a, "wait"), delay("wait", DELAY_MS, "b"),
      compute("b", b, null));
  }

  private static void assertOnly201And503(List<Answer> answers) {
    assertThat(TriggerLoad.byStatus(answers)).as("answers by status").containsOnlyKeys(201, 503);
    for (Answer answer : answers) {
      if (answer.status() == 503) {
        assertThat(answer.error()).isEqualTo("unavailable");
        assertThat(answer.retryAfter()).isEqualTo("1");
      }
    }
  }

  private static long firstAcknowledgedAfter(List<Answer> answers, long since) {
    return answers.stream().filter(a -> a.status() == 201 && a.sentAtMs() >= since).mapToLong(Answer::answeredAtMs)
      .min().orElseThrow(() -> new AssertionError("no trigger sent after the outage was acknowledged"));
  }

  /**
   * Every run completed with each step recorded once, each function called for it with one Idempotency-Key (a
   * repeated call is allowed only as a retry of the same attempt), and its delay late by at most the outage + 1 s.
   */
  private void assertEveryRunCompletedOnce(String orchestration, List<String> runIds, long outageMs) {
    assertThat(runIds).hasSizeGreaterThan(50);
    long deadline = System.nanoTime() + FINISH_TIMEOUT.toNanos();
    for (String runId : runIds) {
      JsonObject run = RunTestSupport.awaitFinishedBy(client, orchestration, runId, deadline);
      assertThat(run.getString("status")).as(run.encodePrettily()).isEqualTo("completed");
      assertThat(run.getJsonArray("executedSteps").getList()).as(runId).containsExactly("a", "wait", "b");
    }
    Map<String, List<FunctionServer.Call>> aCalls = callsByRun(client.workspace + "-a");
    Map<String, List<FunctionServer.Call>> bCalls = callsByRun(client.workspace + "-b");
    long worstLateness = 0;
    for (String runId : runIds) {
      assertOneIdempotencyKey(aCalls.get(runId), runId);
      assertOneIdempotencyKey(bCalls.get(runId), runId);
      long lateness = bCalls.get(runId).get(0).receivedAt().toEpochMilli()
        - aCalls.get(runId).get(aCalls.get(runId).size() - 1).receivedAt().toEpochMilli() - DELAY_MS;
      worstLateness = Math.max(worstLateness, lateness);
    }
    assertThat(worstLateness).as("worst wake-up lateness (outage %d ms)", outageMs)
      .isLessThanOrEqualTo(outageMs + 1_000);
  }

  private static Map<String, List<FunctionServer.Call>> callsByRun(String function) {
    return functions.calls(function).stream().collect(Collectors.groupingBy(c -> c.json().getString("runId")));
  }

  private static void assertOneIdempotencyKey(List<FunctionServer.Call> calls, String runId) {
    assertThat(calls).as("calls for run %s", runId).isNotEmpty();
    Set<String> keys = calls.stream().map(c -> c.header("Idempotency-Key")).collect(Collectors.toSet());
    assertThat(keys).as("Idempotency-Keys of run %s's calls", runId).hasSize(1);
  }

  /** The finished runs reach the PostgreSQL history once it answers again (they waited in Redis). */
  private void awaitHistoryHolds(List<String> runIds) {
    io.vertx.sqlclient.Pool pool = io.vertx.pgclient.PgBuilder.pool()
      .connectingTo(io.vertx.pgclient.PgConnectOptions.fromUri(TestStores.pgUrl())).using(proxies).build();
    try {
      poll(() -> TestApp.await(pool.preparedQuery("SELECT count(*) FROM runs WHERE id = ANY($1)")
          .execute(io.vertx.sqlclient.Tuple.of(runIds.toArray(new String[0]))))
          .iterator().next().getLong(0) == runIds.size(),
        Duration.ofSeconds(20), "every finished run written to the PostgreSQL history");
    } finally {
      pool.close();
    }
  }

  private void assertOutageLoggedOnce(String store) {
    List<String> warnings = availabilityLog.list.stream().filter(e -> e.getLevel() == Level.WARN)
      .map(ILoggingEvent::getFormattedMessage).toList();
    assertThat(warnings).as("one warning when %s went down", store).hasSize(1);
    assertThat(warnings.get(0)).startsWith(store + " unavailable");
    assertThat(availabilityLog.list.stream().map(ILoggingEvent::getFormattedMessage))
      .anyMatch(line -> line.startsWith(store + " answers again"));
  }

  private String awaitAcknowledged(String orchestration) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      Reply reply = client.post("/orchestrations/" + orchestration + "/trigger", new JsonObject());
      if (reply.status() == 201) {
        return reply.json().getString("id");
      }
      assertUnavailable(reply);
      RunTestSupport.pause();
    }
    throw new AssertionError("no trigger accepted within 10 s of the store's return");
  }

  private JsonObject pollTask(String queue) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      Reply reply = client.post("/worker-tasks/poll", new JsonObject().put("queue", queue).put("max", 1)
        .put("waitMs", 1000));
      assertThat(reply.status()).as(reply.body()).isEqualTo(200);
      JsonArray tasks = reply.json().getJsonArray("tasks");
      if (tasks != null && !tasks.isEmpty()) {
        return tasks.getJsonObject(0);
      }
    }
    throw new AssertionError("no task polled within 10 s");
  }

  private Reply health(String which) {
    var response = TestApp.await(app.http.get("/health/" + which).send());
    return new Reply(response.statusCode(), response.headers(), response.bodyAsString());
  }

  private static void poll(BooleanSupplier done, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + ": not within " + timeout);
      }
      RunTestSupport.pause();
    }
  }
}
