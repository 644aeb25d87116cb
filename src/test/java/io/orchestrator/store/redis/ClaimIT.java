package io.orchestrator.store.redis;

import io.orchestrator.fixtures.ManualClock;
import io.orchestrator.runs.ClaimContract;
import io.orchestrator.runs.DueClaim;
import io.orchestrator.runs.QueueDepths;
import io.orchestrator.runs.QueueProbe;
import io.orchestrator.runs.Run;
import io.orchestrator.runs.RunStatus;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link ClaimContract} on Redis, and what only raw keys can set up: ids left in the queues without a live run. */
class ClaimIT extends ClaimContract<RedisRunStore> {

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
  @DisplayName("a cancelled run's leftover timer does not bring it back to life")
  void claimIgnoresTimersOfFinishedRuns() throws Exception {
    parked("run_1", null, Duration.ofSeconds(1));
    cancel("run_1");
    redis.send(Request.cmd(Command.ZADD).arg(redis.keys().timers()).arg(T0.toEpochMilli()).arg("run_1"));
    clock.advance(Duration.ofSeconds(1));

    DueClaim claim = await(store.claimDue(0, 5, LEASE));

    assertThat(claim.runs()).isEmpty();
    assertThat(claim.completedOnWake()).isEmpty();
    assertThat(await(store.get("run_1")).orElseThrow().status()).isEqualTo(RunStatus.CANCELLED);
    assertThat(await(store.queueDepths()).timers()).isZero();
  }

  @Test
  @DisplayName("a claim takes a bounded number of due timers and says when more are due; the next claims take the rest")
  void claimBoundsTimerWorkAndReportsBacklog() throws Exception {
    Request zadd = Request.cmd(Command.ZADD).arg(redis.keys().timers());
    for (int i = 0; i < 1_001; i++) {
      zadd.arg(T0.toEpochMilli() - i).arg("run_gone_" + i);
    }
    redis.send(zadd);

    assertThat(await(store.claimDue(0, 5, LEASE)).timerBacklog()).isTrue();
    assertThat(await(store.queueDepths()).timers()).isEqualTo(1);
    assertThat(await(store.claimDue(0, 5, LEASE)).timerBacklog()).isFalse();
    assertThat(await(store.queueDepths())).isEqualTo(new QueueDepths(0, 0, 0, 0));
  }

  @Test
  @DisplayName("an id in the ready queue whose run is gone is dropped from the queue, not claimed")
  void claimSkipsVanishedRuns() throws Exception {
    redis.send(Request.cmd(Command.ZADD).arg(redis.keys().ready()).arg(T0.toEpochMilli()).arg("run_ghost"));
    clock.advance(Duration.ofMillis(1));
    await(store.create(newRun("run_1")));

    List<Run> claimed = await(store.claimDue(0, 1, LEASE)).runs();

    assertThat(claimed).extracting(Run::id).containsExactly("run_1");
    assertThat(await(store.queueDepths()).ready()).isZero();
  }
}
