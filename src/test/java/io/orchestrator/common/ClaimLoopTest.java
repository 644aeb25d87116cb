package io.orchestrator.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.fixtures.TestApp;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ClaimLoopTest {

  private static final StoreUnavailableException OUTAGE = new StoreUnavailableException("Redis", "refused");

  private final Vertx vertx = Vertx.vertx();
  private final List<Promise<ClaimLoop.Next>> passes = new CopyOnWriteArrayList<>();
  private final AtomicInteger nextDueReads = new AtomicInteger();
  private final List<Promise<Void>> waitsForStores = new CopyOnWriteArrayList<>();
  private volatile Optional<Long> nextDue = Optional.empty();
  private ClaimLoop loop;

  @AfterEach
  void close() {
    TestApp.await(vertx.close());
  }

  private void startLoop() {
    loop = new ClaimLoop("things", () -> {
      Promise<ClaimLoop.Next> pass = Promise.promise();
      passes.add(pass);
      return pass.future();
    }, () -> {
      nextDueReads.incrementAndGet();
      return Future.succeededFuture(nextDue);
    }, Duration.ofMillis(100), e -> e == OUTAGE ? Optional.of(OUTAGE) : Optional.empty(), () -> {
      Promise<Void> wait = Promise.promise();
      waitsForStores.add(wait);
      return wait.future();
    }, Clock.systemUTC());
    vertx.runOnContext(v -> loop.start(vertx));
    await(() -> passes.size() == 1, "the first pass");
  }

  @Test
  @DisplayName("passes never overlap: a request during a pass runs exactly one more pass after it")
  void noOverlap() {
    startLoop();
    vertx.runOnContext(v -> {
      loop.claimNow();
      loop.claimNow();
    });
    pause(50);
    assertThat(passes).hasSize(1);
    passes.get(0).complete(ClaimLoop.Next.SLEEP);
    await(() -> passes.size() == 2, "the requested pass");
    passes.get(1).complete(ClaimLoop.Next.SLEEP);
    pause(50);
    assertThat(passes).hasSize(2);
  }

  @Test
  @DisplayName("AGAIN claims at once, SLEEP reads the next due time and wakes at it minus the lookahead, WAIT idles")
  void nextSteps() {
    startLoop();
    passes.get(0).complete(ClaimLoop.Next.AGAIN);
    await(() -> passes.size() == 2, "a pass right after AGAIN");
    nextDue = Optional.of(System.currentTimeMillis() + 300);
    long slept = System.currentTimeMillis();
    passes.get(1).complete(ClaimLoop.Next.SLEEP);
    await(() -> passes.size() == 3, "the pass at the due time minus the lookahead");
    assertThat(System.currentTimeMillis() - slept).isBetween(150L, 290L);
    assertThat(nextDueReads.get()).isEqualTo(1);
    passes.get(2).complete(ClaimLoop.Next.WAIT);
    pause(300);
    assertThat(passes).hasSize(3);
    assertThat(nextDueReads.get()).isEqualTo(1);
  }

  @Test
  @DisplayName("a pass that meets an outage runs again as soon as the stores answer, not at the fallback poll")
  void outage() {
    startLoop();
    passes.get(0).fail(OUTAGE);
    await(() -> waitsForStores.size() == 1, "waiting for the stores");
    pause(50);
    assertThat(passes).hasSize(1);
    waitsForStores.get(0).complete();
    await(() -> passes.size() == 2, "the pass after the stores answered");
  }

  @Test
  @DisplayName("stop claims nothing more and waits for the owner's work (bounded by the grace)")
  void stop() {
    startLoop();
    passes.get(0).complete(ClaimLoop.Next.SLEEP);
    AtomicBoolean idle = new AtomicBoolean();
    Promise<Future<Void>> stopping = Promise.promise();
    vertx.runOnContext(v -> stopping.complete(loop.stop(idle::get, Duration.ofSeconds(5))));
    Future<Void> stopped = TestApp.await(stopping.future());
    vertx.runOnContext(v -> loop.claimNow());
    pause(100);
    assertThat(stopped.isComplete()).isFalse();
    idle.set(true);
    TestApp.await(stopped);
    assertThat(passes).hasSize(1);
  }

  private static void await(BooleanSupplier done, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + ": not within 5 s");
      }
      pause(5);
    }
  }

  private static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
