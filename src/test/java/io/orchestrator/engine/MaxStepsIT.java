package io.orchestrator.engine;

import static io.orchestrator.engine.RunTestSupport.assertError;
import static io.orchestrator.engine.RunTestSupport.awaitStatus;
import static io.orchestrator.engine.RunTestSupport.compute;
import static io.orchestrator.engine.RunTestSupport.condition;
import static io.orchestrator.engine.RunTestSupport.createFunction;
import static io.orchestrator.engine.RunTestSupport.createOrchestration;
import static io.orchestrator.engine.RunTestSupport.decision;
import static io.orchestrator.engine.RunTestSupport.trigger;
import static io.orchestrator.engine.RunTestSupport.when;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.fixtures.FunctionServer;
import io.orchestrator.fixtures.FunctionServer.Answer;
import io.orchestrator.fixtures.SharedApp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The cycle guard: with {@code ORCH_MAX_STEPS_PER_RUN=20} a run that loops forever fails after 20 steps. */
@SharedApp.Config(value = "ORCH_MAX_STEPS_PER_RUN=20", own = true)
class MaxStepsIT extends EngineIntegrationBase {

  @Test
  @DisplayName("a decision looping back forever fails the run with max_steps_exceeded after the limit")
  void endlessLoopFails() {
    // the function counts its calls, so the loop's latest output is visible in stepOutputs
    functions.script(workspace).respond(call -> Answer.json(new JsonObject()
      .put("n", functions.calls(workspace).size())));
    String tick = createFunction(client, "tick", functions.url(workspace)).getString("id");
    String done = createFunction(client, "done", functions.url(workspace + "-done")).getString("id");
    String orch = createOrchestration(client, "forever",
      compute("tick", tick, "again"),
      decision("again", "tick", when("done", condition("input.stop", "eq", true))),
      compute("done", done, null));

    String runId = trigger(client, orch, new JsonObject().put("stop", false));
    JsonObject run = awaitStatus(client, orch, runId, "failed");

    assertThat(run.getBoolean("hasErrors")).isTrue();
    JsonArray errors = run.getJsonArray("errors");
    assertThat(errors).hasSize(1);
    assertError(errors.getJsonObject(0), "tick", "max_steps_exceeded", 1);
    JsonArray executed = run.getJsonArray("executedSteps");
    assertThat(executed).hasSize(20);
    for (int i = 0; i < 20; i++) {
      assertThat(executed.getString(i)).isEqualTo(i % 2 == 0 ? "tick" : "again");
    }
    assertThat(functions.calls(workspace)).hasSize(10);
    // each execution of the looping step is a new step execution: its own Idempotency-Key
    assertThat(functions.calls(workspace)).extracting(FunctionServer.Call::idempotencyKey).doesNotHaveDuplicates();
    // a step executed more than once keeps its latest output
    assertThat(run.getJsonObject("stepOutputs")).isEqualTo(new JsonObject()
      .put("tick", new JsonObject().put("n", 10)));
    assertThat(run.getValue("currentStepId")).isNull();
    assertThat(functions.calls(workspace + "-done")).isEmpty();
  }
}
