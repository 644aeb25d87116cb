package io.orchestrator.tasks;

import static io.orchestrator.tasks.WorkerTaskSupport.TASK_ID;
import static io.orchestrator.tasks.WorkerTaskSupport.TIMESTAMP;
import static io.orchestrator.tasks.WorkerTaskSupport.assertAccepted;
import static io.orchestrator.tasks.WorkerTaskSupport.assertConflict;
import static io.orchestrator.tasks.WorkerTaskSupport.awaitStatus;
import static io.orchestrator.tasks.WorkerTaskSupport.baseId;
import static io.orchestrator.tasks.WorkerTaskSupport.complete;
import static io.orchestrator.tasks.WorkerTaskSupport.compute;
import static io.orchestrator.tasks.WorkerTaskSupport.errorCodes;
import static io.orchestrator.tasks.WorkerTaskSupport.fail;
import static io.orchestrator.tasks.WorkerTaskSupport.generation;
import static io.orchestrator.tasks.WorkerTaskSupport.getRun;
import static io.orchestrator.tasks.WorkerTaskSupport.heartbeat;
import static io.orchestrator.tasks.WorkerTaskSupport.orchestration;
import static io.orchestrator.tasks.WorkerTaskSupport.poll;
import static io.orchestrator.tasks.WorkerTaskSupport.pollOne;
import static io.orchestrator.tasks.WorkerTaskSupport.pollReply;
import static io.orchestrator.tasks.WorkerTaskSupport.trigger;
import static io.orchestrator.tasks.WorkerTaskSupport.workerFunction;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.fixtures.ApiClient;
import io.orchestrator.fixtures.ApiClient.Reply;
import io.orchestrator.fixtures.SharedApp;
import io.orchestrator.fixtures.TestApp;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The worker-task API end to end with the default 30 s lease: what a poll returns, what complete / fail /
 * heartbeat answer and do to the run, long-poll timing, timeouts, cancellation, validation and workspace isolation.
 */
@SharedApp.Config
class WorkerTaskApiIT {

  private static TestApp app;

  private ApiClient client;
  private String queue;
  private String function;
  private int orchestrations;

  @BeforeAll
  static void start(TestApp shared) {
    app = shared;
  }

  @BeforeEach
  void newWorkspace() {
    client = app.client(TestApp.randomWorkspace());
    queue = "q-" + Long.toHexString(System.nanoTime());
    function = workerFunction(client, queue);
  }

  /** A run of {@code work} (the worker step) → {@code notify} (same worker queue). */
  private String twoSteps() {
    return orchestration(client, "two", compute("work", function, "notify"), compute("notify", function, null));
  }

  private String oneStep(JsonObject extras) {
    JsonObject step = compute("work", function, null);
    extras.forEach(e -> step.put(e.getKey(), e.getValue()));
    return orchestration(client, "one-" + ++orchestrations, step);
  }

  /** Step extras giving the worker step a retry policy. */
  private static JsonObject withRetry(int maxAttempts, long backoffMs) {
    return new JsonObject().put("retry", new JsonObject().put("maxAttempts", maxAttempts).put("backoffMs", backoffMs));
  }

  /** A run of a one-step orchestration ({@link #oneStep}) whose task this test has polled. */
  private record LeasedTask(String orch, String runId, String taskId) {
  }

  private LeasedTask leasedTask(JsonObject extras) {
    String orch = oneStep(extras);
    String runId = trigger(client, orch);
    return new LeasedTask(orch, runId, pollOne(client, queue).getString("taskId"));
  }

  // ---- poll ---------------------------------------------------------------------------------------------------

  @Test
  @DisplayName("a poll returns the queued task with exactly the documented fields and a fresh 30 s lease")
  void pollShape() {
    String orch = twoSteps();
    String runId = trigger(client, orch, new JsonObject().put("input", new JsonObject().put("orderId", 42))
      .put("context", new JsonObject().put("tenant", "acme")));
    long before = System.currentTimeMillis();

    JsonObject task = pollOne(client, queue);

    assertThat(task.fieldNames()).containsExactlyInAnyOrder("taskId", "runId", "orchestrationId",
      "orchestrationVersion", "workspaceSlug", "queue", "functionId", "stepId", "attempt", "input", "context",
      "steps", "leaseExpiresAt", "traceparent");
    assertThat(task.getString("taskId")).matches(TASK_ID);
    assertThat(task.getString("traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
    assertThat(generation(task.getString("taskId"))).isEqualTo(1);
    assertThat(task.getString("runId")).isEqualTo(runId);
    assertThat(task.getString("orchestrationId")).isEqualTo(orch);
    assertThat(task.getInteger("orchestrationVersion")).isEqualTo(1);
    assertThat(task.getString("workspaceSlug")).isEqualTo(client.workspace);
    assertThat(task.getString("queue")).isEqualTo(queue);
    assertThat(task.getString("functionId")).isEqualTo(function);
    assertThat(task.getString("stepId")).isEqualTo("work");
    assertThat(task.getInteger("attempt")).isEqualTo(1);
    assertThat(task.getJsonObject("input")).isEqualTo(new JsonObject().put("orderId", 42));
    assertThat(task.getJsonObject("context")).isEqualTo(new JsonObject().put("tenant", "acme"));
    assertThat(task.getJsonObject("steps")).isEqualTo(new JsonObject());
    assertThat(task.getString("leaseExpiresAt")).matches(TIMESTAMP);
    long expiry = Instant.parse(task.getString("leaseExpiresAt")).toEpochMilli();
    assertThat(expiry).isBetween(before + 29_000, System.currentTimeMillis() + 30_000);

    JsonObject run = getRun(client, orch, runId);
    assertThat(run.getString("status")).isEqualTo("running");
    assertThat(run.getString("currentStepId")).isEqualTo("work");
    assertThat(poll(client, queue, 10, 0)).as("a leased task is not handed out twice").isEmpty();
  }

  @Test
  @DisplayName("a poll hands out at most max tasks; the rest wait for the next poll (FIFO holds within a partition)")
  void pollMax() {
    String orch = oneStep(new JsonObject());
    List<String> runs = Stream.of(1, 2, 3).map(i -> {
      String id = trigger(client, orch, new JsonObject().put("input", new JsonObject().put("i", i)));
      awaitQueued(i);
      return id;
    }).toList();

    List<JsonObject> first = poll(client, queue, 2, 0);
    List<JsonObject> second = poll(client, queue, 2, 0);

    assertThat(first).hasSize(2);
    assertThat(second).hasSize(1);
    List<String> handedOut = Stream.concat(first.stream(), second.stream()).map(t -> t.getString("runId")).toList();
    assertThat(handedOut).containsExactlyInAnyOrderElementsOf(runs);
    assertThat(poll(client, queue, 2, 0)).isEmpty();
  }

  @Test
  @DisplayName("a poll on another queue of the same workspace does not see the task")
  void otherQueue() {
    workerFunction(client, queue + "-other");
    String orch = oneStep(new JsonObject());
    trigger(client, orch);

    assertThat(poll(client, queue + "-other", 10, 300)).isEmpty();
    assertThat(pollOne(client, queue).getString("stepId")).isEqualTo("work");
  }

  @Test
  @DisplayName("a long poll (waitMs 10000) started before the trigger returns the task well under 1 s after it")
  void longPollWakesPromptly() throws Exception {
    String orch = oneStep(new JsonObject());
    CompletableFuture<List<JsonObject>> polled = CompletableFuture.supplyAsync(() -> poll(client, queue, 1, 10_000));
    Thread.sleep(300);
    assertThat(polled).isNotDone();

    long triggered = System.nanoTime();
    String runId = trigger(client, orch);
    List<JsonObject> tasks = polled.get(15, TimeUnit.SECONDS);
    long latencyMs = (System.nanoTime() - triggered) / 1_000_000;

    assertThat(tasks).extracting(t -> t.getString("runId")).containsExactly(runId);
    assertThat(latencyMs).as("trigger → task delivered, ms").isLessThan(500);
  }

  @Test
  @DisplayName("several long polls waiting on one queue: each task goes to exactly one of them, promptly")
  void longPollsShareTasks() throws Exception {
    String orch = oneStep(new JsonObject());
    // The poll that gets no task ends at its waitMs, and the test waits for it: long enough to outlast the
    // triggers (asserted to reach a poll within 500 ms), no longer.
    List<CompletableFuture<List<JsonObject>>> polls = Stream.of(1, 2, 3)
      .map(i -> CompletableFuture.supplyAsync(() -> poll(client, queue, 1, 2_000))).toList();
    Thread.sleep(300);

    long triggered = System.nanoTime();
    String a = trigger(client, orch);
    String b = trigger(client, orch);
    CompletableFuture.anyOf(polls.toArray(CompletableFuture[]::new)).get(15, TimeUnit.SECONDS);
    long firstMs = (System.nanoTime() - triggered) / 1_000_000;
    List<String> delivered = polls.stream().flatMap(p -> p.join().stream()).map(t -> t.getString("runId")).toList();

    assertThat(delivered).containsExactlyInAnyOrder(a, b);
    assertThat(firstMs).isLessThan(500);
  }

  @Test
  @DisplayName("an empty poll returns after about waitMs; waitMs 0 returns at once")
  void emptyPollWaits() {
    long started = System.nanoTime();
    assertThat(poll(client, queue, 5, 700)).isEmpty();
    long waitedMs = (System.nanoTime() - started) / 1_000_000;
    assertThat(waitedMs).isBetween(650L, 2_000L);

    started = System.nanoTime();
    assertThat(poll(client, queue, 5, 0)).isEmpty();
    assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(500);
  }

  static Stream<Arguments> invalidPolls() {
    return Stream.of(
      Arguments.of("missing queue", new JsonObject().put("max", 1)),
      Arguments.of("queue not a string", new JsonObject().put("queue", 7)),
      Arguments.of("queue with a space", new JsonObject().put("queue", "has space")),
      Arguments.of("queue of 65 characters", new JsonObject().put("queue", "q".repeat(65))),
      Arguments.of("max 0", new JsonObject().put("queue", "q").put("max", 0)),
      Arguments.of("max 101", new JsonObject().put("queue", "q").put("max", 101)),
      Arguments.of("max not an integer", new JsonObject().put("queue", "q").put("max", "ten")),
      Arguments.of("waitMs -1", new JsonObject().put("queue", "q").put("waitMs", -1)),
      Arguments.of("waitMs 30001", new JsonObject().put("queue", "q").put("waitMs", 30_001)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidPolls")
  @DisplayName("an invalid poll body answers 400 validation_error")
  void invalidPoll(String name, JsonObject body) {
    Reply reply = client.post("/worker-tasks/poll", body);

    assertThat(reply.status()).as(reply.body()).isEqualTo(400);
    assertThat(reply.json().getString("error")).isEqualTo("validation_error");
  }

  @Test
  @DisplayName("a poll without a body answers 400; the boundaries max 100 and waitMs 30000 are accepted")
  void pollBoundaries() {
    Reply noBody = client.post("/worker-tasks/poll", null);
    assertThat(noBody.status()).as(noBody.body()).isEqualTo(400);

    Reply edge = client.post("/worker-tasks/poll", new JsonObject().put("queue", queue).put("max", 100)
      .put("waitMs", 0));
    assertThat(edge.status()).as(edge.body()).isEqualTo(200);
    assertThat(edge.json()).isEqualTo(new JsonObject().put("tasks", new JsonArray()));

    CompletableFuture<Reply> longest = CompletableFuture.supplyAsync(() -> pollReply(client, queue, 1, 30_000));
    trigger(client, oneStep(new JsonObject()));
    assertThat(longest.join().status()).isEqualTo(200);
  }

  // ---- complete -----------------------------------------------------------------------------------------------

  @Test
  @DisplayName("complete answers {taskId, accepted}; the run advances with the output, $context merged, and finishes")
  void completeAdvances() {
    String orch = twoSteps();
    String runId = trigger(client, orch, new JsonObject().put("input", new JsonObject().put("n", 1))
      .put("context", new JsonObject().put("tenant", "acme")));
    JsonObject work = pollOne(client, queue);

    Reply reply = complete(client, work.getString("taskId"), new JsonObject().put("total", 9)
      .put("$context", new JsonObject().put("charged", true)));

    assertAccepted(reply, work.getString("taskId"));
    JsonObject notify = pollOne(client, queue);
    assertThat(notify.getString("runId")).isEqualTo(runId);
    assertThat(notify.getString("stepId")).isEqualTo("notify");
    assertThat(baseId(notify.getString("taskId"))).isNotEqualTo(baseId(work.getString("taskId")));
    assertThat(notify.getJsonObject("steps"))
      .isEqualTo(new JsonObject().put("work", new JsonObject().put("output", new JsonObject().put("total", 9))));
    assertThat(notify.getJsonObject("context"))
      .isEqualTo(new JsonObject().put("tenant", "acme").put("charged", true));
    assertAccepted(complete(client, notify.getString("taskId"), "sent"), notify.getString("taskId"));

    JsonObject run = awaitStatus(client, orch, runId, "completed");
    assertThat(run.getJsonArray("executedSteps")).isEqualTo(new JsonArray().add("work").add("notify"));
    assertThat(run.getJsonObject("stepOutputs")).isEqualTo(new JsonObject()
      .put("work", new JsonObject().put("total", 9)).put("notify", "sent"));
    assertThat(run.getJsonObject("context")).isEqualTo(new JsonObject().put("tenant", "acme").put("charged", true));
    assertThat(run.getBoolean("hasErrors")).isFalse();
  }

  @Test
  @DisplayName("complete wakes the run at once: the next step's task reaches a waiting poll well under 1 s later")
  void completeAdvancesPromptly() throws Exception {
    String orch = twoSteps();
    long worstMs = 0;
    for (int i = 0; i < 3; i++) {
      trigger(client, orch);
      String taskId = pollOne(client, queue).getString("taskId");
      CompletableFuture<List<JsonObject>> next = CompletableFuture.supplyAsync(() -> poll(client, queue, 1, 10_000));
      Thread.sleep(100);

      long completed = System.nanoTime();
      assertAccepted(complete(client, taskId, i), taskId);
      List<JsonObject> tasks = next.get(15, TimeUnit.SECONDS);
      worstMs = Math.max(worstMs, (System.nanoTime() - completed) / 1_000_000);

      assertThat(tasks).extracting(t -> t.getString("stepId")).containsExactly("notify");
      assertAccepted(complete(client, tasks.get(0).getString("taskId"), "sent"), tasks.get(0).getString("taskId"));
    }
    assertThat(worstMs).as("complete → next task delivered, worst of 3, ms").isLessThan(400);
  }

  @Test
  @DisplayName("complete without a body records an empty output")
  void completeWithoutBody() {
    LeasedTask task = leasedTask(new JsonObject());

    assertAccepted(client.post("/worker-tasks/" + task.taskId() + "/complete", null), task.taskId());

    JsonObject run = awaitStatus(client, task.orch(), task.runId(), "completed");
    assertThat(run.getJsonObject("stepOutputs")).isEqualTo(new JsonObject().put("work", new JsonObject()));
  }

  @Test
  @DisplayName("a complete whose output cannot be stored as sent (U+0000, 1e400) answers 400; a valid one then works")
  void unstorableOutputRejected() {
    LeasedTask task = leasedTask(new JsonObject());

    Reply rejected = client.send(HttpMethod.POST, "/worker-tasks/" + task.taskId() + "/complete",
      "{\"output\": {\"nul\": \"a\\u0000b\", \"big\": 1e400}}", MultiMap.caseInsensitiveMultiMap());

    assertThat(rejected.status()).as(rejected.body()).isEqualTo(400);
    assertThat(rejected.json().getJsonArray("details").stream().map(d -> ((JsonObject) d).getString("field")))
      .containsExactlyInAnyOrder("output.nul", "output.big");
    assertAccepted(complete(client, task.taskId(), "fine"), task.taskId());
    assertThat(awaitStatus(client, task.orch(), task.runId(), "completed").getJsonObject("stepOutputs"))
      .isEqualTo(new JsonObject().put("work", "fine"));
  }

  @Test
  @DisplayName("a second complete (or a fail / heartbeat after it) answers 409 and records nothing twice")
  void completeTwice() {
    LeasedTask task = leasedTask(new JsonObject());
    assertAccepted(complete(client, task.taskId(), 1), task.taskId());

    assertConflict(complete(client, task.taskId(), 2));
    assertConflict(fail(client, task.taskId(), "late", true));
    assertConflict(heartbeat(client, task.taskId()));

    JsonObject run = awaitStatus(client, task.orch(), task.runId(), "completed");
    assertThat(run.getJsonArray("executedSteps")).isEqualTo(new JsonArray().add("work"));
    assertThat(run.getJsonObject("stepOutputs")).isEqualTo(new JsonObject().put("work", 1));
  }

  @Test
  @DisplayName("reports on unknown, malformed or never-leased task ids answer 409")
  void unknownTaskIds() {
    LeasedTask task = leasedTask(new JsonObject());

    for (String id : List.of("task_00000000000000000000000000.1", "garbage", "task_x.", baseId(task.taskId()),
      baseId(task.taskId()) + ".0", baseId(task.taskId()) + ".2", baseId(task.taskId()) + ".-1")) {
      assertConflict(complete(client, id, 1));
      assertConflict(fail(client, id, "x", false));
      assertConflict(heartbeat(client, id));
    }
    assertAccepted(complete(client, task.taskId(), 1), task.taskId());
  }

  // ---- fail ---------------------------------------------------------------------------------------------------

  @Test
  @DisplayName("a non-retryable fail fails the run with code worker_failed and the worker's message")
  void nonRetryableFail() {
    LeasedTask task = leasedTask(withRetry(3, 10));

    assertAccepted(fail(client, task.taskId(), "card declined", false), task.taskId());

    JsonObject run = awaitStatus(client, task.orch(), task.runId(), "failed");
    assertThat(run.getBoolean("hasErrors")).isTrue();
    assertThat(run.getJsonArray("executedSteps")).isEqualTo(new JsonArray().add("work"));
    JsonArray errors = run.getJsonArray("errors");
    assertThat(errors).hasSize(1);
    JsonObject error = errors.getJsonObject(0);
    assertThat(error.fieldNames()).contains("stepId", "code", "message", "attempt", "at");
    assertThat(error.getString("stepId")).isEqualTo("work");
    assertThat(error.getString("code")).isEqualTo("worker_failed");
    assertThat(error.getString("message")).isEqualTo("card declined");
    assertThat(error.getInteger("attempt")).isEqualTo(1);
    assertThat(error.getString("at")).matches(TIMESTAMP);
    assertThat(poll(client, queue, 10, 300)).as("no retry for a non-retryable failure").isEmpty();
  }

  @Test
  @DisplayName("a retryable fail is retried by the step's policy: attempt 2 arrives as a new task and can complete")
  void retryableFailRetries() {
    String orch = oneStep(withRetry(2, 50));
    String runId = trigger(client, orch);
    JsonObject first = pollOne(client, queue);
    assertAccepted(fail(client, first.getString("taskId"), "busy", true), first.getString("taskId"));

    JsonObject second = pollOne(client, queue);

    assertThat(second.getString("runId")).isEqualTo(runId);
    assertThat(second.getString("stepId")).isEqualTo("work");
    assertThat(second.getInteger("attempt")).isEqualTo(2);
    assertThat(baseId(second.getString("taskId"))).isNotEqualTo(baseId(first.getString("taskId")));
    assertConflict(complete(client, first.getString("taskId"), "late"));
    assertAccepted(complete(client, second.getString("taskId"), "ok"), second.getString("taskId"));
    JsonObject run = awaitStatus(client, orch, runId, "completed");
    assertThat(errorCodes(run)).containsExactly("worker_failed");
    assertThat(run.getBoolean("hasErrors")).isTrue();
    assertThat(run.getJsonArray("errors").getJsonObject(0).getInteger("attempt")).isEqualTo(1);
    assertThat(run.getJsonArray("executedSteps")).isEqualTo(new JsonArray().add("work"));
    assertThat(run.getJsonObject("stepOutputs")).isEqualTo(new JsonObject().put("work", "ok"));
  }

  @Test
  @DisplayName("a retryable fail on the last attempt (or without a retry policy) fails the run")
  void retryableFailExhausted() {
    String orch = oneStep(withRetry(2, 10));
    String runId = trigger(client, orch);
    for (int attempt = 1; attempt <= 2; attempt++) {
      JsonObject task = pollOne(client, queue);
      assertThat(task.getInteger("attempt")).isEqualTo(attempt);
      assertAccepted(fail(client, task.getString("taskId"), "busy " + attempt, true), task.getString("taskId"));
    }
    JsonObject run = awaitStatus(client, orch, runId, "failed");
    assertThat(errorCodes(run)).containsExactly("worker_failed", "worker_failed");

    String plain = oneStep(new JsonObject());
    String plainRun = trigger(client, plain);
    String taskId = pollOne(client, queue).getString("taskId");
    assertAccepted(fail(client, taskId, "busy", true), taskId);
    assertThat(errorCodes(awaitStatus(client, plain, plainRun, "failed"))).containsExactly("worker_failed");
  }

  @Test
  @DisplayName("fail without a body is a non-retryable failure")
  void failWithoutBody() {
    LeasedTask task = leasedTask(withRetry(3, 10));

    assertAccepted(client.post("/worker-tasks/" + task.taskId() + "/fail", null), task.taskId());

    assertThat(errorCodes(awaitStatus(client, task.orch(), task.runId(), "failed"))).containsExactly("worker_failed");
  }

  // ---- heartbeat ----------------------------------------------------------------------------------------------

  @Test
  @DisplayName("heartbeat answers {taskId, leaseExpiresAt} with a later expiry, and the task can still complete")
  void heartbeatShape() throws Exception {
    String orch = oneStep(new JsonObject());
    String runId = trigger(client, orch);
    JsonObject task = pollOne(client, queue);
    String taskId = task.getString("taskId");
    Thread.sleep(50);

    Reply reply = heartbeat(client, taskId);

    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    assertThat(reply.json().fieldNames()).containsExactlyInAnyOrder("taskId", "leaseExpiresAt");
    assertThat(reply.json().getString("taskId")).isEqualTo(taskId);
    assertThat(reply.json().getString("leaseExpiresAt")).matches(TIMESTAMP);
    assertThat(Instant.parse(reply.json().getString("leaseExpiresAt")))
      .isAfter(Instant.parse(task.getString("leaseExpiresAt")));
    assertAccepted(complete(client, taskId, "done"), taskId);
    awaitStatus(client, orch, runId, "completed");
  }

  // ---- timeouts -----------------------------------------------------------------------------------------------

  @Test
  @DisplayName("with no worker, the step's timeoutMs (500) fails the run with code timeout; the task is withdrawn")
  void timeoutWithoutWorker() {
    String orch = oneStep(new JsonObject().put("timeoutMs", 500));
    long started = System.nanoTime();
    String runId = trigger(client, orch);

    JsonObject run = awaitStatus(client, orch, runId, "failed");

    long tookMs = (System.nanoTime() - started) / 1_000_000;
    assertThat(tookMs).isBetween(450L, 3_000L);
    assertThat(errorCodes(run)).containsExactly("timeout");
    assertThat(run.getJsonArray("errors").getJsonObject(0).getString("stepId")).isEqualTo("work");
    assertThat(poll(client, queue, 10, 0)).as("a withdrawn task is not delivered").isEmpty();
  }

  @Test
  @DisplayName("a task leased but not reported within timeoutMs fails the run with timeout; its later complete → 409")
  void timeoutWhileLeased() {
    LeasedTask task = leasedTask(new JsonObject().put("timeoutMs", 800));

    JsonObject run = awaitStatus(client, task.orch(), task.runId(), "failed");

    assertThat(errorCodes(run)).containsExactly("timeout");
    assertConflict(complete(client, task.taskId(), "too late"));
    assertConflict(heartbeat(client, task.taskId()));
    JsonObject after = getRun(client, task.orch(), task.runId());
    assertThat(after.getString("status")).isEqualTo("failed");
    assertThat(after.getJsonObject("stepOutputs")).isEqualTo(new JsonObject());
  }

  @Test
  @DisplayName("a timeout with a retry policy delivers the next attempt as a new task")
  void timeoutRetries() {
    String orch = oneStep(withRetry(2, 10).put("timeoutMs", 400));
    String runId = trigger(client, orch);

    JsonObject task = awaitAttempt(2);
    assertAccepted(complete(client, task.getString("taskId"), "ok"), task.getString("taskId"));

    JsonObject run = awaitStatus(client, orch, runId, "completed");
    assertThat(errorCodes(run)).containsExactly("timeout");
  }

  /** Polls, dropping earlier attempts' tasks, until a task of {@code attempt} arrives. */
  private JsonObject awaitAttempt(int attempt) {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      for (JsonObject task : poll(client, queue, 10, 1000)) {
        if (task.getInteger("attempt") == attempt) {
          return task;
        }
      }
    }
    throw new AssertionError("attempt " + attempt + " never delivered");
  }

  // ---- cancellation -------------------------------------------------------------------------------------------

  @Test
  @DisplayName("a run cancelled while its task waits on the queue: the task is never delivered")
  void cancelBeforeDelivery() {
    String orch = oneStep(new JsonObject());
    String runId = trigger(client, orch);
    awaitQueued(1);

    Reply cancelled = client.post("/orchestrations/" + orch + "/runs/" + runId + "/cancel", null);

    assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
    assertThat(poll(client, queue, 10, 300)).isEmpty();
    assertThat(getRun(client, orch, runId).getString("status")).isEqualTo("cancelled");
  }

  @Test
  @DisplayName("a run cancelled while a worker holds its task: complete, fail and heartbeat answer 409")
  void cancelWhileLeased() {
    LeasedTask task = leasedTask(new JsonObject());

    Reply cancelled = client.post("/orchestrations/" + task.orch() + "/runs/" + task.runId() + "/cancel", null);
    assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);

    assertConflict(heartbeat(client, task.taskId()));
    assertConflict(fail(client, task.taskId(), "x", true));
    assertConflict(complete(client, task.taskId(), "late"));
    JsonObject run = getRun(client, task.orch(), task.runId());
    assertThat(run.getString("status")).isEqualTo("cancelled");
    assertThat(run.getJsonObject("stepOutputs")).isEqualTo(new JsonObject());
    assertThat(run.getJsonArray("executedSteps")).isEqualTo(new JsonArray());
  }

  // ---- isolation ----------------------------------------------------------------------------------------------

  @Test
  @DisplayName("workspace B polling the same queue name never sees A's task, and cannot report on it")
  void workspaceIsolation() throws Exception {
    ApiClient other = app.client(TestApp.randomWorkspace());
    workerFunction(other, queue);
    String orch = oneStep(new JsonObject());
    CompletableFuture<List<JsonObject>> otherPoll = CompletableFuture.supplyAsync(() -> poll(other, queue, 10, 800));
    Thread.sleep(100);
    String runId = trigger(client, orch);

    assertThat(otherPoll.get(15, TimeUnit.SECONDS)).isEmpty();
    String taskId = pollOne(client, queue).getString("taskId");
    for (Reply reply : List.of(complete(other, taskId, "hijack"), fail(other, taskId, "hijack", false),
      heartbeat(other, taskId))) {
      assertThat(reply.status()).as(reply.body()).isIn(404, 409);
    }
    JsonObject run = getRun(client, orch, runId);
    assertThat(run.getString("status")).isEqualTo("running");
    assertThat(run.getJsonObject("stepOutputs")).isEqualTo(new JsonObject());

    assertAccepted(complete(client, taskId, "mine"), taskId);
    assertThat(awaitStatus(client, orch, runId, "completed").getJsonObject("stepOutputs"))
      .isEqualTo(new JsonObject().put("work", "mine"));
    assertThat(poll(other, queue, 10, 0)).isEmpty();
  }

  @Test
  @DisplayName("a token for workspace B cannot poll or report in workspace A (403)")
  void foreignToken() {
    LeasedTask task = leasedTask(new JsonObject());
    ApiClient intruder = client.withToken(app.token("intruder", "ws-elsewhere"));

    assertThat(pollReply(intruder, queue, 1, 0).status()).isEqualTo(403);
    assertThat(complete(intruder, task.taskId(), "x").status()).isEqualTo(403);
    assertThat(client.withToken(null).post("/worker-tasks/poll", new JsonObject().put("queue", queue)).status())
      .isEqualTo(401);
    assertAccepted(complete(client, task.taskId(), "mine"), task.taskId());
  }

  private void awaitQueued(int count) {
    WorkerTaskSupport.awaitQueued(app, client.workspace, queue, count);
  }
}
