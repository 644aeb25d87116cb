package io.orchestrator.store.redis;

import io.orchestrator.fixtures.ManualClock;
import io.orchestrator.runs.CancelAndRetentionContract;
import io.orchestrator.runs.HistoryRecord;
import io.orchestrator.runs.QueueProbe;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link CancelAndRetentionContract} on Redis, and what only raw keys can check or set up: the Lua unpack limit,
 * a queued run whose hash is gone. */
class CancelAndRetentionIT extends CancelAndRetentionContract<RedisRunStore> {

  @RegisterExtension
  static final RedisRunStores redis = new RedisRunStores();

  @Override
  protected RedisRunStore newStore(ManualClock clock) throws Exception {
    return redis.newStore(clock);
  }

  @Override
  protected QueueProbe probe() {
    return redis;
  }

  @Test
  @DisplayName("a confirmation larger than one Lua unpack (4,512 runs) moves every run to the expiry queue")
  void largeConfirmation() throws Exception {
    int runs = 4_512;
    for (int chunk = 0; chunk < runs; chunk += 16) {
      List<Future<?>> finished = new ArrayList<>();
      for (int i = chunk; i < chunk + 16; i++) {
        String id = "run_" + i;
        finished.add(store.create(newRun(id)).compose(created -> store.cancel(WS, ORCH, id)));
      }
      await(Future.all(finished));
    }
    List<String> batch = redis.send(Request.cmd(Command.LRANGE).arg(redis.keys().unarchived()).arg(0).arg(-1))
      .stream().map(Response::toString).toList();

    assertThat(batch).hasSize(runs);
    assertThat(await(store.markPersisted(batch, RETENTION))).isEqualTo(runs);
    assertThat(redis.send(Request.cmd(Command.ZCARD).arg(redis.keys().expiry())).toInteger()).isEqualTo(runs);
    assertThat(await(store.queueDepths()).unpersisted()).isZero();
  }

  @Test
  @DisplayName("a confirmation stops at the first queued run it did not write, and skips queued runs that are gone")
  void confirmationStopsAtUnwrittenRunAndSkipsGoneOnes() throws Exception {
    cancelledRuns(4);
    redis.send(Request.cmd(Command.DEL).arg(redis.keys().run("run_1")));

    assertThat(await(store.finishedBatch(10))).extracting(HistoryRecord::id).containsExactly("run_2", "run_3", "run_4");
    assertThat(await(store.markPersisted(List.of("run_2", "run_4"), RETENTION))).isEqualTo(1);
    assertThat(await(store.finishedBatch(10))).extracting(HistoryRecord::id).containsExactly("run_3", "run_4");
    assertThat(redis.retentionEnd("run_4")).isEmpty();
    assertThat(await(store.markPersisted(List.of("run_3", "run_4"), RETENTION))).isEqualTo(2);
    assertThat(await(store.queueDepths()).unpersisted()).isZero();
  }
}
