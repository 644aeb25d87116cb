package io.orchestrator.runs;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A run's event sequence and timeline, on every run store. */
public abstract class ProgressContract<S extends RunRecords & RunQueue & RunArchive> extends RunStoreContract<S> {

  private static final Duration DELAY = Duration.ofSeconds(5);

  @Test
  @DisplayName("every visible change moves the sequence on: create, claim, advance, park, wake, retry, finish")
  void sequenceGrowsWithEveryChange() throws Exception {
    await(store.create(newRun("run_1")));
    assertThat(seq("run_1")).isEqualTo(1);
    Run run = await(claimDue(1, LEASE)).runs().get(0);
    assertThat(run.seq()).isEqualTo(2);
    await(store.advance("run_1", run.fence(), new StepRecord("validate", null, null), "wait", LEASE));
    assertThat(seq("run_1")).isEqualTo(3);
    await(store.park("run_1", run.fence(), "wait", "notify", DELAY));
    assertThat(seq("run_1")).isEqualTo(4);
    clock.advance(DELAY);
    Run woken = await(claimDue(1, LEASE)).runs().get(0);
    assertThat(woken.seq()).isEqualTo(5);
    await(store.retryStep("run_1", woken.fence(), new StepError("notify", "http_500", "x", 1), Duration.ZERO));
    assertThat(seq("run_1")).isEqualTo(6);
    Run again = await(claimDue(1, LEASE)).runs().get(0);
    await(store.extendLease("run_1", again.fence(), LEASE));
    assertThat(seq("run_1")).as("a lease renewal is no visible change").isEqualTo(7);
    await(store.finish("run_1", again.fence(), RunStatus.COMPLETED, new StepRecord("notify", null, null), null));
    assertThat(seq("run_1")).isEqualTo(8);
  }

  @Test
  @DisplayName("the timeline: each step from its start (first attempt) to its end, a delay's wait, the outcome")
  void timelineRecordsEachStep() throws Exception {
    await(store.create(newRun("run_1")));
    clock.advance(Duration.ofMillis(10));
    Run run = await(claimDue(1, LEASE)).runs().get(0);
    assertThat(run.stepAt()).isEqualTo(T0.toEpochMilli() + 10);
    clock.advance(Duration.ofMillis(5));
    await(store.advance("run_1", run.fence(), new StepRecord("validate", new JsonObject(), null), "call", LEASE));
    clock.advance(Duration.ofMillis(5));
    await(store.retryStep("run_1", run.fence(), new StepError("call", "http_500", "x", 1), Duration.ofMillis(100)));
    clock.advance(Duration.ofMillis(100));
    Run retried = await(claimDue(1, LEASE)).runs().get(0);
    clock.advance(Duration.ofMillis(20));
    await(store.advance("run_1", retried.fence(), new StepRecord("call", null, null), "wait", LEASE));
    await(store.park("run_1", retried.fence(), "wait", "notify", DELAY));
    Run waiting = await(store.get("run_1")).orElseThrow();
    assertThat(waiting.stepAt()).isEqualTo(T0.toEpochMilli() + 140);
    clock.advance(DELAY);
    Run woken = await(claimDue(1, LEASE)).runs().get(0);
    clock.advance(Duration.ofMillis(7));
    await(store.finish("run_1", woken.fence(), RunStatus.FAILED, new StepRecord("notify", null, null),
      new StepError("notify", "http_500", "x", 1)));

    long t0 = T0.toEpochMilli();
    assertThat(await(store.get("run_1")).orElseThrow().timeline()).isEqualTo(new JsonArray()
      .add(entry("validate", t0 + 10, t0 + 15, "c"))
      .add(entry("call", t0 + 15, t0 + 140, "c"))
      .add(entry("wait", t0 + 140, t0 + 5140, "w"))
      .add(entry("notify", t0 + 5140, t0 + 5147, "f")));
  }

  @Test
  @DisplayName("advance of a step and the decisions after it: one change, every step recorded in order, the last context kept")
  void advanceRecordsSeveralSteps() throws Exception {
    await(store.create(newRun("run_1")));
    Run run = await(claimDue(1, LEASE)).runs().get(0);
    clock.advance(Duration.ofMillis(12));
    List<StepRecord> steps = List.of(
      new StepRecord("validate", new JsonObject().put("ok", true), new JsonObject().put("region", "us")),
      new StepRecord("check", null, null),
      new StepRecord("route", null, new JsonObject().put("region", "eu")));

    assertThat(await(store.advance("run_1", run.fence(), steps, "fulfill", LEASE))).isEqualTo(TransitionResult.OK);

    Run advanced = await(store.get("run_1")).orElseThrow();
    long t0 = T0.toEpochMilli();
    assertThat(advanced.seq()).as("one visible change for the three steps").isEqualTo(run.seq() + 1);
    assertThat(advanced.executedSteps()).isEqualTo(new JsonArray().add("validate").add("check").add("route"));
    assertThat(advanced.stepCount()).isEqualTo(3);
    assertThat(advanced.stepOutputs()).isEqualTo(new JsonObject().put("validate", new JsonObject().put("ok", true)));
    assertThat(advanced.context()).isEqualTo(new JsonObject().put("region", "eu"));
    assertThat(advanced.currentStepId()).isEqualTo("fulfill");
    assertThat(advanced.cursor()).isEqualTo("fulfill");
    assertThat(advanced.stepAt()).isEqualTo(t0 + 12);
    assertThat(advanced.timeline()).isEqualTo(new JsonArray()
      .add(entry("validate", t0, t0 + 12, "c")).add(entry("check", t0 + 12, t0 + 12, "c"))
      .add(entry("route", t0 + 12, t0 + 12, "c")));
  }

  @Test
  @DisplayName("finish after a step and a decision that failed the run: both recorded, the decision failed, the error kept")
  void finishRecordsSeveralSteps() throws Exception {
    await(store.create(newRun("run_1")));
    Run run = await(claimDue(1, LEASE)).runs().get(0);
    clock.advance(Duration.ofMillis(8));
    List<StepRecord> steps = List.of(new StepRecord("validate", new JsonArray().add(1), null),
      new StepRecord("check", null, null));
    StepError noMatch = new StepError("check", "no_matching_case", "no case matched", 1);

    assertThat(await(store.finishAfter("run_1", run.fence(), RunStatus.FAILED, steps, noMatch)))
      .isEqualTo(TransitionResult.OK);

    Run failed = await(store.get("run_1")).orElseThrow();
    long t0 = T0.toEpochMilli();
    assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
    assertThat(failed.seq()).isEqualTo(run.seq() + 1);
    assertThat(failed.executedSteps()).isEqualTo(new JsonArray().add("validate").add("check"));
    assertThat(failed.stepCount()).isEqualTo(2);
    assertThat(failed.stepOutputs()).isEqualTo(new JsonObject().put("validate", new JsonArray().add(1)));
    assertThat(failed.timeline()).isEqualTo(new JsonArray()
      .add(entry("validate", t0, t0 + 8, "c")).add(entry("check", t0 + 8, t0 + 8, "f")));
    assertThat(failed.errors()).hasSize(1);
    assertThat(failed.errors().getJsonObject(0).getString("code")).isEqualTo("no_matching_case");
    assertThat(failed.hasErrors()).isTrue();
  }

  @Test
  @DisplayName("cancelling a waiting run ends its wait in the timeline; a pending run has nothing to end")
  void cancelEndsTheCurrentStep() throws Exception {
    parked("run_1", "notify", DELAY);
    created("run_2");
    clock.advance(Duration.ofSeconds(1));
    cancel("run_1");
    cancel("run_2");

    long t0 = T0.toEpochMilli();
    assertThat(await(store.get("run_1")).orElseThrow().timeline())
      .isEqualTo(new JsonArray().add(entry("wait", t0, t0 + 1000, "x")));
    assertThat(await(store.get("run_2")).orElseThrow().timeline()).isEmpty();
  }

  @Test
  @DisplayName("a run completed as it wakes from its last delay records the wait")
  void completedOnWakeRecordsTheWait() throws Exception {
    parked("run_1", null, DELAY);
    clock.advance(DELAY);
    await(claimDue(1, LEASE));

    Run done = await(store.get("run_1")).orElseThrow();
    long t0 = T0.toEpochMilli();
    assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(done.timeline()).isEqualTo(new JsonArray().add(entry("wait", t0, t0 + 5000, "w")));
    assertThat(done.seq()).isEqualTo(4);
  }

  private long seq(String runId) throws Exception {
    return await(store.get(runId)).orElseThrow().seq();
  }

  private static JsonArray entry(String stepId, long start, long end, String outcome) {
    return new JsonArray().add(stepId).add(start).add(end).add(outcome);
  }
}
