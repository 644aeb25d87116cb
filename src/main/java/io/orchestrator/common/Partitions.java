package io.orchestrator.common;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32;

/**
 * The engine's partitions (DESIGN.md §11): {@code count} of them, fixed for the life of a deployment. A run belongs
 * to one partition for life and its id says which: the last two characters of an id minted by {@link Ids} are a
 * base-32 number (0..1023) whose remainder by {@code count} is the partition. Ids are random there, so runs spread
 * evenly; a run that must land in a given partition (one started under an idempotency key) is minted with that
 * number ({@link Ids#run(int)}). Anything else keyed by a name (an idempotency key, an orchestration's schedule, an
 * event id) takes the partition of a stable hash of the name.
 */
public final class Partitions {

  /** The most partitions: two base-32 characters of an id. */
  public static final int MAX = 1024;
  public static final int DEFAULT = 16;

  private final int count;

  public Partitions(int count) {
    if (count < 1 || count > MAX) {
      throw new IllegalArgumentException("partitions must be 1.." + MAX + ", got " + count);
    }
    this.count = count;
  }

  public int count() {
    return count;
  }

  /**
   * The partition of a run or task id, also of a worker-facing task id ({@code <task id>.<lease generation>}); any
   * other string maps to a partition too (by its hash), so a lookup of a made-up id finds nothing rather than fails.
   */
  public int of(String id) {
    int dot = id.indexOf('.');
    String bare = dot < 0 ? id : id.substring(0, dot);
    int suffix = Ids.partitionSuffix(bare);
    return suffix >= 0 ? suffix % count : ofName(id);
  }

  /** The partition of a name, from a stable hash of its UTF-8 bytes. */
  public int ofName(String name) {
    CRC32 crc = new CRC32();
    crc.update(name.getBytes(StandardCharsets.UTF_8));
    return (int) (crc.getValue() % count);
  }

  /** The partition of a run started under an idempotency key: its run id is minted there, with the key's entry. */
  public int ofIdempotencyKey(String workspace, String orchestrationId, String key) {
    return ofName(workspace + ":" + orchestrationId + ":" + key);
  }

  /** A partition chosen at random (for work with no key of its own). */
  public int any() {
    return ThreadLocalRandom.current().nextInt(count);
  }

  @Override
  public String toString() {
    return count + " partitions";
  }
}
