package io.orchestrator.engine;

import static io.orchestrator.engine.RunTestSupport.awaitStatus;
import static io.orchestrator.engine.RunTestSupport.clockPast;
import static io.orchestrator.engine.RunTestSupport.compute;
import static io.orchestrator.engine.RunTestSupport.createFunction;
import static io.orchestrator.engine.RunTestSupport.createOrchestration;
import static io.orchestrator.engine.RunTestSupport.delay;
import static io.orchestrator.engine.RunTestSupport.ids;
import static io.orchestrator.engine.RunTestSupport.listRuns;
import static io.orchestrator.engine.RunTestSupport.pause;
import static io.orchestrator.engine.RunTestSupport.triggerReply;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.fixtures.ApiClient;
import io.orchestrator.fixtures.ApiClient.Reply;
import io.orchestrator.fixtures.FunctionServer.Answer;
import io.orchestrator.fixtures.SharedApp;
import io.orchestrator.fixtures.TestApp;
import io.orchestrator.fixtures.TestStores;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * List Runs filters (correlationId, startedAfter, startedBefore, with status and each other) and the workspace-wide
 * list by correlation id, over runs still in Redis and runs already served from the PostgreSQL history, with exact
 * totals. Runs that wait on a one-hour delay stay in Redis; finished runs leave it after the 1 s retention.
 */
@SharedApp.Config("ORCH_RUN_RETENTION=1s")
class RunFiltersIT extends EngineIntegrationBase {

  private static Redis redis;
  private String waiter;
  private String quick;

  @BeforeAll
  static void openRedis() {
    redis = Redis.createClient(app.vertx, TestStores.redisOptions());
  }

  @AfterAll
  static void closeRedis() {
    if (redis != null) {
      redis.close();
    }
  }

  @BeforeEach
  void orchestrations() {
    waiter = createOrchestration(client, "waiter", delay("wait", 3_600_000, null));
    functions.script(workspace + "-ok").always(Answer.json(new JsonObject().put("ok", true)));
    quick = createOrchestration(client, "quick",
      compute("only", createFunction(client, "ok", functions.url(workspace + "-ok")).getString("id"), null));
  }

  @Test
  @DisplayName("runs in Redis: each filter alone and combined, exact totals, bounds inclusive / exclusive, paging")
  void filtersOverLiveRuns() {
    JsonObject r1 = start(waiter, "c-1");
    JsonObject r2 = start(waiter, "c-2");
    JsonObject r3 = start(waiter, "c-1");
    JsonObject r4 = start(waiter, null);
    for (JsonObject run : List.of(r1, r2, r3, r4)) {
      awaitStatus(client, waiter, run.getString("id"), "waiting");
    }
    String at2 = r2.getString("startedAt");
    String at4 = r4.getString("startedAt");

    assertPage(listRuns(client, waiter, "correlationId=c-1"), 2, r3, r1);
    assertPage(listRuns(client, waiter, "correlationId=c-1&status=waiting"), 2, r3, r1);
    assertPage(listRuns(client, waiter, "correlationId=c-1&status=completed"), 0);
    assertPage(listRuns(client, waiter, "correlationId=" + r4.getString("correlationId")), 1, r4);
    assertPage(listRuns(client, waiter, "correlationId=unknown"), 0);
    assertPage(listRuns(client, waiter, "startedAfter=" + at2), 3, r4, r3, r2);
    assertPage(listRuns(client, waiter, "startedBefore=" + at2), 1, r1);
    assertPage(listRuns(client, waiter, "startedAfter=" + at2 + "&startedBefore=" + at4), 2, r3, r2);
    assertPage(listRuns(client, waiter, "startedAfter=" + at2 + "&startedBefore=" + at2), 0);
    assertPage(listRuns(client, waiter, "status=waiting&startedAfter=" + at2), 3, r4, r3, r2);
    assertPage(listRuns(client, waiter, "status=waiting&startedBefore=" + at2), 1, r1);
    assertPage(listRuns(client, waiter, "status=pending&startedAfter=" + at2), 0);
    assertPage(listRuns(client, waiter, "correlationId=c-1&startedAfter=" + at2), 1, r3);
    assertPage(listRuns(client, waiter, "correlationId=c-1&startedBefore=" + at2), 1, r1);
    assertPage(listRuns(client, waiter, "startedAfter=" + r1.getString("startedAt") + "&pageSize=2&page=2"), 4,
      r2, r1);
    // the same instant with an offset, and a microsecond past it (rounded up to the next millisecond)
    assertPage(listRuns(client, waiter, "startedAfter=" + withOffset(at2)), 3, r4, r3, r2);
    assertPage(listRuns(client, waiter, "startedAfter=" + at2.replace("Z", "001Z")), 2, r4, r3);
    // the other orchestration's runs are not listed here, even with the same correlation id
    start(quick, "c-1");
    assertPage(listRuns(client, waiter, "correlationId=c-1"), 2, r3, r1);
  }

  @Test
  @DisplayName("runs evicted to PostgreSQL are filtered the same way, with exact totals, merged with runs in Redis")
  void filtersOverHistory() {
    JsonObject q1 = start(quick, "c-h");
    JsonObject q2 = start(quick, "other");
    JsonObject q3 = start(quick, "c-h");
    for (JsonObject run : List.of(q1, q2, q3)) {
      awaitStatus(client, quick, run.getString("id"), "completed");
      awaitEvicted(run.getString("id"));
    }
    awaitTotal(quick, "", 3);

    assertPage(listRuns(client, quick, "correlationId=c-h"), 2, q3, q1);
    assertPage(listRuns(client, quick, "correlationId=c-h&status=completed"), 2, q3, q1);
    assertPage(listRuns(client, quick, "correlationId=c-h&status=failed"), 0);
    assertPage(listRuns(client, quick, "startedAfter=" + q2.getString("startedAt")), 2, q3, q2);
    assertPage(listRuns(client, quick, "startedBefore=" + q2.getString("startedAt")), 1, q1);
    assertPage(listRuns(client, quick, "status=completed&startedBefore=" + q3.getString("startedAt")), 2, q2, q1);
    assertPage(listRuns(client, quick, "correlationId=c-h&startedAfter=" + q2.getString("startedAt")), 1, q3);
    assertPage(workspaceRuns(client, "c-h"), 2, q3, q1);

    // a newer run of the same correlation id, still in Redis, comes first
    JsonObject live = start(waiter, "c-h");
    assertPage(workspaceRuns(client, "c-h"), 3, live, q3, q1);
    assertPage(listRuns(client, quick, "correlationId=c-h"), 2, q3, q1);
    assertPage(withPaging(workspaceRuns(client, "c-h&pageSize=1&page=3")), 3, q1);
  }

  @Test
  @DisplayName("GET /runs?correlationId finds the runs of every orchestration of the workspace, and only those")
  void workspaceWideByCorrelation() {
    JsonObject a = start(waiter, "order-7");
    JsonObject b = start(quick, "order-7");
    start(waiter, "order-8");

    assertPage(workspaceRuns(client, "order-7"), 2, b, a);
    assertThat(workspaceRuns(client, "order-7").getJsonArray("data").getJsonObject(1).getString("orchestrationId"))
      .isEqualTo(waiter);
    assertPage(workspaceRuns(client, "order-9"), 0);
    ApiClient stranger = app.client(TestApp.randomWorkspace());
    assertPage(workspaceRuns(stranger, "order-7"), 0);
  }

  @Test
  @DisplayName("bad filters answer 400 naming the parameter; nothing is listed")
  void badFilters() {
    String runs = "/orchestrations/" + waiter + "/runs?";
    assertBadRequest(client.get(runs + "startedAfter=2026-03-02T00:00:00Z&startedBefore=2026-03-01T00:00:00Z"),
      "startedAfter");
    assertBadRequest(client.get(runs + "startedAfter=yesterday"), "startedAfter");
    assertBadRequest(client.get(runs + "startedBefore=2026-03-01T10:00:00"), "startedBefore");
    assertBadRequest(client.get(runs + "startedBefore=2026-13-01T10:00:00Z"), "startedBefore");
    assertBadRequest(client.get(runs + "correlationId="), "correlationId");
    assertBadRequest(client.get(runs + "correlationId=" + "x".repeat(256)), "correlationId");
    assertBadRequest(client.get(runs + "status=sleeping"), "status");
    assertBadRequest(client.get("/runs"), "correlationId");
    assertBadRequest(client.get("/runs?correlationId="), "correlationId");
    assertBadRequest(client.get("/runs?correlationId=c&pageSize=0"), "pageSize");
    assertThat(client.get("/orchestrations/orch_unknown000000000000000000/runs?correlationId=c").status())
      .isEqualTo(404);
  }

  private JsonObject start(String orchestration, String correlationId) {
    JsonObject body = new JsonObject();
    if (correlationId != null) {
      body.put("correlationId", correlationId);
    }
    JsonObject run = triggerReply(client, orchestration, body);
    clockPast(run.getString("startedAt"));
    return run;
  }

  private static JsonObject workspaceRuns(ApiClient client, String correlationQuery) {
    Reply reply = client.get("/runs?correlationId=" + correlationQuery);
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.json();
  }

  private static JsonObject withPaging(JsonObject page) {
    assertThat(page.getJsonObject("meta").getInteger("pageSize")).isEqualTo(1);
    return page;
  }

  private static void assertPage(JsonObject page, long total, JsonObject... runs) {
    assertThat(ids(page)).as(page.encode()).containsExactly(
      Arrays.stream(runs).map(r -> r.getString("id")).toArray(String[]::new));
    assertThat(page.getJsonObject("meta").getLong("total")).as(page.encode()).isEqualTo(total);
  }

  private static void assertBadRequest(Reply reply, String parameter) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(400);
    assertThat(reply.body()).contains(parameter);
  }

  private static String withOffset(String utc) {
    // a negative offset: the test client would send a '+' as is, which a query string reads as a space
    return DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX")
      .format(Instant.parse(utc).atOffset(ZoneOffset.ofHours(-2)));
  }

  private void awaitEvicted(String runId) {
    String key = app.keyspace.ofId(runId).run(runId);
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (TestApp.await(redis.send(Request.cmd(Command.EXISTS).arg(key))).toLong() == 1) {
      assertThat(System.nanoTime()).as("eviction of " + runId).isLessThan(deadline);
      pause();
    }
  }

  /** The history row is flagged as evicted just after the Redis copy is dropped. */
  private void awaitTotal(String orchestration, String query, long total) {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (listRuns(client, orchestration, query).getJsonObject("meta").getLong("total") != total) {
      assertThat(System.nanoTime()).as("total of " + query).isLessThan(deadline);
      pause();
    }
  }
}
