package io.orchestrator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The instance's run slots, shared by its claim loops")
class WorkerSlotsTest {

  @Test
  void takesWhatIsFreeAndNoMore() {
    WorkerSlots slots = new WorkerSlots(5);

    assertThat(slots.take(3)).isEqualTo(3);
    assertThat(slots.take(3)).as("only 2 left").isEqualTo(2);
    assertThat(slots.take(1)).isZero();
    assertThat(slots.free()).isZero();
    assertThat(slots.take(0)).isZero();
    assertThat(slots.take(-2)).isZero();
  }

  @Test
  void givingBackSaysWhenEverySlotWasTaken() {
    WorkerSlots slots = new WorkerSlots(2);
    slots.take(2);

    assertThat(slots.giveBack(1)).as("the pool was full: a claim may have waited").isTrue();
    assertThat(slots.giveBack(1)).isFalse();
    assertThat(slots.free()).isEqualTo(2);
    assertThat(slots.giveBack(0)).isFalse();
  }

  @Test
  void neverHandsOutMoreThanItsCapacityUnderContention() throws Exception {
    WorkerSlots slots = new WorkerSlots(100);
    AtomicInteger granted = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      Thread thread = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        for (int i = 0; i < 1_000; i++) {
          granted.addAndGet(slots.take(3));
        }
      });
      thread.start();
      threads.add(thread);
    }
    go.countDown();
    for (Thread thread : threads) {
      thread.join();
    }

    assertThat(granted.get()).isEqualTo(100);
    assertThat(slots.free()).isZero();
  }

  @Test
  void refusesAPoolWithoutSlots() {
    assertThatThrownBy(() -> new WorkerSlots(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
