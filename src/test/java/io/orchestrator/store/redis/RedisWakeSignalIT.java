package io.orchestrator.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.redis.client.Redis;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What one instance's wake signals publish to the others, over the real Redis pub/sub. */
class RedisWakeSignalIT extends RedisStoreTestBase {

  private RedisWakeSignal publisher;
  private RedisWakeSignal listener;
  private final List<Long> heard = new CopyOnWriteArrayList<>();

  @BeforeEach
  void connectBoth() throws Exception {
    publisher = new RedisWakeSignal(vertx, redis, Redis.createClient(vertx, options()), keys, java.time.Clock.systemUTC());
    listener = new RedisWakeSignal(vertx, redis, Redis.createClient(vertx, options()), keys, java.time.Clock.systemUTC());
    listener.onRunDue(heard::add);
    listener.subscribe();
    // the subscription is asynchronous: signal "now" until the listener hears it
    long deadline = System.currentTimeMillis() + 5_000;
    while (heard.isEmpty() && System.currentTimeMillis() < deadline) {
      publisher.runDue(0);
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

  /** Waits until the listener heard {@code count} signals, then a little longer to catch any extra one. */
  private List<Long> heardAfter(int count) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 2_000;
    while (heard.size() < count && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
    Thread.sleep(150);
    return List.copyOf(heard);
  }

  @Test
  @DisplayName("a later due time than one already announced and still ahead is not published again")
  void laterDueTimesAreCoveredByTheEarliestAnnounced() throws Exception {
    long now = System.currentTimeMillis();

    publisher.runDue(now + 10_000);
    publisher.runDue(now + 20_000);
    publisher.runDue(now + 10_000);

    assertThat(heardAfter(1)).containsExactly(now + 10_000);
  }

  @Test
  @DisplayName("an earlier due time is published, and so is any once the earliest announced has passed")
  void earlierOrAfterThePassedOneIsPublished() throws Exception {
    long now = System.currentTimeMillis();

    publisher.runDue(now + 10_000);
    publisher.runDue(now + 300);
    assertThat(heardAfter(2)).containsExactly(now + 10_000, now + 300);

    Thread.sleep(Math.max(0, now + 400 - System.currentTimeMillis()));
    publisher.runDue(now + 20_000);
    assertThat(heardAfter(3)).containsExactly(now + 10_000, now + 300, now + 20_000);
  }
}
