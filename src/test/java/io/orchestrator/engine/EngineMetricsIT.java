package io.orchestrator.engine;

import static io.orchestrator.engine.RunTestSupport.awaitFinished;
import static io.orchestrator.engine.RunTestSupport.compute;
import static io.orchestrator.engine.RunTestSupport.condition;
import static io.orchestrator.engine.RunTestSupport.createOrchestration;
import static io.orchestrator.engine.RunTestSupport.decision;
import static io.orchestrator.engine.RunTestSupport.delay;
import static io.orchestrator.engine.RunTestSupport.pause;
import static io.orchestrator.engine.RunTestSupport.trigger;
import static io.orchestrator.engine.RunTestSupport.when;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.fixtures.FunctionServer.Answer;
import io.orchestrator.fixtures.SharedApp;
import io.orchestrator.fixtures.TestApp;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The engine's meters on GET /metrics count what the runs actually did. */
@SharedApp.Config(own = true) // process-wide meters: no other class's runs may move them
class EngineMetricsIT extends EngineIntegrationBase {

  private static final Pattern SAMPLE = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{[^}]*})?) (\\S+)$");

  private static final String STARTED = "orchestrator_runs_started_total{triggerType=\"manual\"}";
  private static final String COMPLETED = "orchestrator_runs_finished_total{status=\"completed\"}";
  private static final String FAILED = "orchestrator_runs_finished_total{status=\"failed\"}";
  private static final String CANCELLED = "orchestrator_runs_finished_total{status=\"cancelled\"}";
  private static final String COMPUTE_STEPS = "orchestrator_step_duration_seconds_count{type=\"compute\"}";
  private static final String DECISION_STEPS = "orchestrator_step_duration_seconds_count{type=\"decision\"}";
  private static final String DELAY_STEPS = "orchestrator_step_duration_seconds_count{type=\"delay\"}";
  private static final String WAKE_UPS = "orchestrator_wakeup_lateness_seconds_count";

  private static Map<String, Double> scrape() {
    String text = TestApp.await(app.http.get("/metrics").send()).bodyAsString();
    Map<String, Double> samples = new HashMap<>();
    Matcher m = SAMPLE.matcher(text);
    while (m.find()) {
      samples.put(m.group(1), Double.parseDouble(m.group(2)));
    }
    return samples;
  }

  private static double delta(Map<String, Double> before, Map<String, Double> after, String sample) {
    return after.getOrDefault(sample, 0.0) - before.getOrDefault(sample, 0.0);
  }

  /** Meters move when the worker has seen the store's answer, a moment after the run reads as finished: poll. */
  private static Map<String, Double> scrapeUntil(Map<String, Double> before, String sample, double expected) {
    long deadline = System.nanoTime() + 5_000_000_000L;
    Map<String, Double> after = scrape();
    while (delta(before, after, sample) < expected && System.nanoTime() < deadline) {
      pause();
      after = scrape();
    }
    return after;
  }

  @Test
  @DisplayName("runs started and finished by status, step durations by type, wake-up lateness and queue gauges")
  void meteredRuns() {
    functions.script(fn("ok")).always(Answer.json(new JsonObject().put("ok", true)));
    functions.script(fn("broken")).always(Answer.status(500, new JsonObject().put("error", "down")));
    String waits = createOrchestration(client, "metered-wait",
      compute("call", function("ok"), "route"),
      decision("route", "wait", when("wait", condition("steps.call.output.ok", "eq", true))),
      delay("wait", 200, null));
    String breaks = createOrchestration(client, "metered-broken", compute("call", function("broken"), null));
    String parks = createOrchestration(client, "metered-park", delay("long", 60_000, null));
    Map<String, Double> before = scrape();

    String first = trigger(client, waits, new JsonObject());
    String second = trigger(client, waits, new JsonObject());
    String broken = trigger(client, breaks, new JsonObject());
    String parked = trigger(client, parks, new JsonObject());
    assertThat(awaitFinished(client, waits, first).getString("status")).isEqualTo("completed");
    assertThat(awaitFinished(client, waits, second).getString("status")).isEqualTo("completed");
    assertThat(awaitFinished(client, breaks, broken).getString("status")).isEqualTo("failed");
    RunTestSupport.awaitStatus(client, parks, parked, "waiting");
    assertThat(client.post("/orchestrations/" + parks + "/runs/" + parked + "/cancel", new JsonObject()).status())
      .isEqualTo(200);
    Map<String, Double> after = scrapeUntil(before, COMPLETED, 2);

    assertThat(delta(before, after, STARTED)).isEqualTo(4);
    assertThat(delta(before, after, COMPLETED)).as("two delays that ended their runs, completed on waking")
      .isEqualTo(2);
    assertThat(delta(before, after, FAILED)).isEqualTo(1);
    assertThat(delta(before, after, CANCELLED)).isEqualTo(1);
    assertThat(delta(before, after, COMPUTE_STEPS)).isEqualTo(3);
    assertThat(delta(before, after, DECISION_STEPS)).isEqualTo(2);
    assertThat(delta(before, after, DELAY_STEPS)).isEqualTo(3);
    assertThat(delta(before, after, WAKE_UPS)).as("the two delays completed on waking; new runs wake nothing")
      .isEqualTo(2);
    assertThat(after).containsKeys("orchestrator_queue_ready", "orchestrator_queue_timers",
      "orchestrator_queue_leases", "orchestrator_queue_unarchived");
  }
}
