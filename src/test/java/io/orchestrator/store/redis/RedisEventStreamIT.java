package io.orchestrator.store.redis;

import io.orchestrator.common.Partitions;

import io.orchestrator.fixtures.TestStores;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.triggers.events.EventRun;
import io.orchestrator.triggers.events.EventStream.Entry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The event stream and dedupe on the real Redis of {@code ORCH_TEST_REDIS_URL}, on a random stream per test. */
class RedisEventStreamIT {

  private static final String GROUP = "g";

  private static Vertx vertx;
  private static Redis redis;

  private final String name = "t" + UUID.randomUUID().toString().substring(0, 8);
  private final Keyspace keys = new Keyspace(name, new Partitions(1), "events-test-" + name);

  @BeforeAll
  static void connect() {
    vertx = Vertx.vertx();
    redis = Redis.createClient(vertx, options());
  }

  @AfterAll
  static void disconnect() throws Exception {
    await(redis.close());
    await(vertx.close());
  }

  @AfterEach
  void cleanUp() throws Exception {
    await(redis.send(Request.cmd(Command.DEL).arg(keys.eventStream())));
  }

  static RedisOptions options() {
    String url = TestStores.redisUrl();
    return new RedisOptions().setConnectionString(url);
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** What a test does with one consumer "c1" of the test's stream. */
  private interface WithConsumer {
    void run(RedisEventStream stream) throws Exception;
  }

  /** Runs {@code test} with consumer "c1" over {@code protocol}, closing its connection afterwards. */
  private void withConsumer(ProtocolVersion protocol, WithConsumer test) throws Exception {
    RedisEventStream stream = consumer("c1", protocol);
    try {
      test.run(stream);
    } finally {
      await(stream.close());
    }
  }

  private RedisEventStream consumer(String consumerName, ProtocolVersion protocol) {
    Redis client = Redis.createClient(vertx, options().setPreferredProtocolVersion(protocol));
    return new RedisEventStream(client, client, keys, GROUP, consumerName);
  }

  private String xadd(String field, String value) throws Exception {
    return await(redis.send(Request.cmd(Command.XADD).arg(keys.eventStream()).arg("*").arg(field).arg(value)))
      .toString();
  }

  private long pending() throws Exception {
    return await(redis.send(Request.cmd(Command.XPENDING).arg(keys.eventStream()).arg(GROUP))).get(0).toLong();
  }

  @ParameterizedTest
  @EnumSource(ProtocolVersion.class)
  @DisplayName("entries read through the group decode the same over RESP2 and RESP3, the event field or null")
  void readNew(ProtocolVersion protocol) throws Exception {
    withConsumer(protocol, stream -> {
      await(stream.createGroup());
      String a = xadd("event", "{\"a\":1}");
      String b = xadd("other", "x");

      List<Entry> entries = await(stream.readNew(10, Duration.ofMillis(100)));

      assertThat(entries).containsExactly(new Entry(a, "{\"a\":1}"), new Entry(b, null));
      assertThat(await(stream.readNew(10, Duration.ofMillis(50)))).isEmpty();
      assertThat(pending()).isEqualTo(2);
      await(stream.ack(a));
      await(stream.ack(b));
      assertThat(pending()).isZero();
    });
  }

  @ParameterizedTest
  @EnumSource(ProtocolVersion.class)
  @DisplayName("trim deletes entries older than the cutoff that the group has acknowledged, never a pending or "
    + "unread one, nor anything after it")
  void trimKeepsWhatTheGroupStillNeeds(ProtocolVersion protocol) throws Exception {
    withConsumer(protocol, stream -> {
      await(stream.createGroup());
      for (long ms : new long[] {1000, 2000, 3000, 4000, 5000}) {
        xaddAt(ms);
      }
      List<Entry> read = await(stream.readNew(3, Duration.ofMillis(50)));
      await(stream.ack(read.get(0).id()));
      await(stream.ack(read.get(1).id()));

      assertThat(await(stream.trim(Instant.ofEpochMilli(10_000)))).isEqualTo(2);
      assertThat(ids()).containsExactly("3000-0", "4000-0", "5000-0");

      await(stream.ack("3000-0"));
      assertThat(await(stream.trim(Instant.ofEpochMilli(10_000)))).as("4000 and 5000 are unread").isZero();

      await(stream.readNew(2, Duration.ofMillis(50)));
      await(stream.ack("4000-0"));
      await(stream.ack("5000-0"));
      assertThat(await(stream.trim(Instant.ofEpochMilli(4_500)))).as("only what is older than the cutoff")
        .isEqualTo(2);
      assertThat(ids()).containsExactly("5000-0");
    });
  }

  @Test
  @DisplayName("trim keeps every entry another consumer group of the stream has not read")
  void trimRespectsOtherGroups() throws Exception {
    withConsumer(ProtocolVersion.RESP3, stream -> {
      await(stream.createGroup());
      xaddAt(1000);
      xaddAt(2000);
      await(redis.send(Request.cmd(Command.XGROUP).arg("CREATE").arg(keys.eventStream()).arg("other").arg("0")));
      await(stream.readNew(10, Duration.ofMillis(50)));
      await(stream.ack("1000-0"));
      await(stream.ack("2000-0"));

      assertThat(await(stream.trim(Instant.ofEpochMilli(10_000)))).isZero();
      assertThat(ids()).containsExactly("1000-0", "2000-0");
    });
  }

  @ParameterizedTest
  @EnumSource(ProtocolVersion.class)
  @DisplayName("trimming a new, empty stream with only the group deletes nothing and does not fail")
  void trimEmptyStream(ProtocolVersion protocol) throws Exception {
    withConsumer(protocol, stream -> {
      await(stream.createGroup());

      assertThat(await(stream.trim(Instant.now()))).isZero();
      xaddAt(1000);
      await(redis.send(Request.cmd(Command.XDEL).arg(keys.eventStream()).arg("1000-0")));
      assertThat(await(stream.trim(Instant.now()))).as("after a deletion the group's lag is unknown (nil)").isZero();
    });
  }

  @Test
  @DisplayName("trimming a stream that does not exist deletes nothing and does not fail")
  void trimMissingStream() throws Exception {
    withConsumer(ProtocolVersion.RESP3, stream -> {
      assertThat(await(stream.trim(Instant.now()))).isZero();
    });
  }

  @Test
  @DisplayName("stream ids order by milliseconds, then sequence, as unsigned 64-bit numbers")
  void streamIdOrder() {
    RedisEventStream.StreamId a = RedisEventStream.StreamId.parse("1000-9");
    RedisEventStream.StreamId b = RedisEventStream.StreamId.parse("1000-10");
    RedisEventStream.StreamId max = RedisEventStream.StreamId.parse("18446744073709551615-0");

    assertThat(RedisEventStream.StreamId.min(a, b)).isEqualTo(a);
    assertThat(RedisEventStream.StreamId.min(max, a)).isEqualTo(a);
    assertThat(max.toString()).isEqualTo("18446744073709551615-0");
    assertThat(RedisEventStream.StreamId.of(Instant.ofEpochMilli(42)).toString()).isEqualTo("42-0");
  }

  private void xaddAt(long millis) throws Exception {
    await(redis.send(Request.cmd(Command.XADD).arg(keys.eventStream()).arg(millis + "-0").arg("event").arg("{}")));
  }

  private List<String> ids() throws Exception {
    Response entries = await(redis.send(Request.cmd(Command.XRANGE).arg(keys.eventStream()).arg("-").arg("+")));
    return entries.stream().map(entry -> entry.get(0).toString()).toList();
  }

  @Test
  @DisplayName("creating the group twice keeps it (BUSYGROUP is not an error) and starts at the stream's beginning")
  void createGroupTwice() throws Exception {
    String early = xadd("event", "{}");
    withConsumer(ProtocolVersion.RESP3, stream -> {
      await(stream.createGroup());
      await(stream.createGroup());

      assertThat(await(stream.readNew(10, Duration.ofMillis(50)))).extracting(Entry::id).containsExactly(early);
    });
  }

  @ParameterizedTest
  @EnumSource(ProtocolVersion.class)
  @DisplayName("an entry pending on another consumer is claimed only after min-idle, then no longer by anyone else")
  void claimStale(ProtocolVersion protocol) throws Exception {
    RedisEventStream dead = consumer("dead", protocol);
    RedisEventStream alive = consumer("alive", protocol);
    RedisEventStream other = consumer("other", protocol);
    try {
      await(dead.createGroup());
      String id = xadd("event", "{\"e\":1}");
      assertThat(await(dead.readNew(1, Duration.ofMillis(50)))).hasSize(1);

      assertThat(await(alive.claimStale(Duration.ofSeconds(30), 10))).isEmpty();
      Thread.sleep(150);
      assertThat(await(alive.claimStale(Duration.ofMillis(100), 10))).containsExactly(new Entry(id, "{\"e\":1}"));
      assertThat(await(other.claimStale(Duration.ofMillis(100), 10))).isEmpty();
      await(alive.ack(id));
      assertThat(pending()).isZero();
    } finally {
      await(dead.close());
      await(alive.close());
      await(other.close());
    }
  }

  @Test
  @DisplayName("a pending entry deleted from the stream is not handed out by a claim")
  void deletedPendingEntry() throws Exception {
    withConsumer(ProtocolVersion.RESP3, stream -> {
      await(stream.createGroup());
      String id = xadd("event", "{}");
      await(stream.readNew(1, Duration.ofMillis(50)));
      await(redis.send(Request.cmd(Command.XDEL).arg(keys.eventStream()).arg(id)));
      Thread.sleep(20);

      List<Entry> claimed = await(stream.claimStale(Duration.ofMillis(1), 10));

      assertThat(claimed).allSatisfy(entry -> assertThat(entry.event()).isNull());
    });
  }

  @Test
  @DisplayName("dedupe: the first remembered runs win for 24 h, per workspace")
  void dedupe() throws Exception {
    RedisEventDedupe dedupe = new RedisEventDedupe(redis, keys);
    List<EventRun> first = List.of(new EventRun("run_1", "orch_1", "pending"));
    List<EventRun> second = List.of(new EventRun("run_2", "orch_1", "pending"));
    try {
      assertThat(await(dedupe.find("ws", "e1"))).isEmpty();
      assertThat(await(dedupe.remember("ws", "e1", first))).isEmpty();
      assertThat(await(dedupe.remember("ws", "e1", second))).contains(first);
      assertThat(await(dedupe.find("ws", "e1"))).contains(first);
      assertThat(await(dedupe.find("ws-other", "e1"))).isEmpty();
      assertThat(await(dedupe.remember("ws", "e-none", List.of()))).isEmpty();
      assertThat(await(dedupe.find("ws", "e-none"))).isEqualTo(Optional.of(List.of()));
      Response ttl = await(redis.send(Request.cmd(Command.PTTL).arg(keys.partition(0).eventDedupe("ws", "e1"))));
      assertThat(ttl.toLong()).isBetween(Duration.ofHours(24).minusMinutes(1).toMillis(),
        Duration.ofHours(24).toMillis());
    } finally {
      await(redis.send(Request.cmd(Command.DEL).arg(keys.partition(0).eventDedupe("ws", "e1"))
        .arg(keys.partition(0).eventDedupe("ws", "e-none"))));
    }
  }
}
