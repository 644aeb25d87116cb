package io.orchestrator.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class EarliestWakeUpTest {

  private static Vertx vertx;
  private static Context context;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("an earlier request re-arms the timer; the task runs once, at the earlier instant")
  void earlierWins() throws Exception {
    List<Long> runs = new CopyOnWriteArrayList<>();
    long start = System.currentTimeMillis();
    onContext(wakeUp(runs), w -> {
      w.at(start + 400);
      w.at(start + 100);
    });
    awaitRuns(runs, 1);
    assertThat(runs.get(0) - start).isBetween(90L, 350L);
    Thread.sleep(450);
    assertThat(runs).hasSize(1);
  }

  @Test
  @DisplayName("a later request never delays an armed timer")
  void laterNeverDelays() throws Exception {
    List<Long> runs = new CopyOnWriteArrayList<>();
    long start = System.currentTimeMillis();
    onContext(wakeUp(runs), w -> {
      w.at(start + 100);
      w.at(start + 2_000);
    });
    awaitRuns(runs, 1);
    assertThat(runs.get(0) - start).isLessThan(1_000L);
  }

  @Test
  @DisplayName("a due time in the past runs the task at once; after cancel nothing runs")
  void pastRunsAtOnceAndCancelStops() throws Exception {
    List<Long> runs = new CopyOnWriteArrayList<>();
    EarliestWakeUp wakeUp = wakeUp(runs);
    onContext(wakeUp, w -> w.at(System.currentTimeMillis() - 5));
    awaitRuns(runs, 1);
    onContext(wakeUp, w -> {
      w.at(System.currentTimeMillis() + 50);
      w.cancel();
      w.at(System.currentTimeMillis() - 1);
    });
    Thread.sleep(200);
    assertThat(runs).hasSize(1);
  }

  private static EarliestWakeUp wakeUp(List<Long> runs) {
    return new EarliestWakeUp(vertx, Clock.systemUTC(), () -> runs.add(System.currentTimeMillis()));
  }

  private static void onContext(EarliestWakeUp wakeUp, java.util.function.Consumer<EarliestWakeUp> action) {
    context.runOnContext(v -> action.accept(wakeUp));
  }

  private static void awaitRuns(List<Long> runs, int count) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 5_000;
    while (runs.size() < count && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
    assertThat(runs).hasSizeGreaterThanOrEqualTo(count);
  }
}
