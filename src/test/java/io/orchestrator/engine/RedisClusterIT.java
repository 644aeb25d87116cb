package io.orchestrator.engine;

import static io.orchestrator.engine.RunTestSupport.awaitStatus;
import static io.orchestrator.engine.RunTestSupport.compute;
import static io.orchestrator.engine.RunTestSupport.condition;
import static io.orchestrator.engine.RunTestSupport.createFunction;
import static io.orchestrator.engine.RunTestSupport.createOrchestration;
import static io.orchestrator.engine.RunTestSupport.decision;
import static io.orchestrator.engine.RunTestSupport.delay;
import static io.orchestrator.engine.RunTestSupport.getRun;
import static io.orchestrator.engine.RunTestSupport.ids;
import static io.orchestrator.engine.RunTestSupport.listRuns;
import static io.orchestrator.engine.RunTestSupport.runPath;
import static io.orchestrator.engine.RunTestSupport.trigger;
import static io.orchestrator.engine.RunTestSupport.when;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.fixtures.ApiClient;
import io.orchestrator.fixtures.ApiClient.Reply;
import io.orchestrator.fixtures.FunctionServer;
import io.orchestrator.fixtures.FunctionServer.Answer;
import io.orchestrator.fixtures.SseClient;
import io.orchestrator.fixtures.SseClient.Event;
import io.orchestrator.fixtures.TestApp;
import io.orchestrator.fixtures.TestStores;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The engine's core scenarios on a Redis Cluster ({@code ORCH_REDIS_MODE=cluster}, seeded with
 * {@code ORCH_TEST_REDIS_CLUSTER_URL}). The engine's partitions spread over the masters (DESIGN §11), so every
 * scenario's scripts, pipelines, fan-out reads and subscriptions are routed to several shards.
 */
@DisplayName("The engine on a Redis Cluster (3 masters, 3 replicas)")
class RedisClusterIT {

  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String SKIPPED = "RedisClusterIT skipped: ORCH_TEST_REDIS_CLUSTER_URL is unset (run .ci/run, "
    + "which starts a Redis Cluster on 127.0.0.1:7000-7005 and sets it, or start one and set the variable)";

  private static TestApp app;
  private static FunctionServer functions;

  private ApiClient client;
  private String workspace;

  @BeforeAll
  static void start() {
    String cluster = TestStores.redisClusterUrl();
    Assumptions.assumeTrue(cluster != null, SKIPPED);
    app = TestApp.start(Map.of("ORCH_REDIS_MODE", "cluster", "ORCH_REDIS_URL", cluster,
      "ORCH_ROLES", "api,worker"));
    functions = FunctionServer.start();
  }

  @AfterAll
  static void stop() {
    if (functions != null) {
      functions.close();
    }
    if (app != null) {
      app.close();
    }
  }

  @BeforeEach
  void newWorkspace() {
    workspace = TestApp.randomWorkspace();
    client = app.client(workspace);
  }

  private String fn(String name) {
    return workspace + "-" + name;
  }

  private String function(String name) {
    return createFunction(client, name, functions.url(fn(name))).getString("id");
  }

  @Test
  @DisplayName("the app really talks to a cluster: its partitions spread over every master, each run in its "
    + "partition's slot")
  void talksToACluster() {
    String orch = createOrchestration(client, "probe", delay("d", 1, null));
    List<String> runIds = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      runIds.add(trigger(client, orch, new JsonObject()));
    }
    awaitStatus(client, orch, runIds.get(0), "completed");

    Redis direct = Redis.createClient(app.vertx, new RedisOptions().setType(RedisClientType.CLUSTER)
      .setEndpoints(List.of(TestStores.redisClusterUrl().split(","))));
    try {
      String info = TestApp.await(direct.send(Request.cmd(Command.CLUSTER).arg("INFO"))).toString();
      assertThat(info).contains("cluster_state:ok");
      List<int[]> masters = new ArrayList<>();
      TestApp.await(direct.send(Request.cmd(Command.CLUSTER).arg("SLOTS"))).forEach(range ->
        masters.add(new int[] {range.get(0).toInteger(), range.get(1).toInteger(), range.get(2).get(1).toInteger()}));
      java.util.Set<Integer> partitionPorts = new java.util.HashSet<>();
      java.util.Set<Integer> runPorts = new java.util.HashSet<>();
      for (var keys : app.keyspace.all()) {
        partitionPorts.add(portOf(masters, slot(direct, keys.ready())));
      }
      for (String runId : runIds) {
        var keys = app.keyspace.ofId(runId);
        int slot = slot(direct, keys.run(runId));
        assertThat(slot).as("run %s's hash in its partition's slot", runId).isEqualTo(slot(direct, keys.ready()));
        assertThat(TestApp.await(direct.send(Request.cmd(Command.EXISTS).arg(keys.run(runId)))).toInteger())
          .isEqualTo(1);
        runPorts.add(portOf(masters, slot));
      }
      int shards = (int) masters.stream().mapToInt(m -> m[2]).distinct().count();
      assertThat(partitionPorts).as("masters holding partitions").hasSize(shards);
      assertThat(runPorts).as("masters holding the 32 runs").hasSizeGreaterThan(1);
    } finally {
      direct.close();
    }
  }

  private static int slot(Redis redis, String key) {
    return TestApp.await(redis.send(Request.cmd(Command.CLUSTER).arg("KEYSLOT").arg(key))).toInteger();
  }

  /** The port of the master serving {@code slot}, from CLUSTER SLOTS ranges {from, to, port}. */
  private static int portOf(List<int[]> masters, int slot) {
    return masters.stream().filter(m -> slot >= m[0] && slot <= m[1]).findFirst().orElseThrow()[2];
  }

  @Test
  @DisplayName("compute → decision → compute completes with every output")
  void threeStepRun() {
    functions.script(fn("score")).always(Answer.json(new JsonObject().put("score", 7)));
    functions.script(fn("high")).always(Answer.json(new JsonObject().put("tier", "high")));
    functions.script(fn("low")).always(Answer.json(new JsonObject().put("tier", "low")));
    String orch = createOrchestration(client, "three", compute("score", function("score"), "route"),
      decision("route", "low", when("high", condition("steps.score.output.score", "gt", 5))),
      compute("high", function("high"), null), compute("low", function("low"), null));

    String runId = trigger(client, orch, new JsonObject().put("order", 1));
    JsonObject done = awaitStatus(client, orch, runId, "completed");

    assertThat(done.getJsonArray("executedSteps")).containsExactly("score", "route", "high");
    assertThat(done.getJsonObject("stepOutputs").getJsonObject("high")).isEqualTo(new JsonObject().put("tier",
      "high"));
    assertThat(functions.calls(fn("low"))).isEmpty();
  }

  @Test
  @DisplayName("a delay wakes the run and it completes")
  void delayWakes() {
    functions.script(fn("after")).always(Answer.json(new JsonObject().put("ok", true)));
    String orch = createOrchestration(client, "delayed", delay("wait", 500, "after"),
      compute("after", function("after"), null));

    String runId = trigger(client, orch, new JsonObject());
    JsonObject done = awaitStatus(client, orch, runId, "completed");

    assertThat(done.getJsonArray("executedSteps")).containsExactly("wait", "after");
    assertThat(functions.calls(fn("after"))).hasSize(1);
  }

  @Test
  @DisplayName("a waiting run is cancelled and never resumes")
  void cancel() {
    functions.script(fn("never")).always(Answer.json(new JsonObject()));
    String orch = createOrchestration(client, "cancel-me", delay("wait", 1500, "never"),
      compute("never", function("never"), null));
    String runId = trigger(client, orch, new JsonObject());
    awaitStatus(client, orch, runId, "waiting");

    Reply cancelled = client.post(runPath(orch, runId) + "/cancel", null);

    assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
    assertThat(cancelled.json().getString("status")).isEqualTo("cancelled");
    RunTestSupport.sleep(2000);
    assertThat(getRun(client, orch, runId).getString("status")).isEqualTo("cancelled");
    assertThat(functions.calls(fn("never"))).isEmpty();
  }

  @Test
  @DisplayName("a failed run is redriven from the failed step and completes")
  void redrive() {
    functions.script(fn("a")).always(Answer.json(new JsonObject().put("a", 1)));
    functions.script(fn("b")).then(Answer.status(500, new JsonObject().put("oops", true)))
      .always(Answer.json(new JsonObject().put("b", 2)));
    String orch = createOrchestration(client, "redrive-me", compute("a", function("a"), "b"),
      compute("b", function("b"), null));
    String runId = trigger(client, orch, new JsonObject());
    awaitStatus(client, orch, runId, "failed");

    Reply redriven = client.post(runPath(orch, runId) + "/redrive", null);

    assertThat(redriven.status()).as(redriven.body()).isEqualTo(200);
    JsonObject done = awaitStatus(client, orch, runId, "completed");
    assertThat(done.getJsonArray("executedSteps")).containsExactly("a", "b", "b");
    assertThat(done.getInteger("redriveCount")).isEqualTo(1);
    assertThat(functions.calls(fn("a"))).hasSize(1);
  }

  @Test
  @DisplayName("List Runs: newest first, filtered by status, with exact totals")
  void listRunsWithFilters() {
    functions.script(fn("ok")).always(Answer.json(new JsonObject()));
    functions.script(fn("bad")).always(Answer.status(500, new JsonObject()));
    String orch = createOrchestration(client, "listed", decision("pick", "ok",
        when("bad", condition("input.fail", "eq", true))),
      compute("ok", function("ok"), null), compute("bad", function("bad"), null));
    List<String> completed = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      completed.add(trigger(client, orch, new JsonObject().put("fail", false)));
      failed.add(trigger(client, orch, new JsonObject().put("fail", true)));
    }
    completed.forEach(id -> awaitStatus(client, orch, id, "completed"));
    failed.forEach(id -> awaitStatus(client, orch, id, "failed"));

    JsonObject all = listRuns(client, orch, "");
    assertThat(ids(all)).containsExactlyInAnyOrderElementsOf(concat(completed, failed));
    JsonObject onlyFailed = listRuns(client, orch, "status=failed");
    assertThat(ids(onlyFailed)).containsExactlyInAnyOrderElementsOf(failed);
    JsonObject onlyCompleted = listRuns(client, orch, "status=completed&pageSize=2");
    assertThat(ids(onlyCompleted)).hasSize(2).isSubsetOf(completed);
    assertThat(all.getJsonObject("meta").getLong("total")).isEqualTo(6);
    assertThat(onlyFailed.getJsonObject("meta").getLong("total")).isEqualTo(3);
    assertThat(onlyCompleted.getJsonObject("meta").getLong("total")).isEqualTo(3);
  }

  @Test
  @DisplayName("a live-progress stream sends the run's changes and ends after its terminal event")
  void liveProgressStream() {
    functions.script(fn("slow")).always(Answer.json(new JsonObject().put("s", 1)).delayed(Duration.ofMillis(300)));
    String orch = createOrchestration(client, "streamed", compute("slow", function("slow"), "wait"),
      delay("wait", 300, null));
    String runId = trigger(client, orch, new JsonObject());
    String path = "/orchestration/api/v1/workspaces/" + workspace + "/orchestrations/" + orch + "/runs/" + runId
      + "/stream";

    try (SseClient stream = SseClient.open(app.vertx, app.orchestrator.httpPort(), path,
      app.token("alice", workspace), null)) {
      assertThat(stream.status()).isEqualTo(200);
      List<Event> events = new ArrayList<>();
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (!stream.ended() || stream.queued() > 0) {
        assertThat(System.nanoTime()).as("the stream ended").isLessThan(deadline);
        Event event = stream.poll(Duration.ofMillis(100));
        if (event != null) {
          events.add(event);
        }
      }
      assertThat(events).isNotEmpty();
      assertThat(events.get(events.size() - 1).json().getString("status")).isEqualTo("completed");
      assertThat(events.stream().map(e -> e.json().getString("status"))).contains("waiting");
    }
  }

  @Test
  @DisplayName("a worker task is polled and its completion report finishes the run")
  void workerTask() {
    String queue = "q-" + workspace;
    Reply fnReply = client.post("/functions", new JsonObject().put("name", "worker " + queue)
      .put("runtime", "worker").put("queue", queue));
    assertThat(fnReply.status()).as(fnReply.body()).isEqualTo(201);
    String orch = createOrchestration(client, "tasked", compute("t", fnReply.json().getString("id"), null));
    String runId = trigger(client, orch, new JsonObject());

    JsonObject task = null;
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (task == null && System.nanoTime() < deadline) {
      Reply polled = client.post("/worker-tasks/poll", new JsonObject().put("queue", queue).put("max", 1)
        .put("waitMs", 1000));
      assertThat(polled.status()).as(polled.body()).isEqualTo(200);
      if (!polled.json().getJsonArray("tasks").isEmpty()) {
        task = polled.json().getJsonArray("tasks").getJsonObject(0);
      }
    }
    assertThat(task).as("a task on " + queue).isNotNull();
    Reply completed = client.post("/worker-tasks/" + task.getString("taskId") + "/complete",
      new JsonObject().put("output", new JsonObject().put("done", true)));

    assertThat(completed.status()).as(completed.body()).isEqualTo(200);
    JsonObject done = awaitStatus(client, orch, runId, "completed");
    assertThat(done.getJsonObject("stepOutputs").getJsonObject("t")).isEqualTo(new JsonObject().put("done", true));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
