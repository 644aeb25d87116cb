package io.orchestrator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("DuePartitions: a claim loop's view of which partitions have due work")
class DuePartitionsTest {

  @Test
  @DisplayName("every partition starts due; a claim that found nothing more waits for its next timer or a signal")
  void claimsAndSignals() {
    DuePartitions due = new DuePartitions(4);
    assertThat(due.dueBy(0)).containsExactly(0, 1, 2, 3);
    due.claimed(0, false, Optional.empty(), 10);
    due.claimed(1, false, Optional.of(500L), 10);
    due.claimed(2, true, Optional.empty(), 10);
    due.claimed(3, false, Optional.empty(), 10);
    assertThat(due.dueBy(10)).containsExactly(2);
    assertThat(due.earliest()).contains(10L);
    due.claimed(2, false, Optional.empty(), 11);
    assertThat(due.earliest()).contains(500L);
    assertThat(due.anyDueBy(499)).isFalse();
    assertThat(due.dueBy(500)).containsExactly(1);

    due.due(3, 200);
    assertThat(due.earliest()).contains(200L);
    due.due(-1, 100);
    assertThat(due.earliest()).contains(100L);
    assertThat(due.anyDueBy(100)).isTrue();
  }

  @Test
  @DisplayName("each pass starts one partition further round, so none always comes last")
  void rotates() {
    DuePartitions due = new DuePartitions(3);
    assertThat(due.dueBy(0)).containsExactly(0, 1, 2);
    assertThat(due.dueBy(0)).containsExactly(1, 2, 0);
    assertThat(due.dueBy(0)).containsExactly(2, 0, 1);
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
    due.claimed(0, false, Optional.empty(), 0);
    due.claimed(1, false, Optional.empty(), 0);
    due.due(7, 5);
    assertThat(due.earliest()).isEmpty();
  }
}
