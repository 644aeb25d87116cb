package io.orchestrator.store.redis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** What a {@link PartitionMigration} moved, per kind of key or entry, and what it left alone. */
public final class MigrationSummary {

  static final String RUNS = "run hashes";
  static final String READY = "ready entries";
  static final String TIMERS = "timers entries";
  static final String LEASES = "leases entries";
  static final String EXPIRY = "expiry entries";
  static final String UNARCHIVED = "unarchived entries";
  static final String INDEX = "index entries";
  static final String CORRELATION = "correlation entries";
  static final String IDEMPOTENCY = "idempotency keys";
  static final String TASKS = "task hashes";
  static final String TASKS_REMINTED = "task ids re-minted";
  static final String TASK_QUEUE = "task queue entries";
  static final String TASK_LEASES = "task lease entries";
  static final String TASK_QUEUES_KNOWN = "task queues known";
  static final String SCHEDULES = "schedule entries";
  static final String SCHEDULE_HASHES = "schedule hashes";
  static final String EVENT_DEDUPE = "event dedupe keys";
  static final String RATE_DROPPED = "rate windows dropped";
  static final String DANGLING = "dangling entries dropped";
  /** The order of the printed summary. */
  private static final List<String> KINDS = List.of(RUNS, READY, TIMERS, LEASES, EXPIRY, UNARCHIVED, INDEX,
    CORRELATION, IDEMPOTENCY, TASKS, TASKS_REMINTED, TASK_QUEUE, TASK_LEASES, TASK_QUEUES_KNOWN, SCHEDULES,
    SCHEDULE_HASHES, EVENT_DEDUPE, RATE_DROPPED, DANGLING);

  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
  private final List<String> leftInPlace = Collections.synchronizedList(new ArrayList<>());

  MigrationSummary add(String kind, long n) {
    counts.computeIfAbsent(kind, k -> new LongAdder()).add(n);
    return this;
  }

  void leftInPlace(String key) {
    leftInPlace.add(key);
  }

  /** How many of one kind were moved (or dropped); 0 for a kind never seen. */
  public long count(String kind) {
    LongAdder n = counts.get(kind);
    return n == null ? 0 : n.sum();
  }

  /** Every kind with its count, in the printed order. */
  public Map<String, Long> counts() {
    Map<String, Long> all = new LinkedHashMap<>();
    KINDS.forEach(kind -> all.put(kind, count(kind)));
    return all;
  }

  /** Legacy keys of no kind the migration knows, left as they were. */
  public List<String> leftInPlace() {
    synchronized (leftInPlace) {
      return List.copyOf(leftInPlace);
    }
  }

  /** Whether nothing was moved or dropped (a second run, or a deployment with no single-tag data). */
  public boolean nothingMoved() {
    return KINDS.stream().allMatch(kind -> count(kind) == 0);
  }

  /** One line per kind, then the keys left in place. */
  public String describe() {
    StringBuilder out = new StringBuilder();
    counts().forEach((kind, n) -> out.append(String.format("  %-26s %d%n", kind, n)));
    List<String> left = leftInPlace();
    out.append(String.format("  %-26s %d%n", "unknown keys left in place", left.size()));
    left.stream().limit(20).forEach(key -> out.append("    ").append(key).append('\n'));
    return out.toString();
  }
}
