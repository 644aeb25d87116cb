package io.orchestrator.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What one claim loop knows of the partitions' due work (DESIGN.md §11): per partition, when it may have claimable
 * runs (a signal for now, or a claim that found more than it took) and when its next timer falls due (a claim's
 * report, or a signal for a later time). A pass claims from the partitions due by now, starting one further round
 * each pass, so with more due partitions than free slots none waits behind the others; a pass without a free slot
 * only visits the partitions whose timers are due. Not thread-safe: the owning verticle's context only.
 */
final class DuePartitions {

  private static final long NONE = Long.MAX_VALUE;

  private final long[] readyAt;
  private final long[] timerAt;
  private int start;

  /** All partitions start due: the first pass looks at every one. */
  DuePartitions(int count) {
    this.readyAt = new long[count];
    this.timerAt = new long[count];
  }

  int count() {
    return readyAt.length;
  }

  /**
   * Partition {@code partition} (or every one, when negative) may have work due at {@code at}: claimable runs when
   * {@code at} has come ({@code now}), else a timer.
   */
  void due(int partition, long at, long now) {
    if (partition < 0) {
      for (int p = 0; p < readyAt.length; p++) {
        due(p, at, now);
      }
    } else if (partition < readyAt.length) {
      long[] times = at <= now ? readyAt : timerAt;
      times[partition] = Math.min(times[partition], at);
    }
  }

  /** Every partition is looked at now, runs and timers (the periodic sweep that makes up for lost signals). */
  void sweep(long now) {
    Arrays.fill(readyAt, now);
    for (int p = 0; p < timerAt.length; p++) {
      timerAt[p] = Math.min(timerAt[p], now);
    }
  }

  /** After a claim took the partition's due timers: more are due now ({@code backlog}), or none before {@code next}. */
  void timersTaken(int partition, boolean backlog, Optional<Long> next, long now) {
    timerAt[partition] = backlog ? now : next.orElse(NONE);
  }

  /** After a claim of the partition's runs: it may have more claimable now ({@code more}: it took all it asked). */
  void runsClaimed(int partition, boolean more, long now) {
    readyAt[partition] = more ? now : NONE;
  }

  /**
   * The partitions due by {@code now} (only those whose timers are, with {@code timersOnly}), from this pass's
   * starting point round; the next pass starts one further.
   */
  List<Integer> dueBy(long now, boolean timersOnly) {
    List<Integer> due = new ArrayList<>();
    for (int i = 0; i < readyAt.length; i++) {
      int p = (start + i) % readyAt.length;
      if (timerAt[p] <= now || !timersOnly && readyAt[p] <= now) {
        due.add(p);
      }
    }
    start = (start + 1) % readyAt.length;
    return due;
  }

  boolean anyDueBy(long now) {
    return Arrays.stream(readyAt).anyMatch(at -> at <= now) || Arrays.stream(timerAt).anyMatch(at -> at <= now);
  }

  /** The earliest time any partition may have due work. */
  Optional<Long> earliest() {
    long min = Math.min(Arrays.stream(readyAt).min().orElse(NONE), Arrays.stream(timerAt).min().orElse(NONE));
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
