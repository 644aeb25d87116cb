package io.orchestrator.engine;

import io.orchestrator.fixtures.ApiClient;
import io.orchestrator.fixtures.TestApp;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A steady, open-loop load of manual triggers for the outage tests: one trigger every {@code periodMs}, sent
 * whether or not earlier ones were answered, each answer recorded (status, error code, Retry-After, run id).
 */
final class TriggerLoad {

  /** One answer; status -1 for a request that got no HTTP answer (connection error). */
  record Answer(long sentAtMs, long answeredAtMs, int status, String error, String retryAfter, String runId) {
  }

  private final Vertx vertx;
  private final WebClient http;
  private final String uri;
  private final String token;
  private final List<Answer> answers = new ArrayList<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private long timer = -1;
  private int sent;

  TriggerLoad(TestApp app, ApiClient client, String orchestration) {
    this.vertx = app.vertx;
    this.http = app.http;
    this.uri = ApiClient.BASE + client.workspace + "/orchestrations/" + orchestration + "/trigger";
    this.token = app.token("load", client.workspace);
  }

  TriggerLoad start(long periodMs) {
    timer = vertx.setPeriodic(periodMs, id -> send());
    return this;
  }

  /** Stops sending and waits (at most 20 s) for the answers in flight. */
  List<Answer> stop() {
    vertx.cancelTimer(timer);
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      RunTestSupport.pause();
    }
    return answers();
  }

  synchronized List<Answer> answers() {
    return List.copyOf(answers);
  }

  /** Answers counted by status. */
  static Map<Integer, Long> byStatus(List<Answer> answers) {
    return answers.stream().collect(Collectors.groupingBy(Answer::status, TreeMap::new, Collectors.counting()));
  }

  static List<String> acknowledged(List<Answer> answers) {
    return answers.stream().filter(a -> a.status() == 201).map(Answer::runId).toList();
  }

  private void send() {
    long sentAt = System.currentTimeMillis();
    inFlight.incrementAndGet();
    JsonObject body = new JsonObject().put("input", new JsonObject().put("n", sent++));
    http.post(uri).putHeader("Authorization", "Bearer " + token)
      .putHeader("Content-Type", "application/json").timeout(30_000)
      .sendBuffer(body.toBuffer())
      .onComplete(ar -> {
        long now = System.currentTimeMillis();
        Answer answer;
        if (ar.failed()) {
          answer = new Answer(sentAt, now, -1, ar.cause().toString(), null, null);
        } else {
          JsonObject json = parse(ar.result().body());
          answer = new Answer(sentAt, now, ar.result().statusCode(), json.getString("error"),
            ar.result().getHeader("Retry-After"), ar.result().statusCode() == 201 ? json.getString("id") : null);
        }
        synchronized (this) {
          answers.add(answer);
        }
        inFlight.decrementAndGet();
      });
  }

  private static JsonObject parse(Buffer body) {
    try {
      return body == null ? new JsonObject() : new JsonObject(body);
    } catch (RuntimeException e) {
      return new JsonObject().put("error", "not JSON: " + body);
    }
  }
}
