package io.orchestrator.engine;

import static io.orchestrator.engine.RunTestSupport.awaitRun;
import static io.orchestrator.engine.RunTestSupport.awaitStatus;
import static io.orchestrator.engine.RunTestSupport.compute;
import static io.orchestrator.engine.RunTestSupport.createOrchestration;
import static io.orchestrator.engine.RunTestSupport.delay;
import static io.orchestrator.engine.RunTestSupport.getRun;
import static io.orchestrator.engine.RunTestSupport.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.fixtures.FunctionServer.Answer;
import io.orchestrator.fixtures.Jwts;
import io.orchestrator.fixtures.SharedApp;
import io.orchestrator.fixtures.SseClient;
import io.orchestrator.fixtures.SseClient.Event;
import io.orchestrator.fixtures.TestApp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Live progress over Server-Sent Events (DESIGN.md §9), for one run and for an orchestration's runs. */
@SharedApp.Config(value = "ORCH_STREAM_HEARTBEAT=200ms", own = true)
class RunStreamIT extends EngineIntegrationBase {

  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final Set<String> TERMINAL = Set.of("completed", "failed", "cancelled");

  private String streamPath(String orch, String runId) {
    return "/orchestration/api/v1/workspaces/" + workspace + "/orchestrations/" + orch + "/runs/"
      + (runId == null ? "" : runId + "/") + "stream";
  }

  private SseClient open(String path, String lastEventId) {
    return SseClient.open(app.vertx, app.orchestrator.httpPort(), path, app.token("alice", workspace), lastEventId);
  }

  /** a (answers after 300 ms) → wait 300 ms → b. */
  private String slowChain() {
    functions.script(fn("a")).always(Answer.json(new JsonObject().put("a", 1)).delayed(Duration.ofMillis(300)));
    functions.script(fn("b")).always(Answer.json(new JsonObject().put("b", 2)));
    return createOrchestration(client, "streamed", compute("a", function("a"), "wait"), delay("wait", 300, "b"),
      compute("b", function("b"), null));
  }

  @Test
  @DisplayName("a run's stream: its current state first, then each change with a growing id, ending after the "
    + "terminal state")
  void streamsOneRunToTheEnd() {
    String orch = slowChain();
    String runId = trigger(client, orch, new JsonObject());

    try (SseClient stream = open(streamPath(orch, runId), null)) {
      assertThat(stream.status()).isEqualTo(200);
      assertThat(stream.header("Content-Type")).startsWith("text/event-stream");
      List<Event> events = untilEnd(stream);

      assertThat(events).isNotEmpty();
      assertThat(events).allSatisfy(event -> {
        assertThat(event.event()).isEqualTo("run");
        assertThat(event.data()).doesNotContain("\n");
        assertThat(event.json().getString("id")).isEqualTo(runId);
        assertThat(Long.parseLong(event.id())).isPositive();
      });
      List<Long> ids = events.stream().map(e -> Long.parseLong(e.id())).toList();
      assertThat(ids).isSorted().doesNotHaveDuplicates();
      JsonObject last = events.get(events.size() - 1).json();
      assertThat(last.getString("status")).isEqualTo("completed");
      assertThat(last).isEqualTo(getRun(client, orch, runId));
      assertThat(events.stream().map(e -> e.json().getString("status"))).contains("running", "waiting");
      assertThat(last.getJsonArray("timeline")).extracting(e -> ((JsonObject) e).getString("stepId"))
        .containsExactly("a", "wait", "b");
    }
  }

  @Test
  @DisplayName("a finished run's stream sends its state once and ends; Last-Event-ID decides whether it is sent")
  void finishedRunAndLastEventId() {
    functions.script(fn("quick")).always(Answer.json(new JsonObject()));
    String orch = createOrchestration(client, "quick", compute("q", function("quick"), null));
    String runId = trigger(client, orch, new JsonObject());
    JsonObject done = awaitStatus(client, orch, runId, "completed");

    List<Event> fresh;
    try (SseClient stream = open(streamPath(orch, runId), null)) {
      fresh = untilEnd(stream);
    }
    assertThat(fresh).hasSize(1);
    assertThat(fresh.get(0).json()).isEqualTo(done);
    String seq = fresh.get(0).id();

    try (SseClient upToDate = open(streamPath(orch, runId), seq)) {
      assertThat(untilEnd(upToDate)).isEmpty();
    }
    try (SseClient behind = open(streamPath(orch, runId), String.valueOf(Long.parseLong(seq) - 1))) {
      assertThat(untilEnd(behind)).extracting(Event::id).containsExactly(seq);
    }
    try (SseClient garbage = open(streamPath(orch, runId), "not-a-number")) {
      assertThat(untilEnd(garbage)).extracting(Event::id).containsExactly(seq);
    }
  }

  @Test
  @DisplayName("an open stream of a waiting run sends heartbeat comments and the wake-up when it comes")
  void heartbeatsWhileWaiting() {
    functions.script(fn("b")).always(Answer.json(new JsonObject()));
    String orch = createOrchestration(client, "waits", delay("wait", 1500, "b"), compute("b", function("b"), null));
    String runId = trigger(client, orch, new JsonObject());
    awaitRun(client, orch, runId, "waiting", r -> "waiting".equals(r.getString("status")));

    try (SseClient stream = open(streamPath(orch, runId), null)) {
      Event first = stream.next(WAIT);
      assertThat(first.json().getString("status")).isEqualTo("waiting");
      JsonArray timeline = first.json().getJsonArray("timeline");
      assertThat(timeline.getJsonObject(timeline.size() - 1).getString("outcome")).isEqualTo("waited");
      assertThat(timeline.getJsonObject(timeline.size() - 1).getString("completedAt")).isNull();
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (stream.comments() < 3) {
        assertThat(System.nanoTime()).as("three heartbeats").isLessThan(deadline);
        RunTestSupport.pause();
      }
      assertThat(untilEnd(stream)).last().satisfies(e -> assertThat(e.json().getString("status"))
        .isEqualTo("completed"));
    }
  }

  @Test
  @DisplayName("an orchestration's stream sends the List Runs item of each run as it changes, without ids")
  void orchestrationStream() {
    functions.script(fn("quick")).always(Answer.json(new JsonObject()).delayed(Duration.ofMillis(100)));
    String orch = createOrchestration(client, "many", compute("q", function("quick"), null));

    try (SseClient stream = open(streamPath(orch, null), null)) {
      assertThat(stream.status()).isEqualTo(200);
      String first = trigger(client, orch, new JsonObject());
      String second = trigger(client, orch, new JsonObject());
      Map<String, String> lastStatus = new HashMap<>();
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (!"completed".equals(lastStatus.get(first)) || !"completed".equals(lastStatus.get(second))) {
        assertThat(System.nanoTime()).as("both runs completed on the stream").isLessThan(deadline);
        Event event = stream.poll(Duration.ofMillis(200));
        if (event != null) {
          assertThat(event.id()).isNull();
          assertThat(event.event()).isEqualTo("run");
          JsonObject item = event.json();
          assertThat(item.containsKey("input")).as("a List Runs item, not the details").isFalse();
          assertThat(item.getString("orchestrationId")).isEqualTo(orch);
          lastStatus.put(item.getString("id"), item.getString("status"));
        }
      }
      assertThat(stream.ended()).isFalse();
    }
  }

  @Test
  @DisplayName("events come from whichever instance executes the run: a stream on an API-only instance")
  void streamOnAnotherInstance() {
    Map<String, String> apiOnly = Map.of("ORCH_ROLES", "api", "ORCH_REDIS_PREFIX", app.redisPrefix,
      "ORCH_EVENT_STREAM", "events-" + app.redisPrefix);
    try (TestApp other = TestApp.start(apiOnly)) {
      String orch = slowChain();
      String runId = trigger(client, orch, new JsonObject());
      try (SseClient stream = SseClient.open(other.vertx, other.orchestrator.httpPort(), streamPath(orch, runId),
        other.token("bob", workspace), null)) {
        List<Event> events = untilEnd(stream);
        assertThat(events.get(events.size() - 1).json().getString("status")).isEqualTo("completed");
        assertThat(events.size()).isGreaterThan(1);
      }
    }
  }

  @Test
  @DisplayName("bearer header only (401 without, 403 for another workspace, no token in the URL); unknown or "
    + "foreign runs 404")
  void accessRules() {
    String orch = slowChain();
    String runId = trigger(client, orch, new JsonObject());
    String path = streamPath(orch, runId);
    int port = app.orchestrator.httpPort();

    try (SseClient anonymous = SseClient.open(app.vertx, port, path, null, null);
         SseClient inUrl = SseClient.open(app.vertx, port, path + "?access_token=" + app.token("a", workspace), null,
           null);
         SseClient stranger = SseClient.open(app.vertx, port, path, app.token("eve", "other-ws"), null);
         SseClient unknown = open(streamPath(orch, "run_00000000000000000000000000"), null);
         SseClient foreign = SseClient.open(app.vertx, port, path.replace(workspace, "ws-elsewhere"),
           app.token("eve", "ws-elsewhere"), null)) {
      assertThat(anonymous.status()).isEqualTo(401);
      assertThat(inUrl.status()).isEqualTo(401);
      assertThat(stranger.status()).isEqualTo(403);
      assertThat(unknown.status()).isEqualTo(404);
      assertThat(new JsonObject(unknown.body()).getString("error")).isEqualTo("not_found");
      assertThat(foreign.status()).isEqualTo(404);
    }
  }

  @Test
  @DisplayName("the stream ends when the token expires")
  void endsWhenTheTokenExpires() {
    functions.script(fn("b")).always(Answer.json(new JsonObject()));
    String orch = createOrchestration(client, "long", delay("wait", 3_600_000, "b"),
      compute("b", function("b"), null));
    String runId = trigger(client, orch, new JsonObject());
    JsonObject claims = Jwts.claims("short-lived", workspace).put("exp", Instant.now().getEpochSecond() + 2);

    try (SseClient stream = SseClient.open(app.vertx, app.orchestrator.httpPort(), streamPath(orch, runId),
      Jwts.hs256(TestApp.SECRET, claims), null)) {
      assertThat(stream.status()).isEqualTo(200);
      stream.next(WAIT);
      assertThat(stream.awaitEnd(Duration.ofSeconds(5))).as("ended at the token's expiry").isTrue();
    }
  }

  @Test
  @DisplayName("beyond ORCH_MAX_STREAMS open streams an instance answers 503 with Retry-After")
  void boundedStreams() {
    try (TestApp small = TestApp.start(Map.of("ORCH_MAX_STREAMS", "1", "ORCH_ROLES", "api",
      "ORCH_REDIS_PREFIX", app.redisPrefix, "ORCH_EVENT_STREAM", "events-" + app.redisPrefix))) {
      String orch = createOrchestration(client, "held", delay("wait", 3_600_000, null));
      String runId = trigger(client, orch, new JsonObject());
      int port = small.orchestrator.httpPort();
      String token = small.token("alice", workspace);
      try (SseClient first = SseClient.open(small.vertx, port, streamPath(orch, runId), token, null);
           SseClient second = SseClient.open(small.vertx, port, streamPath(orch, null), token, null)) {
        assertThat(first.status()).isEqualTo(200);
        assertThat(second.status()).isEqualTo(503);
        assertThat(second.header("Retry-After")).isNotNull();
        assertThat(new JsonObject(second.body()).getString("error")).isEqualTo("unavailable");
      }
    }
  }

  private static List<Event> untilEnd(SseClient stream) {
    List<Event> events = new ArrayList<>();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!stream.ended() || stream.queued() > 0) {
      assertThat(System.nanoTime()).as("the stream ended").isLessThan(deadline);
      Event event = stream.poll(Duration.ofMillis(100));
      if (event != null) {
        events.add(event);
      }
    }
    if (!events.isEmpty()) {
      assertThat(TERMINAL).contains(events.get(events.size() - 1).json().getString("status"));
    }
    return events;
  }
}
