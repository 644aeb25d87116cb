package io.orchestrator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("DuePartitions: a claim loop's view of which partitions have due work")
class DuePartitionsTest {

  private static void nothingLeft(DuePartitions due, int partition, long now) {
    due.timersTaken(partition, false, Optional.empty(), now);
    due.runsClaimed(partition, false, now);
  }

  @Test
  @DisplayName("every partition starts due; a claim that found nothing more waits for its next timer or a signal")
  void claimsAndSignals() {
    DuePartitions due = new DuePartitions(4);
    assertThat(due.dueBy(0, false)).containsExactly(0, 1, 2, 3);
    nothingLeft(due, 0, 10);
    due.timersTaken(1, false, Optional.of(500L), 10);
    due.runsClaimed(1, false, 10);
    due.timersTaken(2, false, Optional.empty(), 10);
    due.runsClaimed(2, true, 10);
    nothingLeft(due, 3, 10);
    assertThat(due.dueBy(10, false)).containsExactly(2);
    assertThat(due.earliest()).contains(10L);
    due.runsClaimed(2, false, 11);
    assertThat(due.earliest()).contains(500L);
    assertThat(due.anyDueBy(499)).isFalse();
    assertThat(due.dueBy(500, false)).containsExactly(1);

    due.due(3, 200, 20);
    assertThat(due.earliest()).contains(200L);
    due.due(-1, 100, 20);
    assertThat(due.earliest()).contains(100L);
    assertThat(due.anyDueBy(100)).isTrue();
  }

  @Test
  @DisplayName("a pass without a free slot visits only partitions whose timers are due, and keeps what it knew of runs")
  void timersOnly() {
    DuePartitions due = new DuePartitions(3);
    for (int p = 0; p < 3; p++) {
      nothingLeft(due, p, 0);
    }
    due.due(0, 5, 5);                      // a run created now in partition 0
    due.due(1, 50, 5);                     // a timer of partition 1 at 50
    assertThat(due.dueBy(10, true)).isEmpty();
    assertThat(due.dueBy(10, false)).containsExactly(0);
    assertThat(due.dueBy(50, true)).containsExactly(1);
    due.timersTaken(1, false, Optional.empty(), 50);
    assertThat(due.dueBy(60, false)).containsExactly(0);

    due.sweep(100);
    assertThat(due.dueBy(100, true)).containsExactlyInAnyOrder(0, 1, 2);
  }

  @Test
  @DisplayName("each pass starts one partition further round, so none always comes last")
  void rotates() {
    DuePartitions due = new DuePartitions(3);
    assertThat(due.dueBy(0, false)).containsExactly(0, 1, 2);
    assertThat(due.dueBy(0, false)).containsExactly(1, 2, 0);
    assertThat(due.dueBy(0, false)).containsExactly(2, 0, 1);
  }

  @Test
  @DisplayName("free slots are shared out evenly; with fewer slots than partitions the last get none")
  void shares() {
    assertThat(DuePartitions.shares(64, 16)).containsOnly(4);
    assertThat(DuePartitions.shares(10, 4)).containsExactly(3, 3, 2, 2);
    assertThat(DuePartitions.shares(2, 4)).containsExactly(1, 1, 0, 0);
    assertThat(DuePartitions.shares(0, 2)).containsExactly(0, 0);
  }

  @Test
  @DisplayName("signals for partitions it does not have are ignored")
  void unknownPartition() {
    DuePartitions due = new DuePartitions(2);
    nothingLeft(due, 0, 0);
    nothingLeft(due, 1, 0);
    due.due(7, 5, 0);
    assertThat(due.earliest()).isEmpty();
  }
}
