package io.orchestrator.runs;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Creating runs (idempotency keys, delayed starts) and reading them back: get, getMany, lists by status, totals. */
public abstract class CreateAndReadContract<S extends RunRecords & RunQueue & RunArchive>
  extends RunStoreContract<S> {

  @Test
  @DisplayName("a created run is pending, ready at once, and reads back with every field")
  void createStoresPendingRun() throws Exception {
    CreateResult result = await(store.create(newRun("run_1")));

    assertThat(result).extracting(CreateResult::created, CreateResult::runId).containsExactly(true, "run_1");
    Run run = await(store.get("run_1")).orElseThrow();
    assertThat(run.status()).isEqualTo(RunStatus.PENDING);
    assertThat(run.workspace()).isEqualTo(WS);
    assertThat(run.orchestrationId()).isEqualTo(ORCH);
    assertThat(run.orchestrationVersion()).isEqualTo(3);
    assertThat(run.triggerType()).isEqualTo("manual");
    assertThat(run.triggerMetadata()).isEqualTo(new JsonObject().put("source", "test"));
    assertThat(run.input()).isEqualTo(new JsonObject().put("orderId", 42));
    assertThat(run.context()).isEqualTo(new JsonObject().put("region", "eu"));
    assertThat(run.stepOutputs()).isEqualTo(new JsonObject());
    assertThat(run.executedSteps()).isEqualTo(new JsonArray());
    assertThat(run.errors()).isEqualTo(new JsonArray());
    assertThat(run.currentStepId()).isNull();
    assertThat(run.completedAt()).isNull();
    assertThat(run.startedAt()).isEqualTo(T0);
    assertThat(run.hasErrors()).isFalse();
    assertThat(run.correlationId()).isEqualTo("corr_run_1");
    assertThat(run.cursor()).isEqualTo("validate");
    assertThat(run.attempt()).isEqualTo(1);
    assertThat(run.stepCount()).isZero();
    assertThat(run.fence()).isZero();
    assertThat(await(store.queueDepths())).isEqualTo(new QueueDepths(1, 0, 0, 0));
  }

  @Test
  @DisplayName("createClaimed in a partition with nothing due claims the run as it creates it: running at its entry "
    + "step, fence 1, leased, as the worker's in-memory copy says")
  void createClaimedClaimsWhenNothingIsDue() throws Exception {
    NewRun request = newRun("run_1");
    CreateResult result = await(store.createClaimed(request, LEASE));

    assertThat(result).extracting(CreateResult::created, CreateResult::runId, CreateResult::claimed)
      .containsExactly(true, "run_1", true);
    Run stored = await(store.get("run_1")).orElseThrow();
    Run handed = Run.claimedAtCreation(request, result.startedAt());
    assertThat(stored.status()).isEqualTo(RunStatus.RUNNING);
    assertThat(stored.fence()).isEqualTo(Run.FIRST_FENCE);
    assertThat(stored.currentStepId()).isEqualTo("validate");
    assertThat(stored.seq()).isEqualTo(2);
    assertThat(stored.stepAt()).isEqualTo(T0.toEpochMilli());
    assertThat(handed).usingRecursiveComparison().comparingOnlyFields("id", "workspace", "orchestrationId",
      "orchestrationVersion", "status", "input", "context", "stepOutputs", "currentStepId", "executedSteps",
      "startedAt", "cursor", "attempt", "stepCount", "fence", "awaitingTask", "dueAt", "seq", "stepAt",
      "correlationId", "triggerType").isEqualTo(stored);
    assertThat(probe().leaseExpiry("run_1")).contains(T0.plus(LEASE));
    assertThat(await(store.queueDepths())).isEqualTo(new QueueDepths(0, 0, 1, 0));
    assertThat(await(store.listIds(WS, ORCH, RunFilter.of(RunStatus.RUNNING), 0, 10)).ids()).containsExactly("run_1");
    assertThat(await(store.listIds(WS, ORCH, RunFilter.of(RunStatus.PENDING), 0, 10)).total()).isZero();
    assertThat(await(store.advance("run_1", Run.FIRST_FENCE, new StepRecord("validate", null, null), "check", LEASE)))
      .as("the caller holds it like any claimed run").isEqualTo(TransitionResult.OK);
  }

  @Test
  @DisplayName("createClaimed queues the run instead when a run is ready or a timer is due in its partition, or when "
    + "it must not start yet: it never overtakes due work")
  void createClaimedQueuesBehindDueWork() throws Exception {
    await(store.create(newRun("run_ready")));
    CreateResult behindReady = await(store.createClaimed(newRun("run_1"), LEASE));
    await(claimDue(2, LEASE));
    await(store.create(newRun("run_timer", WS, ORCH, T0.plusSeconds(1), null)));
    clock.advance(Duration.ofSeconds(1));
    CreateResult behindTimer = await(store.createClaimed(newRun("run_2"), LEASE));
    await(claimDue(2, LEASE));
    CreateResult later = await(store.createClaimed(newRun("run_3", WS, ORCH, T0.plusSeconds(60), null), LEASE));

    assertThat(List.of(behindReady, behindTimer, later)).extracting(CreateResult::created, CreateResult::claimed)
      .containsOnly(org.assertj.core.groups.Tuple.tuple(true, false));
    assertThat(await(store.get("run_3")).orElseThrow().status()).isEqualTo(RunStatus.PENDING);
    assertThat(probe().timerDue("run_3")).contains(T0.plusSeconds(60));
    assertThat(probe().leaseExpiry("run_3")).isEmpty();
    CreateResult idle = await(store.createClaimed(newRun("run_4"), LEASE));
    assertThat(idle.claimed()).as("nothing due any more").isTrue();
  }

  @Test
  @DisplayName("createClaimed with an idempotency key already held returns the first run, created and claimed nothing")
  void createClaimedIsIdempotent() throws Exception {
    CreateResult first = await(store.createClaimed(newRun("run_1", WS, ORCH, null, "key-1"), LEASE));
    CreateResult second = await(store.createClaimed(newRun("run_2", WS, ORCH, null, "key-1"), LEASE));

    assertThat(first).extracting(CreateResult::created, CreateResult::claimed).containsExactly(true, true);
    assertThat(second).extracting(CreateResult::created, CreateResult::runId, CreateResult::claimed)
      .containsExactly(false, "run_1", false);
    assertThat(await(store.get("run_2"))).isEmpty();
    assertThat(await(store.get("run_1")).orElseThrow().fence()).isEqualTo(Run.FIRST_FENCE);
  }

  @Test
  @DisplayName("a second create with the same idempotency key returns the first run's id and creates nothing")
  void idempotentCreateReturnsSameRun() throws Exception {
    CreateResult first = await(store.create(newRun("run_1", WS, ORCH, null, "key-1")));
    CreateResult second = await(store.create(newRun("run_2", WS, ORCH, null, "key-1")));

    assertThat(first).extracting(CreateResult::created, CreateResult::runId).containsExactly(true, "run_1");
    assertThat(second).extracting(CreateResult::created, CreateResult::runId).containsExactly(false, "run_1");
    assertThat(await(store.get("run_2"))).isEmpty();
    assertThat(await(store.listIds(WS, ORCH, RunFilter.ALL, 0, 10)).total()).isEqualTo(1);
    assertThat(await(store.queueDepths()).ready()).isEqualTo(1);
  }

  @Test
  @DisplayName("the same idempotency key in another orchestration starts its own run")
  void idempotencyKeyIsScopedToOrchestration() throws Exception {
    await(store.create(newRun("run_1", WS, ORCH, null, "key-1")));

    CreateResult other = await(store.create(newRun("run_2", WS, "orch_b", null, "key-1")));

    assertThat(other).extracting(CreateResult::created, CreateResult::runId).containsExactly(true, "run_2");
  }

  @Test
  @DisplayName("creating a run id that already exists changes nothing and reports not created")
  void duplicateRunIdIsNotCreated() throws Exception {
    await(store.create(newRun("run_1")));

    CreateResult again = await(store.create(newRun("run_1", WS, "orch_b", null, null)));

    assertThat(again).extracting(CreateResult::created, CreateResult::runId).containsExactly(false, "run_1");
    assertThat(await(store.get("run_1")).orElseThrow().orchestrationId()).isEqualTo(ORCH);
    assertThat(await(store.queueDepths()).ready()).isEqualTo(1);
  }

  @Test
  @DisplayName("a run created for a future instant waits in the timer queue, which reports that due time")
  void futureStartGoesToTimers() throws Exception {
    Instant due = T0.plusSeconds(60);

    await(store.create(newRun("run_1", WS, ORCH, due, null)));

    assertThat(await(store.queueDepths())).isEqualTo(new QueueDepths(0, 1, 0, 0));
    assertThat(await(claimDue(0, LEASE)).nextTimerDue()).contains(due.toEpochMilli());
  }

  @Test
  @DisplayName("an empty timer queue has no next due time")
  void noTimerNoDueTime() throws Exception {
    assertThat(await(claimDue(0, LEASE)).nextTimerDue()).isEmpty();
  }

  @Test
  @DisplayName("a run is invisible from another workspace or another orchestration")
  void scopedGet() throws Exception {
    await(store.create(newRun("run_1")));

    assertThat(await(store.get(WS, ORCH, "run_1"))).isPresent();
    assertThat(await(store.get("ws-b", ORCH, "run_1"))).isEmpty();
    assertThat(await(store.get(WS, "orch_b", "run_1"))).isEmpty();
    assertThat(await(store.get(WS, ORCH, "run_missing"))).isEmpty();
  }

  @Test
  @DisplayName("runs list newest first, page by offset, filter by status, and report the exact total")
  void listNewestFirstWithFilterAndTotal() throws Exception {
    for (int i = 1; i <= 5; i++) {
      await(store.create(newRun("run_" + i)));
      clock.advance(Duration.ofMillis(10));
    }
    await(store.create(newRun("run_other", WS, "orch_b", null, null)));
    await(claimDue(2, LEASE)).runs();

    RunIdPage all = await(store.listIds(WS, ORCH, RunFilter.ALL, 0, 3));
    RunIdPage second = await(store.listIds(WS, ORCH, RunFilter.ALL, 3, 3));
    RunIdPage running = await(store.listIds(WS, ORCH, RunFilter.of(RunStatus.RUNNING), 0, 10));
    RunIdPage pending = await(store.listIds(WS, ORCH, RunFilter.of(RunStatus.PENDING), 0, 10));

    assertThat(all).isEqualTo(new RunIdPage(List.of("run_5", "run_4", "run_3"), 5));
    assertThat(second).isEqualTo(new RunIdPage(List.of("run_2", "run_1"), 5));
    assertThat(running).isEqualTo(new RunIdPage(List.of("run_2", "run_1"), 2));
    assertThat(pending).isEqualTo(new RunIdPage(List.of("run_5", "run_4", "run_3"), 3));
    assertThat(await(store.listIds(WS, ORCH, RunFilter.of(RunStatus.PENDING), 1, 1))).isEqualTo(new RunIdPage(List.of("run_4"), 3));
    assertThat(await(store.listIds(WS, ORCH, RunFilter.of(RunStatus.PENDING), 3, 10))).isEqualTo(new RunIdPage(List.of(), 3));
    assertThat(await(store.listIds(WS, ORCH, RunFilter.of(RunStatus.FAILED), 0, 10))).isEqualTo(new RunIdPage(List.of(), 0));
  }

  @Test
  @DisplayName("each status lists exactly its own runs, newest first, while runs in every other status share the index")
  void everyStatusListsOnlyItsRuns() throws Exception {
    // two runs per status, started in the order of the statuses' bands reversed, so a band that bled into its
    // neighbour would show up as a foreign or misordered id
    String[] order = {"cancelled", "failed", "completed", "waiting", "running", "pending"};
    for (String status : order) {
      for (int i = 1; i <= 2; i++) {
        String id = status + "_" + i;
        Run run = status.equals("pending") ? created(id) : claimed(id);
        switch (status) {
          case "waiting" -> assertThat(await(store.park(id, run.fence(), "wait", "next", Duration.ofHours(1))))
            .isEqualTo(TransitionResult.OK);
          case "completed", "failed" -> assertThat(await(store.finish(id, run.fence(), RunStatus.fromWire(status),
            null, null))).isEqualTo(TransitionResult.OK);
          case "cancelled" -> assertThat(cancel(id)).isEqualTo(TransitionResult.OK);
          default -> { }
        }
        clock.advance(Duration.ofMillis(1));
      }
    }

    for (RunStatus status : RunStatus.values()) {
      String s = status.wire();
      assertThat(await(store.listIds(WS, ORCH, RunFilter.of(status), 0, 10))).as(s)
        .isEqualTo(new RunIdPage(List.of(s + "_2", s + "_1"), 2));
    }
    assertThat(await(store.listIds(WS, ORCH, RunFilter.ALL, 0, 20)).total()).isEqualTo(12);
  }

  @Test
  @DisplayName("getMany keeps the requested order and skips ids that do not exist")
  void getManySkipsMissing() throws Exception {
    await(store.create(newRun("run_1")));
    await(store.create(newRun("run_2")));

    List<Run> runs = await(store.getMany(List.of("run_2", "run_missing", "run_1")));

    assertThat(runs).extracting(Run::id).containsExactly("run_2", "run_1");
    assertThat(await(store.getMany(List.of()))).isEmpty();
  }

  @Test
  @DisplayName("a page request with a negative offset or an empty page fails instead of returning nonsense")
  void listRejectsBadPage() {
    assertThat(store.listIds(WS, ORCH, RunFilter.ALL, -1, 10).failed()).isTrue();
    assertThat(store.listIds(WS, ORCH, RunFilter.ALL, 0, 0).failed()).isTrue();
  }
}
