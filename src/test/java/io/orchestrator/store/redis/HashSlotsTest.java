package io.orchestrator.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.common.Partitions;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Hash slots: partition tags spread evenly over a cluster's default slot ranges")
class HashSlotsTest {

  @Test
  @DisplayName("CRC16 (XMODEM) as Redis Cluster computes it")
  void crc16() {
    assertThat(HashSlots.ofTag("123456789")).isEqualTo(0x31C3);
    // redis-cli: CLUSTER KEYSLOT foo = 12182, CLUSTER KEYSLOT orch = 4044 ... computed by Redis for {foo}
    assertThat(HashSlots.ofTag("foo")).isEqualTo(12182);
  }

  @Test
  @DisplayName("partition n's tag is in the n-th of N equal slot ranges, for every N up to the maximum")
  void tagsSpreadEvenly() {
    for (int count : new int[] {1, 3, 16, 100, Partitions.MAX}) {
      Set<String> tags = new HashSet<>();
      for (int n = 0; n < count; n++) {
        String tag = HashSlots.partitionTag("orch", n, count);
        int slot = HashSlots.ofTag(tag);
        assertThat(slot).as("partition %d of %d", n, count)
          .isBetween((int) ((long) n * HashSlots.SLOTS / count), (int) ((long) (n + 1) * HashSlots.SLOTS / count) - 1);
        assertThat(tag).startsWith("orch:p" + n);
        tags.add(tag);
      }
      assertThat(tags).hasSize(count);
    }
  }

  @Test
  @DisplayName("16 partitions over 3 masters with redis-cli's default ranges: 5, 6 and 5")
  void sixteenOverThreeMasters() {
    int[] perMaster = new int[3];
    for (int n = 0; n < 16; n++) {
      int slot = HashSlots.ofTag(HashSlots.partitionTag("orch", n, 16));
      perMaster[slot <= 5460 ? 0 : slot <= 10922 ? 1 : 2]++;
    }
    assertThat(perMaster).containsExactly(5, 6, 5);
  }

  @Test
  @DisplayName("a keyspace's run events channel is what runChanged derives from any partition's run key")
  void runEventsChannelMatchesTheLuaDerivation() {
    Keyspace keyspace = new Keyspace("a:p1", new Partitions(16));
    for (RedisKeys keys : keyspace.all()) {
      String tag = keys.run("run_x").substring(1, keys.run("run_x").indexOf('}'));
      // Lua: '{' .. string.match(runKey, '^{(.*):p%d+[.%d]*}:') .. '}:runevents'
      String derived = "{" + tag.replaceFirst(":p\\d+[.\\d]*$", "") + "}:runevents";
      assertThat(derived).isEqualTo(keyspace.runEventsChannel());
    }
  }
}
