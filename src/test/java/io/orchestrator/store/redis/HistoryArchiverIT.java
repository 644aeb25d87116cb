package io.orchestrator.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrator.fixtures.TestStores;
import io.orchestrator.runs.HistoryArchiver;
import io.orchestrator.runs.HistoryRecord;
import io.orchestrator.runs.Run;
import io.orchestrator.runs.RunFilter;
import io.orchestrator.runs.RunJson;
import io.orchestrator.runs.RunStatus;
import io.orchestrator.runs.StepError;
import io.orchestrator.runs.StepRecord;
import io.orchestrator.runs.TransitionResult;
import io.orchestrator.store.pg.Migrations;
import io.orchestrator.store.pg.PgRunHistory;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The history write on the real Redis and PostgreSQL, and how it gives way to a burst of wake-ups. */
class HistoryArchiverIT extends RedisStoreTestBase {

  private static Pool pg;
  private PgRunHistory history;
  private HistoryArchiver archiver;

  @BeforeAll
  static void connectPostgres() throws Exception {
    pg = PgBuilder.pool().with(new PoolOptions().setMaxSize(2))
      .connectingTo(PgConnectOptions.fromUri(TestStores.pgUrl())).using(vertx).build();
    await(new Migrations(vertx, pg).migrate());
  }

  @AfterAll
  static void closePostgres() throws Exception {
    await(pg.close());
  }

  @BeforeEach
  void createArchiver() {
    history = new PgRunHistory(pg);
    archiver = new HistoryArchiver(store, store, history, Duration.ofHours(1));
  }

  private String finishedRun() throws Exception {
    String id = "run_" + java.util.UUID.randomUUID().toString().replace("-", "");
    Run run = claimed(id);
    await(store.finish(id, run.fence(), RunStatus.COMPLETED, null, null));
    return id;
  }

  private void timersDueIn(Duration in, int count) throws Exception {
    Request zadd = Request.cmd(Command.ZADD).arg(keys.timers());
    for (int i = 0; i < count; i++) {
      zadd.arg(T0.plus(in).toEpochMilli()).arg("run_due_" + in.toMillis() + "_" + i);
    }
    await(redis.send(zadd));
  }

  @Test
  @DisplayName("a round writes every finished run to PostgreSQL and takes them off the finished queue")
  void roundArchivesFinishedRuns() throws Exception {
    String first = finishedRun();
    String second = finishedRun();

    assertThat(await(archiver.archiveRound())).isEqualTo(2);

    assertThat(await(store.queueDepths()).unpersisted()).isZero();
    assertThat(await(history.find(WS, ORCH, first)).orElseThrow().status()).isEqualTo(RunStatus.COMPLETED);
    assertThat(await(history.find(WS, ORCH, second))).isPresent();
  }

  @Test
  @DisplayName("the document stored is the decoded run's history document, for runs the scripts advanced, completed "
    + "and failed")
  void storedDocumentIsTheRunsHistory() throws Exception {
    String completed = "run_" + java.util.UUID.randomUUID().toString().replace("-", "");
    Run first = claimed(completed);
    TransitionResult advanced = await(store.advance(completed, first.fence(), List.of(
        new StepRecord("fetch", new JsonObject().put("q\"uote", "line\nbreak").put("n", 1.5), null),
        new StepRecord("check", null, new JsonObject().put("tenant", "t1"))), "store", LEASE));
    assertThat(advanced).isEqualTo(TransitionResult.OK);
    await(store.finishAfter(completed, first.fence(), RunStatus.COMPLETED,
      List.of(new StepRecord("store", new JsonArray().add("ok").add(2), null)), null));
    String failed = "run_" + java.util.UUID.randomUUID().toString().replace("-", "");
    Run second = claimed(failed);
    await(store.finishAfter(failed, second.fence(), RunStatus.FAILED, List.of(),
      new StepError("fetch", "http_500", "upstream said \"no\"", 3)));

    assertThat(await(archiver.archiveRound())).isEqualTo(2);

    for (String id : List.of(completed, failed)) {
      JsonObject stored = (JsonObject) await(pg.preparedQuery("SELECT body FROM runs WHERE id = $1")
        .execute(io.vertx.sqlclient.Tuple.of(id))).iterator().next().getValue("body");
      assertThat(stored).as(id).isEqualTo(RunJson.toHistory(await(store.get(id)).orElseThrow()));
    }
  }

  @Test
  @DisplayName("one batch of many runs is written whole, in several statements when its documents are large, and a "
    + "run it holds twice is written once, from its last record")
  void batchWritesEveryRunAndTheLastRecordOfARunHeldTwice() throws Exception {
    Run twice = await(store.get(finishedRun())).orElseThrow();
    HistoryRecord first = HistoryRecord.of(twice);
    HistoryRecord last = new HistoryRecord(first.id(), first.workspace(), first.orchestrationId(), RunStatus.FAILED,
      first.startedAt(), first.completedAt().plusMillis(5), first.correlationId(), first.document());
    List<HistoryRecord> batch = new java.util.ArrayList<>(List.of(first));
    for (int i = 0; i < 300; i++) {
      batch.add(HistoryRecord.of(await(store.get(finishedRun())).orElseThrow()));
    }
    batch.add(last);

    // documents of ~1 KB against statements of at most 10 KB of them: the batch goes in as ~30 statements
    await(new PgRunHistory(pg, 10_000).save(batch));

    assertThat(await(pg.preparedQuery("SELECT count(*) FROM runs WHERE id = ANY($1)").execute(io.vertx.sqlclient.Tuple
      .of(batch.stream().map(HistoryRecord::id).toArray(String[]::new)))).iterator().next().getLong(0))
      .isEqualTo(301);
    io.vertx.sqlclient.Row stored = await(pg.preparedQuery("SELECT status, completed_at FROM runs WHERE id = $1")
      .execute(io.vertx.sqlclient.Tuple.of(first.id()))).iterator().next();
    assertThat(stored.getString("status")).isEqualTo("failed");
    assertThat(stored.getOffsetDateTime("completed_at").toInstant()).isEqualTo(last.completedAt());
  }

  @Test
  @DisplayName("instances writing overlapping batches at once, in opposite orders, never deadlock")
  void overlappingBatchesWrittenAtOnceDoNotDeadlock() throws Exception {
    List<HistoryRecord> batch = new java.util.ArrayList<>();
    for (int i = 0; i < 200; i++) {
      batch.add(HistoryRecord.of(await(store.get(finishedRun())).orElseThrow()));
    }
    List<HistoryRecord> reversed = new java.util.ArrayList<>(batch);
    java.util.Collections.reverse(reversed);
    PgRunHistory other = new PgRunHistory(pg);

    // unsorted, the two statements lock the same rows from opposite ends and PostgreSQL cancels one of them (40P01)
    for (int round = 0; round < 5; round++) {
      await(io.vertx.core.Future.all(history.save(batch), other.save(reversed)));
    }

    assertThat(await(pg.preparedQuery("SELECT count(*) FROM runs WHERE id = ANY($1)").execute(io.vertx.sqlclient.Tuple
      .of(batch.stream().map(HistoryRecord::id).toArray(String[]::new)))).iterator().next().getLong(0))
      .isEqualTo(200);
  }

  @Test
  @DisplayName("while a burst of timers falls due within a second, archiving yields, but at most 10 rounds in a row")
  void roundYieldsToWakeUpBurst() throws Exception {
    String id = finishedRun();
    timersDueIn(Duration.ZERO, 1_000);
    timersDueIn(Duration.ofMillis(900), 1_001);

    for (int round = 1; round <= 10; round++) {
      assertThat(await(archiver.archiveRound())).as("round %d", round).isZero();
    }
    assertThat(await(store.queueDepths()).unpersisted()).isEqualTo(1);
    assertThat(await(history.find(WS, ORCH, id))).isEmpty();

    assertThat(await(archiver.archiveRound())).isEqualTo(1);
    assertThat(await(history.find(WS, ORCH, id))).isPresent();
  }

  @Test
  @DisplayName("a run whose output holds U+0000 (jsonb cannot) is archived with U+FFFD, and the runs around it too")
  void nulCharacterDoesNotBlockArchiving() throws Exception {
    String before = finishedRun();
    String id = "run_" + java.util.UUID.randomUUID().toString().replace("-", "");
    Run run = claimed(id);
    JsonObject output = new JsonObject().put("text", "a\u0000b").put("key\u0000", new JsonArray().add("\u0000"));
    await(store.finish(id, run.fence(), RunStatus.COMPLETED, new StepRecord("fetch", output, null), null));
    String after = finishedRun();

    assertThat(await(archiver.archiveRound())).isEqualTo(3);

    assertThat(await(store.queueDepths()).unpersisted()).isZero();
    JsonObject archived = (JsonObject) await(history.find(WS, ORCH, id)).orElseThrow().stepOutputs().getValue("fetch");
    assertThat(archived).isEqualTo(new JsonObject().put("text", "a\uFFFDb")
      .put("key\uFFFD", new JsonArray().add("\uFFFD")));
    assertThat(await(history.find(WS, ORCH, before))).isPresent();
    assertThat(await(history.find(WS, ORCH, after))).isPresent();
    assertThat(await(store.get(id)).orElseThrow().stepOutputs().getJsonObject("fetch")).isEqualTo(output);
  }

  @Test
  @DisplayName("after the retention a run is marked evicted in PostgreSQL, then dropped from Redis")
  void evictionMarksHistoryThenDropsRedisCopy() throws Exception {
    String id = finishedRun();
    await(archiver.archiveRound());
    assertThat(await(archiver.evictBatch())).isZero();

    clock.advance(Duration.ofHours(1));
    assertThat(await(archiver.evictBatch())).isEqualTo(1);

    assertThat(await(store.get(id))).isEmpty();
    assertThat(await(store.expiredIds(10))).isEmpty();
    assertThat(await(history.evicted(WS, ORCH, RunFilter.of(RunStatus.COMPLETED), 1_000))).extracting(Run::id).contains(id);
    assertThat(await(archiver.evictBatch())).isZero();
  }

  @Test
  @DisplayName("when PostgreSQL cannot mark a batch evicted, Redis keeps the runs and the next pass evicts them")
  void evictionKeepsRedisCopyWhenHistoryFails() throws Exception {
    String id = finishedRun();
    await(archiver.archiveRound());
    clock.advance(Duration.ofHours(1));
    Pool unreachable = PgBuilder.pool().with(new PoolOptions().setMaxSize(1))
      .connectingTo(new PgConnectOptions().setHost("127.0.0.1").setPort(1).setUser("nobody").setDatabase("none"))
      .using(vertx).build();
    try {
      HistoryArchiver failing = new HistoryArchiver(store, store, new PgRunHistory(unreachable), Duration.ofHours(1));
      assertThatThrownBy(() -> await(failing.evictBatch())).isNotNull();
    } finally {
      await(unreachable.close());
    }

    assertThat(await(store.get(id))).isPresent();
    assertThat(await(store.expiredIds(10))).containsExactly(id);
    assertThat(await(history.evicted(WS, ORCH, RunFilter.of(RunStatus.COMPLETED), 1_000))).extracting(Run::id).doesNotContain(id);

    assertThat(await(archiver.evictBatch())).isEqualTo(1);
    assertThat(await(store.get(id))).isEmpty();
  }

  @Test
  @DisplayName("up to 2,000 timers due within a second, or any number due later, is no burst: archiving goes on")
  void noBurstNoDelay() throws Exception {
    finishedRun();
    timersDueIn(Duration.ZERO, 1_000);
    timersDueIn(Duration.ofMillis(900), 1_000);
    timersDueIn(Duration.ofMillis(1_100), 5_000);

    assertThat(await(archiver.archiveRound())).isEqualTo(1);
  }
}
