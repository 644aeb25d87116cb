package io.orchestrator.runs;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Parking on a delay, retrying a step after a backoff and finishing a run, with each rejection's answer. */
public abstract class ParkRetryFinishContract<S extends RunRecords & RunQueue & RunArchive>
  extends RunStoreContract<S> {

  private static final Duration DELAY = Duration.ofMinutes(5);
  private static final StepError HTTP_500 = new StepError("validate", "http_500", "upstream failed", 1);

  @Test
  @DisplayName("park makes the run waiting on the delay step, releases the lease and sets a timer at now + delay")
  void parkOk() throws Exception {
    Run run = claimed("run_1");

    assertThat(await(store.park("run_1", run.fence(), "wait", "notify", DELAY))).isEqualTo(TransitionResult.OK);

    Run after = await(store.get("run_1")).orElseThrow();
    assertThat(after.status()).isEqualTo(RunStatus.WAITING);
    assertThat(after.currentStepId()).isEqualTo("wait");
    assertThat(after.cursor()).isEqualTo("notify");
    assertThat(after.delayStepCount()).isEqualTo(1);
    assertThat(after.executedSteps()).isEqualTo(new JsonArray().add("wait"));
    assertThat(await(store.queueDepths())).isEqualTo(new QueueDepths(0, 1, 0, 0));
    assertThat(await(claimDue(0, LEASE)).nextTimerDue()).contains(T0.plus(DELAY).toEpochMilli());
    assertThat(await(store.listIds(WS, ORCH, RunFilter.of(RunStatus.WAITING), 0, 10)).ids()).containsExactly("run_1");
    assertThat(await(store.extendLease("run_1", run.fence(), LEASE))).isEqualTo(TransitionResult.NOT_RUNNING);
  }

  @Test
  @DisplayName("park with an old fence is stale, of a cancelled run not running, of an unknown run not found")
  void parkRejections() throws Exception {
    Run run = claimed("run_1");

    assertThat(await(store.park("run_1", run.fence() - 1, "wait", "n", DELAY))).isEqualTo(TransitionResult.STALE);
    cancel("run_1");
    assertThat(await(store.park("run_1", run.fence(), "wait", "n", DELAY))).isEqualTo(TransitionResult.NOT_RUNNING);
    assertThat(await(store.park("run_missing", 1, "wait", "n", DELAY))).isEqualTo(TransitionResult.NOT_FOUND);
  }

  @Test
  @DisplayName("retryStep records the failed attempt, bumps the attempt and re-runs the step after the backoff")
  void retryOk() throws Exception {
    Run run = claimed("run_1");

    TransitionResult result = await(store.retryStep("run_1", run.fence(), HTTP_500, Duration.ofSeconds(2)));

    assertThat(result).isEqualTo(TransitionResult.OK);
    Run after = await(store.get("run_1")).orElseThrow();
    assertThat(after.status()).isEqualTo(RunStatus.RUNNING);
    assertThat(after.attempt()).isEqualTo(2);
    assertThat(after.hasErrors()).isTrue();
    assertThat(after.errors()).isEqualTo(new JsonArray().add(new JsonObject().put("stepId", "validate")
      .put("code", "http_500").put("message", "upstream failed").put("attempt", 1)
      .put("at", "2025-01-15T10:00:00.000Z")));
    assertThat(await(store.queueDepths())).isEqualTo(new QueueDepths(0, 1, 0, 0));
    clock.advance(Duration.ofSeconds(2));
    Run retried = await(claimDue(1, LEASE)).runs().get(0);
    assertThat(retried.cursor()).isEqualTo("validate");
    assertThat(retried.attempt()).isEqualTo(2);
  }

  @Test
  @DisplayName("after retryStep released the lease, the same fence can no longer write")
  void retryReleasesLease() throws Exception {
    Run run = claimed("run_1");
    await(store.retryStep("run_1", run.fence(), HTTP_500, Duration.ofSeconds(2)));

    StepRecord step = new StepRecord("validate", null, null);
    assertThat(await(store.advance("run_1", run.fence(), step, "next", LEASE))).isEqualTo(TransitionResult.STALE);
    assertThat(await(store.retryStep("run_1", run.fence(), HTTP_500, DELAY))).isEqualTo(TransitionResult.STALE);
  }

  @Test
  @DisplayName("retryStep with an old fence is stale, of a cancelled run not running, of an unknown run not found")
  void retryRejections() throws Exception {
    Run run = claimed("run_1");
    Duration backoff = Duration.ofSeconds(1);

    assertThat(await(store.retryStep("run_1", run.fence() + 1, HTTP_500, backoff))).isEqualTo(TransitionResult.STALE);
    cancel("run_1");
    assertThat(await(store.retryStep("run_1", run.fence(), HTTP_500, backoff)))
      .isEqualTo(TransitionResult.NOT_RUNNING);
    assertThat(await(store.retryStep("run_missing", 1, HTTP_500, backoff))).isEqualTo(TransitionResult.NOT_FOUND);
  }

  @Test
  @DisplayName("finish as completed records the last step, clears currentStepId and queues the history write")
  void finishCompleted() throws Exception {
    Run run = claimed("run_1");
    clock.advance(Duration.ofSeconds(15));
    StepRecord last = new StepRecord("validate", new JsonObject().put("ok", true), null);

    assertThat(await(store.finish("run_1", run.fence(), RunStatus.COMPLETED, last, null)))
      .isEqualTo(TransitionResult.OK);

    Run after = await(store.get("run_1")).orElseThrow();
    assertThat(after.status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(after.completedAt()).isEqualTo(T0.plusSeconds(15));
    assertThat(after.currentStepId()).isNull();
    assertThat(after.hasErrors()).isFalse();
    assertThat(after.stepOutputs()).isEqualTo(new JsonObject().put("validate", new JsonObject().put("ok", true)));
    assertThat(await(store.queueDepths())).isEqualTo(new QueueDepths(0, 0, 0, 1));
    assertThat(await(store.listIds(WS, ORCH, RunFilter.of(RunStatus.COMPLETED), 0, 10)).ids()).containsExactly("run_1");
    assertThat(await(store.listIds(WS, ORCH, RunFilter.of(RunStatus.RUNNING), 0, 10)).total()).isZero();
  }

  @Test
  @DisplayName("finish as failed sets hasErrors and appends the final error")
  void finishFailed() throws Exception {
    Run run = claimed("run_1");
    StepError last = new StepError("validate", "http_500", "gave up", 3);

    assertThat(await(store.finish("run_1", run.fence(), RunStatus.FAILED, null, last))).isEqualTo(TransitionResult.OK);

    Run after = await(store.get("run_1")).orElseThrow();
    assertThat(after.status()).isEqualTo(RunStatus.FAILED);
    assertThat(after.hasErrors()).isTrue();
    assertThat(after.errors().getJsonObject(0).getInteger("attempt")).isEqualTo(3);
    assertThat(after.executedSteps()).isEqualTo(new JsonArray());
  }

  @Test
  @DisplayName("finish with an old fence is stale, a second finish not running, of an unknown run not found")
  void finishRejections() throws Exception {
    Run run = claimed("run_1");

    assertThat(await(store.finish("run_1", run.fence() - 1, RunStatus.COMPLETED, null, null)))
      .isEqualTo(TransitionResult.STALE);
    await(store.finish("run_1", run.fence(), RunStatus.COMPLETED, null, null));
    assertThat(await(store.finish("run_1", run.fence(), RunStatus.FAILED, null, null)))
      .isEqualTo(TransitionResult.NOT_RUNNING);
    assertThat(await(store.finish("run_missing", 1, RunStatus.COMPLETED, null, null)))
      .isEqualTo(TransitionResult.NOT_FOUND);
  }

  @Test
  @DisplayName("finish with a non-final status fails the future and changes nothing")
  void finishRejectsNonFinalStatus() throws Exception {
    Run run = claimed("run_1");

    assertThat(store.finish("run_1", run.fence(), RunStatus.WAITING, null, null).failed()).isTrue();
    assertThat(await(store.get("run_1")).orElseThrow()).isEqualTo(run);
  }
}
