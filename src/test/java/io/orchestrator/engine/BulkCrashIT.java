package io.orchestrator.engine;

import static io.orchestrator.engine.RunTestSupport.compute;
import static io.orchestrator.engine.RunTestSupport.createFunction;
import static io.orchestrator.engine.RunTestSupport.createOrchestration;
import static io.orchestrator.engine.RunTestSupport.getRun;
import static io.orchestrator.engine.RunTestSupport.listRuns;
import static io.orchestrator.engine.RunTestSupport.pause;
import static io.orchestrator.engine.RunTestSupport.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.fixtures.ApiClient;
import io.orchestrator.fixtures.ChildInstance;
import io.orchestrator.fixtures.FunctionServer;
import io.orchestrator.fixtures.FunctionServer.Answer;
import io.orchestrator.fixtures.Jwts;
import io.orchestrator.fixtures.TestApp;
import io.orchestrator.fixtures.TestStores;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A bulk redrive survives the death of the instance processing it: the instance (a child JVM) is killed
 * ({@code destroyForcibly}) mid-way, another instance sharing the stores takes the operation over when its lease
 * expires and finishes it, and every run is redriven exactly once. The runs fail again at once after a redrive, so
 * a second redrive of any of them would show in its {@code redriveCount}.
 */
class BulkCrashIT {

  private static final int RUNS = 300;
  private static final Map<String, String> BULK_ENV = Map.of("ORCH_BULK_BATCH_SIZE", "10",
    "ORCH_BULK_BATCH_PAUSE", "20ms", "ORCH_BULK_LEASE", "2s");

  private static FunctionServer functions;
  private static Vertx vertx;
  private static Pool pg;
  private ChildInstance child;

  @BeforeAll
  static void start() {
    functions = FunctionServer.start();
    vertx = Vertx.vertx();
    pg = PgBuilder.pool().with(new PoolOptions().setMaxSize(2))
      .connectingTo(PgConnectOptions.fromUri(TestStores.pgUrl())).using(vertx).build();
  }

  @AfterAll
  static void stop() {
    if (pg != null) {
      TestApp.await(pg.close());
    }
    if (vertx != null) {
      TestApp.await(vertx.close());
    }
    if (functions != null) {
      functions.close();
    }
  }

  @AfterEach
  void killChild() {
    if (child != null) {
      child.close();
    }
  }

  @Test
  @DisplayName("the instance processing a bulk redrive is killed mid-way: another finishes it, each run redriven once")
  void bulkSurvivesKilledInstance() throws Exception {
    String prefix = "bulkcrash" + UUID.randomUUID().toString().substring(0, 8);
    String workspace = TestApp.randomWorkspace();
    child = ChildInstance.start(vertx, prefix, BULK_ENV);
    int port = child.port;
    ApiClient childApi = new ApiClient(WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
      .setDefaultPort(port)), workspace, Jwts.hs256(TestApp.SECRET, Jwts.claims("crash-user", workspace)));
    String failFn = workspace + "-fail";
    functions.script(failFn).always(Answer.status(500, new JsonObject()));
    String orch = createOrchestration(childApi, "always-fails",
      compute("fail", createFunction(childApi, "fail", functions.url(failFn)).getString("id"), null));
    List<String> runIds = new ArrayList<>();
    for (int i = 0; i < RUNS; i++) {
      runIds.add(trigger(childApi, orch, new JsonObject().put("i", i)));
    }
    awaitFailed(childApi, orch);

    var accepted = childApi.post("/orchestrations/" + orch + "/runs/bulk", new JsonObject().put("action", "redrive")
      .put("filter", new JsonObject().put("status", "failed")));
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    assertThat(accepted.json().getInteger("matched")).isEqualTo(RUNS);
    String bulkId = accepted.json().getString("id");
    Row progress = awaitProgress(bulkId);
    child.kill();
    Row atDeath = row(bulkId);
    assertThat(atDeath.getString("status")).as("the bulk was still running when its instance died").isEqualTo(
      "running");
    System.out.printf("killed at %d of %d runs recorded (in-flight floor %s when last seen)%n",
      atDeath.getInteger("succeeded"), RUNS, progress.getString("in_flight_floor"));

    Map<String, String> env = new HashMap<>(BULK_ENV);
    env.put("ORCH_REDIS_PREFIX", prefix);
    try (TestApp survivor = TestApp.start(env)) {
      ApiClient client = survivor.client(workspace);
      JsonObject done = awaitCompleted(client, bulkId);

      assertThat(done.getInteger("matched")).isEqualTo(RUNS);
      assertThat(done.getInteger("succeeded")).as(done.encode()).isEqualTo(RUNS);
      assertThat(done.getInteger("skipped")).isZero();
      assertThat(done.getInteger("failed")).isZero();
      assertThat(row(bulkId).getLong("lease_token")).as("taken over by a second claim").isGreaterThanOrEqualTo(2);
      for (String runId : runIds) {
        JsonObject run = getRun(client, orch, runId);
        assertThat(run.getInteger("redriveCount")).as(runId).isEqualTo(1);
        assertThat(run.getJsonArray("redrives").getJsonObject(0).getString("by")).isEqualTo("crash-user");
      }
    }
  }

  private static void awaitFailed(ApiClient api, String orch) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (listRuns(api, orch, "status=failed").getJsonObject("meta").getLong("total") < RUNS) {
      assertThat(System.nanoTime()).as("every run failed").isLessThan(deadline);
      pause();
    }
  }

  /** Waits until the first instance recorded some batches (and is, most likely, in the middle of one). */
  private static Row awaitProgress(String bulkId) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      Row row = row(bulkId);
      if (row.getInteger("succeeded") >= 50 && row.getString("in_flight_floor") != null) {
        return row;
      }
      assertThat(row.getString("status")).as("completed before it could be interrupted").isEqualTo("running");
      Thread.onSpinWait();
    }
    throw new AssertionError("no progress on " + bulkId);
  }

  private static Row row(String bulkId) {
    return TestApp.await(pg.preparedQuery("SELECT status, succeeded, in_flight_floor, lease_token FROM "
      + "bulk_operations WHERE id = $1").execute(Tuple.of(bulkId))).iterator().next();
  }

  private static JsonObject awaitCompleted(ApiClient client, String bulkId) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    JsonObject op = null;
    while (System.nanoTime() < deadline) {
      op = client.get("/bulk-operations/" + bulkId).json();
      if ("completed".equals(op.getString("status"))) {
        return op;
      }
      pause();
    }
    throw new AssertionError("not completed by the surviving instance: " + op);
  }
}
