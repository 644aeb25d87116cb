package io.orchestrator.tasks;

import static io.orchestrator.tasks.WorkerTaskSupport.awaitStatus;
import static io.orchestrator.tasks.WorkerTaskSupport.compute;
import static io.orchestrator.tasks.WorkerTaskSupport.errorCodes;
import static io.orchestrator.tasks.WorkerTaskSupport.orchestration;
import static io.orchestrator.tasks.WorkerTaskSupport.trigger;
import static io.orchestrator.tasks.WorkerTaskSupport.workerFunction;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.fixtures.ApiClient;
import io.orchestrator.fixtures.SharedApp;
import io.orchestrator.fixtures.TestApp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The documented Java worker (docs/workers.md) against the real service, with a 1 s lease so it must heartbeat. */
@SharedApp.Config(value = "ORCH_TASK_LEASE=1s", own = true)
class ExampleWorkerIT {

  private static TestApp app;
  private static ExampleWorker worker;
  private static ApiClient client;
  private static String orch;

  @BeforeAll
  static void start(TestApp shared) {
    app = shared;
    String workspace = TestApp.randomWorkspace();
    client = app.client(workspace);
    String function = workerFunction(client, "sums");
    orch = orchestration(client, "sums", compute("sum", function, null));
    worker = new ExampleWorker(app.vertx, "http://127.0.0.1:" + app.orchestrator.httpPort(), workspace,
      app.token("example-worker", workspace), "sums");
    worker.start();
  }

  @AfterAll
  static void stop() {
    if (worker != null) {
      worker.stop();
    }
  }

  @Test
  @DisplayName("the example worker completes a task with its output and merges its $context")
  void completes() {
    String runId = trigger(client, orch, new JsonObject().put("input", new JsonObject()
      .put("numbers", new JsonArray().add(1).add(2).add(3.5))));

    JsonObject run = awaitStatus(client, orch, runId, "completed");

    assertThat(run.getJsonObject("stepOutputs").getJsonObject("sum"))
      .isEqualTo(new JsonObject().put("sum", 6.5).put("count", 3));
    assertThat(run.getJsonObject("context").getDouble("lastSum")).isEqualTo(6.5);
  }

  @Test
  @DisplayName("work longer than the 1 s lease succeeds on the first lease thanks to heartbeats")
  void heartbeatsThroughSlowWork() {
    String runId = trigger(client, orch, new JsonObject().put("input", new JsonObject()
      .put("numbers", new JsonArray().add(4)).put("simulateMs", 2_500)));

    JsonObject run = awaitStatus(client, orch, runId, "completed");

    assertThat(run.getJsonObject("stepOutputs").getJsonObject("sum").getDouble("sum")).isEqualTo(4.0);
    assertThat(run.getJsonArray("executedSteps")).isEqualTo(new JsonArray().add("sum"));
  }

  @Test
  @DisplayName("bad input is reported as a non-retryable failure: the run fails with worker_failed")
  void badInputFails() {
    String runId = trigger(client, orch, new JsonObject().put("input", new JsonObject().put("numbers", "x")));

    JsonObject run = awaitStatus(client, orch, runId, "failed");

    assertThat(errorCodes(run)).containsExactly("worker_failed");
  }
}
