package io.orchestrator.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.fixtures.ApiClient;
import io.orchestrator.fixtures.ApiClient.Reply;
import io.orchestrator.fixtures.TestApp;
import io.orchestrator.fixtures.TestStores;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** Worker functions, orchestrations on them, and the worker side of the API (poll / complete / fail / heartbeat). */
final class WorkerTaskSupport {

  static final Pattern TASK_ID = Pattern.compile("task_[0-9a-z]{26}\\.\\d+");
  static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
  static final Duration TIMEOUT = Duration.ofSeconds(15);
  static final Set<String> TERMINAL = Set.of("completed", "failed", "cancelled");

  private WorkerTaskSupport() {
  }

  // ---- definitions --------------------------------------------------------------------------------------------

  /** Registers a "worker" function on {@code queue}; returns its id. */
  static String workerFunction(ApiClient client, String queue) {
    Reply reply = client.post("/functions", new JsonObject().put("name", "worker " + queue).put("runtime", "worker")
      .put("queue", queue));
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    return reply.json().getString("id");
  }

  static JsonObject compute(String id, String functionId, String next) {
    JsonObject step = new JsonObject().put("id", id).put("name", "Step " + id).put("type", "compute")
      .put("functionId", functionId);
    return next == null ? step : step.put("nextStepId", next);
  }

  static String orchestration(ApiClient client, String slug, JsonObject... steps) {
    Reply reply = client.post("/orchestrations", new JsonObject().put("slug", slug).put("name", "Orchestration " + slug)
      .put("trigger", new JsonObject().put("type", "on-demand")).put("steps", new JsonArray(List.of((Object[]) steps))));
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    return reply.json().getString("id");
  }

  static String trigger(ApiClient client, String orchestration, JsonObject body) {
    Reply reply = client.post("/orchestrations/" + orchestration + "/trigger", body);
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    return reply.json().getString("id");
  }

  static String trigger(ApiClient client, String orchestration) {
    return trigger(client, orchestration, new JsonObject().put("input", new JsonObject()));
  }

  // ---- the worker side ----------------------------------------------------------------------------------------

  static Reply pollReply(ApiClient client, String queue, int max, long waitMs) {
    return client.post("/worker-tasks/poll", new JsonObject().put("queue", queue).put("max", max)
      .put("waitMs", waitMs));
  }

  /** One poll; asserts 200 and returns the tasks. */
  static List<JsonObject> poll(ApiClient client, String queue, int max, long waitMs) {
    Reply reply = pollReply(client, queue, max, waitMs);
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    assertThat(reply.json().fieldNames()).containsExactly("tasks");
    List<JsonObject> tasks = new ArrayList<>();
    reply.json().getJsonArray("tasks").forEach(t -> tasks.add((JsonObject) t));
    return tasks;
  }

  /** Long-polls (1 s at a time) until one task arrives or {@link #TIMEOUT} passes. */
  static JsonObject pollOne(ApiClient client, String queue) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      List<JsonObject> tasks = poll(client, queue, 1, 1000);
      if (!tasks.isEmpty()) {
        assertThat(tasks).hasSize(1);
        return tasks.get(0);
      }
    }
    throw new AssertionError("no task on queue " + queue + " within " + TIMEOUT);
  }

  static Reply complete(ApiClient client, String taskId, Object output) {
    return client.post("/worker-tasks/" + taskId + "/complete", new JsonObject().put("output", output));
  }

  static Reply fail(ApiClient client, String taskId, String message, boolean retryable) {
    return client.post("/worker-tasks/" + taskId + "/fail", new JsonObject().put("message", message)
      .put("retryable", retryable));
  }

  static Reply heartbeat(ApiClient client, String taskId) {
    return client.post("/worker-tasks/" + taskId + "/heartbeat", null);
  }

  /** Asserts a report was accepted: 200 {taskId, accepted: true}. */
  static void assertAccepted(Reply reply, String taskId) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    assertThat(reply.json()).isEqualTo(new JsonObject().put("taskId", taskId).put("accepted", true));
  }

  /** Asserts a report was refused: 409 {error: conflict, message}. */
  static void assertConflict(Reply reply) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(409);
    assertThat(reply.json().getString("error")).isEqualTo("conflict");
    assertThat(reply.json().getString("message")).isNotBlank();
  }

  /** {@code task_….3} → 3. */
  static long generation(String taskId) {
    return Long.parseLong(taskId.substring(taskId.lastIndexOf('.') + 1));
  }

  /** {@code task_….3} → {@code task_…}. */
  static String baseId(String taskId) {
    return taskId.substring(0, taskId.lastIndexOf('.'));
  }

  // ---- queues (peeked in Redis: the API has no read-only view of a queue) ------------------------------------

  /** How many tasks wait (unleased) on the workspace's queue, summed over the partitions. */
  static long queued(TestApp app, String workspace, String queue) {
    Redis redis = Redis.createClient(app.vertx, TestStores.redisOptions());
    try {
      long depth = 0;
      for (var keys : app.keyspace.all()) {
        depth += TestApp.await(redis.send(Request.cmd(Command.ZCARD).arg(keys.taskQueue(workspace, queue)))).toLong();
      }
      return depth;
    } finally {
      redis.close();
    }
  }

  /** Waits until exactly {@code count} tasks wait on the queue. */
  static void awaitQueued(TestApp app, String workspace, String queue, long count) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    long seen = -1;
    while (System.nanoTime() < deadline) {
      seen = queued(app, workspace, queue);
      if (seen == count) {
        return;
      }
      sleep(10);
    }
    throw new AssertionError(count + " tasks never queued on " + queue + "; last seen " + seen);
  }

  // ---- runs ---------------------------------------------------------------------------------------------------

  static JsonObject getRun(ApiClient client, String orchestration, String runId) {
    Reply reply = client.get("/orchestrations/" + orchestration + "/runs/" + runId);
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.json();
  }

  static JsonObject awaitRun(ApiClient client, String orchestration, String runId, String what,
                             Predicate<JsonObject> condition) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    JsonObject run = null;
    while (System.nanoTime() < deadline) {
      run = getRun(client, orchestration, runId);
      if (condition.test(run)) {
        return run;
      }
      sleep(20);
    }
    throw new AssertionError("run " + runId + " not " + what + " within " + TIMEOUT + "; last seen: "
      + (run == null ? null : run.encodePrettily()));
  }

  /** Waits until the run is finished and asserts it has {@code status}. */
  static JsonObject awaitStatus(ApiClient client, String orchestration, String runId, String status) {
    JsonObject run = awaitRun(client, orchestration, runId, status,
      r -> TERMINAL.contains(r.getString("status")));
    assertThat(run.getString("status")).as(run.encodePrettily()).isEqualTo(status);
    return run;
  }

  static List<String> errorCodes(JsonObject run) {
    List<String> codes = new ArrayList<>();
    run.getJsonArray("errors").forEach(e -> codes.add(((JsonObject) e).getString("code")));
    return codes;
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
