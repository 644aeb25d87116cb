package io.orchestrator.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.common.ApiException;
import io.orchestrator.runs.TransitionResult;
import io.orchestrator.runs.WakeSignal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link TaskService}'s long-poll bookkeeping against an in-memory store and signal, without Redis. */
class TaskServiceTest {

  private static final Duration LEASE = Duration.ofSeconds(30);

  private Vertx vertx;
  private FakeStore store;
  private FakeSignal signal;
  private List<Long> wakes;
  private TaskService service;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    store = new FakeStore();
    signal = new FakeSignal();
    wakes = new CopyOnWriteArrayList<>();
    WakeSignal wake = new WakeSignal() {
      @Override
      public void runDue(String runOrTaskId, long dueAtMillis) {
        wakes.add(dueAtMillis);
      }

      @Override
      public void anyDue(long dueAtMillis) {
        wakes.add(dueAtMillis);
      }

      @Override
      public void onRunDue(Listener listener) {
      }
    };
    service = new TaskService(vertx, store, signal, wake, LEASE, java.time.Clock.systemUTC());
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("a task signalled while the poll's first claim is in flight is not missed (no lost wake-up)")
  void signalDuringClaim() throws Exception {
    store.onClaim = call -> {
      if (call == 1) {
        // the task arrives (and is announced) after the claim looked at the queue but before it answered
        store.available.add(task("task_1.1"));
        signal.taskAvailable("ws", "q");
        return List.of();
      }
      return store.drain();
    };
    long started = System.nanoTime();

    List<WorkerTask> tasks = await(service.poll("ws", "q", 1, 5_000));

    assertThat(tasks).extracting(WorkerTask::taskId).containsExactly("task_1.1");
    assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(1_000);
  }

  @Test
  @DisplayName("a waiting poll is woken by its own queue's signal only, and claims then")
  void wokenBySignal() throws Exception {
    Future<List<WorkerTask>> polled = service.poll("ws", "q", 5, 5_000);
    Thread.sleep(100);
    signal.taskAvailable("ws", "other");
    signal.taskAvailable("ws-other", "q");
    Thread.sleep(100);
    assertThat(polled.isComplete()).isFalse();
    int claimsBefore = store.claims.get();

    store.available.add(task("task_1.1"));
    signal.taskAvailable("ws", "q");

    assertThat(await(polled)).extracting(WorkerTask::taskId).containsExactly("task_1.1");
    assertThat(store.claims.get()).isEqualTo(claimsBefore + 1);
  }

  @Test
  @DisplayName("a poll that loses the race for a signalled task waits on until its deadline")
  void lostRaceWaitsOn() throws Exception {
    long started = System.nanoTime();
    Future<List<WorkerTask>> polled = service.poll("ws", "q", 1, 600);
    Thread.sleep(100);
    signal.taskAvailable("ws", "q");

    assertThat(await(polled)).isEmpty();
    assertThat((System.nanoTime() - started) / 1_000_000).isBetween(550L, 2_000L);
  }

  @Test
  @DisplayName("waitMs 0 claims once and answers at once")
  void noWait() throws Exception {
    assertThat(await(service.poll("ws", "q", 1, 0))).isEmpty();
    assertThat(store.claims.get()).isEqualTo(1);
  }

  @Test
  @DisplayName("many polls on one queue, many signals: every poll ends, none is left registered")
  void manyWaiters() throws Exception {
    List<Future<List<WorkerTask>>> polls = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      polls.add(service.poll("ws", "q", 1, 2_000));
    }
    for (int i = 0; i < 20; i++) {
      store.available.add(task("task_" + i + ".1"));
      signal.taskAvailable("ws", "q");
    }
    List<String> delivered = new ArrayList<>();
    for (Future<List<WorkerTask>> poll : polls) {
      await(poll).forEach(t -> delivered.add(t.taskId()));
    }
    assertThat(delivered).hasSize(20).doesNotHaveDuplicates();
    assertThat(service.waiting()).isZero();
  }

  @Test
  @DisplayName("an accepted report wakes the engine at once; a refused one answers 409 conflict")
  void reports() throws Exception {
    await(service.complete("ws", "task_1.1", new JsonObject()));
    assertThat(wakes).hasSize(1);

    store.outcome = ReportOutcome.STALE;
    ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
      () -> await(service.fail("ws", "task_1.1", "x", true)));
    assertThat(refused.getCause()).isInstanceOf(ApiException.class);
    assertThat(((ApiException) refused.getCause()).status()).isEqualTo(409);
    assertThat(wakes).hasSize(1);
  }

  @Test
  @DisplayName("queues lists only the caller's workspace's queues, sorted by name, with depth and oldest age as sampled")
  void queuesOfOneWorkspace() throws Exception {
    store.stats = List.of(new QueueStat("ws", "sums", 3, 1250), new QueueStat("other", "emails", 9, 99),
      new QueueStat("ws", "emails", 0, 0), new QueueStat("ws-2", "sums", 1, 5));

    assertThat(await(service.queues("ws"))).containsExactly(new QueueStat("ws", "emails", 0, 0),
      new QueueStat("ws", "sums", 3, 1250));
    assertThat(await(service.queues("nobody"))).isEmpty();
  }

  private static WorkerTask task(String taskId) {
    return new WorkerTask(taskId, "run_1", "orch_1", 1, "ws", "q", "func_1", "work", 1,
      new JsonObject().put("input", new JsonObject()).put("context", new JsonObject()).put("steps", new JsonObject()),
      Instant.now().plus(LEASE));
  }

  /** Tasks put in {@code available} are handed out by claim; {@code onClaim} may script a claim. */
  private static final class FakeStore implements TaskStore {

    final List<WorkerTask> available = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger claims = new AtomicInteger();
    volatile java.util.function.IntFunction<List<WorkerTask>> onClaim;
    volatile ReportOutcome outcome = ReportOutcome.OK;
    volatile List<QueueStat> stats = List.of();

    List<WorkerTask> drain() {
      synchronized (available) {
        if (available.isEmpty()) {
          return List.of();
        }
        return List.of(available.remove(0));
      }
    }

    @Override
    public Future<List<WorkerTask>> claim(String workspace, String queue, int max, Duration lease) {
      int call = claims.incrementAndGet();
      return Future.succeededFuture(onClaim != null ? onClaim.apply(call) : drain());
    }

    @Override
    public Future<ReportOutcome> report(String workspace, String taskId, TaskResult result) {
      return Future.succeededFuture(outcome);
    }

    @Override
    public Future<Optional<Instant>> heartbeat(String workspace, String taskId, Duration lease) {
      return Future.succeededFuture(Optional.empty());
    }

    @Override
    public Future<TransitionResult> enqueue(String runId, long fence, NewTask task) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<TaskResolution> resolve(String runId, long fence) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<List<QueueRef>> requeueExpired(int max) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<List<QueueStat>> queueStats() {
      return Future.succeededFuture(stats);
    }
  }

  private static final class FakeSignal implements TaskSignal {

    private final List<BiConsumer<String, String>> listeners = new CopyOnWriteArrayList<>();

    @Override
    public void taskAvailable(String workspace, String queue) {
      listeners.forEach(l -> l.accept(workspace, queue));
    }

    @Override
    public void onTaskAvailable(BiConsumer<String, String> listener) {
      listeners.add(listener);
    }
  }
}
