package io.orchestrator.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What one claim loop knows of the partitions' due work (DESIGN.md §11): per partition, the earliest time it may
 * have some (a signalled due time, or the next timer its last claim reported). A pass claims from the partitions due
 * by now, starting one further round each pass, so with more due partitions than free slots none waits behind the
 * others. Not thread-safe: the owning verticle's context only.
 */
final class DuePartitions {

  private static final long NONE = Long.MAX_VALUE;

  private final long[] dueAt;
  private int start;

  /** All partitions start due: the first pass looks at every one. */
  DuePartitions(int count) {
    this.dueAt = new long[count];
  }

  int count() {
    return dueAt.length;
  }

  /** Partition {@code partition} (or every one, when negative) may have work due at {@code at}. */
  void due(int partition, long at) {
    if (partition < 0) {
      for (int p = 0; p < dueAt.length; p++) {
        dueAt[p] = Math.min(dueAt[p], at);
      }
    } else if (partition < dueAt.length) {
      dueAt[partition] = Math.min(dueAt[partition], at);
    }
  }

  /** After a claim of the partition: it has more now ({@code more}), or nothing before its next timer. */
  void claimed(int partition, boolean more, Optional<Long> nextTimer, long now) {
    dueAt[partition] = more ? now : nextTimer.orElse(NONE);
  }

  /** The partitions due by {@code now}, from this pass's starting point round; the next pass starts one further. */
  List<Integer> dueBy(long now) {
    List<Integer> due = new ArrayList<>();
    for (int i = 0; i < dueAt.length; i++) {
      int p = (start + i) % dueAt.length;
      if (dueAt[p] <= now) {
        due.add(p);
      }
    }
    start = (start + 1) % dueAt.length;
    return due;
  }

  boolean anyDueBy(long now) {
    return Arrays.stream(dueAt).anyMatch(at -> at <= now);
  }

  /** The earliest time any partition may have due work. */
  Optional<Long> earliest() {
    long min = Arrays.stream(dueAt).min().orElse(NONE);
    return min == NONE ? Optional.empty() : Optional.of(min);
  }

  /**
   * {@code slots} shared out over {@code partitions} partitions: equal shares, the first ones one more when it does
   * not divide; with fewer slots than partitions the last ones get none (they stay due for the next pass).
   */
  static int[] shares(int slots, int partitions) {
    int[] shares = new int[partitions];
    for (int i = 0; i < partitions; i++) {
      shares[i] = slots / partitions + (i < slots % partitions ? 1 : 0);
    }
    return shares;
  }
}
