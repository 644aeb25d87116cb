package io.orchestrator.store.redis;

import io.orchestrator.common.Partitions;
import java.util.ArrayList;
import java.util.List;

/**
 * The service's whole Redis keyspace (DESIGN.md §11): one {@link RedisKeys} per partition, each under its own hash
 * tag ({@link HashSlots#partitionTag}), so a Redis Cluster spreads the partitions over its shards while every script
 * stays inside one partition's slot. Besides the partitions: the pub/sub channels every instance listens on (not
 * keys: a cluster broadcasts them), the deployment's meta hash (its partition count) and the event stream.
 */
public final class Keyspace {

  private final String name;
  private final Partitions partitions;
  private final List<RedisKeys> keys;
  private final String eventStream;

  /**
   * @param name        the hash tags' stem, e.g. {@code orch}; tests use a random one for isolation
   * @param eventStream the event stream's key, used as is (no prefix)
   */
  public Keyspace(String name, Partitions partitions, String eventStream) {
    if (name == null || name.isEmpty() || name.contains("{") || name.contains("}")) {
      throw new IllegalArgumentException("key prefix must be non-empty and free of braces: " + name);
    }
    if (eventStream == null || eventStream.isBlank()) {
      throw new IllegalArgumentException("event stream key must be non-empty");
    }
    this.name = name;
    this.partitions = partitions;
    this.eventStream = eventStream;
    List<RedisKeys> all = new ArrayList<>(partitions.count());
    for (int n = 0; n < partitions.count(); n++) {
      all.add(new RedisKeys(HashSlots.partitionTag(name, n, partitions.count()), n));
    }
    this.keys = List.copyOf(all);
  }

  public Keyspace(String name, Partitions partitions) {
    this(name, partitions, RedisKeys.DEFAULT_EVENT_STREAM);
  }

  public Partitions partitions() {
    return partitions;
  }

  /** Partition {@code n}'s keys. */
  public RedisKeys partition(int n) {
    return keys.get(n);
  }

  /** Every partition's keys, by partition number. */
  public List<RedisKeys> all() {
    return keys;
  }

  /** The keys of the partition a run (or worker task) id names. */
  public RedisKeys ofId(String id) {
    return keys.get(partitions.of(id));
  }

  /** The keys of the partition a name hashes to (idempotency key, schedule, event id, rate window). */
  public RedisKeys ofName(String keyName) {
    return keys.get(partitions.ofName(keyName));
  }

  /**
   * Pub/sub channel on which the run scripts announce every run change; {@code runChanged} in {@link LuaPrelude}
   * derives it from a run key's tag: change both together.
   */
  public String runEventsChannel() {
    return global("runevents");
  }

  /** Pub/sub channel announcing due runs ({@code "<due ms> <partition>[,<partition>…]"}) to every worker. */
  public String wakeChannel() {
    return global("wake");
  }

  /** Pub/sub channel announcing "workspace queue" when a task is queued. */
  public String taskChannel() {
    return global("tasks");
  }

  /** Pub/sub channel announcing newly armed schedule fires to every scheduler instance. */
  public String scheduleWakeChannel() {
    return global("schedwake");
  }

  /** Hash of the deployment's facts (field {@code partitions}: the partition count its data was written with). */
  public String meta() {
    return global("meta");
  }

  /** Stream of record events (field {@code event}), read through a consumer group; not under any hash tag. */
  public String eventStream() {
    return eventStream;
  }

  /** A KEYS / SCAN pattern matching every key of this keyspace (all partitions, the meta hash, the legacy layout). */
  public String keyPattern() {
    return "{" + name + "*";
  }

  /** The keys of the single-tag layout written before partitions (DESIGN.md §11's one-time migration). */
  public RedisKeys legacy() {
    return new RedisKeys(name, 0);
  }

  private String global(String what) {
    return "{" + name + "}:" + what;
  }
}
