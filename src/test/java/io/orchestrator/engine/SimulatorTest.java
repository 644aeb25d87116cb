package io.orchestrator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.common.FieldError;
import io.orchestrator.runs.RunStatus;
import io.orchestrator.validation.Problems;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The simulator on definitions built in memory: no server, no store, a fixed clock. */
@DisplayName("Simulator")
class SimulatorTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T10:00:00Z"), ZoneOffset.UTC);

  private final Simulator simulator = new Simulator(CLOCK, 1000);

  @Test
  @DisplayName("the reference's order flow: a case matches (index 0), the compute outputs are those of the mocks")
  void decisionMatchesACase() {
    Simulation sim = simulate(orderFlow(), new JsonObject(), new JsonObject()
      .put("validate", output(new JsonObject().put("isValid", true)))
      .put("fulfill", output(new JsonObject().put("orderId", "ord_1"))));

    assertThat(sim.status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(sim.executedSteps()).containsExactly("validate", "check-result", "fulfill");
    assertThat(sim.stepOutputs()).isEqualTo(new JsonObject().put("validate", new JsonObject().put("isValid", true))
      .put("fulfill", new JsonObject().put("orderId", "ord_1")));
    assertThat(sim.decisions()).containsExactly(decision("check-result", 0, "fulfill"));
    assertThat(sim.errors()).isEmpty();
    assertThat(sim.delays()).isEmpty();
  }

  @Test
  @DisplayName("no case matches: the default is taken and matchedCase is null")
  void defaultHasNullCase() {
    Simulation sim = simulate(orderFlow(), new JsonObject(), new JsonObject()
      .put("validate", output(new JsonObject().put("isValid", false)))
      .put("reject", output("rejected")));

    assertThat(sim.status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(sim.executedSteps()).containsExactly("validate", "check-result", "reject");
    assertThat(sim.decisions()).containsExactly(decision("check-result", null, "reject"));
    assertThat(sim.stepOutputs().getValue("reject")).isEqualTo("rejected");
  }

  @Test
  @DisplayName("no case and no default: failed with no_matching_case, the decision listed with both fields null")
  void noMatchingCase() {
    JsonArray steps = new JsonArray()
      .add(decisionStep("route", null, kase("input.tier", "eq", "gold", "gold")))
      .add(compute("gold", null));

    Simulation sim = simulate(steps, new JsonObject().put("tier", "bronze"), new JsonObject());

    assertThat(sim.status()).isEqualTo(RunStatus.FAILED);
    assertThat(sim.executedSteps()).containsExactly("route");
    assertThat(sim.decisions()).containsExactly(decision("route", null, null));
    assertThat(sim.errors()).containsExactly(error("route", "no_matching_case",
      "no case matched and the step has no defaultNextStepId", 1));
  }

  @Test
  @DisplayName("a loop consumes one mock per execution; $context written by a step is what later conditions read")
  void loopConsumesOneMockPerExecutionAndContextFeedsConditions() {
    JsonArray steps = new JsonArray()
      .add(compute("poll", "check"))
      .add(decisionStep("check", "poll", kase("context.state", "eq", "done", "finish")))
      .add(compute("finish", null));
    JsonObject mocks = new JsonObject()
      .put("poll", new JsonArray()
        .add(output(new JsonObject().put("n", 1).put("$context", new JsonObject().put("state", "busy"))))
        .add(output(new JsonObject().put("n", 2)))
        .add(output(new JsonObject().put("n", 3).put("$context", new JsonObject().put("state", "done")))))
      .put("finish", output(new JsonObject()));

    Simulation sim = simulate(steps, new JsonObject(), mocks, new JsonObject().put("tenant", "t1"));

    assertThat(sim.status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(sim.executedSteps()).containsExactly("poll", "check", "poll", "check", "poll", "check", "finish");
    assertThat(sim.decisions()).containsExactly(decision("check", null, "poll"), decision("check", null, "poll"),
      decision("check", 0, "finish"));
    assertThat(sim.stepOutputs().getJsonObject("poll")).as("the latest output, without $context")
      .isEqualTo(new JsonObject().put("n", 3));
    assertThat(sim.context()).isEqualTo(new JsonObject().put("tenant", "t1").put("state", "done"));
  }

  @Test
  @DisplayName("a loop that runs out of mocks fails with no_mock on the execution that found none")
  void usedUpMocks() {
    JsonArray steps = new JsonArray()
      .add(compute("poll", "check"))
      .add(decisionStep("check", "poll", kase("steps.poll.output.ready", "eq", true, null)));

    Simulation sim = simulate(steps, new JsonObject(), new JsonObject().put("poll", new JsonArray()
      .add(output(new JsonObject().put("ready", false))).add(output(new JsonObject().put("ready", false)))));

    assertThat(sim.status()).isEqualTo(RunStatus.FAILED);
    assertThat(sim.executedSteps()).containsExactly("poll", "check", "poll", "check", "poll");
    assertThat(sim.errors()).containsExactly(error("poll", Simulator.NO_MOCK,
      "the 2 mocks of step 'poll' are used up (attempt 1)", 1));
  }

  @Test
  @DisplayName("a compute step without any mock fails the simulation with no_mock, whatever its retry policy")
  void missingMock() {
    JsonArray steps = new JsonArray().add(compute("charge", null).put("retry", new JsonObject().put("maxAttempts", 3)));

    Simulation sim = simulate(steps, new JsonObject(), new JsonObject());

    assertThat(sim.status()).isEqualTo(RunStatus.FAILED);
    assertThat(sim.executedSteps()).containsExactly("charge");
    assertThat(sim.errors()).containsExactly(error("charge", "no_mock", "step 'charge' has no mock (attempt 1)", 1));
  }

  @Test
  @DisplayName("with a retry policy, an error entry is one attempt and the next entry answers the retry")
  void retryConsumesOneEntryPerAttempt() {
    JsonArray steps = new JsonArray()
      .add(compute("charge", "done").put("retry", new JsonObject().put("maxAttempts", 3).put("backoffMs", 60000)))
      .add(compute("done", null));
    JsonObject mocks = new JsonObject()
      .put("charge", new JsonArray().add(failure("http_503", "busy")).add(failure("timeout", "slow"))
        .add(output(new JsonObject().put("charged", true))))
      .put("done", output(new JsonObject()));

    Simulation sim = simulate(steps, new JsonObject(), mocks);

    assertThat(sim.status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(sim.executedSteps()).as("a retried step is listed once, when it finishes").containsExactly("charge",
      "done");
    assertThat(sim.errors()).containsExactly(error("charge", "http_503", "busy", 1),
      error("charge", "timeout", "slow", 2));
    assertThat(sim.delays()).as("retry backoffs are not delay steps").isEmpty();
    assertThat(sim.stepOutputs().getJsonObject("charge")).isEqualTo(new JsonObject().put("charged", true));
  }

  @Test
  @DisplayName("attempts run out: the last error fails the run; a step without retry fails on its first error")
  void retriesRunOut() {
    JsonArray steps = new JsonArray()
      .add(compute("charge", "notify").put("retry", new JsonObject().put("maxAttempts", 2)))
      .add(compute("notify", null));

    Simulation retried = simulate(steps, new JsonObject(), new JsonObject()
      .put("charge", failure("http_500", "boom")));
    Simulation once = simulate(new JsonArray().add(compute("notify", null)), new JsonObject(), new JsonObject()
      .put("notify", new JsonArray().add(failure("http_500", "boom")).add(output(new JsonObject()))));

    assertThat(retried.status()).isEqualTo(RunStatus.FAILED);
    assertThat(retried.executedSteps()).containsExactly("charge");
    assertThat(retried.errors()).containsExactly(error("charge", "http_500", "boom", 1),
      error("charge", "http_500", "boom", 2));
    assertThat(once.status()).isEqualTo(RunStatus.FAILED);
    assertThat(once.errors()).containsExactly(error("notify", "http_500", "boom", 1));
  }

  @Test
  @DisplayName("the step limit fails an endless loop with max_steps_exceeded, as a real run")
  void stepLimit() {
    JsonArray steps = new JsonArray()
      .add(compute("spin", "again"))
      .add(decisionStep("again", "spin"));

    Simulation sim = new Simulator(CLOCK, 5).run(def(steps), new JsonObject(), new JsonObject(),
      mocks(new JsonObject().put("spin", output(new JsonObject()))));

    assertThat(sim.status()).isEqualTo(RunStatus.FAILED);
    assertThat(sim.executedSteps()).containsExactly("spin", "again", "spin", "again", "spin");
    assertThat(sim.errors()).containsExactly(error("again", "max_steps_exceeded",
      "the run executed 5 steps, the limit is 5", 1));
  }

  @Test
  @DisplayName("delays are listed with their delayMs and not waited; a delay may end the run")
  void delaysListedNotWaited() {
    JsonArray steps = new JsonArray()
      .add(new JsonObject().put("id", "wait").put("type", "delay").put("delayMs", 86_400_000L).put("nextStepId", "go"))
      .add(compute("go", "cool-off"))
      .add(new JsonObject().put("id", "cool-off").put("type", "delay").put("delayMs", 1000));
    long started = System.nanoTime();

    Simulation sim = simulate(steps, new JsonObject(), new JsonObject().put("go", output(new JsonObject())));

    assertThat(System.nanoTime() - started).isLessThan(1_000_000_000L);
    assertThat(sim.status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(sim.executedSteps()).containsExactly("wait", "go", "cool-off");
    assertThat(sim.delays()).containsExactly(new JsonObject().put("stepId", "wait").put("delayMs", 86_400_000L),
      new JsonObject().put("stepId", "cool-off").put("delayMs", 1000L));
  }

  @Test
  @DisplayName("a $context that is not an object is an ordinary output field; input and the initial context are read")
  void contextRuleAndInput() {
    JsonArray steps = new JsonArray()
      .add(compute("a", "route"))
      .add(decisionStep("route", null, kase("input.amount", "gt", 100, "big"),
        kase("context.region", "eq", "eu", "eu")))
      .add(compute("big", null))
      .add(compute("eu", null));

    Simulation sim = simulate(steps, new JsonObject().put("amount", 50), new JsonObject()
        .put("a", output(new JsonObject().put("$context", "not an object")))
        .put("eu", output(new JsonArray().add(1))),
      new JsonObject().put("region", "eu"));

    assertThat(sim.stepOutputs()).isEqualTo(new JsonObject()
      .put("a", new JsonObject().put("$context", "not an object")).put("eu", new JsonArray().add(1)));
    assertThat(sim.context()).isEqualTo(new JsonObject().put("region", "eu"));
    assertThat(sim.decisions()).containsExactly(decision("route", 1, "eu"));
  }

  @Test
  @DisplayName("the README's unsaved example: two polls a delay apart, then the report fails on its only attempt")
  void readmeLoopExample() {
    JsonArray steps = new JsonArray()
      .add(compute("poll", "check"))
      .add(decisionStep("check", "wait", kase("context.state", "eq", "done", "report")))
      .add(new JsonObject().put("id", "wait").put("type", "delay").put("delayMs", 3_600_000).put("nextStepId", "poll"))
      .add(compute("report", null));

    Simulation sim = simulate(steps, new JsonObject(), new JsonObject()
      .put("poll", new JsonArray().add(output(new JsonObject().put("n", 1)))
        .add(output(new JsonObject().put("n", 2).put("$context", new JsonObject().put("state", "done")))))
      .put("report", failure("http_500", "down")));

    assertThat(sim.toJson()).isEqualTo(new JsonObject().put("status", "failed")
      .put("executedSteps", new JsonArray().add("poll").add("check").add("wait").add("poll").add("check").add("report"))
      .put("stepOutputs", new JsonObject().put("poll", new JsonObject().put("n", 2)))
      .put("context", new JsonObject().put("state", "done"))
      .put("errors", new JsonArray().add(error("report", "http_500", "down", 1)))
      .put("decisions", new JsonArray().add(decision("check", null, "wait")).add(decision("check", 0, "report")))
      .put("delays", new JsonArray().add(new JsonObject().put("stepId", "wait").put("delayMs", 3_600_000L))));
  }

  @Test
  @DisplayName("mocks for unknown, decision or delay steps and malformed entries are reported under mocks.<stepId>")
  void mockProblems() {
    Problems problems = new Problems();
    Mocks.parse(new JsonObject()
      .put("ghost", output(1))
      .put("check-result", output(1))
      .put("validate", new JsonArray().add(new JsonObject()).add(output(1).put("error", new JsonObject()))
        .add(new JsonObject().put("error", new JsonObject().put("message", "no code"))).add("text"))
      .put("fulfill", 42), def(orderFlow()), problems);

    assertThat(problems.toList()).extracting(FieldError::field).containsExactly("mocks.ghost", "mocks.check-result",
      "mocks.validate[0]", "mocks.validate[1]", "mocks.validate[2].error.code", "mocks.validate[3]", "mocks.fulfill");
    assertThat(problems.toList().get(1).message()).contains("decision step");
  }

  private Simulation simulate(JsonArray steps, JsonObject input, JsonObject mocks) {
    return simulate(steps, input, mocks, new JsonObject());
  }

  private Simulation simulate(JsonArray steps, JsonObject input, JsonObject mocks, JsonObject context) {
    return simulator.run(def(steps), input, context, mocks(mocks));
  }

  private static ExecutableOrchestration def(JsonArray steps) {
    return ExecutableOrchestration.of("orch_test", "ws", 1, steps);
  }

  private static Mocks mocks(JsonObject json) {
    Problems problems = new Problems();
    Mocks mocks = Mocks.parse(json, null, problems);
    assertThat(problems.toList()).isEmpty();
    return mocks;
  }

  private static JsonArray orderFlow() {
    return new JsonArray()
      .add(compute("validate", "check-result"))
      .add(decisionStep("check-result", "reject", kase("steps.validate.output.isValid", "eq", true, "fulfill")))
      .add(compute("fulfill", null))
      .add(compute("reject", null));
  }

  private static JsonObject compute(String id, String next) {
    return new JsonObject().put("id", id).put("type", "compute").put("functionId", "func_" + id)
      .put("nextStepId", next);
  }

  private static JsonObject decisionStep(String id, String defaultNext, JsonObject... cases) {
    JsonArray all = new JsonArray();
    for (JsonObject c : cases) {
      all.add(c);
    }
    return new JsonObject().put("id", id).put("type", "decision").put("cases", all)
      .put("defaultNextStepId", defaultNext);
  }

  private static JsonObject kase(String path, String op, Object value, String next) {
    return new JsonObject().put("conditions", new JsonArray().add(new JsonObject().put("path", path).put("op", op)
      .put("value", value))).put("nextStepId", next);
  }

  private static JsonObject output(Object output) {
    return new JsonObject().put("output", output);
  }

  private static JsonObject failure(String code, String message) {
    return new JsonObject().put("error", new JsonObject().put("code", code).put("message", message));
  }

  private static JsonObject decision(String stepId, Integer matchedCase, String next) {
    return new JsonObject().put("stepId", stepId).put("matchedCase", matchedCase).put("nextStepId", next);
  }

  private static JsonObject error(String stepId, String code, String message, int attempt) {
    return new JsonObject().put("stepId", stepId).put("code", code).put("message", message).put("attempt", attempt)
      .put("at", "2026-12-07T10:00:00.000Z");
  }
}
