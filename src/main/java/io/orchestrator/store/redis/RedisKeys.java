package io.orchestrator.store.redis;

import io.orchestrator.tasks.QueueRef;

/**
 * The keys of one partition (see {@link Keyspace}): all share the partition's hash tag, {@code {<tag>}:…}, so every
 * script's keys live in one Redis Cluster slot. The Lua scripts derive run and index keys from {@link #prefix()}
 * with the same layout as {@link #run} and {@link #index}: change both together.
 */
public final class RedisKeys {

  /** The event stream of DESIGN.md §7; producers outside this service write to it, so it carries no prefix. */
  public static final String DEFAULT_EVENT_STREAM = "orchestrator:events";
  /** Key parts the Lua scripts also derive keys from (passed to them by {@link LuaPrelude}). */
  static final String RUN = "run:";
  static final String INDEX = "idx:";
  static final String STATUS_INDEX = ":bystatus";
  static final String CORRELATION = "corr:";
  static final String TASK = "task:";
  static final String TASK_QUEUE = "tq:";

  private final String prefix;
  private final int partition;

  /** @param tag the hash tag's content, e.g. {@code orch:p3} */
  RedisKeys(String tag, int partition) {
    this.prefix = "{" + tag + "}:";
    this.partition = partition;
  }

  /** The partition these keys belong to. */
  public int partition() {
    return partition;
  }

  /** {@code {tag}:}, passed to scripts that derive keys from ids found inside Redis. */
  public String prefix() {
    return prefix;
  }

  /** Worker task hash. */
  public String task(String taskId) {
    return prefix + TASK + taskId;
  }

  /** Zset taskId → enqueue ms: tasks of one workspace's queue waiting for a worker. */
  public String taskQueue(String workspace, String queue) {
    return prefix + TASK_QUEUE + workspace + ":" + queue;
  }

  /**
   * The workspace and queue a {@link #taskQueue} key names; null for any other key. Workspace slugs and queue names
   * cannot contain ':', so the first ':' after the prefix separates them.
   */
  public QueueRef taskQueueRef(String key) {
    String head = prefix + TASK_QUEUE;
    if (key == null || !key.startsWith(head)) {
      return null;
    }
    String rest = key.substring(head.length());
    int colon = rest.indexOf(':');
    return colon <= 0 || colon == rest.length() - 1 ? null
      : new QueueRef(rest.substring(0, colon), rest.substring(colon + 1));
  }

  /** Zset taskId → lease expiry ms: tasks held by a worker. */
  public String taskLeases() {
    return prefix + "tleases";
  }

  /** Set of every task queue key that ever held a task (for metrics). */
  public String taskQueues() {
    return prefix + "tqueues";
  }



  /** Zset orchestrationId → next fire ms (claim expiry ms while a scheduler holds it). */
  public String schedules() {
    return prefix + "schedules";
  }

  /**
   * Hash of one orchestration's schedule (workspace, version, spec, anchor, scheduledFor, claim), or its tombstone.
   * {@code claimDueSchedules-1.lua} derives it from {@link #prefix()}: change both together.
   */
  public String schedule(String orchestrationId) {
    return prefix + "schedule:" + orchestrationId;
  }

  /** Run hash. */
  public String run(String runId) {
    return prefix + RUN + runId;
  }

  /** Zset runId → enqueue ms: claimable now. */
  public String ready() {
    return prefix + "ready";
  }

  /** Zset runId → due ms: delay wake-ups, retry backoffs, delayed starts. */
  public String timers() {
    return prefix + "timers";
  }

  /** Zset runId → lease expiry ms. */
  public String leases() {
    return prefix + "leases";
  }

  /** List of run ids, oldest first: terminal runs whose history is not yet in PostgreSQL. */
  public String unarchived() {
    return prefix + "unarchived";
  }

  /** Zset runId → ms when the Redis copy of a persisted run may be dropped. */
  public String expiry() {
    return prefix + "expiry";
  }

  /** Zset runId → createdAt ms of every run of one orchestration. */
  public String index(String workspace, String orchestrationId) {
    return prefix + INDEX + workspace + ":" + orchestrationId;
  }

  /** Zset runId → status band + createdAt ms of every run of one orchestration (see {@link StatusBands}). */
  public String statusIndex(String workspace, String orchestrationId) {
    return index(workspace, orchestrationId) + STATUS_INDEX;
  }

  /** Zset runId → createdAt ms of every run of one workspace started with that correlation id. */
  public String correlation(String workspace, String correlationId) {
    return prefix + CORRELATION + workspace + ":" + correlationId;
  }

  /** String holding the run id created under an idempotency key. */
  public String idempotency(String workspace, String orchestrationId, String key) {
    return prefix + "idem:" + workspace + ":" + orchestrationId + ":" + key;
  }


  /** String holding the JSON array of runs an event id's first delivery started. */
  public String eventDedupe(String workspace, String eventId) {
    return prefix + "evt:" + workspace + ":" + eventId;
  }

  /** Counter of one http-trigger path's deliveries in one rate-limit window ({@code window} = its start / length). */
  public String httpTriggerRate(String workspace, String path, long window) {
    return prefix + "rate:http:" + workspace + ":" + path + ":" + window;
  }

  /**
   * Stands in for an optional key that is absent (no idempotency key, no correlation id): a script's key count is
   * fixed and every key must be in the same slot, so an empty string would not do. Scripts never touch it.
   */
  public String absent() {
    return prefix + "idem:-";
  }
}
