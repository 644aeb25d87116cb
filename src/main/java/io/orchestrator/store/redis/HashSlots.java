package io.orchestrator.store.redis;

import java.nio.charset.StandardCharsets;

/** Redis Cluster's key-to-slot mapping: CRC16 (XMODEM) of the key's hash tag, modulo 16,384 slots. */
final class HashSlots {

  static final int SLOTS = 16_384;

  private HashSlots() {
  }

  /** The slot of a hash tag's content (what a key {@code {tag}:…} hashes to). */
  static int ofTag(String tag) {
    int crc = 0;
    for (byte b : tag.getBytes(StandardCharsets.UTF_8)) {
      crc ^= (b & 0xff) << 8;
      for (int i = 0; i < 8; i++) {
        crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
      }
    }
    return (crc & 0xffff) % SLOTS;
  }

  /**
   * The hash tag of partition {@code n} of {@code count}: {@code <name>:p<n>}, with a {@code .<k>} suffix (the
   * smallest k that works) when needed to put it in the n-th of {@code count} equal slot ranges. A cluster created
   * with {@code redis-cli --cluster create} gives its masters equal slot ranges, so the partitions spread over the
   * masters as evenly as their number allows, whatever the name. Above 16,384 partitions no range would be left.
   */
  static String partitionTag(String name, int n, int count) {
    int from = (int) ((long) n * SLOTS / count);
    int until = (int) ((long) (n + 1) * SLOTS / count);
    String base = name + ":p" + n;
    String tag = base;
    for (int k = 1; !within(ofTag(tag), from, until); k++) {
      tag = base + "." + k;
    }
    return tag;
  }

  private static boolean within(int slot, int from, int until) {
    return slot >= from && slot < until;
  }
}
