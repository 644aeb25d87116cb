package io.orchestrator.tasks;

import static io.orchestrator.tasks.WorkerTaskSupport.assertAccepted;
import static io.orchestrator.tasks.WorkerTaskSupport.assertConflict;
import static io.orchestrator.tasks.WorkerTaskSupport.awaitStatus;
import static io.orchestrator.tasks.WorkerTaskSupport.baseId;
import static io.orchestrator.tasks.WorkerTaskSupport.complete;
import static io.orchestrator.tasks.WorkerTaskSupport.compute;
import static io.orchestrator.tasks.WorkerTaskSupport.fail;
import static io.orchestrator.tasks.WorkerTaskSupport.generation;
import static io.orchestrator.tasks.WorkerTaskSupport.getRun;
import static io.orchestrator.tasks.WorkerTaskSupport.heartbeat;
import static io.orchestrator.tasks.WorkerTaskSupport.orchestration;
import static io.orchestrator.tasks.WorkerTaskSupport.poll;
import static io.orchestrator.tasks.WorkerTaskSupport.pollOne;
import static io.orchestrator.tasks.WorkerTaskSupport.sleep;
import static io.orchestrator.tasks.WorkerTaskSupport.trigger;
import static io.orchestrator.tasks.WorkerTaskSupport.workerFunction;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.fixtures.ApiClient;
import io.orchestrator.fixtures.ApiClient.Reply;
import io.orchestrator.fixtures.ManualClock;
import io.orchestrator.fixtures.TestApp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Leases with ORCH_TASK_LEASE=1s: an unreported task goes back on its queue (the maintenance sweep runs every
 * 0.5 s) and is handed out again under a higher lease generation; reports under the old generation are refused;
 * heartbeats keep a lease alive. The service runs on a {@link ManualClock}: leases expire when a test moves it, not
 * after a real wait. (On a clock nobody moves, a long poll that gets nothing never ends: polls here expect a task.)
 */
class WorkerTaskLeaseIT {

  private static final ManualClock clock = new ManualClock(Instant.now());
  private static TestApp app;

  private ApiClient client;
  private String queue;
  private String orch;

  @BeforeAll
  static void start() {
    app = TestApp.start(Map.of("ORCH_TASK_LEASE", "1s"), clock);
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
  }

  @BeforeEach
  void newWorkspace() {
    client = app.client(TestApp.randomWorkspace());
    queue = "q-" + Long.toHexString(System.nanoTime());
    String function = workerFunction(client, queue);
    orch = orchestration(client, "leased", compute("work", function, null));
  }

  @Test
  @DisplayName("the lease is 1 s: a poll's leaseExpiresAt is about a second ahead")
  void leaseLength() {
    trigger(client, orch);
    long before = clock.millis();
    JsonObject task = pollOne(client, queue);
    long expiry = Instant.parse(task.getString("leaseExpiresAt")).toEpochMilli();
    assertThat(expiry).isBetween(before + 500, clock.millis() + 1_000);
  }

  @Test
  @DisplayName("an expired lease hands the task to another worker under a higher generation; the first id → 409")
  void expiryRedelivers() {
    String runId = trigger(client, orch, new JsonObject().put("input", new JsonObject().put("n", 7)));
    JsonObject first = pollOne(client, queue);
    assertThat(poll(client, queue, 10, 0)).isEmpty();

    clock.advance(Duration.ofMillis(1_700));
    JsonObject second = pollOne(client, queue);

    assertThat(baseId(second.getString("taskId"))).isEqualTo(baseId(first.getString("taskId")));
    assertThat(generation(second.getString("taskId"))).isGreaterThan(generation(first.getString("taskId")));
    assertThat(second.getString("runId")).isEqualTo(runId);
    assertThat(second.getString("stepId")).isEqualTo("work");
    assertThat(second.getInteger("attempt")).as("a re-delivery is the same attempt").isEqualTo(1);
    assertThat(second.getJsonObject("input")).isEqualTo(new JsonObject().put("n", 7));
    assertThat(Instant.parse(second.getString("leaseExpiresAt")))
      .isAfter(Instant.parse(first.getString("leaseExpiresAt")));

    assertConflict(complete(client, first.getString("taskId"), "first"));
    assertConflict(heartbeat(client, first.getString("taskId")));
    assertAccepted(complete(client, second.getString("taskId"), "second"), second.getString("taskId"));
    JsonObject run = awaitStatus(client, orch, runId, "completed");
    assertThat(run.getJsonObject("stepOutputs")).isEqualTo(new JsonObject().put("work", "second"));
  }

  @Test
  @DisplayName("a long poll waiting while another worker's lease expires receives the re-queued task promptly")
  void expiryWakesLongPoll() throws Exception {
    trigger(client, orch);
    JsonObject first = pollOne(client, queue);
    long leaseEnds = Instant.parse(first.getString("leaseExpiresAt")).toEpochMilli();

    CompletableFuture<List<JsonObject>> waiting = CompletableFuture.supplyAsync(() -> poll(client, queue, 1, 10_000));
    awaitPollsWaiting(1);
    clock.set(Instant.ofEpochMilli(leaseEnds + 1));
    long expired = System.nanoTime();
    List<JsonObject> tasks = waiting.get(15, TimeUnit.SECONDS);
    long afterExpiryMs = (System.nanoTime() - expired) / 1_000_000;

    assertThat(tasks).hasSize(1);
    assertThat(baseId(tasks.get(0).getString("taskId"))).isEqualTo(baseId(first.getString("taskId")));
    // the sweep runs every 0.5 s: the waiting poll should hear of the re-queued task within about that
    assertThat(afterExpiryMs).as("ms from lease expiry to re-delivery").isLessThan(1_500);
  }

  @Test
  @DisplayName("a late complete after the lease expired answers 409 and nothing is recorded twice")
  void lateCompletion() {
    String runId = trigger(client, orch);
    JsonObject first = pollOne(client, queue);
    clock.advance(Duration.ofMillis(1_200));

    assertConflict(complete(client, first.getString("taskId"), "late"));
    assertConflict(fail(client, first.getString("taskId"), "late", true));

    JsonObject second = pollOne(client, queue);
    assertAccepted(complete(client, second.getString("taskId"), "on time"), second.getString("taskId"));
    assertConflict(complete(client, second.getString("taskId"), "again"));
    assertConflict(complete(client, first.getString("taskId"), "late again"));
    JsonObject run = awaitStatus(client, orch, runId, "completed");
    assertThat(run.getJsonArray("executedSteps")).isEqualTo(new JsonArray().add("work"));
    assertThat(run.getJsonObject("stepOutputs")).isEqualTo(new JsonObject().put("work", "on time"));
    assertThat(run.getJsonArray("errors")).isEmpty();
    sleep(300);
    assertThat(getRun(client, orch, runId).getJsonArray("executedSteps")).hasSize(1);
  }

  @Test
  @DisplayName("heartbeats every 300 ms keep the lease alive for 3 s (three original leases); nobody else gets it")
  void heartbeatKeepsLease() {
    String runId = trigger(client, orch);
    JsonObject task = pollOne(client, queue);
    String taskId = task.getString("taskId");
    Instant original = Instant.parse(task.getString("leaseExpiresAt"));
    Instant last = original;

    for (int beats = 0; beats < 10; beats++) {
      assertThat(poll(client, queue, 10, 0)).as("the task must stay leased").isEmpty();
      Reply beat = heartbeat(client, taskId);
      assertThat(beat.status()).as(beat.body()).isEqualTo(200);
      Instant expiry = Instant.parse(beat.json().getString("leaseExpiresAt"));
      assertThat(expiry).isAfterOrEqualTo(last);
      last = expiry;
      clock.advance(Duration.ofMillis(300));
      // Real time too, so the 0.5 s sweeps run (at least twice) after the clock passed the original lease: none may
      // take the task.
      sleep(200);
    }

    assertThat(last).isAfter(original.plusSeconds(2));
    assertThat(clock.instant()).isAfter(original);
    assertAccepted(complete(client, taskId, "kept"), taskId);
    assertThat(awaitStatus(client, orch, runId, "completed").getJsonObject("stepOutputs"))
      .isEqualTo(new JsonObject().put("work", "kept"));
  }

  @Test
  @DisplayName("a heartbeat after the lease expired answers 409 and does not revive the lease")
  void heartbeatAfterExpiry() {
    trigger(client, orch);
    String taskId = pollOne(client, queue).getString("taskId");
    clock.advance(Duration.ofMillis(1_200));

    assertConflict(heartbeat(client, taskId));
    assertConflict(complete(client, taskId, "x"));
    assertThat(generation(pollOne(client, queue).getString("taskId"))).isEqualTo(2);
  }

  /** Waits until {@code count} long polls wait in the service (its gauge), so a test acts while they do. */
  private static void awaitPollsWaiting(int count) {
    String sample = "orchestrator_tasks_polls_waiting " + (double) count;
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!TestApp.await(app.http.get("/metrics").send()).bodyAsString().lines().anyMatch(sample::equals)) {
      assertThat(System.nanoTime()).as("waiting for %s", sample).isLessThan(deadline);
      sleep(10);
    }
  }
}
