package io.orchestrator.tasks;

import static io.orchestrator.tasks.WorkerTaskSupport.TERMINAL;
import static io.orchestrator.tasks.WorkerTaskSupport.complete;
import static io.orchestrator.tasks.WorkerTaskSupport.compute;
import static io.orchestrator.tasks.WorkerTaskSupport.getRun;
import static io.orchestrator.tasks.WorkerTaskSupport.orchestration;
import static io.orchestrator.tasks.WorkerTaskSupport.poll;
import static io.orchestrator.tasks.WorkerTaskSupport.trigger;
import static io.orchestrator.tasks.WorkerTaskSupport.workerFunction;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.fixtures.ApiClient;
import io.orchestrator.fixtures.ApiClient.Reply;
import io.orchestrator.fixtures.SharedApp;
import io.orchestrator.fixtures.TestApp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Many workers long-polling one queue while runs are triggered: every task is delivered exactly once. */
@SharedApp.Config
class WorkerTaskConcurrencyIT {

  private static final int WORKERS = 8;
  private static final int RUNS = 200;

  private static TestApp app;

  @BeforeAll
  static void start(TestApp shared) {
    app = shared;
  }

  @Test
  @DisplayName("8 concurrent pollers, 200 runs: each task delivered exactly once, each run completes with its output")
  void manyPollersOneQueue() throws Exception {
    ApiClient client = app.client(TestApp.randomWorkspace());
    String queue = "busy";
    String orch = orchestration(client, "busy", compute("work", workerFunction(client, queue), null));
    Map<String, List<String>> deliveries = new ConcurrentHashMap<>();
    Set<String> runs = ConcurrentHashMap.newKeySet();
    AtomicInteger completed = new AtomicInteger();
    List<String> problems = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(WORKERS + 1);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);

    List<Future<?>> workers = IntStream.range(0, WORKERS).<Future<?>>mapToObj(w -> pool.submit(() -> {
      while (completed.get() < RUNS && System.nanoTime() < deadline) {
        for (JsonObject task : poll(client, queue, 5, 500)) {
          String taskId = task.getString("taskId");
          deliveries.computeIfAbsent(task.getString("runId"), k -> Collections.synchronizedList(new ArrayList<>()))
            .add(taskId);
          Reply reply = complete(client, taskId, new JsonObject().put("worker", w)
            .put("echo", task.getJsonObject("input").getInteger("i")));
          if (reply.status() == 200) {
            completed.incrementAndGet();
          } else {
            problems.add(taskId + " → " + reply.status() + " " + reply.body());
          }
        }
      }
    })).toList();
    for (int i = 0; i < RUNS; i++) {
      runs.add(trigger(client, orch, new JsonObject().put("input", new JsonObject().put("i", i))));
    }
    for (Future<?> worker : workers) {
      worker.get(90, TimeUnit.SECONDS);
    }
    pool.shutdownNow();

    assertThat(problems).isEmpty();
    assertThat(completed.get()).isEqualTo(RUNS);
    assertThat(deliveries.keySet()).containsExactlyInAnyOrderElementsOf(runs);
    assertThat(deliveries.values()).allSatisfy(ids -> assertThat(ids).hasSize(1));
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    for (String runId : runs) {
      JsonObject run = getRun(client, orch, runId);
      while (!TERMINAL.contains(run.getString("status")) && System.nanoTime() < end) {
        Thread.sleep(20);
        run = getRun(client, orch, runId);
      }
      assertThat(run.getString("status")).as(run.encodePrettily()).isEqualTo("completed");
      assertThat(run.getJsonArray("executedSteps")).isEqualTo(new JsonArray().add("work"));
      assertThat(run.getJsonObject("stepOutputs").getJsonObject("work").getInteger("echo"))
        .isEqualTo(run.getJsonObject("input").getInteger("i"));
    }
  }
}
