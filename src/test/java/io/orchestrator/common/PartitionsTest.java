package io.orchestrator.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Partitions: a run's id says its partition")
class PartitionsTest {

  private final Partitions sixteen = new Partitions(16);
  private final Ids ids = new Ids(Clock.systemUTC(), sixteen);

  @Test
  @DisplayName("an id minted for partition p is in p, for any count that p fits; its tasks are in its partition")
  void mintedIdsCarryTheirPartition() {
    for (int count : new int[] {1, 2, 16, 100, Partitions.MAX}) {
      Partitions partitions = new Partitions(count);
      for (int p = 0; p < count; p += Math.max(1, count / 17)) {
        String run = ids.run(p);
        assertThat(run).startsWith("run_").hasSize(30);
        assertThat(partitions.of(run)).isEqualTo(p);
        String task = ids.task(run);
        assertThat(partitions.of(task)).isEqualTo(p);
        assertThat(partitions.of(task + ".12")).as("a worker-facing task id").isEqualTo(p);
      }
    }
  }

  @Test
  @DisplayName("random run ids spread evenly over the partitions")
  void randomIdsSpread() {
    int[] counts = new int[16];
    for (int i = 0; i < 32_000; i++) {
      counts[sixteen.of(ids.run())]++;
    }
    for (int count : counts) {
      assertThat(count).isBetween(1_600, 2_400);
    }
  }

  @Test
  @DisplayName("an idempotency key's run is minted in the key's partition, the same on every instance")
  void idempotencyKeys() {
    String run = ids.run("acme", "orch_1", "order-42");
    assertThat(sixteen.of(run)).isEqualTo(sixteen.ofIdempotencyKey("acme", "orch_1", "order-42"));
    assertThat(new Partitions(16).ofIdempotencyKey("acme", "orch_1", "order-42"))
      .isEqualTo(sixteen.ofIdempotencyKey("acme", "orch_1", "order-42"));
  }

  @Test
  @DisplayName("any string maps to a partition (made-up ids, legacy ids, empty), always the same one")
  void anyStringMaps() {
    for (String id : new String[] {"", "x", "run_1", "run_ab", "run_%%", "task_.", "ü"}) {
      int partition = sixteen.of(id);
      assertThat(partition).isBetween(0, 15).isEqualTo(sixteen.of(id));
    }
  }

  @Test
  @DisplayName("the count is 1..1024; minting outside 0..1023 is refused")
  void bounds() {
    assertThatThrownBy(() -> new Partitions(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Partitions(1025)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ids.run(1024)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ids.run(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
