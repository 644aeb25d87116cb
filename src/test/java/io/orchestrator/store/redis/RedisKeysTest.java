package io.orchestrator.store.redis;

import io.orchestrator.common.Partitions;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.tasks.QueueRef;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("RedisKeys: a task queue key names its workspace and queue")
class RedisKeysTest {

  private final RedisKeys keys = new Keyspace("orch", new Partitions(4)).partition(2);

  @Test
  @DisplayName("taskQueueRef reads back what taskQueue built, for slugs and queue names with '-', '_' and '.'")
  void roundTrip() {
    for (String[] pair : new String[][] {{"acme", "sums"}, {"a-b_c", "q.v1-x_y"}, {"A", "1"}}) {
      assertThat(keys.taskQueueRef(keys.taskQueue(pair[0], pair[1]))).isEqualTo(new QueueRef(pair[0], pair[1]));
    }
  }

  @Test
  @DisplayName("a workspace whose slug is another's prefix is told apart (acme vs acme-eu)")
  void prefixSlugs() {
    assertThat(keys.taskQueueRef(keys.taskQueue("acme-eu", "sums")).workspace()).isEqualTo("acme-eu");
  }

  @Test
  @DisplayName("keys of another prefix, other key kinds and malformed queue keys name no queue")
  void otherKeys() {
    assertThat(keys.taskQueueRef(new Keyspace("other", new Partitions(4)).partition(2).taskQueue("acme", "sums"))).isNull();
    assertThat(keys.taskQueueRef(keys.taskLeases())).isNull();
    assertThat(keys.taskQueueRef(keys.task("task_1"))).isNull();
    assertThat(keys.taskQueueRef("{orch}:tq:acme")).isNull();
    assertThat(keys.taskQueueRef("{orch}:tq::sums")).isNull();
    assertThat(keys.taskQueueRef("{orch}:tq:acme:")).isNull();
    assertThat(keys.taskQueueRef(null)).isNull();
  }
}
