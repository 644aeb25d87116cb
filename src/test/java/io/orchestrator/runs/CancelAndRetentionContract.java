package io.orchestrator.runs;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Cancelling runs, the finished queue's hand-over to the history (markPersisted) and the eviction after retention. */
public abstract class CancelAndRetentionContract<S extends RunRecords & RunQueue & RunArchive>
  extends RunStoreContract<S> {

  protected static final Duration RETENTION = Duration.ofDays(7);

  @Test
  @DisplayName("cancelling a pending run removes it from the ready queue and queues its history write")
  void cancelPending() throws Exception {
    await(store.create(newRun("run_1")));
    clock.advance(Duration.ofSeconds(3));

    assertThat(cancel("run_1")).isEqualTo(TransitionResult.OK);

    Run run = await(store.get("run_1")).orElseThrow();
    assertThat(run.status()).isEqualTo(RunStatus.CANCELLED);
    assertThat(run.completedAt()).isEqualTo(T0.plusSeconds(3));
    assertThat(run.currentStepId()).isNull();
    assertThat(await(store.queueDepths())).isEqualTo(new QueueDepths(0, 0, 0, 1));
    assertThat(await(store.listIds(WS, ORCH, RunFilter.of(RunStatus.CANCELLED), 0, 10)).ids()).containsExactly("run_1");
    assertThat(await(store.listIds(WS, ORCH, RunFilter.of(RunStatus.PENDING), 0, 10)).total()).isZero();
    assertThat(await(claimDue(5, LEASE)).runs()).isEmpty();
  }

  @Test
  @DisplayName("cancelling a running or waiting run removes its lease or timer")
  void cancelRunningAndWaiting() throws Exception {
    Run running = claimed("run_1");
    Run waiting = claimed("run_2");
    await(store.park("run_2", waiting.fence(), "wait", "next", Duration.ofMinutes(1)));

    assertThat(cancel("run_1")).isEqualTo(TransitionResult.OK);
    assertThat(cancel("run_2")).isEqualTo(TransitionResult.OK);

    assertThat(await(store.queueDepths())).isEqualTo(new QueueDepths(0, 0, 0, 2));
    assertThat(await(store.listIds(WS, ORCH, RunFilter.of(RunStatus.CANCELLED), 0, 10)).total()).isEqualTo(2);
    assertThat(await(store.extendLease("run_1", running.fence(), LEASE))).isEqualTo(TransitionResult.NOT_RUNNING);
  }

  @Test
  @DisplayName("cancelling a completed or already cancelled run answers finished")
  void cancelFinished() throws Exception {
    Run run = claimed("run_1");
    await(store.finish("run_1", run.fence(), RunStatus.COMPLETED, null, null));
    await(store.create(newRun("run_2")));
    cancel("run_2");

    assertThat(cancel("run_1")).isEqualTo(TransitionResult.FINISHED);
    assertThat(cancel("run_2")).isEqualTo(TransitionResult.FINISHED);
    assertThat(await(store.get("run_1")).orElseThrow().status()).isEqualTo(RunStatus.COMPLETED);
  }

  @Test
  @DisplayName("cancelling an unknown run, or a run of another workspace or orchestration, answers not found")
  void cancelNotFound() throws Exception {
    await(store.create(newRun("run_1")));

    assertThat(cancel("run_missing")).isEqualTo(TransitionResult.NOT_FOUND);
    assertThat(await(store.cancel("ws-b", ORCH, "run_1"))).isEqualTo(TransitionResult.NOT_FOUND);
    assertThat(await(store.cancel(WS, "orch_b", "run_1"))).isEqualTo(TransitionResult.NOT_FOUND);
    assertThat(await(store.get("run_1")).orElseThrow().status()).isEqualTo(RunStatus.PENDING);
  }

  @Test
  @DisplayName("finished runs await the history write until markPersisted, which ignores ids not awaiting it")
  void finishedBatchUntilPersisted() throws Exception {
    await(store.create(newRun("run_1")));
    await(store.create(newRun("run_2")));
    await(store.create(newRun("run_3")));
    cancel("run_1");
    clock.advance(Duration.ofMillis(5));
    cancel("run_2");

    assertThat(await(store.finishedBatch(10))).extracting(HistoryRecord::id).containsExactly("run_1", "run_2");
    assertThat(await(store.finishedBatch(1))).extracting(HistoryRecord::id).containsExactly("run_1");
    assertThat(await(store.markPersisted(List.of("run_1", "run_3", "run_missing"), RETENTION))).isEqualTo(1);
    assertThat(await(store.finishedBatch(10))).extracting(HistoryRecord::id).containsExactly("run_2");
    assertThat(await(store.markPersisted(List.of(), RETENTION))).isZero();
  }

  @Test
  @DisplayName("two archivers confirming overlapping batches: each run leaves the finished queue once, none unwritten")
  void overlappingConfirmationsTakeOnlyTheHead() throws Exception {
    cancelledRuns(5);
    List<String> small = await(store.finishedBatch(2)).stream().map(HistoryRecord::id).toList();
    List<String> large = await(store.finishedBatch(4)).stream().map(HistoryRecord::id).toList();

    assertThat(await(store.markPersisted(small, RETENTION))).isEqualTo(2);
    assertThat(await(store.markPersisted(large, RETENTION))).isEqualTo(2);
    assertThat(await(store.markPersisted(large, RETENTION))).isZero();
    assertThat(await(store.finishedBatch(10))).extracting(HistoryRecord::id).containsExactly("run_5");
    assertThat(await(store.queueDepths()).unpersisted()).isEqualTo(1);
    for (int i = 1; i <= 4; i++) {
      assertThat(probe().retentionEnd("run_" + i)).as("run_%d expires", i).isPresent();
    }
    assertThat(probe().retentionEnd("run_5")).isEmpty();
  }

  @Test
  @DisplayName("a confirmation stops at the first queued run it did not write, which keeps waiting for its write")
  void confirmationStopsAtUnwrittenRun() throws Exception {
    cancelledRuns(4);

    assertThat(await(store.markPersisted(List.of("run_1", "run_3"), RETENTION))).isEqualTo(1);
    assertThat(await(store.finishedBatch(10))).extracting(HistoryRecord::id).containsExactly("run_2", "run_3", "run_4");
    assertThat(probe().retentionEnd("run_1")).contains(T0.plus(RETENTION));
    assertThat(probe().retentionEnd("run_3")).isEmpty();
  }

  @Test
  @DisplayName("a persisted run stays readable until its retention ends, then dropping it removes its hash and index entries")
  void dropExpiredRemovesHashAndIndexes() throws Exception {
    await(store.create(newRun("run_1")));
    await(store.create(newRun("run_2")));
    cancel("run_1");
    await(store.markPersisted(List.of("run_1"), RETENTION));

    clock.advance(RETENTION.minusMillis(1));
    assertThat(await(store.expiredIds(10))).isEmpty();
    assertThat(await(store.dropExpired(List.of("run_1")))).isZero();
    assertThat(await(store.get("run_1"))).isPresent();
    clock.advance(Duration.ofMillis(1));
    assertThat(await(store.expiredIds(10))).containsExactly("run_1");

    assertThat(await(store.dropExpired(List.of("run_1", "run_2", "run_unknown")))).isEqualTo(1);
    assertThat(await(store.get("run_1"))).isEmpty();
    assertThat(await(store.get("run_2"))).isPresent();
    assertThat(await(store.listIds(WS, ORCH, RunFilter.ALL, 0, 10))).isEqualTo(new RunIdPage(List.of("run_2"), 1));
    assertThat(await(store.listIds(WS, ORCH, RunFilter.of(RunStatus.CANCELLED), 0, 10)).total()).isZero();
    assertThat(await(store.expiredIds(10))).isEmpty();
    assertThat(await(store.dropExpired(List.of("run_1")))).isZero();
  }

  @Test
  @DisplayName("expiredIds lists runs whose retention ended, earliest first, at most max, without changing them")
  void expiredIdsAreOldestFirstAndBounded() throws Exception {
    cancelledRuns(3);
    await(store.markPersisted(List.of("run_1"), RETENTION));
    clock.advance(Duration.ofMillis(5));
    await(store.markPersisted(List.of("run_2", "run_3"), RETENTION));
    clock.advance(RETENTION);

    assertThat(await(store.expiredIds(2))).containsExactly("run_1", "run_2");
    assertThat(await(store.expiredIds(10))).containsExactly("run_1", "run_2", "run_3");
    assertThat(await(store.get("run_1"))).isPresent();
  }

  /** Creates run_1 … run_{count} and cancels each, so they queue for the history write in that order. */
  protected void cancelledRuns(int count) throws Exception {
    for (int i = 1; i <= count; i++) {
      await(store.create(newRun("run_" + i)));
      cancel("run_" + i);
    }
  }
}
