package io.orchestrator.common;

import java.security.SecureRandom;
import java.time.Clock;

/**
 * Time-sortable ids: a prefix, then 10 Crockford base-32 characters of milliseconds since the epoch and 16 of
 * randomness (ULID layout, lower case), e.g. {@code orch_01jh5v2k8q3w9x7c4b6n1m0p2r}. Ids of one prefix sort by
 * creation time as strings. The last two characters of a run or task id also name its partition ({@link Partitions}):
 * random for a run that may land anywhere, chosen for one that must land in a given partition, copied from its run
 * for a worker task.
 */
public final class Ids {

  private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Clock clock;
  private final Partitions partitions;

  /** Ids for a deployment of one partition (tests, tools). */
  public Ids(Clock clock) {
    this(clock, new Partitions(1));
  }

  public Ids(Clock clock, Partitions partitions) {
    this.clock = clock;
    this.partitions = partitions;
  }

  public String orchestration() {
    return next("orch_");
  }

  public String function() {
    return next("func_");
  }

  public String run() {
    return next("run_");
  }

  /**
   * The id of a run started under an idempotency key: minted in the key's partition, where the key's entry lives,
   * so the dedupe and the create stay one script ({@link Partitions#ofIdempotencyKey}).
   */
  public String run(String workspace, String orchestrationId, String idempotencyKey) {
    return run(partitions.ofIdempotencyKey(workspace, orchestrationId, idempotencyKey));
  }

  /** A run id whose partition number is {@code partitionNumber} (0..{@link Partitions#MAX} - 1). */
  public String run(int partitionNumber) {
    if (partitionNumber < 0 || partitionNumber >= Partitions.MAX) {
      throw new IllegalArgumentException("partition number out of range: " + partitionNumber);
    }
    char[] id = next("run_").toCharArray();
    id[id.length - 2] = ALPHABET[partitionNumber >> 5];
    id[id.length - 1] = ALPHABET[partitionNumber & 31];
    return new String(id);
  }

  /** A worker task id in the partition of its run. */
  public String task(String runId) {
    String task = next("task_");
    int suffix = partitionSuffix(runId);
    if (suffix < 0) {
      return task;
    }
    return task.substring(0, task.length() - 2) + runId.substring(runId.length() - 2);
  }

  /** The partition number (0..1023) an id's last two characters encode; -1 when they are not two id characters. */
  static int partitionSuffix(String id) {
    if (id == null || id.length() < 2) {
      return -1;
    }
    int high = value(id.charAt(id.length() - 2));
    int low = value(id.charAt(id.length() - 1));
    return high < 0 || low < 0 ? -1 : high << 5 | low;
  }

  private static int value(char c) {
    for (int i = 0; i < ALPHABET.length; i++) {
      if (ALPHABET[i] == c) {
        return i;
      }
    }
    return -1;
  }

  public String next(String prefix) {
    char[] out = new char[26];
    long time = clock.millis();
    for (int i = 9; i >= 0; i--) {
      out[i] = ALPHABET[(int) (time & 31)];
      time >>>= 5;
    }
    byte[] random = new byte[16];
    RANDOM.nextBytes(random);
    for (int i = 0; i < 16; i++) {
      out[10 + i] = ALPHABET[random[i] & 31];
    }
    return prefix + new String(out);
  }
}
