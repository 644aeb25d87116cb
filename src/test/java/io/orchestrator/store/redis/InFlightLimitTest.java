package io.orchestrator.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("InFlightLimit: at most N calls in flight, the rest started in order on their callers' contexts")
class InFlightLimitTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  @Test
  @DisplayName("with 3 allowed, a 4th call waits until one ends, then starts; every answer arrives")
  void waitsForRoom() {
    InFlightLimit limit = new InFlightLimit(3);
    List<Promise<Integer>> started = new ArrayList<>();
    List<Future<Integer>> answers = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      answers.add(limit.run(() -> {
        Promise<Integer> call = Promise.promise();
        started.add(call);
        return call.future();
      }));
    }
    assertThat(started).hasSize(3);

    started.get(1).complete(1);
    assertThat(started).hasSize(4);
    started.get(0).fail("boom");
    assertThat(started).hasSize(5);
    started.get(2).complete(2);
    started.get(3).complete(3);
    started.get(4).complete(4);

    assertThat(answers.get(0).cause()).hasMessage("boom");
    assertThat(answers.subList(1, 5)).allSatisfy(answer -> assertThat(answer.succeeded()).isTrue());
    assertThat(answers.get(4).result()).isEqualTo(4);
  }

  @Test
  @DisplayName("calls from 8 event loops: never more than the limit in flight, each started on its caller's context")
  void manyContexts() throws Exception {
    InFlightLimit limit = new InFlightLimit(4);
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    ConcurrentLinkedQueue<String> wrongContext = new ConcurrentLinkedQueue<>();
    int callers = 8;
    int callsEach = 200;
    CountDownLatch done = new CountDownLatch(callers * callsEach);
    for (int c = 0; c < callers; c++) {
      Context caller = vertx.getOrCreateContext();
      caller.runOnContext(v -> {
        for (int i = 0; i < callsEach; i++) {
          limit.run(() -> {
            if (Vertx.currentContext() != caller) {
              wrongContext.add("started on " + Vertx.currentContext());
            }
            most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            Promise<Void> call = Promise.promise();
            vertx.setTimer(1, t -> {
              inFlight.decrementAndGet();
              call.complete();
            });
            return call.future();
          }).onComplete(answer -> done.countDown());
        }
      });
    }

    assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(most.get()).isBetween(1, 4);
    assertThat(wrongContext).isEmpty();
  }

  @Test
  @DisplayName("a call that throws fails its answer and gives its room back")
  void throwingCall() {
    InFlightLimit limit = new InFlightLimit(1);
    Future<Object> thrown = limit.run(() -> {
      throw new IllegalStateException("no");
    });
    CompletableFuture<String> next = new CompletableFuture<>();
    limit.run(() -> Future.succeededFuture("ran")).onSuccess(next::complete);

    assertThat(thrown.cause()).hasMessage("no");
    assertThat(next.join()).isEqualTo("ran");
  }
}
