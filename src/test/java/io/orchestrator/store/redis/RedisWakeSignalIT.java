package io.orchestrator.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.common.Ids;
import io.orchestrator.common.Partitions;
import io.orchestrator.runs.WakeSignal;
import io.vertx.redis.client.Redis;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What one instance's wake signals publish to the others, over the real Redis pub/sub, with 4 partitions: what a
 * listener hears is {@code "<partition>@<due>"} ({@code *} for every partition).
 */
class RedisWakeSignalIT extends RedisStoreTestBase {

  private static final Ids IDS = new Ids(Clock.systemUTC());
  private final Keyspace partitioned = new Keyspace("w" + System.nanoTime(), new Partitions(4));
  private RedisWakeSignal publisher;
  private RedisWakeSignal listener;
  private final List<String> heard = new CopyOnWriteArrayList<>();

  @BeforeEach
  void connectBoth() throws Exception {
    publisher = new RedisWakeSignal(vertx, redis, Redis.createClient(vertx, options()), partitioned, Clock.systemUTC());
    listener = new RedisWakeSignal(vertx, redis, Redis.createClient(vertx, options()), partitioned, Clock.systemUTC());
    listener.onRunDue((partition, due) -> heard.add((partition == WakeSignal.ALL_PARTITIONS ? "*" : partition) + "@"
      + due));
    listener.subscribe();
    // the subscription is asynchronous: signal "now" until the listener hears it
    long deadline = System.currentTimeMillis() + 5_000;
    while (heard.isEmpty() && System.currentTimeMillis() < deadline) {
      publisher.runDue(run(0), 0);
      Thread.sleep(20);
    }
    assertThat(heard).as("listener subscribed").isNotEmpty();
    Thread.sleep(50);
    heard.clear();
  }

  @AfterEach
  void closeBoth() {
    publisher.close();
    listener.close();
  }

  private static String run(int partition) {
    return IDS.run(partition);
  }

  /** Waits until the listener heard {@code count} signals, then a little longer to catch any extra one. */
  private List<String> heardAfter(int count) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 2_000;
    while (heard.size() < count && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
    Thread.sleep(150);
    return List.copyOf(heard);
  }

  @Test
  @DisplayName("a signal names the run's partition; a later due time than one announced for that partition and "
    + "still ahead is not published again")
  void laterDueTimesAreCoveredByTheEarliestAnnounced() throws Exception {
    long now = System.currentTimeMillis();

    publisher.runDue(run(1), now + 10_000);
    publisher.runDue(run(1), now + 20_000);
    publisher.runDue(run(1), now + 10_000);

    assertThat(heardAfter(1)).containsExactly("1@" + (now + 10_000));
  }

  @Test
  @DisplayName("an earlier due time is published, and so is any once the earliest announced has passed")
  void earlierOrAfterThePassedOneIsPublished() throws Exception {
    long now = System.currentTimeMillis();

    publisher.runDue(run(2), now + 10_000);
    publisher.runDue(run(2), now + 300);
    assertThat(heardAfter(2)).containsExactly("2@" + (now + 10_000), "2@" + (now + 300));

    Thread.sleep(Math.max(0, now + 400 - System.currentTimeMillis()));
    publisher.runDue(run(2), now + 20_000);
    assertThat(heardAfter(3)).containsExactly("2@" + (now + 10_000), "2@" + (now + 300), "2@" + (now + 20_000));
  }

  @Test
  @DisplayName("what another partition announced does not cover a later due time of this one")
  void partitionsAnnounceApart() throws Exception {
    long now = System.currentTimeMillis();

    publisher.runDue(run(1), now + 10_000);
    publisher.runDue(run(3), now + 20_000);

    assertThat(heardAfter(2)).containsExactly("1@" + (now + 10_000), "3@" + (now + 20_000));
  }

  @Test
  @DisplayName("signals for now within one coalescing window reach the others as one publish naming each partition, "
    + "a worker task's id as its run's partition")
  void nowSignalsCoalesceAndKeepTheirPartitions() throws Exception {
    Thread.sleep(RedisWakeSignal.COALESCE_MS * 2);
    String runInThree = run(3);
    publisher.runDue(run(0), 0);
    publisher.runDue(run(1), 0);
    publisher.runDue(IDS.task(runInThree) + ".7", 0);

    List<String> partitions = heardAfter(3).stream().map(h -> h.substring(0, h.indexOf('@'))).toList();
    assertThat(partitions).containsExactlyInAnyOrder("0", "1", "3");
  }

  @Test
  @DisplayName("anyDue reaches the others as every partition")
  void anyDueNamesEveryPartition() throws Exception {
    long due = System.currentTimeMillis() + 5_000;
    publisher.anyDue(due);
    assertThat(heardAfter(1)).containsExactly("*@" + due);
  }
}
