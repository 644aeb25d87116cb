package io.orchestrator.tasks;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A complete external worker for a {@code runtime: "worker"} function (the example of docs/workers.md): long-polls
 * its queue, sums {@code input.numbers} of every task (after sleeping {@code input.simulateMs}, standing in for slow
 * work), completes it (or fails it: bad input is not retryable, anything else is), and heart-beats while it works.
 *
 * <pre>
 * ORCH_URL=http://localhost:8080 ORCH_WORKSPACE=acme ORCH_TOKEN=... ORCH_QUEUE=sums \
 *   java -cp "target/test-classes:target/classes:$(cat cp.txt)" io.orchestrator.tasks.ExampleWorker
 * </pre>
 */
public final class ExampleWorker {

  private static final long WAIT_MS = 20_000;
  private static final int MAX = 10;
  private static final long HEARTBEAT_MS = 10_000;

  private final Vertx vertx;
  private final WebClient http;
  private final String base;
  private final String token;
  private final String queue;
  private volatile boolean running = true;

  public ExampleWorker(Vertx vertx, String url, String workspace, String token, String queue) {
    this.vertx = vertx;
    this.http = WebClient.create(vertx);
    this.base = url + "/orchestration/api/v1/workspaces/" + workspace + "/worker-tasks";
    this.token = token;
    this.queue = queue;
  }

  public static void main(String[] args) {
    Vertx vertx = Vertx.vertx();
    ExampleWorker worker = new ExampleWorker(vertx, env("ORCH_URL", "http://localhost:8080"),
      env("ORCH_WORKSPACE", "default"), env("ORCH_TOKEN", ""), env("ORCH_QUEUE", "sums"));
    Runtime.getRuntime().addShutdownHook(new Thread(worker::stop));
    worker.start();
  }

  /** Starts the poll loop (returns at once). */
  public void start() {
    pollLoop();
  }

  /** Stops polling after the current poll; tasks in hand are still reported. */
  public void stop() {
    running = false;
  }

  private void pollLoop() {
    if (!running) {
      return;
    }
    JsonObject poll = new JsonObject().put("queue", queue).put("max", MAX).put("waitMs", WAIT_MS);
    post("/poll", poll, WAIT_MS + 10_000)
      .compose(body -> {
        List<Future<Void>> handled = new ArrayList<>();
        body.getJsonArray("tasks", new JsonArray()).forEach(task -> handled.add(handle((JsonObject) task)));
        return Future.join(handled);
      })
      .onComplete(done -> {
        if (done.failed()) {
          System.err.println("poll failed, retrying in 1 s: " + done.cause().getMessage());
          vertx.setTimer(1_000, id -> pollLoop());
        } else {
          pollLoop();
        }
      });
  }

  /** Works on one task: heart-beats while busy, then completes or fails it. */
  private Future<Void> handle(JsonObject task) {
    String taskId = task.getString("taskId");
    // heartbeat at a third of the lease the server granted (at most every 10 s), so one lost beat is survivable
    long leaseMs = Instant.parse(task.getString("leaseExpiresAt")).toEpochMilli() - System.currentTimeMillis();
    long every = Math.min(HEARTBEAT_MS, Math.max(100, leaseMs / 3));
    long heartbeat = vertx.setPeriodic(every, id -> post("/" + taskId + "/heartbeat", null, 10_000)
      .onFailure(e -> System.err.println("heartbeat " + taskId + ": " + e.getMessage())));
    return vertx.executeBlocking(() -> work(task))
      .compose(
        output -> post("/" + taskId + "/complete", new JsonObject().put("output", output), 10_000),
        error -> post("/" + taskId + "/fail", new JsonObject().put("message", String.valueOf(error.getMessage()))
          .put("retryable", !(error instanceof IllegalArgumentException)), 10_000))
      .onComplete(done -> vertx.cancelTimer(heartbeat))
      .<Void>mapEmpty()
      .recover(error -> {
        // 409: the lease expired or the task was re-delivered, cancelled or timed out: someone else owns it now
        System.err.println("report on " + taskId + " refused: " + error.getMessage());
        return Future.succeededFuture();
      });
  }

  /**
   * The actual work. Runs on a worker thread, so it may block. Idempotent by construction (same input, same output);
   * work with side effects should key them by runId + stepId + attempt, since a task can be delivered twice.
   */
  static JsonObject work(JsonObject task) throws InterruptedException {
    JsonObject input = task.getJsonObject("input", new JsonObject());
    Thread.sleep(input.getLong("simulateMs", 0L)); // stands in for slow work: heartbeats keep the lease meanwhile
    if (!(input.getValue("numbers") instanceof JsonArray numbers)) {
      throw new IllegalArgumentException("input.numbers must be an array of numbers");
    }
    double sum = 0;
    for (Object n : numbers) {
      if (!(n instanceof Number number)) {
        throw new IllegalArgumentException("input.numbers must hold numbers only");
      }
      sum += number.doubleValue();
    }
    return new JsonObject().put("sum", sum).put("count", numbers.size())
      .put("$context", new JsonObject().put("lastSum", sum));
  }

  /** POSTs JSON (or no body) with the bearer token; a non-200 answer fails the future with status and body. */
  private Future<JsonObject> post(String path, JsonObject body, long timeoutMs) {
    HttpRequest<Buffer> request = http.postAbs(base + path).bearerTokenAuthentication(token).timeout(timeoutMs);
    Future<HttpResponse<Buffer>> sent = body == null ? request.send() : request.sendJsonObject(body);
    return sent.compose(response -> response.statusCode() == 200
      ? Future.succeededFuture(response.bodyAsJsonObject())
      : Future.failedFuture(response.statusCode() + " " + response.bodyAsString()));
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
