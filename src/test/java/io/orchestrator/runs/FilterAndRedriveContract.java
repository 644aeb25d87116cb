package io.orchestrator.runs;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** List filters (start time, correlation id) and redrive, on every run store. */
public abstract class FilterAndRedriveContract<S extends RunRecords & RunQueue & RunArchive>
  extends RunStoreContract<S> {

  private static final StepError BROKEN = new StepError("b", "http_500", "upstream failed", 1);

  @Test
  @DisplayName("time bounds: after inclusive, before exclusive, by status too; bounds beyond 1970..2286 stay in band")
  void listIdsByStartTime() throws Exception {
    for (int i = 1; i <= 3; i++) {
      await(store.create(newRun("run_" + i)));
      clock.advance(Duration.ofMillis(10));
    }
    await(claimDue(1, LEASE));
    Instant t2 = T0.plusMillis(10);
    Instant t3 = T0.plusMillis(20);

    assertThat(list(new RunFilter(null, t2, null, null), 10)).isEqualTo(new RunIdPage(List.of("run_3", "run_2"), 2));
    assertThat(list(new RunFilter(null, null, t2, null), 10)).isEqualTo(new RunIdPage(List.of("run_1"), 1));
    assertThat(list(new RunFilter(null, T0, t3, null), 1)).isEqualTo(new RunIdPage(List.of("run_2"), 2));
    assertThat(list(new RunFilter(RunStatus.PENDING, T0, null, null), 10))
      .isEqualTo(new RunIdPage(List.of("run_3", "run_2"), 2));
    assertThat(list(new RunFilter(RunStatus.RUNNING, null, t2, null), 10))
      .isEqualTo(new RunIdPage(List.of("run_1"), 1));
    Instant longAgo = Instant.parse("1900-01-01T00:00:00Z");
    Instant farAhead = Instant.parse("2500-01-01T00:00:00Z");
    assertThat(list(new RunFilter(RunStatus.RUNNING, longAgo, farAhead, null), 10))
      .isEqualTo(new RunIdPage(List.of("run_1"), 1));
    assertThat(list(new RunFilter(RunStatus.PENDING, longAgo, farAhead, null), 10))
      .isEqualTo(new RunIdPage(List.of("run_3", "run_2"), 2));
  }

  @Test
  @DisplayName("a correlation id lists its runs across orchestrations, narrowed by orchestration, status and time")
  void listIdsByCorrelation() throws Exception {
    await(store.create(withCorrelation("run_1", ORCH, "order-1")));
    clock.advance(Duration.ofMillis(5));
    await(store.create(withCorrelation("run_2", "orch_b", "order-1")));
    clock.advance(Duration.ofMillis(5));
    await(store.create(withCorrelation("run_3", ORCH, "order-2")));
    await(claimDue(1, LEASE));

    assertThat(list(null, correlation("order-1", null), 10)).isEqualTo(new RunIdPage(List.of("run_2", "run_1"), 2));
    assertThat(list(ORCH, correlation("order-1", null), 10)).isEqualTo(new RunIdPage(List.of("run_1"), 1));
    assertThat(list(ORCH, correlation("order-1", RunStatus.RUNNING), 10))
      .isEqualTo(new RunIdPage(List.of("run_1"), 1));
    assertThat(list(ORCH, correlation("order-1", RunStatus.PENDING), 10)).isEqualTo(new RunIdPage(List.of(), 0));
    assertThat(list(null, new RunFilter(null, T0.plusMillis(1), null, "order-1"), 10))
      .isEqualTo(new RunIdPage(List.of("run_2"), 1));
    assertThat(list(null, correlation("order-1", null), 1)).isEqualTo(new RunIdPage(List.of("run_2"), 2));
    assertThat(await(store.listIds("ws-other", null, correlation("order-1", null), 0, 10)).total()).isZero();
  }

  @Test
  @DisplayName("a run's default correlation id finds it (with no index entry); another run's id of that shape does not")
  void defaultCorrelationFindsItsRun() throws Exception {
    String runId = "run_01m977684fyjn5t4z7pswm85z2";
    String other = "run_01m977684fyjn5t4z7pswm85z3";
    await(store.create(withCorrelation(runId, ORCH, Correlation.defaultFor(runId))));
    await(store.create(withCorrelation(other, ORCH, "order-9")));

    assertThat(list(null, correlation(Correlation.defaultFor(runId), null), 10))
      .isEqualTo(new RunIdPage(List.of(runId), 1));
    assertThat(list(ORCH, correlation(Correlation.defaultFor(runId), RunStatus.PENDING), 10).ids())
      .containsExactly(runId);
    assertThat(list(null, correlation(Correlation.defaultFor(other), null), 10).total()).isZero();
    assertThat(list(ORCH, correlation(Correlation.defaultFor(runId), RunStatus.FAILED), 10).total()).isZero();
    assertThat(await(store.listIds("ws-other", null, correlation(Correlation.defaultFor(runId), null), 0, 10))
      .total()).isZero();
  }

  @Test
  @DisplayName("redrive: a failed run is pending again at the step, attempt 1, new fence, outputs and errors kept")
  void redriveFailedRun() throws Exception {
    Run failed = failedAtB("run_1");
    clock.advance(Duration.ofSeconds(1));

    Redrive.Outcome outcome = await(store.redrive(failed, new Redrive(clock.instant(), "b", "alice"), false));

    assertThat(outcome.result()).isEqualTo(Redrive.Result.REDRIVEN);
    Run run = await(store.get("run_1")).orElseThrow();
    assertThat(outcome.run()).as("the run as the redrive left it").isEqualTo(run);
    assertThat(run.status()).isEqualTo(RunStatus.PENDING);
    assertThat(run.cursor()).isEqualTo("b");
    assertThat(run.attempt()).isEqualTo(1);
    assertThat(run.completedAt()).isNull();
    assertThat(run.currentStepId()).isNull();
    assertThat(run.fence()).isGreaterThan(failed.fence());
    assertThat(run.executedSteps()).isEqualTo(failed.executedSteps());
    assertThat(run.stepOutputs()).isEqualTo(failed.stepOutputs());
    assertThat(run.errors()).isEqualTo(failed.errors());
    assertThat(run.stepCount()).isEqualTo(failed.stepCount());
    assertThat(run.redrives()).isEqualTo(new JsonArray().add(new JsonObject().put("at", "2025-01-15T10:00:01.000Z")
      .put("fromStepId", "b").put("by", "alice")));
    assertThat(list(new RunFilter(RunStatus.PENDING, null, null, null), 10).ids()).containsExactly("run_1");
    assertThat(list(new RunFilter(RunStatus.FAILED, null, null, null), 10).total()).isZero();
    assertThat(await(store.finishedBatch(10))).isEmpty();
    Run claimed = await(claimDue(1, LEASE)).runs().get(0);
    assertThat(claimed.currentStepId()).isEqualTo("b");
    assertThat(await(store.extendLease("run_1", failed.fence(), LEASE))).isEqualTo(TransitionResult.STALE);
  }

  @Test
  @DisplayName("redrive answers conflict for a live or completed run and for a stale redrive count; not found "
    + "for another orchestration")
  void redriveRejections() throws Exception {
    Run failed = failedAtB("run_1");
    Redrive redrive = new Redrive(clock.instant(), "b", "alice");
    Run elsewhere = new Run(failed.id(), failed.workspace(), "orch_b", failed.orchestrationVersion(),
      failed.status(), failed.triggerType(), failed.triggerMetadata(), failed.input(), failed.context(),
      failed.stepOutputs(), failed.currentStepId(), failed.executedSteps(), failed.startedAt(), failed.completedAt(),
      failed.hasErrors(), failed.errors(), failed.delayStepCount(), failed.correlationId(), failed.cursor(),
      failed.attempt(), failed.stepCount(), failed.fence(), null, 0, null, new JsonArray(), null, failed.seq(),
      failed.stepAt(), failed.timeline());

    assertThat(await(store.redrive(elsewhere, redrive, false)).result()).isEqualTo(Redrive.Result.NOT_FOUND);
    assertThat(await(store.redrive(failed, redrive, false)).result()).isEqualTo(Redrive.Result.REDRIVEN);
    assertThat(await(store.redrive(failed, redrive, false)).result()).isEqualTo(Redrive.Result.CONFLICT);
    Run running = await(claimDue(1, LEASE)).runs().get(0);
    assertThat(await(store.redrive(running, redrive, false)).result()).isEqualTo(Redrive.Result.CONFLICT);
    await(store.finish("run_1", running.fence(), RunStatus.FAILED, null, BROKEN));
    assertThat(await(store.redrive(failed, redrive, false)).result()).as("read before the first redrive")
      .isEqualTo(Redrive.Result.CONFLICT);
    Run again = await(store.get("run_1")).orElseThrow();
    assertThat(await(store.redrive(again, redrive, false)).result()).isEqualTo(Redrive.Result.REDRIVEN);
    assertThat(await(store.get("run_1")).orElseThrow().redrives()).hasSize(2);
  }

  @Test
  @DisplayName("a cancelled run remembers the step that was current: the delay it waited on, or the cursor")
  void cancelRemembersItsStep() throws Exception {
    parked("run_1", "notify", Duration.ofMinutes(5));
    created("run_2");
    cancel("run_1");
    cancel("run_2");

    assertThat(await(store.get("run_1")).orElseThrow().redriveStepId()).contains("wait");
    assertThat(await(store.get("run_2")).orElseThrow().redriveStepId()).contains("validate");
  }

  @Test
  @DisplayName("a run that lives only in the history is restored by its redrive, with its indexes")
  void redriveRestoresFromHistory() throws Exception {
    Run failed = failedAtB("run_1");
    await(store.markPersisted(List.of("run_1"), Duration.ZERO));
    await(store.dropExpired(List.of("run_1")));
    assertThat(await(store.get("run_1"))).isEmpty();
    assertThat(list(new RunFilter(null, null, null, null), 10).total()).isZero();

    Redrive.Outcome outcome = await(store.redrive(failed, new Redrive(clock.instant(), "b", "bob"), true));

    assertThat(outcome.result()).isEqualTo(Redrive.Result.REDRIVEN);
    assertThat(outcome.run().status()).isEqualTo(RunStatus.PENDING);
    Run back = await(store.get("run_1")).orElseThrow();
    assertThat(back.status()).isEqualTo(RunStatus.PENDING);
    assertThat(back.stepOutputs()).isEqualTo(failed.stepOutputs());
    assertThat(back.executedSteps()).isEqualTo(failed.executedSteps());
    assertThat(back.input()).isEqualTo(failed.input());
    assertThat(list(RunFilter.ALL, 10).ids()).containsExactly("run_1");
    assertThat(list(null, correlation("corr_run_1", RunStatus.PENDING), 10).ids()).containsExactly("run_1");
    assertThat(await(store.redrive(failed, new Redrive(clock.instant(), "b", "bob"), true)).result())
      .isEqualTo(Redrive.Result.CONFLICT);
  }

  /** A run that executed "validate" (with an output) and failed at "b". */
  private Run failedAtB(String id) throws Exception {
    Run run = claimed(id);
    await(store.advance(id, run.fence(), new StepRecord("validate", new JsonObject().put("ok", true), null), "b",
      LEASE));
    await(store.finish(id, run.fence(), RunStatus.FAILED, new StepRecord("b", null, null), BROKEN));
    Run failed = await(store.get(id)).orElseThrow();
    assertThat(failed.redriveStepId()).contains("b");
    return failed;
  }

  private static NewRun withCorrelation(String id, String orch, String correlationId) {
    NewRun run = newRun(id, WS, orch, null, null);
    return new NewRun(run.id(), run.workspace(), run.orchestrationId(), run.orchestrationVersion(),
      run.triggerType(), run.triggerMetadata(), run.input(), run.context(), correlationId, run.entryStepId(), null,
      null);
  }

  private static RunFilter correlation(String correlationId, RunStatus status) {
    return new RunFilter(status, null, null, correlationId);
  }

  private RunIdPage list(RunFilter filter, int count) throws Exception {
    return list(ORCH, filter, count);
  }

  private RunIdPage list(String orch, RunFilter filter, int count) throws Exception {
    return await(store.listIds(WS, orch, filter, 0, count));
  }
}
