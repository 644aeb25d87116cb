package io.orchestrator.engine;

import static io.orchestrator.engine.RunTestSupport.awaitStatus;
import static io.orchestrator.engine.RunTestSupport.compute;
import static io.orchestrator.engine.RunTestSupport.condition;
import static io.orchestrator.engine.RunTestSupport.createFunction;
import static io.orchestrator.engine.RunTestSupport.createOrchestration;
import static io.orchestrator.engine.RunTestSupport.decision;
import static io.orchestrator.engine.RunTestSupport.delay;
import static io.orchestrator.engine.RunTestSupport.listRuns;
import static io.orchestrator.engine.RunTestSupport.orchestrationBody;
import static io.orchestrator.engine.RunTestSupport.trigger;
import static io.orchestrator.engine.RunTestSupport.when;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.fixtures.ApiClient;
import io.orchestrator.fixtures.ApiClient.Reply;
import io.orchestrator.fixtures.FunctionServer.Answer;
import io.orchestrator.fixtures.TestApp;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Both simulate endpoints against a real service (api and worker roles) and a real function server: a simulation
 * ends as a real run with the same function answers does, calls no function and leaves no run behind.
 */
@DisplayName("Simulate API: POST …/orchestrations/{id}/simulate and POST …/orchestrations/simulate")
class SimulateIT extends EngineIntegrationBase {

  @Test
  @DisplayName("a saved orchestration simulated with its functions' answers as mocks ends as its real run did")
  void sameEndAsARealRun() {
    JsonObject fetched = new JsonObject().put("ok", true).put("$context", new JsonObject().put("region", "eu"));
    functions.script(fn("fetch")).always(Answer.json(fetched));
    functions.script(fn("finish")).always(Answer.json(new JsonObject().put("done", true)));
    String orch = createOrchestration(client, "real-and-simulated", flow(function("fetch"), function("finish")));
    String runId = trigger(client, orch, new JsonObject().put("orderId", "o-1"));
    JsonObject run = awaitStatus(client, orch, runId, "completed");
    int callsAfterRun = callsOfThisWorkspace();

    Reply reply = client.post("/orchestrations/" + orch + "/simulate", new JsonObject()
      .put("input", new JsonObject().put("orderId", "o-1"))
      .put("mocks", new JsonObject().put("fetch", output(fetched))
        .put("finish", output(new JsonObject().put("done", true)))));

    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    JsonObject sim = reply.json();
    assertThat(sim.fieldNames()).containsExactlyInAnyOrder("status", "executedSteps", "stepOutputs", "context",
      "errors", "decisions", "delays");
    assertThat(sim.getString("status")).isEqualTo(run.getString("status"));
    assertThat(sim.getJsonArray("executedSteps")).isEqualTo(run.getJsonArray("executedSteps"));
    assertThat(sim.getJsonObject("stepOutputs")).isEqualTo(run.getJsonObject("stepOutputs"));
    assertThat(sim.getJsonObject("context")).isEqualTo(run.getJsonObject("context"))
      .isEqualTo(new JsonObject().put("region", "eu"));
    assertThat(sim.getJsonArray("errors")).isEmpty();
    assertThat(sim.getJsonArray("decisions")).containsExactly(new JsonObject().put("stepId", "route")
      .put("matchedCase", 0).put("nextStepId", "pause"));
    assertThat(sim.getJsonArray("delays")).containsExactly(new JsonObject().put("stepId", "pause")
      .put("delayMs", 300));
    assertThat(callsOfThisWorkspace()).as("no function called by the simulation").isEqualTo(callsAfterRun);
    assertThat(listRuns(client, orch, "").getJsonObject("meta").getInteger("total")).isEqualTo(1);
  }

  @Test
  @DisplayName("nothing is called, waited or stored: an hour's delay returns at once, no run is listed")
  void nothingCalledWaitedOrStored() {
    String fetch = function("fetch");
    String orch = createOrchestration(client, orchestrationBody("hourly",
      compute("fetch", fetch, "route"),
      decision("route", "wait", when("done", condition("steps.fetch.output.ready", "eq", true))),
      delay("wait", 3_600_000, "fetch"),
      compute("done", fetch, null)).put("isActive", false));
    long started = System.nanoTime();

    Reply reply = client.post("/orchestrations/hourly/simulate", new JsonObject()
      .put("mocks", new JsonObject()
        .put("fetch", new JsonArray().add(output(new JsonObject().put("ready", false)))
          .add(output(new JsonObject().put("ready", true))))
        .put("done", output("finished"))));

    assertThat(System.nanoTime() - started).isLessThan(3_000_000_000L);
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    JsonObject sim = reply.json();
    assertThat(sim.getString("status")).isEqualTo("completed");
    assertThat(sim.getJsonArray("executedSteps")).containsExactly("fetch", "route", "wait", "fetch", "route", "done");
    assertThat(sim.getJsonArray("decisions")).containsExactly(
      new JsonObject().put("stepId", "route").putNull("matchedCase").put("nextStepId", "wait"),
      new JsonObject().put("stepId", "route").put("matchedCase", 0).put("nextStepId", "done"));
    assertThat(sim.getJsonArray("delays")).containsExactly(new JsonObject().put("stepId", "wait")
      .put("delayMs", 3_600_000));
    assertThat(callsOfThisWorkspace()).isZero();
    assertThat(listRuns(client, orch, "").getJsonObject("meta").getInteger("total")).isZero();
    assertThat(client.get("/runs?correlationId=anything").status()).isEqualTo(200);
  }

  @Test
  @DisplayName("retries use one mock per attempt; missing mocks fail with no_mock; errors look like a run's")
  void retriesAndNoMock() {
    String charge = function("charge");
    String orch = createOrchestration(client, "retrying",
      compute("charge", charge, "notify").put("retry", new JsonObject().put("maxAttempts", 3).put("backoffMs", 60000)),
      compute("notify", charge, null));

    JsonObject sim = client.post("/orchestrations/" + orch + "/simulate", new JsonObject().put("mocks",
      new JsonObject().put("charge", new JsonArray().add(failure("http_503", "busy"))
        .add(output(new JsonObject().put("charged", true)))))).json();

    assertThat(sim.getString("status")).isEqualTo("failed");
    assertThat(sim.getJsonArray("executedSteps")).containsExactly("charge", "notify");
    List<JsonObject> errors = objects(sim.getJsonArray("errors"));
    assertThat(errors).hasSize(2);
    RunTestSupport.assertError(errors.get(0), "charge", "http_503", 1);
    RunTestSupport.assertError(errors.get(1), "notify", "no_mock", 1);
    assertThat(callsOfThisWorkspace()).isZero();
  }

  @Test
  @DisplayName("version picks an earlier version; the default is the current one; an unknown one is 404")
  void versions() {
    String fetch = function("fetch");
    String orch = createOrchestration(client, "versioned", compute("first", fetch, null));
    JsonObject update = orchestrationBody("versioned", compute("second", fetch, null));
    update.remove("slug");
    assertThat(client.put("/orchestrations/" + orch, update).status()).isEqualTo(200);
    JsonObject mocks = new JsonObject().put("first", output(1)).put("second", output(2));
    String path = "/orchestrations/" + orch + "/simulate";

    Reply v1 = client.post(path, new JsonObject().put("version", 1).put("mocks", new JsonObject()
      .put("first", output(1))));
    Reply current = client.post(path, new JsonObject().put("mocks", new JsonObject().put("second", output(2))));
    Reply stale = client.post(path, new JsonObject().put("mocks", mocks));

    assertThat(v1.json().getJsonArray("executedSteps")).containsExactly("first");
    assertThat(current.json().getJsonArray("executedSteps")).containsExactly("second");
    assertDetails(stale, "mocks.first");
    assertThat(error(client.post(path, new JsonObject().put("version", 9)), 404).getString("message"))
      .isEqualTo("Version not found");
    assertDetails(client.post(path, new JsonObject().put("version", "one")), "version");
    assertDetails(client.post(path, new JsonObject().put("version", 0)), "version");
    assertDetails(client.post(path, new JsonObject().put("version", 1.5)), "version");
  }

  @Test
  @DisplayName("the step limit applies: a loop with one mock answering every attempt fails max_steps_exceeded")
  void stepLimit() {
    String spin = function("spin");
    String orch = createOrchestration(client, "spinner", compute("spin", spin, "again"), decision("again", "spin"));

    JsonObject sim = client.post("/orchestrations/" + orch + "/simulate", new JsonObject()
      .put("mocks", new JsonObject().put("spin", output(new JsonObject())))).json();

    assertThat(sim.getString("status")).isEqualTo("failed");
    assertThat(sim.getJsonArray("executedSteps")).hasSize(1000);
    assertThat(objects(sim.getJsonArray("errors"))).singleElement()
      .satisfies(e -> RunTestSupport.assertError(e, "spin", "max_steps_exceeded", 1));
  }

  @Test
  @DisplayName("an unsaved definition without slug or name, with a worker function, mocked like an http one")
  void unsavedDefinition() {
    String worker = createFunction(client, new JsonObject().put("name", "w").put("runtime", "worker")
      .put("queue", "q")).getString("id");
    JsonObject definition = new JsonObject().put("trigger", new JsonObject().put("type", "on-demand"))
      .put("steps", new JsonArray().add(compute("work", worker, "route"))
        .add(decision("route", null, when("big", condition("input.amount", "gt", 100)),
          when("small", condition("context.tier", "eq", "basic"))))
        .add(compute("big", worker, null)).add(compute("small", worker, null)));

    Reply reply = client.post("/orchestrations/simulate", new JsonObject().put("definition", definition)
      .put("input", new JsonObject().put("amount", 5)).put("context", new JsonObject().put("tier", "basic"))
      .put("mocks", new JsonObject().put("work", output(new JsonObject().put("ok", true)))
        .put("small", output(new JsonObject().put("$context", new JsonObject().put("tier", "gold"))))));

    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    JsonObject sim = reply.json();
    assertThat(sim.getJsonArray("executedSteps")).containsExactly("work", "route", "small");
    assertThat(sim.getJsonArray("decisions")).containsExactly(new JsonObject().put("stepId", "route")
      .put("matchedCase", 1).put("nextStepId", "small"));
    assertThat(sim.getJsonObject("context")).isEqualTo(new JsonObject().put("tier", "gold"));
    assertThat(sim.getJsonObject("stepOutputs").getJsonObject("small")).isEqualTo(new JsonObject());
    assertThat(client.post("/worker-tasks/poll", new JsonObject().put("queue", "q").put("waitMs", 0)).json()
      .getJsonArray("tasks", new JsonArray())).as("no task queued").isEmpty();
    assertThat(client.get("/orchestrations").json().getJsonObject("meta").getInteger("total")).isZero();
  }

  @Test
  @DisplayName("an invalid unsaved definition: the create's field paths under definition., with the schema's")
  void invalidDefinition() {
    String fetch = function("fetch");
    JsonObject definition = new JsonObject().put("slug", "Not A Slug")
      .put("trigger", new JsonObject().put("type", "on-demand"))
      .put("steps", new JsonArray().add(compute("a", "func_missing", "route"))
        .add(decision("route", "b", when("b", condition("input.x", "almost", 1))))
        .add(compute("b", fetch, "nowhere")));

    Reply reply = client.post("/orchestrations/simulate", new JsonObject().put("definition", definition));
    Reply missing = client.post("/orchestrations/simulate", new JsonObject().put("mocks", new JsonObject()));
    Reply noSteps = client.post("/orchestrations/simulate", new JsonObject().put("definition", new JsonObject()
      .put("trigger", new JsonObject().put("type", "on-demand"))));

    assertThat(fields(error(reply, 400))).contains("definition.slug", "definition.steps[0].functionId",
      "definition.steps[1].cases[0].conditions[0].op", "definition.steps[2].nextStepId");
    assertDetails(missing, "definition");
    assertDetails(noSteps, "definition.steps");
  }

  @Test
  @DisplayName("bad mocks and fields: 400 naming mocks.<stepId> (unknown, decision, delay, malformed entries)")
  void badMocks() {
    String fetch = function("fetch");
    String orch = createOrchestration(client, "mocked", compute("fetch", fetch, "route"),
      decision("route", "pause", when("pause", condition("input.x", "exists", null))), delay("pause", 10, null));
    String path = "/orchestrations/" + orch + "/simulate";

    assertDetails(client.post(path, new JsonObject().put("mocks", new JsonArray())), "mocks");
    assertDetails(client.post(path, new JsonObject().put("mocks", "fetch")), "mocks");
    assertDetails(client.post(path, new JsonObject().put("mocks", new JsonObject().put("ghost", output(1)))),
      "mocks.ghost");
    assertDetails(client.post(path, new JsonObject().put("mocks", new JsonObject().put("route", output(1)))),
      "mocks.route");
    assertDetails(client.post(path, new JsonObject().put("mocks", new JsonObject().put("pause", output(1)))),
      "mocks.pause");
    assertDetails(client.post(path, new JsonObject().put("mocks", new JsonObject().put("fetch",
      new JsonObject().put("result", 1)))), "mocks.fetch");
    assertDetails(client.post(path, new JsonObject().put("mocks", new JsonObject().put("fetch",
      new JsonArray().add(output(1)).add(output(1).put("error", new JsonObject().put("code", "x")))))),
      "mocks.fetch[1]");
    assertDetails(client.post(path, new JsonObject().put("mocks", new JsonObject().put("fetch",
      new JsonObject().put("error", new JsonObject().put("message", "no code"))))), "mocks.fetch.error.code");
    assertDetails(client.post(path, new JsonObject().put("input", "text")), "input");
    assertDetails(client.post(path, new JsonObject().put("context", new JsonArray())), "context");
    assertDetails(client.post("/orchestrations/simulate", new JsonObject().put("definition",
        orchestrationBody("x", compute("fetch", fetch, null)))
      .put("mocks", new JsonObject().put("ghost", output(1)))), "mocks.ghost");
    assertThat(callsOfThisWorkspace()).isZero();
  }

  @Test
  @DisplayName("unknown, deleted and other workspaces' orchestrations → 404; no token → 401; over 1 MiB → 413")
  void notFoundAuthAndSize() {
    String orch = createOrchestration(client, "gone", compute("fetch", function("fetch"), null));
    ApiClient other = app.client(TestApp.randomWorkspace());
    JsonObject body = new JsonObject().put("mocks", new JsonObject());

    assertThat(error(other.post("/orchestrations/" + orch + "/simulate", body), 404).getString("message"))
      .isEqualTo("Orchestration not found");
    assertThat(error(client.post("/orchestrations/orch_unknown/simulate", body), 404).getString("error"))
      .isEqualTo("not_found");
    assertThat(client.delete("/orchestrations/" + orch).status()).isEqualTo(204);
    error(client.post("/orchestrations/" + orch + "/simulate", body), 404);
    error(client.post("/orchestrations/gone/simulate", body), 404);
    assertThat(error(client.withToken(null).post("/orchestrations/simulate", body), 401).getString("error"))
      .isEqualTo("unauthorized");
    assertThat(error(client.withToken(app.token("u", "elsewhere")).post("/orchestrations/" + orch + "/simulate",
      body), 403).getString("error")).isEqualTo("forbidden");
    Buffer huge = Buffer.buffer("{\"input\": {\"blob\": \"" + "x".repeat(1024 * 1024) + "\"}}");
    assertThat(error(client.post("/orchestrations/" + orch + "/simulate", huge), 413).getString("error"))
      .isEqualTo("payload_too_large");
    assertThat(error(client.post("/orchestrations/simulate", huge), 413).getString("error"))
      .isEqualTo("payload_too_large");
  }

  @Test
  @DisplayName("'simulate' cannot be created as a slug; GET /orchestrations/simulate is an unknown orchestration")
  void simulateIsNoSlug() {
    JsonObject body = orchestrationBody("simulate", compute("fetch", function("fetch"), null));

    assertThat(fields(error(client.post("/orchestrations", body), 400))).containsExactly("slug");
    error(client.get("/orchestrations/simulate"), 404);
  }

  private JsonObject[] flow(String fetch, String finish) {
    return new JsonObject[] {compute("fetch", fetch, "route"),
      decision("route", "finish", when("pause", condition("context.region", "eq", "eu"))),
      delay("pause", 300, "finish"),
      compute("finish", finish, null)};
  }

  private int callsOfThisWorkspace() {
    return (int) functions.allCalls().stream().filter(c -> c.function().startsWith(workspace + "-")).count();
  }

  private static JsonObject output(Object output) {
    return new JsonObject().put("output", output);
  }

  private static JsonObject failure(String code, String message) {
    return new JsonObject().put("error", new JsonObject().put("code", code).put("message", message));
  }

  private static JsonObject error(Reply reply, int status) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    assertThat(reply.header("Content-Type")).startsWith("application/json");
    return reply.json();
  }

  private static void assertDetails(Reply reply, String... fields) {
    JsonObject body = error(reply, 400);
    assertThat(body.getString("error")).isEqualTo("validation_error");
    assertThat(fields(body)).as(reply.body()).containsExactly(fields);
  }

  private static List<String> fields(JsonObject error) {
    List<String> fields = new ArrayList<>();
    error.getJsonArray("details", new JsonArray()).forEach(d -> fields.add(((JsonObject) d).getString("field")));
    return fields;
  }

  private static List<JsonObject> objects(JsonArray array) {
    List<JsonObject> list = new ArrayList<>();
    array.forEach(o -> list.add((JsonObject) o));
    return list;
  }
}
