package io.orchestrator.runs;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.fixtures.ManualClock;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;

/**
 * The run store's contract ({@link RunRecords}, {@link RunQueue}, {@link RunArchive}), written once and run against
 * every implementation: each contract class has a Redis subclass ({@code store.redis.*IT}, the truth) and an
 * in-memory one ({@code InMemory*Test}, for the fast engine tests), so both stores answer exactly alike. Each test
 * gets a fresh, empty store on a {@link ManualClock} at {@link #T0}.
 *
 * @param <S> the store under test
 */
public abstract class RunStoreContract<S extends RunRecords & RunQueue & RunArchive> {

  protected static final String WS = "ws-a";
  protected static final String ORCH = "orch_a";
  protected static final Instant T0 = Instant.parse("2025-01-15T10:00:00Z");
  protected static final Duration LEASE = Duration.ofSeconds(30);

  protected ManualClock clock;
  protected S store;

  /** A new store, empty as far as the tests can see, on {@code clock}. */
  protected abstract S newStore(ManualClock clock) throws Exception;

  /** Reads the queues of the store {@link #newStore} made last. */
  protected abstract QueueProbe probe();

  @BeforeEach
  void createStore() throws Exception {
    clock = new ManualClock(T0);
    store = newStore(clock);
  }

  protected static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  protected static NewRun newRun(String id) {
    return newRun(id, WS, ORCH, null, null);
  }

  protected static NewRun newRun(String id, String ws, String orch, Instant notBefore, String idempotencyKey) {
    return new NewRun(id, ws, orch, 3, "manual", new JsonObject().put("source", "test"),
      new JsonObject().put("orderId", 42), new JsonObject().put("region", "eu"), "corr_" + id, "validate",
      notBefore, idempotencyKey);
  }

  protected Run created(String id) throws Exception {
    await(store.create(newRun(id)));
    return await(store.get(id)).orElseThrow();
  }

  /** Creates a run and claims it: the returned run carries the worker's fencing token. */
  protected Run claimed(String id) throws Exception {
    await(store.create(newRun(id)));
    List<Run> claimed = await(claimDue(1, LEASE)).runs();
    assertThat(claimed).extracting(Run::id).containsExactly(id);
    return claimed.get(0);
  }

  /** Creates, claims and parks a run on its delay step "wait"; {@code next} null when the delay is its last step. */
  protected void parked(String id, String next, Duration delay) throws Exception {
    Run run = claimed(id);
    await(store.park(id, run.fence(), "wait", next, delay));
  }

  /**
   * Claims as one worker pass over every partition would, partition after partition, each for what is left of
   * {@code max}. The contracts pin one partition's semantics (order holds within a partition): their stores have one
   * partition; PartitionedRunStoreIT pins what spans partitions.
   */
  protected Future<DueClaim> claimDue(int max, Duration lease) {
    Future<DueClaim> all = Future.succeededFuture(DueClaim.NOTHING);
    for (int p = 0; p < store.partitions(); p++) {
      int partition = p;
      all = all.compose(sofar -> store.claimDue(partition, Math.max(0, max - sofar.runs().size()), lease)
        .map(claim -> merged(sofar, claim)));
    }
    return all;
  }

  private static DueClaim merged(DueClaim a, DueClaim b) {
    List<Run> runs = new java.util.ArrayList<>(a.runs());
    runs.addAll(b.runs());
    List<Long> completed = new java.util.ArrayList<>(a.completedOnWake());
    completed.addAll(b.completedOnWake());
    java.util.Optional<Long> next = java.util.stream.Stream.of(a.nextTimerDue(), b.nextTimerDue())
      .flatMap(java.util.Optional::stream).min(Long::compare);
    return new DueClaim(runs, completed, a.timerBacklog() || b.timerBacklog(), next);
  }

  protected TransitionResult cancel(String id) throws Exception {
    return await(store.cancel(WS, ORCH, id));
  }
}
