package io.orchestrator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.fixtures.ApiClient;
import io.orchestrator.fixtures.ApiClient.Reply;
import io.orchestrator.fixtures.FunctionServer;
import io.orchestrator.fixtures.FunctionServer.Answer;
import io.orchestrator.fixtures.SharedApp;
import io.orchestrator.fixtures.TestApp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Every series that {@code deploy/grafana/orchestrator.json} and {@code deploy/prometheus/alerts.yml} query is a
 * sample line of {@code GET /metrics} once the service has done each kind of work: a renamed or dropped meter, or a
 * typo in a panel, fails here instead of leaving an empty panel or an alert that can never fire.
 */
@DisplayName("Deployment kit: the dashboard's and the alerts' series exist on GET /metrics")
@SharedApp.Config(own = true) // lazily registered meters must appear through this class's work, not another's
class DeployMetricsIT {

  /**
   * Made by Prometheus for every scrape target (1 when the scrape succeeded), never exported by a service; the
   * dashboard's "Instances up" and the InstanceDown / TargetMissing alerts use it.
   */
  private static final Set<String> GENERATED_BY_PROMETHEUS = Set.of("up");
  private static final long TIMEOUT_NANOS = 30_000_000_000L;

  private static TestApp app;
  private static FunctionServer functions;

  @BeforeAll
  static void start(TestApp shared) {
    app = shared;
    functions = FunctionServer.start();
  }

  @AfterAll
  static void stop() {
    if (functions != null) {
      functions.close();
    }
  }

  @Test
  @DisplayName("after runs that complete, fail, wait for a worker and are redriven in bulk, every used name is exposed")
  void everyUsedSeriesIsExposed() {
    Map<String, Set<String>> used = usedSeries();
    assertThat(used).as("the files name the meters they are about")
      .containsKeys("orchestrator_step_duration_seconds_bucket", "http_server_requests_seconds_bucket",
        "orchestrator_queue_ready", "orchestrator_queue_unarchived", "orchestrator_tasks_oldest_age_seconds");

    driveEveryKindOfWork(app.client(TestApp.randomWorkspace()));
    // the worker-task gauges are sampled every 5 s by the maintenance loop: poll
    Set<String> exposed = pollExposed(names -> names.containsAll(used.keySet()));

    Map<String, Set<String>> missing = new TreeMap<>(used);
    missing.keySet().removeAll(exposed);
    assertThat(missing).as("series used by the dashboard or the alerts but absent from GET /metrics (name → where)")
      .isEmpty();
  }

  /** Series name → the panels, variables and alerts that query it; Prometheus' own series left out. */
  private static Map<String, Set<String>> usedSeries() {
    Map<String, String> exprs = new TreeMap<>(DeployFiles.dashboardExpressions());
    exprs.putAll(DeployFiles.alertExpressions());
    Map<String, Set<String>> used = new TreeMap<>();
    exprs.forEach((where, expr) -> PromQlMetricNames.of(expr)
      .forEach(name -> used.computeIfAbsent(name, n -> new TreeSet<>()).add(where)));
    used.keySet().removeAll(GENERATED_BY_PROMETHEUS);
    return used;
  }

  /**
   * A run through a compute and a delay step that completes, one whose function answers 500 (failed), one whose
   * step waits on a worker queue nobody polls, and a bulk redrive of the failed run.
   */
  private static void driveEveryKindOfWork(ApiClient client) {
    String ok = client.workspace + "-ok";
    String broken = client.workspace + "-broken";
    functions.script(broken).always(Answer.status(500, new JsonObject().put("error", "down")));
    String okFn = create(client, "/functions", new JsonObject().put("name", "ok").put("runtime", "http")
      .put("url", functions.url(ok)));
    String brokenFn = create(client, "/functions", new JsonObject().put("name", "broken").put("runtime", "http")
      .put("url", functions.url(broken)));
    String workerFn = create(client, "/functions", new JsonObject().put("name", "worker").put("runtime", "worker")
      .put("queue", "unpolled"));
    String fine = orchestration(client, "fine", step("call", "compute").put("functionId", okFn)
      .put("nextStepId", "wait"), step("wait", "delay").put("delayMs", 50));
    String failing = orchestration(client, "failing", step("call", "compute").put("functionId", brokenFn));
    String tasks = orchestration(client, "tasks", step("call", "compute").put("functionId", workerFn));

    String completed = trigger(client, fine);
    String failed = trigger(client, failing);
    trigger(client, tasks);
    assertThat(awaitRun(client, fine, completed, "completed"::equals)).isEqualTo("completed");
    assertThat(awaitRun(client, failing, failed, "failed"::equals)).isEqualTo("failed");

    Reply bulk = client.post("/orchestrations/" + failing + "/runs/bulk", new JsonObject().put("action", "redrive")
      .put("filter", new JsonObject().put("status", "failed")));
    assertThat(bulk.status()).as(bulk.body()).isEqualTo(202);
    String bulkPath = "/bulk-operations/" + bulk.json().getString("id");
    await("bulk operation " + bulkPath + " completed",
      () -> "completed".equals(client.get(bulkPath).json().getString("status")));
  }

  private static JsonObject step(String id, String type) {
    return new JsonObject().put("id", id).put("name", "Step " + id).put("type", type);
  }

  private static String orchestration(ApiClient client, String slug, JsonObject... steps) {
    return create(client, "/orchestrations", new JsonObject().put("slug", slug).put("name", slug)
      .put("trigger", new JsonObject().put("type", "on-demand")).put("steps", new JsonArray(List.of((Object[]) steps))));
  }

  private static String create(ApiClient client, String path, JsonObject body) {
    Reply reply = client.post(path, body);
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    return reply.json().getString("id");
  }

  private static String trigger(ApiClient client, String orchestration) {
    return create(client, "/orchestrations/" + orchestration + "/trigger",
      new JsonObject().put("input", new JsonObject()));
  }

  /** Polls Get Run until its status is terminal or matches {@code wanted}; returns that status. */
  private static String awaitRun(ApiClient client, String orchestration, String runId, Predicate<String> wanted) {
    String[] status = {null};
    await("run " + runId + " finished", () -> {
      status[0] = client.get("/orchestrations/" + orchestration + "/runs/" + runId).json().getString("status");
      return wanted.test(status[0]) || Set.of("completed", "failed", "cancelled").contains(status[0]);
    });
    return status[0];
  }

  private static void await(String what, BooleanSupplier done) {
    long deadline = System.nanoTime() + TIMEOUT_NANOS;
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + ": not within " + TIMEOUT_NANOS / 1_000_000_000L + " s");
      }
      pause();
    }
  }

  /** Between two polls, so that polling leaves the (shared, small) host's CPU to the service. */
  private static void pause() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** The sample names of GET /metrics, scraped until {@code done} holds or the deadline passes. */
  private static Set<String> pollExposed(Predicate<Set<String>> done) {
    long deadline = System.nanoTime() + TIMEOUT_NANOS;
    Set<String> names;
    names = scrape();
    while (!done.test(names) && System.nanoTime() < deadline) {
      pause();
      names = scrape();
    }
    return names;
  }

  private static Set<String> scrape() {
    return sampleNames(TestApp.await(app.http.get("/metrics").send()).bodyAsString());
  }

  /** The metric name of every sample line (not of {@code # HELP} / {@code # TYPE} lines, which name families). */
  static Set<String> sampleNames(String exposition) {
    return exposition.lines().filter(line -> !line.isBlank() && !line.startsWith("#"))
      .map(line -> line.split("[{ ]", 2)[0]).collect(Collectors.toCollection(TreeSet::new));
  }
}
