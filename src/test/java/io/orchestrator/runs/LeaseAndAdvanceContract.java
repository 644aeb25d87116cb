package io.orchestrator.runs;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Lease renewal, release and advance of a held run: fencing tokens, held leases and the answers of each rejection. */
public abstract class LeaseAndAdvanceContract<S extends RunRecords & RunQueue & RunArchive>
  extends RunStoreContract<S> {

  private static final StepRecord VALIDATED =
    new StepRecord("validate", new JsonObject().put("isValid", true), new JsonObject().put("region", "us"));

  @Test
  @DisplayName("extendLease with the current fence renews the lease from now")
  void extendLeaseOk() throws Exception {
    Run run = claimed("run_1");
    clock.advance(Duration.ofSeconds(10));

    assertThat(await(store.extendLease("run_1", run.fence(), LEASE))).isEqualTo(TransitionResult.OK);
    assertThat(probe().leaseExpiry("run_1")).contains(T0.plusSeconds(10).plus(LEASE));
  }

  @Test
  @DisplayName("extendLease with an old fence is stale")
  void extendLeaseStale() throws Exception {
    Run run = claimed("run_1");

    assertThat(await(store.extendLease("run_1", run.fence() - 1, LEASE))).isEqualTo(TransitionResult.STALE);
  }

  @Test
  @DisplayName("extendLease of a run cancelled meanwhile is not running")
  void extendLeaseNotRunning() throws Exception {
    Run run = claimed("run_1");
    cancel("run_1");

    assertThat(await(store.extendLease("run_1", run.fence(), LEASE))).isEqualTo(TransitionResult.NOT_RUNNING);
  }

  @Test
  @DisplayName("extendLease of an unknown run is not found")
  void extendLeaseNotFound() throws Exception {
    assertThat(await(store.extendLease("run_missing", 1, LEASE))).isEqualTo(TransitionResult.NOT_FOUND);
  }

  @Test
  @DisplayName("release gives the run back at once: no lease, a new fence, ready now, resumed at its cursor step")
  void releaseOk() throws Exception {
    Run run = claimed("run_1");
    await(store.advance("run_1", run.fence(), VALIDATED, "check", LEASE));
    clock.advance(Duration.ofSeconds(3));

    assertThat(await(store.release("run_1", run.fence()))).isEqualTo(TransitionResult.OK);

    assertThat(probe().leaseExpiry("run_1")).isEmpty();
    assertThat(probe().readySince("run_1")).contains(T0.plusSeconds(3));
    Run released = await(store.get("run_1")).orElseThrow();
    assertThat(released.status()).isEqualTo(RunStatus.RUNNING);
    assertThat(released.fence()).isEqualTo(run.fence() + 1);
    assertThat(await(store.advance("run_1", run.fence(), VALIDATED, "check", LEASE)))
      .isEqualTo(TransitionResult.STALE);
    Run resumed = await(claimDue(1, LEASE)).runs().get(0);
    assertThat(resumed.currentStepId()).isEqualTo("check");
    assertThat(resumed.executedSteps()).containsExactly("validate");
    assertThat(resumed.fence()).isEqualTo(run.fence() + 2);
  }

  @Test
  @DisplayName("release with an old fence is stale and changes nothing")
  void releaseStale() throws Exception {
    Run run = claimed("run_1");

    assertThat(await(store.release("run_1", run.fence() - 1))).isEqualTo(TransitionResult.STALE);
    assertThat(probe().leaseExpiry("run_1")).isPresent();
    assertThat(await(store.get("run_1")).orElseThrow().fence()).isEqualTo(run.fence());
  }

  @Test
  @DisplayName("release by a worker that no longer holds the lease (a retry backoff released it) is stale")
  void releaseWithoutLease() throws Exception {
    Run run = claimed("run_1");
    await(store.retryStep("run_1", run.fence(), new StepError("validate", "http_500", "boom", 1),
      Duration.ofSeconds(5)));

    assertThat(await(store.release("run_1", run.fence()))).isEqualTo(TransitionResult.STALE);
    assertThat(probe().readySince("run_1")).isEmpty();
    assertThat(probe().timerDue("run_1")).isPresent();
  }

  @Test
  @DisplayName("release of a run cancelled meanwhile is not running and does not requeue it")
  void releaseNotRunning() throws Exception {
    Run run = claimed("run_1");
    cancel("run_1");

    assertThat(await(store.release("run_1", run.fence()))).isEqualTo(TransitionResult.NOT_RUNNING);
    assertThat(probe().readySince("run_1")).isEmpty();
  }

  @Test
  @DisplayName("release of an unknown run is not found")
  void releaseNotFound() throws Exception {
    assertThat(await(store.release("run_missing", 1))).isEqualTo(TransitionResult.NOT_FOUND);
  }

  @Test
  @DisplayName("advance records the step, its output and the context, moves the cursor and renews the lease")
  void advanceOk() throws Exception {
    Run run = claimed("run_1");
    clock.advance(Duration.ofSeconds(1));

    assertThat(await(store.advance("run_1", run.fence(), VALIDATED, "check", LEASE))).isEqualTo(TransitionResult.OK);

    Run after = await(store.get("run_1")).orElseThrow();
    assertThat(after.executedSteps()).isEqualTo(new JsonArray().add("validate"));
    assertThat(after.stepOutputs()).isEqualTo(new JsonObject().put("validate", new JsonObject().put("isValid", true)));
    assertThat(after.context()).isEqualTo(new JsonObject().put("region", "us"));
    assertThat(after.cursor()).isEqualTo("check");
    assertThat(after.currentStepId()).isEqualTo("check");
    assertThat(after.stepCount()).isEqualTo(1);
    assertThat(after.attempt()).isEqualTo(1);
    assertThat(after.fence()).isEqualTo(run.fence());
    assertThat(probe().leaseExpiry("run_1")).contains(T0.plusSeconds(1).plus(LEASE));
  }

  @Test
  @DisplayName("a step executed twice keeps its latest output; a step without output keeps the earlier one")
  void loopKeepsLatestOutput() throws Exception {
    Run run = claimed("run_1");
    long fence = run.fence();
    await(store.advance("run_1", fence, new StepRecord("poll", new JsonObject().put("n", 1), null), "check", LEASE));
    await(store.advance("run_1", fence, new StepRecord("check", null, null), "poll", LEASE));
    await(store.advance("run_1", fence, new StepRecord("poll", new JsonArray().add(2), null), "check", LEASE));
    await(store.advance("run_1", fence, new StepRecord("check", null, null), "done", LEASE));

    Run after = await(store.get("run_1")).orElseThrow();
    assertThat(after.executedSteps()).isEqualTo(new JsonArray().add("poll").add("check").add("poll").add("check"));
    assertThat(after.stepOutputs()).isEqualTo(new JsonObject().put("poll", new JsonArray().add(2)));
    assertThat(after.stepCount()).isEqualTo(4);
    assertThat(after.context()).isEqualTo(new JsonObject().put("region", "eu"));
  }

  @Test
  @DisplayName("advance with an old fence is stale and changes nothing")
  void advanceStale() throws Exception {
    Run run = claimed("run_1");

    TransitionResult result = await(store.advance("run_1", run.fence() + 1, VALIDATED, "check", LEASE));

    assertThat(result).isEqualTo(TransitionResult.STALE);
    assertThat(await(store.get("run_1")).orElseThrow()).isEqualTo(run);
  }

  @Test
  @DisplayName("advance of a run cancelled meanwhile is not running and changes nothing")
  void advanceNotRunning() throws Exception {
    Run run = claimed("run_1");
    cancel("run_1");

    TransitionResult result = await(store.advance("run_1", run.fence(), VALIDATED, "check", LEASE));

    assertThat(result).isEqualTo(TransitionResult.NOT_RUNNING);
    assertThat(await(store.get("run_1")).orElseThrow().executedSteps()).isEqualTo(new JsonArray());
  }

  @Test
  @DisplayName("advance of an unknown run is not found")
  void advanceNotFound() throws Exception {
    assertThat(await(store.advance("run_missing", 1, VALIDATED, "check", LEASE)))
      .isEqualTo(TransitionResult.NOT_FOUND);
  }
}
