package io.orchestrator.store.redis;

import java.nio.charset.StandardCharsets;

/** Redis Cluster's key-to-slot mapping: CRC16 (XMODEM) of the key's hash tag, modulo 16,384 slots. */
final class HashSlots {

  static final int SLOTS = 16_384;
  private static final int[] CRC_TABLE = new int[256];

  static {
    for (int b = 0; b < 256; b++) {
      int crc = b << 8;
      for (int i = 0; i < 8; i++) {
        crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
      }
      CRC_TABLE[b] = crc & 0xffff;
    }
  }

  private HashSlots() {
  }

  /** The slot of a hash tag's content (what a key {@code {tag}:…} hashes to). */
  static int ofTag(String tag) {
    int crc = 0;
    for (byte b : tag.getBytes(StandardCharsets.UTF_8)) {
      crc = ((crc << 8) ^ CRC_TABLE[((crc >> 8) ^ b) & 0xff]) & 0xffff;
    }
    return crc % SLOTS;
  }

  /**
   * The hash tag of partition {@code n} of {@code count}: {@code <name>:p<n>}, with a {@code .<k>} suffix (the
   * smallest k that works) when needed to put it near the middle of the n-th of {@code count} equal slot ranges
   * (within an eighth of the range's width of it). A cluster created with {@code redis-cli --cluster create} gives
   * its masters equal slot ranges, so the partitions spread over the masters as evenly as their number allows,
   * whatever the name: 16 partitions over 3 masters go 5, 6 and 5.
   */
  static String partitionTag(String name, int n, int count) {
    long width = SLOTS / count;
    long middle = (long) n * SLOTS / count + width / 2;
    long halfWindow = Math.max(2, width / 8);
    int from = (int) Math.max((long) n * SLOTS / count, middle - halfWindow);
    int until = (int) Math.min((long) (n + 1) * SLOTS / count, middle + halfWindow);
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
