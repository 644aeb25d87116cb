package io.orchestrator.runs;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Claiming due runs: ready-queue order, timers taken (and their bound), completion on waking, lease requeue. */
public abstract class ClaimContract<S extends RunRecords & RunQueue & RunArchive>
  extends RunStoreContract<S> {

  @Test
  @DisplayName("a claim takes at most max runs, oldest first, and leaves the rest ready")
  void claimRespectsMaxOldestFirst() throws Exception {
    for (int i = 1; i <= 3; i++) {
      await(store.create(newRun("run_" + i)));
      clock.advance(Duration.ofMillis(1));
    }

    List<Run> first = await(claimDue(2, LEASE)).runs();
    List<Run> second = await(claimDue(2, LEASE)).runs();

    assertThat(first).extracting(Run::id).containsExactly("run_1", "run_2");
    assertThat(second).extracting(Run::id).containsExactly("run_3");
    assertThat(await(claimDue(2, LEASE)).runs()).isEmpty();
    assertThat(await(store.queueDepths())).isEqualTo(new QueueDepths(0, 0, 3, 0));
  }

  @Test
  @DisplayName("a claimed pending run is running on its entry step with a fencing token, a lease and moved index")
  void claimFlipsPendingToRunning() throws Exception {
    await(store.create(newRun("run_1")));

    Run run = await(claimDue(5, LEASE)).runs().get(0);

    assertThat(run.status()).isEqualTo(RunStatus.RUNNING);
    assertThat(run.currentStepId()).isEqualTo("validate");
    assertThat(run.fence()).isEqualTo(1);
    assertThat(run.dueAt()).as("claimed as created: no wake-up").isZero();
    assertThat(probe().leaseExpiry("run_1")).contains(T0.plus(LEASE));
    assertThat(await(store.listIds(WS, ORCH, RunFilter.of(RunStatus.RUNNING), 0, 10)).ids()).containsExactly("run_1");
    assertThat(await(store.listIds(WS, ORCH, RunFilter.of(RunStatus.PENDING), 0, 10)).total()).isZero();
    assertThat(await(store.get("run_1")).orElseThrow()).isEqualTo(run);
  }

  @Test
  @DisplayName("a timer not yet due is not claimed; once due it is")
  void claimHonoursDueTimes() throws Exception {
    await(store.create(newRun("run_1", WS, ORCH, T0.plusSeconds(10), null)));

    assertThat(await(claimDue(5, LEASE)).runs()).isEmpty();
    clock.advance(Duration.ofSeconds(9));
    assertThat(await(claimDue(5, LEASE)).runs()).isEmpty();
    clock.advance(Duration.ofSeconds(1));

    List<Run> claimed = await(claimDue(5, LEASE)).runs();
    assertThat(claimed).extracting(Run::id).containsExactly("run_1");
    assertThat(claimed.get(0).dueAt()).as("a delayed start is a wake-up").isEqualTo(T0.plusSeconds(10).toEpochMilli());
    assertThat(await(store.queueDepths())).isEqualTo(new QueueDepths(0, 0, 1, 0));
  }

  @Test
  @DisplayName("claiming a waiting run makes it running on its cursor step and moves its index entry")
  void claimWakesWaitingRun() throws Exception {
    Run run = claimed("run_1");
    await(store.park("run_1", run.fence(), "validate", "notify", Duration.ofSeconds(5)));
    assertThat(await(store.listIds(WS, ORCH, RunFilter.of(RunStatus.WAITING), 0, 10)).ids()).containsExactly("run_1");
    clock.advance(Duration.ofSeconds(5));

    Run woken = await(claimDue(5, LEASE)).runs().get(0);

    assertThat(woken.status()).isEqualTo(RunStatus.RUNNING);
    assertThat(woken.currentStepId()).isEqualTo("notify");
    assertThat(woken.cursor()).isEqualTo("notify");
    assertThat(woken.fence()).isEqualTo(run.fence() + 1);
    assertThat(woken.dueAt()).isEqualTo(T0.plusSeconds(5).toEpochMilli());
    assertThat(await(store.listIds(WS, ORCH, RunFilter.of(RunStatus.WAITING), 0, 10)).total()).isZero();
    assertThat(await(store.listIds(WS, ORCH, RunFilter.of(RunStatus.RUNNING), 0, 10)).ids()).containsExactly("run_1");
  }

  @Test
  @DisplayName("a run whose last step was a delay completes on waking, inside the claim, and is not handed out")
  void claimCompletesRunWithNothingLeftAfterItsDelay() throws Exception {
    Run run = claimed("run_1");
    await(store.park("run_1", run.fence(), "wait", null, Duration.ofSeconds(5)));
    long due = T0.plusSeconds(5).toEpochMilli();
    clock.advance(Duration.ofSeconds(5).plusMillis(7));

    DueClaim claim = await(claimDue(5, LEASE));

    assertThat(claim.runs()).isEmpty();
    assertThat(claim.completedOnWake()).containsExactly(due);
    assertThat(claim.timerBacklog()).isFalse();
    Run done = await(store.get("run_1")).orElseThrow();
    assertThat(done.status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(done.completedAt()).isEqualTo(clock.instant());
    assertThat(done.currentStepId()).isNull();
    assertThat(done.executedSteps()).containsExactly("wait");
    assertThat(done.delayStepCount()).isEqualTo(1);
    assertThat(done.dueAt()).isEqualTo(due);
    assertThat(done.hasErrors()).isFalse();
    assertThat(await(store.listIds(WS, ORCH, RunFilter.of(RunStatus.WAITING), 0, 10)).total()).isZero();
    assertThat(await(store.listIds(WS, ORCH, RunFilter.of(RunStatus.COMPLETED), 0, 10)).ids()).containsExactly("run_1");
    assertThat(await(store.queueDepths())).isEqualTo(new QueueDepths(0, 0, 0, 1));
    assertThat(await(store.finishedBatch(10))).extracting(HistoryRecord::id).containsExactly("run_1");
  }

  @Test
  @DisplayName("due runs with a step left are claimed while those without complete, in the same call")
  void claimSplitsDueRunsByWhatIsLeft() throws Exception {
    parked("run_last", null, Duration.ofSeconds(1));
    parked("run_more", "notify", Duration.ofSeconds(1));
    clock.advance(Duration.ofSeconds(1));

    DueClaim claim = await(claimDue(5, LEASE));

    assertThat(claim.runs()).extracting(Run::id).containsExactly("run_more");
    assertThat(claim.runs().get(0).currentStepId()).isEqualTo("notify");
    assertThat(claim.completedOnWake()).hasSize(1);
    assertThat(await(store.get("run_last")).orElseThrow().status()).isEqualTo(RunStatus.COMPLETED);
  }

  @Test
  @DisplayName("a claim takes at most 1,000 due timers and says when more are due; the next claim takes the rest")
  void claimBoundsDueTimersAndReportsBacklog() throws Exception {
    for (int i = 0; i < 1_001; i++) {
      await(store.create(newRun("run_" + i, WS, ORCH, T0.plusSeconds(1), null)));
    }
    clock.advance(Duration.ofSeconds(1));

    assertThat(await(claimDue(0, LEASE)).timerBacklog()).isTrue();
    assertThat(await(store.queueDepths())).isEqualTo(new QueueDepths(1_000, 1, 0, 0));
    assertThat(await(claimDue(0, LEASE)).timerBacklog()).isFalse();
    assertThat(await(store.queueDepths())).isEqualTo(new QueueDepths(1_001, 0, 0, 0));
  }

  @Test
  @DisplayName("an expired lease is requeued with a new fencing token, and the old worker's writes are then stale")
  void expiredLeaseRequeueFencesOldWorker() throws Exception {
    Run old = claimed("run_1");
    assertThat(await(store.requeueExpiredLeases(10))).isZero();
    clock.advance(LEASE);

    assertThat(await(store.requeueExpiredLeases(10))).isEqualTo(1);
    StepRecord step = new StepRecord("validate", null, null);
    assertThat(await(store.advance("run_1", old.fence(), step, "notify", LEASE))).isEqualTo(TransitionResult.STALE);
    assertThat(await(store.extendLease("run_1", old.fence(), LEASE))).isEqualTo(TransitionResult.STALE);

    Run resumed = await(claimDue(1, LEASE)).runs().get(0);
    assertThat(resumed.fence()).isGreaterThan(old.fence() + 1);
    assertThat(resumed.cursor()).isEqualTo("validate");
    assertThat(await(store.advance("run_1", resumed.fence(), step, "notify", LEASE))).isEqualTo(TransitionResult.OK);
  }

  @Test
  @DisplayName("a claim with max 0 claims nothing but takes the due timers: a last delay completes, the rest queue")
  void claimZeroTakesTimersOnly() throws Exception {
    parked("run_last", null, Duration.ofSeconds(1));
    parked("run_more", "notify", Duration.ofSeconds(1));
    await(store.create(newRun("run_new")));
    clock.advance(Duration.ofSeconds(1));

    DueClaim claim = await(claimDue(0, LEASE));

    assertThat(claim.runs()).isEmpty();
    assertThat(claim.completedOnWake()).containsExactly(T0.plusSeconds(1).toEpochMilli());
    assertThat(await(store.get("run_last")).orElseThrow().status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(await(store.get("run_more")).orElseThrow().status()).isEqualTo(RunStatus.WAITING);
    assertThat(await(store.get("run_new")).orElseThrow().status()).isEqualTo(RunStatus.PENDING);
    assertThat(await(store.queueDepths())).isEqualTo(new QueueDepths(2, 0, 0, 1));
    assertThat(await(claimDue(2, LEASE)).runs()).extracting(Run::id).containsExactly("run_new", "run_more");
  }

  @Test
  @DisplayName("a claim with a negative max is refused")
  void claimNegative() {
    assertThatThrownBy(() -> await(store.claimDue(0, -1, LEASE))).hasCauseInstanceOf(IllegalArgumentException.class);
  }
}
